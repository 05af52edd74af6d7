/**
 * The practice expressions and what the widget judges against: seeded, the lesson's operations, a
 * value used twice, and answers that are exactly what the engine's backward() gives.
 */
import { describe, expect, test } from "vitest";
import { topologicalOrder, Value } from "../../src/engine";
import { ALL_OPS, opsFor, practiceExpression, useCounts } from "../../src/practice/expression";
import { practiceBackwardHtml, practiceNodes } from "../../src/practice/backward-practice";

const opsIn = (root: Value) => new Set(topologicalOrder(root).map((v) => v.op).filter((op) => op !== ""));

describe("practiceExpression", () => {
  test("the same seed gives the same expression; another seed another one", () => {
    const shape = (r: Value) => topologicalOrder(r).map((v) => `${v.label}=${v.op}(${v.inputs.map((x) => x.label)})${v.data}`).join(" ");
    expect(shape(practiceExpression(5))).toBe(shape(practiceExpression(5)));
    const shapes = new Set(Array.from({ length: 20 }, (_, s) => shape(practiceExpression(s))));
    expect(shapes.size).toBe(20);
  });

  test("lessons 03–05 only use + * (and tanh from 04); later lessons every operation; a value is always used twice", () => {
    const seen = new Set<string>();
    for (let s = 0; s < 200; s++) {
      const r3 = practiceExpression(s, { ops: opsFor("03-manual-backprop") });
      for (const op of opsIn(r3)) expect(["+", "*"]).toContain(op);
      for (const op of opsIn(practiceExpression(s, { ops: opsFor("04-neuron-tanh") }))) expect(["+", "*", "tanh"]).toContain(op);
      const r = practiceExpression(s, { ops: opsFor("06-more-operations") });
      for (const op of opsIn(r)) seen.add(op);
      for (const root of [r3, r]) {
        const counts = useCounts(root);
        expect([...counts.values()].some((n) => n >= 2), `seed ${s}`).toBe(true);
        expect(root.label).toBe("L");
      }
    }
    expect([...seen].sort()).toEqual(["*", "**2", "+", "-", "/", "ReLU", "exp", "neg", "tanh"].sort());
    expect(ALL_OPS.length).toBe(9);
  });

  test("the answers are the engine's backward(), and none is 0 or huge", () => {
    for (let s = 0; s < 100; s++) {
      const root = practiceExpression(s, { size: 5 });
      const nodes = practiceNodes(root);
      root.backward();
      const order = topologicalOrder(root);
      expect(nodes.map((n) => n.grad)).toEqual(order.map((v) => v.grad));
      for (const n of nodes) expect(Math.abs(n.grad)).toBeGreaterThanOrEqual(0.01);
      // What the page recomputes from the learner's grads: the sum over the uses gives the answer.
      nodes.forEach((n, i) => {
        if (i === nodes.length - 1) return;
        expect(n.uses.reduce((sum, [k, local]) => sum + local * nodes[k]!.grad, 0)).toBeCloseTo(n.grad, 12);
      });
    }
  });

  test("each node's rule names its users and the local derivative in words", () => {
    const a = new Value(2, "a");
    const b = new Value(-3, "b");
    const e = a.mul(b).named("e");
    const d = e.add(a).named("d");
    const t = d.tanh().named("t");
    const L = t.mul(a).named("L");
    const nodes = practiceNodes(L);
    const rule = (label: string) => nodes.find((n) => n.label === label)!.rule;
    expect(rule("L")).toBe("L is the output: its grad is dL/dL = 1");
    expect(rule("b")).toBe("a * node passes each input the other input's data times its own grad: from e, b gets a.data × e.grad");
    expect(rule("d")).toMatch(/^tanh passes \(1 − o²\) times its grad, where o is tanh's output/);
    expect(rule("a")).toMatch(/^a is used 3 times, so its grad is the sum of what each use passes back \(\+=, not =\): /);
    expect(nodes.find((n) => n.label === "d")!.formula).toBe("d = e + a");
  });

  test("bad options are refused with what was wrong", async () => {
    expect(() => practiceExpression(1, { ops: ["tanh"] })).toThrow(/need at least one of \+ \* - \/ to combine/);
    await expect(practiceBackwardHtml({ seed: -1 })).rejects.toThrow(/seed must be a whole number ≥ 0, got -1/);
    await expect(practiceBackwardHtml({ lesson: '"><script>' })).rejects.toThrow(/lesson must be a notebook name/);
  });

  test("the markup escapes what it carries and says how to get the boxes without the page script", async () => {
    const html = await practiceBackwardHtml({ lesson: "03-manual-backprop", seed: 4, count: 2 });
    expect(html.match(/class="mg-practice-item"/g)).toHaveLength(2);
    expect(html).toContain('data-lesson="03-manual-backprop"');
    expect(html).not.toMatch(/<script/);
    expect(html).toMatch(/data-nodes="\[\{&quot;label&quot;/);
    expect(html).toContain("mg-practice-nojs");
  });
});
