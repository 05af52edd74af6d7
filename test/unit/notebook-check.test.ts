import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Value } from "../../src/engine";
import { CheckError, DEFAULT_TOL, check, checkGrads, checkTrue } from "../../src/notebook/check";
import { type DisplaySink, useDisplayBackend } from "../../src/notebook/display";

/** The message a failing check throws (and fails the test if it does not throw a CheckError). */
function failure(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CheckError);
    return (e as Error).message;
  }
  throw new Error("expected the check to fail, it passed");
}

/** The lecture's first expression: d = a*b + c with a=2, b=-3, c=10, so d=4, dd/da=-3, dd/db=2, dd/dc=1. */
function lectureExpression() {
  const a = new Value(2.0, "a");
  const b = new Value(-3.0, "b");
  const c = new Value(10.0, "c");
  const d = a.mul(b).add(c);
  d.backward();
  return { a, b, c, d };
}

describe("check on success", () => {
  afterEach(() => vi.restoreAllMocks());

  it("prints one plain ✓ line outside a kernel", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    check("the slope", 14.0000001, 14);
    expect(log.mock.calls).toEqual([["✓ the slope"]]);
  });

  it("in a kernel shows one green ✓ line as HTML and prints nothing", () => {
    const html: string[] = [];
    const sink: DisplaySink = { html: (s) => html.push(s), svg: () => {}, markdown: () => {} };
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    useDisplayBackend({ display: sink, newDisplay: () => sink });
    try {
      check("a < b & c", 1, 1);
    } finally {
      useDisplayBackend(undefined);
    }
    expect(html).toEqual(['<div class="mg-check-pass" style="color:#1a7f37;font-family:monospace">✓ a &lt; b &amp; c</div>']);
    expect(log).not.toHaveBeenCalled();
  });

  it("accepts numbers, Values (by data), arrays of them, nested arrays, booleans and strings", () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const { a, b, d } = lectureExpression();
    expect(() => check("d", d, 4)).not.toThrow();
    expect(() => check("d", d, new Value(4))).not.toThrow();
    expect(() => check("d", 4, d)).not.toThrow();
    expect(() => check("inputs", [a, b], [2, -3])).not.toThrow();
    expect(() => check("grid", [[1, 2], [3, [4]]], [[1, 2], [3, [4]]])).not.toThrow();
    expect(() => check("flag", true, true)).not.toThrow();
    expect(() => check("op", d.op, "+")).not.toThrow();
    expect(() => check("nan", NaN, NaN)).not.toThrow();
    expect(() => check("inf", -Infinity, -Infinity)).not.toThrow();
  });

  it("uses 1e-6 absolute below 1 and relative above", () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    expect(DEFAULT_TOL).toBe(1e-6);
    expect(() => check("small", 0.5 + 0.9e-6, 0.5)).not.toThrow();
    expect(failure(() => check("small", 0.5 + 1.1e-6, 0.5))).toBe(
      "✗ small: expected 0.5, got 0.5000011, off by 1.1e-6 (tolerance ±1e-6)",
    );
    expect(() => check("big", 1e6 + 0.9, 1e6)).not.toThrow();
    expect(failure(() => check("big", 1e6 + 2, 1e6))).toBe("✗ big: expected 1000000, got 1000002, off by 2 (tolerance ±1)");
    expect(() => check("loose", 13.99, 14, { tol: 1e-3 })).not.toThrow();
  });

  it("checkGrads compares each Value's grad, checkTrue wants exactly true", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const { a, b, c } = lectureExpression();
    checkGrads("backprop", [a, b, c], [-3, 2, 1]);
    checkTrue("positive", a.data > 0);
    expect(log.mock.calls).toEqual([["✓ backprop"], ["✓ positive"]]);
  });
});

describe("check on failure", () => {
  it("names the exercise, expected, got, how far off, the tolerance, and the hint", () => {
    expect(failure(() => check("derivative", 13.9, 14, { hint: "f'(x) = 6x - 4" }))).toBe(
      "✗ derivative: expected 14, got 13.9, off by 0.1 (tolerance ±1.4e-5)\nHint: f'(x) = 6x - 4",
    );
  });

  it("compares Values by data", () => {
    const { d } = lectureExpression();
    expect(failure(() => check("d", d, 5))).toBe("✗ d: expected 5, got 4, off by 1 (tolerance ±5e-6)");
  });

  it("points at the first wrong item of an array, and at wrong lengths", () => {
    expect(failure(() => check("xs", [1, 2.5, 3], [1, 2, 3]))).toBe("✗ xs[1]: expected 2, got 2.5, off by 0.5 (tolerance ±2e-6)");
    expect(failure(() => check("xs", [1, 2], [1, 2, 3]))).toBe("✗ xs: expected an array of 3, got an array of 2");
    // A title, not a name from the code: the index does not run into its last word.
    expect(failure(() => check("d/dy = −x", [8, 1], [-8, 1]))).toBe("✗ d/dy = −x: [0]: expected -8, got 8, off by 16 (tolerance ±8e-6)");
    expect(failure(() => check("grid of the two", [[1], [5]], [[1], [4]]))).toBe("✗ grid of the two: [1][0]: expected 4, got 5, off by 1 (tolerance ±4e-6)");
    expect(failure(() => check("grid", [[1, 2], [3, 5]], [[1, 2], [3, 4]]))).toBe(
      "✗ grid[1][1]: expected 4, got 5, off by 1 (tolerance ±4e-6)",
    );
    expect(failure(() => check("xs", 3, [1, 2, 3]))).toBe("✗ xs: expected an array of 3, got 3");
  });

  it("says NaN, infinity and non-numbers plainly", () => {
    expect(failure(() => check("loss", NaN, 0.25))).toBe("✗ loss: expected 0.25, got NaN");
    expect(failure(() => check("loss", 0.25, NaN))).toBe("✗ loss: expected NaN, got 0.25");
    expect(failure(() => check("loss", Infinity, 1))).toBe("✗ loss: expected 1, got Infinity (tolerance ±1e-6)");
    expect(failure(() => check("loss", "0.25", 0.25))).toBe(
      '✗ loss: expected a number (or a Value) near 0.25, got the string "0.25"',
    );
    expect(failure(() => check("loss", undefined, 0.25))).toBe("✗ loss: expected a number (or a Value) near 0.25, got undefined");
    expect(failure(() => check("f", () => 1, 1))).toBe(
      "✗ f: expected a number (or a Value) near 1, got a function (did you forget to call it?)",
    );
    expect(failure(() => check("op", "*", "+"))).toBe('✗ op: expected "+", got the string "*"');
  });

  it("checkGrads names the Value by its label, and checks lengths and types", () => {
    const { a, b } = lectureExpression();
    expect(failure(() => checkGrads("backprop", [a, b], [-3, 3], { hint: "dd/db = a" }))).toBe(
      "✗ backprop: b.grad: expected 3, got 2, off by 1 (tolerance ±3e-6)\nHint: dd/db = a",
    );
    expect(failure(() => checkGrads("backprop", [new Value(1)], [0.5]))).toBe(
      "✗ backprop[0].grad: expected 0.5, got 0, off by 0.5 (tolerance ±1e-6)",
    );
    expect(failure(() => checkGrads("backprop", [a], [-3, 2]))).toBe("✗ backprop: expected 2 Values, got 1");
    expect(failure(() => checkGrads("backprop", [a, 2 as unknown as Value], [-3, 2]))).toBe("✗ backprop[1]: expected a Value, got 2");
  });

  it("checkTrue fails on false and on anything that is not true", () => {
    expect(failure(() => checkTrue("order", false, "a comes before b"))).toBe("✗ order: a comes before b");
    expect(failure(() => checkTrue("order", 1, "a comes before b"))).toBe("✗ order: a comes before b (the condition is 1, not true)");
  });

  it("a CheckError shows its message without stack frames; a bad tolerance is a TypeError", () => {
    let error: unknown;
    try {
      check("x", 1, 2);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("CheckError");
    expect((error as Error).stack).toBe("CheckError: ✗ x: expected 2, got 1, off by 1 (tolerance ±2e-6)");
    expect(() => check("x", 1, 1, { tol: -1 })).toThrow(TypeError);
    expect(() => check("x", 1, 1, { tol: -1 })).toThrow('check "x": tol must be a number ≥ 0, got -1');
  });
});

describe("outside a kernel, in a plain Node process (the built package)", () => {
  it("prints ✓ lines on stdout, nothing on stderr, and does not load tslab", () => {
    const script = `
      const { check, checkGrads, Value } = require(${JSON.stringify(resolve(__dirname, "..", "..", "dist", "index.js"))});
      const a = new Value(2), b = new Value(-3); const d = a.mul(b).add(10); d.backward();
      check("d", d, 4); checkGrads("grads", [a, b], [-3, 2]);
      console.log(Object.keys(require.cache).some((f) => f.includes("tslab")) ? "tslab loaded" : "no tslab");
    `;
    const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("✓ d\n✓ grads\nno tslab\n");
  });
});
