/**
 * `practiceBackward`: backpropagation on the drawing. An expression graph drawn as the lessons draw
 * it, with every grad left for the learner to type; each box is judged on its own, against the rule
 * of the node(s) that use it, and the backward stepper replays the answer once every box is right.
 *
 * One widget, two hosts. The markup (this module, in the kernel or at render time) carries the
 * drawings, the answers and each node's rule; the behaviour is one plain browser script,
 * `src/site/practice.ts`. The course site loads that script itself (its pages run no inline
 * script); in Jupyter the cell also displays it as `application/javascript`, which Jupyter runs and
 * the site's template drops.
 */
// Only readFileSync, and only when a kernel shows the script: the live page bundles this module
// too (its node:fs is a stand-in that throws), and has no node:path at all.
import { readFileSync } from "node:fs";
import type { Value } from "../engine.js";
import { escapeHtml } from "../format.js";
import { showWidget } from "../notebook/display.js";
import { colors, dotOf, expressionOf, fixed4, recordLabel } from "../viz/dot.js";
import { renderDot } from "../viz/graphviz.js";
import { drawBackwardSteps } from "../viz/steps.js";
import { gradientsOf, opsFor, practiceExpression, type PracticeOp } from "./expression.js";

export interface PracticeBackwardOptions {
  /** The lesson (notebook name without .ipynb): chooses the operations and keys the solved count. */
  lesson?: string;
  /** The first expression's seed (default: a random one); "New expression" goes on with seed + 1, … */
  seed?: number;
  /** Operations per expression (default 4). */
  size?: number;
  /** How many expressions "New expression" goes through before it starts over (default 5). */
  count?: number;
  /** Operations to draw from (default: the lesson's). */
  ops?: readonly PracticeOp[];
}

/** What the page script needs to judge one box. */
export interface PracticeNode {
  /** The node's name, e.g. "d". */
  label: string;
  /** How it is made, e.g. "d = a * b" (a leaf: "a, an input"). */
  formula: string;
  /** The correct gradient of the output with respect to this node. */
  grad: number;
  /** Who passes gradient back to this node: [consumer index, local derivative] per use. */
  uses: [number, number][];
  /** The local rule(s) that give this node its grad, in words, with the names of this graph. */
  rule: string;
}

export interface PracticeItem {
  seed: number;
  nodes: PracticeNode[];
  /** The drawing with blank grads: standalone SVG. */
  svg: string;
  /** drawBackwardSteps of the same expression: shown once the answer is complete. */
  stepper: string;
}

const NAMES: Record<string, string> = { "+": "+", "-": "−", "*": "*", "/": "/", neg: "neg", exp: "exp", tanh: "tanh", ReLU: "ReLU" };

function formulaOf(v: Value): string {
  const [x, y] = v.inputs;
  if (!x) return `${v.label}, an input`;
  if (y) return `${v.label} = ${x.label} ${NAMES[v.op] ?? v.op} ${y.label}`;
  if (v.op.startsWith("**")) return `${v.label} = ${x.label}${v.op}`;
  return `${v.label} = ${v.op}(${x.label})`;
}

/** The local rule by which `out` passes gradient to its input number `j`. */
function ruleOf(out: Value, j: number): string {
  const [x, y] = out.inputs;
  const me = out.inputs[j]!.label;
  const o = out.label;
  const other = j === 0 ? y : x;
  switch (out.op) {
    case "+":
      return `a + node passes its grad unchanged to each input: from ${o} = ${x!.label} + ${y!.label}, ${me} gets ${o}.grad`;
    case "-":
      return j === 0
        ? `x − y passes its grad to x unchanged: from ${o}, ${me} gets ${o}.grad`
        : `x − y passes minus its grad to y: from ${o}, ${me} gets −${o}.grad`;
    case "*":
      return x === y
        ? `${o} = ${me} * ${me} uses ${me} on both sides: each side passes the other side's data times ${o}.grad, so ${me} gets 2 × ${me}.data × ${o}.grad`
        : `a * node passes each input the other input's data times its own grad: from ${o}, ${me} gets ${other!.label}.data × ${o}.grad`;
    case "/":
      return j === 0
        ? `x / y passes 1/y times its grad to x: from ${o}, ${me} gets (1 / ${y!.label}.data) × ${o}.grad`
        : `x / y passes −x/y² times its grad to y: from ${o}, ${me} gets (−${x!.label}.data / ${me}.data²) × ${o}.grad`;
    case "tanh":
      return `tanh passes (1 − o²) times its grad, where o is tanh's output (its data), not its input: ${me} gets (1 − ${o}.data²) × ${o}.grad`;
    case "exp":
      return `exp passes its own output times its grad (the derivative of eˣ is eˣ): ${me} gets ${o}.data × ${o}.grad`;
    case "ReLU":
      return `ReLU passes its grad where its output is above 0, and nothing where it is 0: ${me} gets ${o}.grad if ${o}.data > 0, else 0`;
    case "neg":
      return `neg passes minus its grad: ${me} gets −${o}.grad`;
    default:
      if (out.op.startsWith("**")) {
        const k = Number(out.op.slice(2));
        return `x**${k} passes ${k}·x${k - 1 === 1 ? "" : `^${k - 1}`} times its grad: ${me} gets ${k} × ${me}.data${k - 1 === 1 ? "" : `^${k - 1}`} × ${o}.grad`;
      }
      return `${out.op} passes its local derivative times its grad to ${me}`;
  }
}

/** The nodes of `root`'s graph, leaves first (the drawing's order), with answers and rules. */
export function practiceNodes(root: Value): PracticeNode[] {
  const { order, grads } = gradientsOf(root);
  return order.map((v, i) => {
    const uses: [number, number][] = [];
    const rules: string[] = [];
    order.forEach((c, k) =>
      c.inputs.forEach((x, j) => {
        if (x !== v) return;
        uses.push([k, c.localGrads[j]!]);
        if (!(c.op === "*" && c.inputs[0] === c.inputs[1] && j === 1)) rules.push(ruleOf(c, j));
      }),
    );
    let rule: string;
    if (i === order.length - 1) rule = `${v.label} is the output: its grad is d${v.label}/d${v.label} = 1`;
    else if (uses.length > 1 && !(uses.length === 2 && uses[0]![0] === uses[1]![0]))
      rule = `${v.label} is used ${uses.length} times, so its grad is the sum of what each use passes back (+=, not =): ${rules.join("; ")}`;
    else rule = rules.join("; ");
    return { label: v.label, formula: formulaOf(v), grad: grads[i]!, uses, rule };
  });
}

/** The blank the drawing shows where a grad goes (the page script puts a text box over it). */
const BLANK = "grad ________";

async function blankDrawing(root: Value): Promise<string> {
  const expr = expressionOf(root, 40, "practiceBackward");
  const dot = dotOf(expr, "LR", {
    value: (v, i) => ({
      label: recordLabel("LR", [v.label, `data ${fixed4(v.data)}`, BLANK]),
      fillcolor: colors.node,
      class: `v${i}`,
    }),
  });
  return renderDot(dot);
}

export async function practiceItem(seed: number, options: PracticeBackwardOptions = {}): Promise<PracticeItem> {
  const root = practiceExpression(seed, { ops: options.ops ?? opsFor(options.lesson), size: options.size });
  return { seed, nodes: practiceNodes(root), svg: await blankDrawing(root), stepper: await drawBackwardSteps(root) };
}

/** One expression of the widget: its drawing, the answers the page script judges by, and the replay. */
export function practiceItemHtml(item: PracticeItem, hidden: boolean): string {
  return (
    `<div class="mg-practice-item" data-seed="${item.seed}" data-nodes="${escapeHtml(JSON.stringify(item.nodes))}"${hidden ? " hidden" : ""}>\n` +
    `<div class="mg-practice-stage">\n${item.svg}</div>\n` +
    `<ul class="mg-practice-feedback"></ul>\n` +
    `<div class="mg-practice-replay" hidden>\n<p><b>All right.</b> The backward pass, step by step, as <code>backward()</code> does it:</p>\n${item.stepper}</div>\n` +
    `</div>`
  );
}

/**
 * The markup of expression `seed` for a widget drawn with `options`: what the course site's page
 * draws in the browser once "New expression" has gone past the expressions the page came with.
 */
export async function practiceItemMarkup(seed: number, options: PracticeBackwardOptions = {}): Promise<string> {
  return practiceItemHtml(await practiceItem(seed, options), true);
}

let widgetCount = 0;

/** The widget's markup: works (read-only) without the page script, interactive with it. */
export async function practiceBackwardHtml(options: PracticeBackwardOptions = {}): Promise<string> {
  const count = Math.min(20, Math.max(1, Math.round(options.count ?? 5)));
  const seed = options.seed ?? Math.floor(Math.random() * 1e6);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`practiceBackward: seed must be a whole number ≥ 0, got ${String(options.seed)}`);
  const lesson = options.lesson ?? "";
  if (!/^[\w.-]*$/.test(lesson)) throw new Error(`practiceBackward: lesson must be a notebook name like "03-manual-backprop", got ${JSON.stringify(lesson)}`);
  const items = await Promise.all(Array.from({ length: count }, (_, k) => practiceItem(seed + k, options)));
  const id = `mg-practice-${seed}-${++widgetCount}`;
  const body = items.map((item, k) => practiceItemHtml(item, k !== 0));
  // What the page needs to draw more of the same kind (practiceItemMarkup) once these run out.
  const kind = { size: options.size, ops: options.ops };
  return [
    `<div class="mg-practice" id="${id}" data-lesson="${escapeHtml(lesson)}" data-kind="${escapeHtml(JSON.stringify(kind))}" role="group" aria-label="Backprop on the drawing">`,
    `<p class="mg-practice-head"><b>Backprop on the drawing.</b> Type every value's grad (dL/d that value) into its box, then press Enter or Check. ` +
      `Each box is judged on its own. <span class="mg-practice-which">Expression 1 of ${count} (seed ${seed}).</span></p>`,
    `<p class="mg-practice-nojs">The boxes need the course's page script: open the lesson on the course site, or run this cell in Jupyter.</p>`,
    ...body,
    `<div class="mg-practice-status" role="status" aria-live="polite"></div>`,
    `</div>`,
    "",
  ].join("\n");
}

/** The page script that makes the widget work, read from the build (dist/site/practice.js). */
export function practiceScript(): string {
  // From dist/practice/ it is next door; from src/practice/ (tests run the sources) it is in dist/.
  const built = [`${__dirname}/../site/practice.js`, `${__dirname}/../../dist/site/practice.js`];
  for (const file of built) {
    try {
      return readFileSync(file, "utf8");
    } catch {
      // try the next place
    }
  }
  throw new Error(`practiceBackward: the page script is missing (${built[0]}); run npm run build`);
}

/**
 * Show the practice widget under the cell: `await practiceBackward({ lesson: "03-manual-backprop" })`.
 * Outside a kernel, returns the markup.
 */
export async function practiceBackward(options: PracticeBackwardOptions | string = {}): Promise<string | undefined> {
  const o = typeof options === "string" ? { lesson: options } : options;
  return showWidget(await practiceBackwardHtml(o), practiceScript);
}
