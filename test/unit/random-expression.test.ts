import { describe, expect, it } from "vitest";
import { randomExpression } from "../../src/notebook/random-expression";
import { SeededRandom } from "../../src/random";

/** A closure-per-node Value as a learner writes it; `bug` breaks one operation's backward step. */
function learnerValue(bug?: "mul-assign" | "tanh-forgets-grad") {
  class V {
    grad = 0;
    backwardStep = () => {};
    constructor(public data: number, public label = "", public inputs: V[] = []) {}
    add(o: V) {
      const out = new V(this.data + o.data, "", [this, o]);
      out.backwardStep = () => { this.grad += out.grad; o.grad += out.grad; };
      return out;
    }
    mul(o: V) {
      const out = new V(this.data * o.data, "", [this, o]);
      out.backwardStep = bug === "mul-assign"
        ? () => { this.grad = o.data * out.grad; o.grad = this.data * out.grad; }
        : () => { this.grad += o.data * out.grad; o.grad += this.data * out.grad; };
      return out;
    }
    tanh() {
      const t = Math.tanh(this.data);
      const out = new V(t, "", [this]);
      out.backwardStep = () => { this.grad += bug === "tanh-forgets-grad" ? 1 - t * t : (1 - t * t) * out.grad; };
      return out;
    }
    backward() {
      const order: V[] = [], seen = new Set<V>();
      const visit = (v: V) => { if (seen.has(v)) return; seen.add(v); v.inputs.forEach(visit); order.push(v); };
      visit(this);
      this.grad = 1;
      for (const v of order.reverse()) v.backwardStep();
    }
  }
  return (x: number, label: string) => new V(x, label);
}

describe("randomExpression", () => {
  it("draws the same recipe from the same seed, and prints it", () => {
    const a = randomExpression(new SeededRandom(3), { ops: ["add", "mul", "tanh"] });
    const b = randomExpression(new SeededRandom(3), { ops: ["add", "mul", "tanh"] });
    expect(String(a)).toBe(String(b));
    expect(String(a)).toMatch(/^x0 = -?[\d.]+, x1 = .*; n3 = /);
  });

  it("agrees with a correct engine, on many recipes", () => {
    const rng = new SeededRandom(1);
    for (let k = 0; k < 50; k++) {
      const e = randomExpression(rng, { ops: ["add", "mul", "tanh"] });
      const nodes = e.build(learnerValue());
      (nodes[nodes.length - 1] as any).backward();
      expect(e.compare(nodes)).toBeUndefined();
    }
  });

  it("matches the gradients of an independent numeric derivative", () => {
    const e = randomExpression(new SeededRandom(9), { ops: ["add", "mul", "tanh", "exp", "pow"] });
    const ref = e.reference();
    const value = (xs: number[]) => evalNumbers(e, xs);
    e.leafData.forEach((x, i) => {
      const up = [...e.leafData], down = [...e.leafData];
      up[i] += 1e-6; down[i] -= 1e-6;
      expect(Math.abs((value(up) - value(down)) / 2e-6 - ref[i].grad)).toBeLessThan(1e-5 * Math.max(1, Math.abs(ref[i].grad)));
    });
  });

  it("names the node whose gradient differs, from the output down", () => {
    const rng = new SeededRandom(2);
    let found = 0;
    for (let k = 0; k < 30; k++) {
      const e = randomExpression(rng, { ops: ["add", "mul", "tanh"] });
      const nodes = e.build(learnerValue("tanh-forgets-grad"));
      (nodes[nodes.length - 1] as any).backward();
      const problem = e.compare(nodes);
      if (e.steps.some((s) => s.op === "tanh") && problem) {
        found++;
        // The first wrong gradient, from the output down, is an input of a tanh: its step is the bug.
        expect(problem).toMatch(/^(n\d+ = .*|leaf x\d): your grad is .*; it gets its gradient from .*n\d+ = tanh\(/);
        expect(problem).toContain(`(for ${e})`);
      }
    }
    expect(found).toBeGreaterThan(5);
  });

  it("a tree recipe uses every node once", () => {
    const e = randomExpression(new SeededRandom(5), { ops: ["add", "mul", "tanh"], reuse: false });
    const uses = new Map<number, number>();
    for (const s of e.steps) for (const i of [s.a, s.b]) if (i !== undefined) uses.set(i, (uses.get(i) ?? 0) + 1);
    expect([...uses.values()].every((n) => n === 1)).toBe(true);
    expect(uses.size).toBe(e.leafData.length + e.steps.length - 1);
  });
});

function evalNumbers(e: ReturnType<typeof randomExpression>, xs: number[]): number {
  const v = [...xs];
  for (const s of e.steps) {
    const a = v[s.a], b = s.b === undefined ? NaN : v[s.b];
    v.push({ add: a + b, mul: a * b, sub: a - b, div: a / b, tanh: Math.tanh(a), exp: Math.exp(a), pow: a ** (s.k ?? 1), neg: -a, relu: Math.max(0, a) }[s.op]);
  }
  return v[v.length - 1];
}
