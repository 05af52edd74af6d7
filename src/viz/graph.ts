/**
 * `drawGraph`: the expression graph of a `Value`, like the lecture's `draw_dot`.
 *
 * One record per value (`label | data | grad`), one small node per operation, and
 * edges input → operation → result, laid out by real Graphviz.
 */
import { colors, dotOf, expressionOf, fixed4, recordLabel, type GraphNode, type Rankdir } from "./dot.js";
import { renderDot } from "./graphviz.js";

export interface DrawGraphOptions {
  /** Direction of the layout: left to right (the lecture's) or top to bottom. */
  rankdir?: Rankdir;
  /** Values to colour, e.g. the parameters of a neuron. */
  highlight?: GraphNode[];
  /** Show each value's grad (default true); turn off before `backward()` has run. */
  showGrad?: boolean;
  /** Refuse graphs with more values than this (default 500) instead of hanging the kernel. */
  maxNodes?: number;
}

/** The DOT source `drawGraph` lays out (exposed for tests and for people who want the text). */
export function graphDot(root: GraphNode, options: DrawGraphOptions = {}): string {
  const { rankdir = "LR", highlight = [], showGrad = true, maxNodes = 500 } = options;
  const expr = expressionOf(root, maxNodes, "drawGraph");
  const lit = new Set<GraphNode>(highlight);
  return dotOf(expr, rankdir, {
    value: (v) => {
      const fields = [`data ${fixed4(v.data)}`];
      if (showGrad) fields.push(`grad ${fixed4(v.grad ?? 0)}`);
      if (v.label) fields.unshift(v.label);
      return {
        label: recordLabel(rankdir, fields),
        fillcolor: lit.has(v) ? colors.highlight : colors.node,
        penwidth: lit.has(v) ? 1.5 : undefined,
      };
    },
  });
}

/**
 * The expression graph of `root` as standalone SVG markup (with `xmlns`).
 * Show it in a notebook with `show(await drawGraph(L))`. `root` can be the library's
 * `Value` or any object with `data`, `inputs` and optionally `grad`, `op`, `label`.
 */
export async function drawGraph(root: GraphNode, options: DrawGraphOptions = {}): Promise<string> {
  return renderDot(graphDot(root, options));
}
