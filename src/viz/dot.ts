/**
 * Turning an expression graph into DOT, the text Graphviz lays out.
 *
 * Shared by `drawGraph` (one picture) and `drawBackwardSteps` (one layout, many
 * frames): both need the same nodes, the same ids and the same look.
 */
export type Rankdir = "LR" | "TB";

/**
 * What a drawing needs from a node. The library's `Value` has it, and so does the `Value`
 * class a learner writes in lessons 02–06: a number, how it was made, and its inputs.
 */
export interface GraphNode {
  data: number;
  grad?: number;
  label?: string;
  op?: string;
  readonly inputs: readonly GraphNode[];
}

/** The graph of `root` in a fixed order: values leaves first, with each one's index. */
export interface Expression<N extends GraphNode = GraphNode> {
  order: N[];
  index: Map<N, number>;
}

/**
 * Every node `root` depends on, inputs before results, following `inputs` only (so it
 * works for any class with that shape). For the library's `Value` this is exactly
 * `topologicalOrder`: first input, then second, then the node itself.
 */
function walk<N extends GraphNode>(root: N): N[] {
  const order: N[] = [];
  const seen = new Set<GraphNode>([root]);
  const stack: { node: N; next: number }[] = [{ node: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const inputs = top.node.inputs;
    if (!Array.isArray(inputs)) {
      throw new TypeError(`cannot draw this graph: a node has no inputs array (got ${String(inputs)})`);
    }
    if (top.next < inputs.length) {
      const child = inputs[top.next++] as N;
      if (!seen.has(child)) {
        seen.add(child);
        stack.push({ node: child, next: 0 });
      }
    } else {
      order.push(top.node);
      stack.pop();
    }
  }
  return order;
}

export function expressionOf<N extends GraphNode>(root: N, maxNodes: number, caller: string): Expression<N> {
  const order = walk(root);
  if (order.length > maxNodes) {
    throw new Error(
      `${caller}: this expression has ${order.length} values, more than maxNodes (${maxNodes}). ` +
        `A picture that big takes Graphviz a long time and cannot be read anyway: ` +
        `draw a smaller expression (one neuron instead of the whole network), ` +
        `or pass { maxNodes: ${order.length} } if you really want it.`,
    );
  }
  return { order, index: new Map(order.map((v, i) => [v, i])) };
}

/** `%.4f` as in the lecture's drawings. */
export function fixed4(x: number): string {
  return x.toFixed(4);
}

/** Characters that mean something inside a record label get a backslash. */
export function escapeRecord(text: string): string {
  return text.replace(/[\\{}|<>]/g, (c) => `\\${c}`).replace(/\n/g, "\\n");
}

/**
 * Quote for a DOT string. Only `"` needs escaping there; backslashes pass through to
 * the label parser, which is what `escapeRecord` prepared them for.
 */
export function escapeString(text: string): string {
  return text.replace(/"/g, '\\"');
}

/** DOT attribute list from an object, skipping undefined entries; keys in insertion order. */
export function attrs(a: Attrs): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    parts.push(typeof v === "number" ? `${k}=${v}` : `${k}="${escapeString(v)}"`);
  }
  return `[${parts.join(" ")}]`;
}

/** The record label: `label | data … | grad …` (fields across the node in both directions). */
export function recordLabel(rankdir: Rankdir, fields: string[]): string {
  const body = fields.map(escapeRecord).join(" | ");
  // In LR layouts a record's top-level fields stack vertically; braces turn them back into a row.
  return rankdir === "LR" ? `{ ${body} }` : body;
}

export const colors = {
  ink: "#333333",
  node: "#F7F7F7",
  /** Okabe–Ito orange, lightened: the node you asked to see, or the stepper's current node. */
  highlight: "#FFD28A",
  highlightEdge: "#D55E00",
  /** Okabe–Ito sky blue, lightened: the nodes whose grad the current step just changed. */
  updated: "#BFE3F7",
};

export function graphHeader(rankdir: Rankdir): string[] {
  return [
    "digraph expression {",
    `  graph ${attrs({ rankdir, bgcolor: "white", nodesep: 0.2, ranksep: 0.3, pad: 0.05 })};`,
    `  node ${attrs({ fontname: "Helvetica", fontsize: 11, color: colors.ink, fontcolor: colors.ink, penwidth: 1, margin: "0.07,0.04", height: 0.3 })};`,
    `  edge ${attrs({ color: "#666666", arrowsize: 0.7 })};`,
  ];
}

/** Ids in the DOT source: `v3` is the value, `v3op` the operation that produced it. */
export const valueId = (i: number): string => `v${i}`;
export const opId = (i: number): string => `v${i}op`;

export type Attrs = Record<string, string | number | undefined>;

/** Per-node and per-edge attributes on top of the common look. */
export interface Styler<N extends GraphNode = GraphNode> {
  value(v: N, i: number): Attrs;
  op?(v: N, i: number): Attrs;
  /** `to` is the index of the value the edge leads to (through its op node). */
  edge?(from: string, to: string, i: number): Attrs;
}

/** DOT for an expression: values in topological order, then each op node with its edges. */
export function dotOf<N extends GraphNode>(expr: Expression<N>, rankdir: Rankdir, style: Styler<N>): string {
  const lines = graphHeader(rankdir);
  lines.push(`  node ${attrs({ shape: "record", style: "filled" })};`);
  for (const [i, v] of expr.order.entries()) {
    lines.push(`  ${valueId(i)} ${attrs(style.value(v, i))};`);
  }
  const opLook = { shape: "circle", style: "filled", fillcolor: "white", fontsize: 12, margin: 0.02, width: 0.36 };
  for (const [i, v] of expr.order.entries()) {
    if (!v.op) continue;
    lines.push(`  ${opId(i)} ${attrs({ ...opLook, label: v.op, ...style.op?.(v, i) })};`);
    const edge = (from: string, to: string): string =>
      `  ${from} -> ${to} ${attrs(style.edge?.(from, to, i) ?? {})};`;
    for (const input of v.inputs) lines.push(edge(valueId(expr.index.get(input as N)!), opId(i)));
    lines.push(edge(opId(i), valueId(i)));
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}
