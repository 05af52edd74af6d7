import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { NumpyRandomState, PythonRandom, SeededRandom, defaultRng, seed } from "../../src/random.js";

const ref = JSON.parse(readFileSync(new URL("../fixtures/micrograd-demo-moons.json", import.meta.url), "utf8"));

describe("PythonRandom matches Python's random module", () => {
  it("random.seed(1337); uniform(−1, 1) × 5", () => {
    const rng = new PythonRandom(1337);
    const got = Array.from({ length: 5 }, () => rng.uniform(-1, 1));
    expect(got).toEqual(ref.python_random_seed1337_uniform_m1_1_first5);
    expect(got.slice(0, 2)).toEqual([0.23550571390294128, 0.06653114721000164]);
  });

  it("rejects a non-integer seed", () => {
    expect(() => new PythonRandom(1.5)).toThrow(/seed must be an integer/);
  });
});

describe("NumpyRandomState matches numpy's legacy RandomState", () => {
  it("random_sample() × 3 with seed 1337", () => {
    const rng = new NumpyRandomState(1337);
    expect([rng.randomSample(), rng.randomSample(), rng.randomSample()]).toEqual([
      0.2620246750155817, 0.1586839721544656, 0.27812651949435974,
    ]);
  });

  it("normal() × 3 with seed 1337 (polar Box–Muller keeps the second value)", () => {
    const rng = new NumpyRandomState(1337);
    expect([rng.normal(), rng.normal(), rng.normal()]).toEqual(ref.numpy_RandomState1337_normal_first3);
  });

  it("shuffle is a permutation, deterministic per seed", () => {
    const a = new NumpyRandomState(5).shuffle([...Array(20).keys()]);
    const b = new NumpyRandomState(5).shuffle([...Array(20).keys()]);
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
    expect(a).not.toEqual([...Array(20).keys()]);
  });

  it("interval(max) stays in [0, max]", () => {
    const rng = new NumpyRandomState(0);
    for (let i = 0; i < 1000; i++) {
      const v = rng.interval(37);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(37);
    }
  });

  it("rejects seeds outside numpy's range", () => {
    expect(() => new NumpyRandomState(-1)).toThrow(/between 0 and 2\*\*32 - 1/);
  });
});

describe("SeededRandom, the default generator", () => {
  it("same seed, same numbers; different seeds differ", () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const xs = Array.from({ length: 10 }, () => a.random());
    expect(Array.from({ length: 10 }, () => b.random())).toEqual(xs);
    expect(new SeededRandom(43).random()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it("uniform draws look uniform and normal draws look standard normal", () => {
    const rng = new SeededRandom(1);
    const n = 20000;
    const u = Array.from({ length: n }, () => rng.uniform(-1, 1));
    const mean = u.reduce((s, x) => s + x, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    const g = Array.from({ length: n }, () => rng.normal());
    const gm = g.reduce((s, x) => s + x, 0) / n;
    const gv = g.reduce((s, x) => s + (x - gm) ** 2, 0) / n;
    expect(Math.abs(gm)).toBeLessThan(0.03);
    expect(Math.abs(gv - 1)).toBeLessThan(0.05);
  });

  it("seed(n) replays the default generator", () => {
    seed(123);
    const first = defaultRng.random();
    seed(123);
    expect(defaultRng.random()).toBe(first);
  });
});
