/**
 * Seeded randomness, so a lesson prints the same numbers on every run.
 *
 * Two generators reproduce Python's exactly, so our lessons print the same numbers as
 * Karpathy's notebooks: `PythonRandom` (the `random` module, used by micrograd's nn.py
 * to draw weights) and `NumpyRandomState` (numpy's legacy `np.random`, which sklearn's
 * `make_moons` draws from in micrograd's demo). Both are the Mersenne Twister MT19937;
 * they differ only in how they are seeded and how they turn its output into numbers.
 *
 * `SeededRandom` is a small, fast generator for everything else.
 */

/** What the network library needs from a generator. */
export interface Rng {
  /** A float in [0, 1). */
  random(): number;
  /** A float in [a, b). */
  uniform(a: number, b: number): number;
}

/** What `makeMoons` needs: Gaussian noise and a shuffle. */
export interface NoiseRng {
  normal(loc?: number, scale?: number): number;
  shuffle<T>(array: T[]): T[];
}

const N = 624;
const M = 397;

function checkSeed(seed: unknown, who: string): number {
  if (typeof seed !== "number" || !Number.isInteger(seed)) {
    throw new TypeError(`${who}: the seed must be an integer, got ${String(seed)}`);
  }
  return seed;
}

/** The Mersenne Twister MT19937 (Matsumoto & Nishimura), 32-bit outputs. */
export class MT19937 {
  private mt = new Uint32Array(N);
  private index = N + 1;

  /** Seed from one 32-bit integer (numpy's legacy seeding). */
  initGenrand(seed: number): void {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  /** Seed from an array of 32-bit words (Python's `random.seed(int)`). */
  initByArray(key: number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = N;
  }

  /** The next 32-bit unsigned output. */
  nextUint32(): number {
    const mt = this.mt;
    if (this.index >= N) {
      if (this.index > N) this.initGenrand(5489); // never seeded: the reference default
      for (let k = 0; k < N; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
        mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits, as both CPython and numpy make it. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }
}

/** Python's `random` module: `new PythonRandom(1337)` is `random.seed(1337)`. */
export class PythonRandom implements Rng {
  private mt = new MT19937();

  constructor(seed: number) {
    this.seed(seed);
  }

  /** `random.seed(n)`: the integer |n| split into 32-bit words, least significant first. */
  seed(seed: number): void {
    let n = Math.abs(checkSeed(seed, "PythonRandom"));
    const key: number[] = [];
    do {
      key.push(n % 0x100000000);
      n = Math.floor(n / 0x100000000);
    } while (n > 0);
    this.mt.initByArray(key);
  }

  random(): number {
    return this.mt.nextDouble();
  }

  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }
}

/**
 * Gaussians by the polar Box–Muller method, as numpy's legacy `normal` makes them:
 * each round turns two uniforms into two Gaussians, returns one and keeps the other
 * for the next call.
 */
abstract class PolarGaussian {
  private spare: number | null = null;

  abstract random(): number;

  /** Forget the kept Gaussian (a reseed must not replay it). */
  protected resetGaussian(): void {
    this.spare = null;
  }

  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }

  normal(loc = 0, scale = 1): number {
    if (this.spare !== null) {
      const g = this.spare;
      this.spare = null;
      return loc + scale * g;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.spare = f * x1;
    return loc + scale * f * x2;
  }
}

/** numpy's legacy `np.random.RandomState(seed)`. */
export class NumpyRandomState extends PolarGaussian implements Rng, NoiseRng {
  private mt = new MT19937();

  constructor(seed: number) {
    super();
    this.seed(seed);
  }

  seed(seed: number): void {
    checkSeed(seed, "NumpyRandomState");
    if (seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`NumpyRandomState: the seed must be between 0 and 2**32 - 1, got ${seed}`);
    }
    this.mt.initGenrand(seed);
    this.resetGaussian();
  }

  /** `random_sample()`: a float in [0, 1). */
  randomSample(): number {
    return this.mt.nextDouble();
  }

  random(): number {
    return this.randomSample();
  }

  /** A uniform integer in [0, max], by masking and rejection (numpy's `random_interval`). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do {
      value = (this.mt.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /** Shuffle in place, Fisher–Yates from the last index down (numpy's `shuffle`). */
  shuffle<T>(array: T[]): T[] {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }
}

/**
 * A small fast seeded generator (sfc32, seeded through splitmix32) for everything that
 * does not need to match Python. Same seed, same numbers, on every machine.
 */
export class SeededRandom extends PolarGaussian implements Rng, NoiseRng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed = 42) {
    super();
    this.seed(seed);
  }

  seed(seed: number): void {
    let s = checkSeed(seed, "SeededRandom") >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    this.resetGaussian();
    for (let i = 0; i < 12; i++) this.nextUint32(); // let the state mix before use
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  random(): number {
    return this.nextUint32() / 4294967296;
  }

  shuffle<T>(array: T[]): T[] {
    for (let i = array.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }
}

/** The generator used when none is given. Reset it with `seed(n)` to replay a lesson. */
export const defaultRng = new SeededRandom(42);

/** Reseed the default generator (like Python's `random.seed`). */
export function seed(n: number): void {
  defaultRng.seed(n);
}
