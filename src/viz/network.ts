/**
 * Diagrams of a neuron and of a multi-layer perceptron, the way lectures draw them: circles for
 * values, an arrow for every weight. Pure data in, Graphviz SVG out (see graphviz.ts).
 */
import { renderDot } from "./graphviz.js";

function checkSize(n: unknown, what: string): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 64) {
    throw new TypeError(`${what} must be a whole number from 1 to 64, got ${String(n)}`);
  }
  return n;
}

/** DOT for one neuron with `nin` inputs: xᵢ —wᵢ→ Σ (+ b) → activation → out. */
export function neuronDot(nin: number, activation = "tanh"): string {
  checkSize(nin, "neuronDot: the number of inputs");
  const act = activation.replace(/[^A-Za-z0-9 ]/g, "");
  const lines = [
    "digraph neuron {",
    '  rankdir=LR; bgcolor="transparent"; node [fontname="sans-serif", fontsize=12]; edge [fontname="sans-serif", fontsize=11];',
    ...Array.from({ length: nin }, (_, i) => `  x${i} [label="x${i + 1}", shape=circle]; x${i} -> sum [label="w${i + 1}"];`),
    '  b [label="b", shape=plaintext]; b -> sum;',
    '  sum [label="Σ wᵢxᵢ + b", shape=box, style=rounded];',
    `  act [label="${act}", shape=box, style=rounded]; sum -> act;`,
    '  out [label="out", shape=circle]; act -> out;',
    "}",
  ];
  return lines.join("\n");
}

/** DOT for an MLP with `nin` inputs and layers of `nouts` neurons, every neuron joined to every input of its layer. */
export function networkDot(nin: number, nouts: readonly number[]): string {
  checkSize(nin, "networkDot: the number of inputs");
  if (!Array.isArray(nouts) || nouts.length === 0) throw new TypeError("networkDot: nouts must list at least one layer size");
  const sizes = [nin, ...nouts.map((n, i) => checkSize(n, `networkDot: layer ${i + 1}'s size`))];
  const id = (layer: number, k: number) => `n${layer}_${k}`;
  const lines = ["digraph mlp {", '  rankdir=LR; bgcolor="transparent"; splines=line; nodesep=0.15; node [shape=circle, label="", width=0.3, fontname="sans-serif", fontsize=11]; edge [arrowsize=0.4, color="#888888"];'];
  sizes.forEach((size, layer) => {
    const name = layer === 0 ? "inputs" : layer === sizes.length - 1 ? "output" : `hidden ${layer}`;
    lines.push(`  subgraph cluster_${layer} { color="transparent"; label="${name}"; fontname="sans-serif"; fontsize=11;`);
    for (let k = 0; k < size; k++) lines.push(`    ${id(layer, k)}${layer === 0 ? ` [label="x${k + 1}", style=filled, fillcolor="#eeeeee"]` : ""};`);
    lines.push("  }");
  });
  for (let layer = 1; layer < sizes.length; layer++) {
    for (let j = 0; j < sizes[layer]; j++) for (let i = 0; i < sizes[layer - 1]; i++) lines.push(`  ${id(layer - 1, i)} -> ${id(layer, j)};`);
  }
  lines.push("}");
  return lines.join("\n");
}

/** A neuron diagram as SVG. */
export async function drawNeuron(nin: number, activation = "tanh"): Promise<string> {
  return renderDot(neuronDot(nin, activation));
}

/** An MLP diagram as SVG: `drawNetwork(3, [4, 4, 1])` is the lecture's network. */
export async function drawNetwork(nin: number, nouts: readonly number[]): Promise<string> {
  return renderDot(networkDot(nin, nouts));
}
