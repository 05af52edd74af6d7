import { describe, expect, it } from "vitest";
import { Value, topologicalOrder } from "../../src/engine.js";
import { replayBackward } from "../../src/viz/backward-frames.js";
import { drawBackwardSteps } from "../../src/viz/steps.js";

/** The lecture's neuron: o = tanh(x1·w1 + x2·w2 + b), with b chosen so that n = 0.8814. */
function neuron() {
  const x1 = new Value(2, "x1");
  const x2 = new Value(0, "x2");
  const w1 = new Value(-3, "w1");
  const w2 = new Value(1, "w2");
  const b = new Value(6.8813735870195432, "b");
  const x1w1 = x1.mul(w1).named("x1*w1");
  const x2w2 = x2.mul(w2).named("x2*w2");
  const sum = x1w1.add(x2w2).named("x1*w1 + x2*w2");
  const n = sum.add(b).named("n");
  const o = n.tanh().named("o");
  return { x1, x2, w1, w2, b, x1w1, x2w2, sum, n, o };
}

const decode = (s: string) => s.replace(/&#45;/g, "-");

/** For each value node of the stepper's SVG: its label and the classes Graphviz kept. */
function valueNodes(html: string) {
  return [...html.matchAll(/<g class="node (v\d+[^"]*)">([\s\S]*?)<\/g>/g)].map(([, classes, body]) => ({
    classes: classes.split(" "),
    label: decode(/<text[^>]*>(.*?)<\/text>/.exec(body)![1]),
    gradTexts: [...body.matchAll(/<text class="([^"]*)"[^>]*>grad (.*?)<\/text>/g)].map((m) => ({
      frames: m[1].split(" ").filter((c) => /^s\d+$/.test(c)).map((c) => Number(c.slice(1))),
      text: decode(m[2]),
    })),
  }));
}

describe("replayBackward", () => {
  it("has one frame per value, in the order backward() visits them", () => {
    const { o } = neuron();
    const { order, frames } = replayBackward(o);
    expect(frames).toHaveLength(10);
    expect(frames.map((f) => order[f.node])).toEqual(topologicalOrder(o).reverse());
    expect(order[frames[0].node]).toBe(o);
  });

  it("ends with exactly the grads backward() computes, without touching the values' own grads", () => {
    const v = neuron();
    const { order, frames } = replayBackward(v.o);
    expect(order.every((x) => x.grad === 0)).toBe(true);
    v.o.backward();
    expect(frames.at(-1)!.grads).toEqual(order.map((x) => x.grad));
    // The lecture's numbers.
    expect(v.x1.grad).toBeCloseTo(-1.5, 4);
    expect(v.w1.grad).toBeCloseTo(1, 4);
    expect(v.x2.grad).toBeCloseTo(0.5, 4);
    expect(v.w2.grad).toBe(0);
    expect(v.n.grad).toBeCloseTo(0.5, 4);
  });

  it("fills grads in step by step: the output's step passes 1 - o² to n and nothing else yet", () => {
    const { o, n, x1 } = neuron();
    const { order, frames } = replayBackward(o);
    const at = (k: number, v: Value) => frames[k].grads[order.indexOf(v)];
    expect(at(0, o)).toBe(1);
    expect(at(0, n)).toBeCloseTo(1 - o.data ** 2, 12);
    expect(frames[0].updated).toEqual([order.indexOf(n)]);
    expect(frames[0].touched.filter(Boolean)).toHaveLength(2);
    expect(at(0, x1)).toBe(0);
  });
});

describe("drawBackwardSteps", () => {
  it("shows one frame per value, highlighting them in reverse topological order", async () => {
    const { o } = neuron();
    const html = await drawBackwardSteps(o);
    const id = /<div class="mg-steps" id="([^"]+)">/.exec(html)![1];
    expect(html.match(new RegExp(`<input type="radio" name="${id}"`, "g"))).toHaveLength(10);
    // Frame k highlights the value whose node carries class ck.
    const nodesByFrame = valueNodes(html).map((n) => ({ label: n.label, frame: Number(n.classes.find((c) => /^c\d+$/.test(c))!.slice(1)) }));
    const highlighted = nodesByFrame.sort((a, b) => a.frame - b.frame).map((n) => n.label);
    expect(highlighted).toEqual(topologicalOrder(o).reverse().map((v) => v.label));
    expect(highlighted.slice(0, 3)).toEqual(["o", "n", "b"]);
    // The step buttons follow the same order.
    const buttons = [...html.matchAll(/<label for="[^"]+-f\d+" title="step \d+">(.*?)<\/label>/g)].map((m) => m[1]);
    expect(buttons).toEqual(highlighted);
    // Exactly one value is current in each frame, and each frame has a caption.
    for (let k = 0; k < 10; k++) expect(html).toContain(`<div class="s${k}"><b>Step ${k + 1} of 10.</b>`);
  });

  it("shows in its last frame the grads backward() computes, and 0 for values not reached in the first", async () => {
    const { o } = neuron();
    const html = await drawBackwardSteps(o);
    o.backward();
    const byLabel = new Map(topologicalOrder(o).map((v) => [v.label, v.grad]));
    for (const node of valueNodes(html)) {
      const last = node.gradTexts.filter((t) => t.frames.includes(9));
      expect(last, node.label).toHaveLength(1);
      expect(last[0].text).toBe(byLabel.get(node.label)!.toFixed(4));
      const first = node.gradTexts.find((t) => t.frames.includes(0))!;
      const expected = node.label === "o" ? "1.0000" : node.label === "n" ? "0.5000" : "0.0000";
      expect(first.text, node.label).toBe(expected);
    }
  });

  it("leaves the user's grads as they were", async () => {
    const { o, x1, w1 } = neuron();
    await drawBackwardSteps(o);
    expect([o.grad, x1.grad, w1.grad]).toEqual([0, 0, 0]);
    o.backward();
    await drawBackwardSteps(o);
    expect(x1.grad).toBeCloseTo(-1.5, 12);
    expect(o.grad).toBe(1);
  });

  it("gives each stepper its own ids, deterministically, and needs no script", async () => {
    const { o } = neuron();
    const one = await drawBackwardSteps(o);
    const two = await drawBackwardSteps(o);
    const id1 = /id="(mg-steps-[0-9a-f]{8}-\d+)"/.exec(one)![1];
    const id2 = /id="(mg-steps-[0-9a-f]{8}-\d+)"/.exec(two)![1];
    expect(id1).not.toBe(id2);
    // Apart from the counter in the id, the markup is byte-identical.
    expect(two.replaceAll(id2, "ID")).toBe(one.replaceAll(id1, "ID"));
    expect(one).not.toMatch(/<script/i);
    expect(one).toContain('xmlns="http://www.w3.org/2000/svg"');
  });

  it("refuses graphs over maxNodes (default 100)", async () => {
    const { o } = neuron();
    await expect(drawBackwardSteps(o, { maxNodes: 9 })).rejects.toThrow(/drawBackwardSteps: this expression has 10 values, more than maxNodes \(9\)/);
    let chain = new Value(0);
    for (let i = 0; i < 50; i++) chain = chain.mul(1.01);
    await expect(drawBackwardSteps(chain)).rejects.toThrow(/101 values/);
  });
});
