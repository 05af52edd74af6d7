/** Toy data sets for the lessons. */
import { SeededRandom, type NoiseRng } from "./random.js";

export interface Dataset {
  /** One row per sample: [x, y]. */
  X: number[][];
  /** One label per sample. */
  y: number[];
}

export interface MoonsOptions {
  /** Standard deviation of the Gaussian noise added to every coordinate (default 0: none). */
  noise?: number;
  /** Where the shuffle and the noise come from (default: a fresh `SeededRandom(0)`). */
  rng?: NoiseRng;
  /** Shuffle the samples (default true). */
  shuffle?: boolean;
}

/** `n` points from 0 to π, the last one exactly π (numpy's `linspace(0, π, n)`). */
function halfTurn(n: number): number[] {
  const step = Math.PI / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? Math.PI : i * step));
}

/**
 * Two interleaving half circles, as scikit-learn's `make_moons`: the outer moon
 * (label 0) is the top half of the unit circle, the inner one (label 1) is the same
 * arc flipped and shifted to (1, 0.5). With `new NumpyRandomState(1337)` it draws the
 * very points of micrograd's demo.
 */
export function makeMoons(nSamples: number, options: MoonsOptions = {}): Dataset {
  if (!Number.isInteger(nSamples) || nSamples < 2) {
    throw new RangeError(`makeMoons: nSamples must be an integer ≥ 2, got ${String(nSamples)}`);
  }
  const { noise = 0, rng = new SeededRandom(0), shuffle = true } = options;
  const nOut = Math.floor(nSamples / 2);
  const nIn = nSamples - nOut;

  let X: number[][] = [
    ...halfTurn(nOut).map((t) => [Math.cos(t), Math.sin(t)]),
    ...halfTurn(nIn).map((t) => [1 - Math.cos(t), 1 - Math.sin(t) - 0.5]),
  ];
  let y: number[] = [...Array(nOut).fill(0), ...Array(nIn).fill(1)];

  if (shuffle) {
    const order = rng.shuffle(Array.from({ length: nSamples }, (_, i) => i));
    X = order.map((i) => X[i]);
    y = order.map((i) => y[i]);
  }
  if (noise) {
    for (const row of X) {
      row[0] += rng.normal(0, noise);
      row[1] += rng.normal(0, noise);
    }
  }
  return { X, y };
}
