/**
 * `freshRng`: random numbers nobody can know in advance, for an exercise's hidden tests.
 *
 * The lessons are public, solutions and tests included, so a test with fixed inputs could be
 * passed by typing its expected numbers. Hidden tests draw their inputs from `freshRng()` at run
 * time instead, and name the inputs they used when they fail. The seed comes from the operating
 * system's randomness (crypto.getRandomValues), taken once when this module loads.
 */
import { SeededRandom } from "../random.js";

const seed = crypto.getRandomValues(new Uint32Array(1))[0]!;
let calls = 0;

/** A SeededRandom that gives different numbers in every run (and from every call). */
export function freshRng(): SeededRandom {
  return new SeededRandom((seed + 0x9e3779b9 * ++calls) >>> 0);
}
