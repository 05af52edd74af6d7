/**
 * Fresh random inputs for hidden tests.
 *
 * A check whose inputs are printed in the lesson can be passed by copying the printed numbers. A
 * hidden test instead draws its inputs when it runs, from `freshRng()`: a `SeededRandom` whose seed
 * comes from the platform's cryptographic generator, so knowing the test's source (the site shows
 * every lesson, solutions included) does not tell anyone which inputs it will use. A failing hidden
 * test names the inputs it used, so the learner can reproduce the case.
 *
 * `crypto.getRandomValues` is looked up once, when this module loads: a cell that later replaces
 * `globalThis.crypto` (or `Math.random`) cannot make the inputs predictable.
 */
import { SeededRandom } from "../random.js";

const cryptoObject: { getRandomValues<T extends ArrayBufferView | null>(array: T): T } | undefined = (globalThis as { crypto?: any }).crypto;
const getRandomValues = cryptoObject?.getRandomValues?.bind(cryptoObject);
if (typeof getRandomValues !== "function") {
  throw new Error("micrograd-ts: freshRng needs crypto.getRandomValues (Node 20+ or a browser)");
}

/** A generator seeded from `crypto.getRandomValues`, different on every call. */
export function freshRng(): SeededRandom {
  const seed = getRandomValues!(new Uint32Array(1))[0];
  return new SeededRandom(seed);
}
