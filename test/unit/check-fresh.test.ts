import { describe, expect, it } from "vitest";
import { checkFresh } from "../../src/notebook/check-fresh";
import { CheckError } from "../../src/notebook/check";

const silence = <T>(f: () => T): T => {
  const log = console.log;
  console.log = () => {};
  try { return f(); } finally { console.log = log; }
};

describe("checkFresh", () => {
  it("passes when every fresh case agrees, and draws different inputs each run", () => {
    const seen: number[] = [];
    silence(() => checkFresh("square", 5, (rng) => {
      const x = rng.uniform(-3, 3);
      seen.push(x);
      return { inputs: `x = ${x}`, got: x * x, want: x ** 2 };
    }));
    silence(() => checkFresh("square", 5, (rng) => {
      const x = rng.uniform(-3, 3);
      seen.push(x);
      return { inputs: `x = ${x}`, got: x * x, want: x ** 2 };
    }));
    expect(new Set(seen).size).toBe(10);
  });

  it("fails with a CheckError that names the inputs, the expected and the got", () => {
    let error: unknown;
    try {
      checkFresh("double", 3, (_, k) => ({ inputs: `x = ${k}`, got: [k, k + 1], want: [k, 2 * k] }), { hint: "twice" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CheckError);
    expect((error as Error).message).toBe("✗ double, at x = 0: [1]: expected 0, got 1\nHint: twice");
  });

  it("takes a problem line instead of got/want, and uses the tolerance", () => {
    expect(() => checkFresh("p", 2, () => ({ inputs: "g", problem: "n3 differs" }))).toThrow("✗ p, at g: n3 differs");
    expect(() => silence(() => checkFresh("t", 1, () => ({ inputs: "-", got: 1.001, want: 1 }), { tol: 1e-2 }))).not.toThrow();
    expect(() => checkFresh("t", 1, () => ({ inputs: "-", got: 1.001, want: 1 }))).toThrow(/expected 1, got 1.001/);
  });
});
