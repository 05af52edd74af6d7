/**
 * The engine against an independent oracle, the way micrograd tests itself against PyTorch: random
 * expressions over every operation (with reused nodes and deep chains) are evaluated twice: by
 * `Value` with backward(), and with plain float64 arithmetic, where each gradient is a central
 * difference (f(x + h) − f(x − h)) / 2h. The oracle shares no code with the engine.
 */
import { describe, expect, it } from "vitest";
import { Value } from "../../src/engine.js";
import { PythonRandom } from "../../src/random.js";

/** One step of a program: an op over earlier results (indices), all kept so later steps can reuse them. */
type Step = { op: "add" | "sub" | "mul" | "div"; a: number; b: number } | { op: "pow"; a: number; n: number } | { op: Unary; a: number } | { op: "addc" | "mulc"; a: number; c: number };
type Unary = "neg" | "exp" | "log" | "tanh" | "relu" | "sigmoid";

const UNARY: Unary[] = ["neg", "exp", "log", "tanh", "relu", "sigmoid"];

/** Plain float64 versions of the ops: the oracle. `log` and `div` are kept away from 0 by the generator. */
function evalNumbers(leaves: number[], program: Step[]): number {
  const v = [...leaves];
  for (const s of program) {
    const x = v[s.a]!;
    switch (s.op) {
      case "add": v.push(x + v[s.b]!); break;
      case "sub": v.push(x - v[s.b]!); break;
      case "mul": v.push(x * v[s.b]!); break;
      case "div": v.push(x / v[s.b]!); break;
      case "pow": v.push(Math.pow(x, s.n)); break;
      case "addc": v.push(x + s.c); break;
      case "mulc": v.push(x * s.c); break;
      case "neg": v.push(-x); break;
      case "exp": v.push(Math.exp(x)); break;
      case "log": v.push(Math.log(x)); break;
      case "tanh": v.push((Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1)); break;
      case "relu": v.push(Math.max(0, x)); break;
      case "sigmoid": v.push(1 / (1 + Math.exp(-x))); break;
    }
  }
  return v[v.length - 1]!;
}

function evalValues(leaves: Value[], program: Step[]): Value {
  const v = [...leaves];
  for (const s of program) {
    const x = v[s.a]!;
    switch (s.op) {
      case "add": case "sub": case "mul": case "div": v.push(x[s.op](v[s.b]!)); break;
      case "pow": v.push(x.pow(s.n)); break;
      case "addc": v.push(x.add(s.c)); break;
      case "mulc": v.push(x.mul(s.c)); break;
      default: v.push(x[s.op]()); break;
    }
  }
  return v[v.length - 1]!;
}

/**
 * A random program whose every intermediate stays in a range where float64 differences are
 * accurate: log and div only see values away from 0, exp only moderate inputs, relu only inputs
 * away from its kink.
 */
function randomProgram(rng: PythonRandom, leaves: number[], length: number): Step[] {
  for (;;) {
    const program: Step[] = [];
    const values = [...leaves];
    let ok = true;
    for (let i = 0; i < length && ok; i++) {
      // Prefer recent results (deep chains), but reuse any earlier node a third of the time.
      const pick = () => (rng.random() < 0.66 ? values.length - 1 - Math.floor(rng.random() * Math.min(3, values.length)) : Math.floor(rng.random() * values.length));
      const a = pick();
      const kind = rng.random();
      let step: Step;
      if (kind < 0.4) step = { op: (["add", "sub", "mul", "div"] as const)[Math.floor(rng.random() * 4)]!, a, b: pick() };
      else if (kind < 0.5) step = { op: "pow", a, n: [2, 3, -1, 0.5, 0][Math.floor(rng.random() * 5)]! };
      else if (kind < 0.6) step = { op: rng.random() < 0.5 ? "addc" : "mulc", a, c: rng.uniform(-2, 2) };
      else step = { op: UNARY[Math.floor(rng.random() * UNARY.length)]!, a };
      const x = values[a]!;
      const y = "b" in step ? values[step.b]! : 0;
      const risky =
        (step.op === "div" && Math.abs(y) < 0.3) ||
        (step.op === "log" && x < 0.3) ||
        (step.op === "exp" && Math.abs(x) > 5) ||
        (step.op === "relu" && Math.abs(x) < 0.05) ||
        (step.op === "pow" && (Math.abs(x) < 0.3 || (step.n === 0.5 && x < 0.3) || Math.abs(x) > 5));
      if (risky) {
        i--;
        continue;
      }
      const out = evalNumbers(leaves, [...program, step]);
      if (!Number.isFinite(out) || Math.abs(out) > 1e3) {
        ok = false;
        break;
      }
      program.push(step);
      values.push(out);
    }
    if (ok) return program;
  }
}

describe("Value against a float64 finite-difference oracle", () => {
  const rng = new PythonRandom(2024);
  const cases = Array.from({ length: 60 }, (_, k) => {
    const leaves = Array.from({ length: 3 }, () => rng.uniform(0.5, 2) * (rng.random() < 0.3 ? -1 : 1));
    return { k, leaves, program: randomProgram(rng, leaves, 6 + (k % 5) * 6) };
  });

  it.each(cases)("random expression #$k: forward value and every leaf's gradient", ({ leaves, program }) => {
    const xs = leaves.map((x, i) => new Value(x, `x${i}`));
    const out = evalValues(xs, program);
    out.backward();
    const want = evalNumbers(leaves, program);
    expect(Math.abs(out.data - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
    leaves.forEach((x, i) => {
      const h = 1e-6 * Math.max(1, Math.abs(x));
      const plus = leaves.map((l, j) => (j === i ? x + h : l));
      const minus = leaves.map((l, j) => (j === i ? x - h : l));
      const numeric = (evalNumbers(plus, program) - evalNumbers(minus, program)) / (2 * h);
      expect(Math.abs(xs[i]!.grad - numeric), `d out / d x${i}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(numeric)));
    });
  });

  it("the programs use every operation, reuse nodes, and reach depth 30", () => {
    const ops = new Set(cases.flatMap((c) => c.program.map((s) => s.op)));
    expect([...ops].sort()).toEqual(["add", "addc", "div", "exp", "log", "mul", "mulc", "neg", "pow", "relu", "sigmoid", "sub", "tanh"]);
    const reused = cases.filter((c) => {
      const uses = new Map<number, number>();
      for (const s of c.program) for (const i of "b" in s ? [s.a, s.b] : [s.a]) uses.set(i, (uses.get(i) ?? 0) + 1);
      return [...uses.values()].some((n) => n > 1);
    });
    expect(reused.length).toBeGreaterThan(30);
    expect(Math.max(...cases.map((c) => c.program.length))).toBe(30);
  });
});

describe("edge cases the oracle's ranges leave out", () => {
  it("relu keeps a NaN (a diverged value shows), as micrograd does", () => {
    const x = new Value(NaN);
    const y = x.relu();
    y.backward();
    expect(y.data).toBeNaN();
    expect(x.grad).toBe(0);
  });

  it("x ** 0 has slope 0 everywhere, also at x = 0", () => {
    for (const at of [0, 2, -3]) {
      const x = new Value(at);
      const y = x.pow(0);
      y.backward();
      expect([y.data, x.grad]).toEqual([1, 0]);
    }
  });
});
