import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { makeMoons } from "../../src/data.js";
import { NumpyRandomState } from "../../src/random.js";

const ref = JSON.parse(readFileSync(new URL("../fixtures/micrograd-demo-moons.json", import.meta.url), "utf8"));

describe("makeMoons", () => {
  it("matches sklearn's make_moons(100, noise=0.1) under numpy seed 1337 (micrograd's demo data)", () => {
    const { X, y } = makeMoons(100, { noise: 0.1, rng: new NumpyRandomState(1337) });
    expect(X).toHaveLength(100);
    for (let i = 0; i < 100; i++) {
      expect(Math.abs(X[i][0] - ref.X[i][0])).toBeLessThan(1e-12);
      expect(Math.abs(X[i][1] - ref.X[i][1])).toBeLessThan(1e-12);
    }
    expect(y.map((v) => v * 2 - 1)).toEqual(ref.y);
  });

  it("without noise or shuffle: two half circles, the last point of each exactly at t = π", () => {
    const { X, y } = makeMoons(10, { shuffle: false });
    expect(y).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(X[0]).toEqual([1, 0]);
    expect(X[4]).toEqual([-1, Math.sin(Math.PI)]);
    expect(X[5]).toEqual([0, 0.5]);
    expect(X[9]).toEqual([2, 1 - Math.sin(Math.PI) - 0.5]);
    for (const [a, b] of X.slice(0, 5)) expect(a * a + b * b).toBeCloseTo(1, 12);
  });

  it("an odd count puts the extra point in the inner moon", () => {
    const { y } = makeMoons(7, { shuffle: false });
    expect(y.filter((v) => v === 0)).toHaveLength(3);
    expect(y.filter((v) => v === 1)).toHaveLength(4);
  });

  it("rejects a bad sample count", () => {
    expect(() => makeMoons(1)).toThrow(/nSamples must be an integer ≥ 2, got 1/);
  });
});
