import { describe, expect, it } from "vitest";
import { Value } from "../../src/engine.js";
import { drawGraph, graphDot } from "../../src/viz/graph.js";

/** The lecture's first expression: L = (a·b + c)·f. */
function lectureL() {
  const a = new Value(2, "a");
  const b = new Value(-3, "b");
  const c = new Value(10, "c");
  const e = a.mul(b).named("e");
  const d = e.add(c).named("d");
  const f = new Value(-2, "f");
  const L = d.mul(f).named("L");
  return { a, b, c, d, e, f, L };
}

const decode = (s: string) => s.replace(/&#45;/g, "-").replace(/&#160;/g, " ").replace(/&amp;/g, "&");

/** Each node group of Graphviz's SVG: its DOT id (the <title>), texts and box fill. */
function nodes(svg: string) {
  return [...svg.matchAll(/<g class="node">([\s\S]*?)<\/g>/g)].map(([, body]) => ({
    id: /<title>(.*?)<\/title>/.exec(body)![1],
    texts: [...body.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => decode(m[1])),
    fill: /<(?:polygon|ellipse) fill="([^"]*)"/.exec(body)![1],
  }));
}

describe("drawGraph", () => {
  it("draws one record per value, one node per operation, and edges input → op → result", async () => {
    const { L } = lectureL();
    const svg = await drawGraph(L);
    const all = nodes(svg);
    expect(all.filter((n) => /^v\d+$/.test(n.id))).toHaveLength(7);
    expect(all.filter((n) => /^v\d+op$/.test(n.id)).map((n) => n.texts)).toEqual([["*"], ["+"], ["*"]]);
    // 3 binary operations: 2 edges in and 1 edge out each.
    expect(svg.match(/<g class="edge">/g)).toHaveLength(9);
    const edges = [...svg.matchAll(/<g class="edge">\s*<title>(.*?)<\/title>/g)].map((m) => decode(m[1]).replace("&gt;", ">"));
    expect(edges.every((e) => /^v\d+->v\d+op$|^v\d+op->v\d+$/.test(e))).toBe(true);
  });

  it("shows the lecture's data and grads with 4 decimals after backward()", async () => {
    const { L } = lectureL();
    L.backward();
    const byLabel = Object.fromEntries(nodes(await drawGraph(L)).filter((n) => n.texts.length === 3).map((n) => [n.texts[0], n.texts.slice(1)]));
    expect(byLabel).toEqual({
      a: ["data 2.0000", "grad 6.0000"],
      b: ["data -3.0000", "grad -4.0000"],
      c: ["data 10.0000", "grad -2.0000"],
      e: ["data -6.0000", "grad -2.0000"],
      d: ["data 4.0000", "grad -2.0000"],
      f: ["data -2.0000", "grad 4.0000"],
      L: ["data -8.0000", "grad 1.0000"],
    });
  });

  it("is standalone SVG, inlinable in HTML, and the same for the same graph", async () => {
    const { L } = lectureL();
    const svg = await drawGraph(L);
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).not.toMatch(/<\?xml|<!DOCTYPE|<!--/);
    // No Graphviz ids (graph0, node1…) that would repeat when several drawings share a page.
    expect(svg).not.toMatch(/ id="/);
    expect(await drawGraph(L)).toBe(svg);
  });

  it("hides grads, highlights values and lays out top to bottom on request", async () => {
    const { a, b, L } = lectureL();
    const svg = await drawGraph(L, { showGrad: false, highlight: [a, b], rankdir: "TB" });
    const values = nodes(svg).filter((n) => /^v\d+$/.test(n.id));
    expect(values.every((n) => n.texts.length === 2 && n.texts[1].startsWith("data "))).toBe(true);
    const lit = values.filter((n) => n.fill === "#ffd28a").map((n) => n.texts[0]);
    expect(lit).toEqual(["a", "b"]);
    expect(graphDot(L, { rankdir: "TB" })).toContain('rankdir="TB"');
    // In TB a record's fields already run across; in LR they need braces to do so.
    expect(graphDot(L, { rankdir: "TB" })).toContain('label="a | data 2.0000 | grad 0.0000"');
    expect(graphDot(L)).toContain('label="{ a | data 2.0000 | grad 0.0000 }"');
  });

  it("draws labels with record syntax in them as they are, and unlabelled values without a label field", async () => {
    const x = new Value(1, 'x{1}|<y> "q" \\ end');
    const svg = await drawGraph(x.mul(2));
    const texts = nodes(svg).map((n) => n.texts.map((t) => t.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')));
    expect(texts).toContainEqual(['x{1}|<y> "q" \\ end', "data 1.0000", "grad 0.0000"]);
    expect(texts).toContainEqual(["data 2.0000", "grad 0.0000"]);
  });

  it("refuses a graph over maxNodes, saying how big it is and what to do", async () => {
    const { L } = lectureL();
    await expect(drawGraph(L, { maxNodes: 6 })).rejects.toThrow(/7 values, more than maxNodes \(6\).*smaller expression.*maxNodes: 7/);
    let chain = new Value(0, "x0");
    for (let i = 0; i < 250; i++) chain = chain.add(1);
    // 1 leaf + 250 sums + 250 constant leaves = 501 values: over the default of 500.
    await expect(drawGraph(chain)).rejects.toThrow(/501 values, more than maxNodes \(500\)/);
    expect(await drawGraph(chain, { maxNodes: 501 })).toContain("<svg");
  });
});

describe("drawing a learner's own Value class (lessons 02–06)", () => {
  // The shape a notebook class has: data, grad, label, op and inputs, nothing of the engine's.
  class NotebookValue {
    grad = 0;
    constructor(
      public data: number,
      public label = "",
      public inputs: NotebookValue[] = [],
      public op = "",
    ) {}
    mul(o: NotebookValue): NotebookValue {
      return new NotebookValue(this.data * o.data, "", [this, o], "*");
    }
    add(o: NotebookValue): NotebookValue {
      return new NotebookValue(this.data + o.data, "", [this, o], "+");
    }
  }

  it("draws the same graph as the library's Value for L = (a·b + c)·f", async () => {
    const a = new NotebookValue(2, "a");
    const b = new NotebookValue(-3, "b");
    const c = new NotebookValue(10, "c");
    const f = new NotebookValue(-2, "f");
    const e = a.mul(b);
    e.label = "e";
    const d = e.add(c);
    d.label = "d";
    const L = d.mul(f);
    L.label = "L";
    const mine = graphDot(L, { showGrad: false });
    const lib = (() => {
      const la = new Value(2, "a");
      const lb = new Value(-3, "b");
      const le = la.mul(lb).named("e");
      const ld = le.add(new Value(10, "c")).named("d");
      return ld.mul(new Value(-2, "f")).named("L");
    })();
    expect(mine).toBe(graphDot(lib, { showGrad: false }));
    const drawn = nodes(await drawGraph(L, { showGrad: false })).map((n) => n.texts);
    expect(drawn).toContainEqual(["L", "data -8.0000"]);
    expect(drawn).toContainEqual(["e", "data -6.0000"]);
  });

  it("says what is wrong when a node has no inputs array", () => {
    expect(() => graphDot({ data: 1, inputs: undefined as never })).toThrow(/no inputs array/);
  });
});
