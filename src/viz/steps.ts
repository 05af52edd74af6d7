/**
 * `drawBackwardSteps`: the backward pass as a stepper, one frame per `backwardStep`.
 *
 * The graph is laid out once; each frame only changes colours and the grad texts, so
 * nothing jumps around while you step. The stepper is HTML + CSS: hidden radio buttons
 * hold the current frame and CSS shows what belongs to it. It works in Jupyter and in
 * a static HTML page without any script, and the arrow keys step once a button has focus.
 */
import { createHash } from "node:crypto";
import type { Value } from "../engine.js";
import { escapeHtml } from "../format.js";
import { replayBackward, type BackwardReplay } from "./backward-frames.js";
import { colors, dotOf, expressionOf, fixed4, recordLabel, type Rankdir } from "./dot.js";
import { renderDot } from "./graphviz.js";

export interface BackwardStepsOptions {
  /** Direction of the layout (default "LR", as in `drawGraph`). */
  rankdir?: Rankdir;
  /**
   * Refuse graphs with more values than this (default 100): every frame repeats the
   * grads of every value, so the markup grows with the square of the graph's size.
   */
  maxNodes?: number;
}

/** Per-process counter so that two steppers of the same graph on one page get different ids. */
let stepperCount = 0;

/**
 * HTML markup that steps through `root.backward()`: values in reverse topological order,
 * the current one in orange, the inputs it just passed gradient to in blue, grads filling in.
 * Computes on a private copy of the grads: the values' own `grad` fields are not touched.
 */
export async function drawBackwardSteps(root: Value, options: BackwardStepsOptions = {}): Promise<string> {
  const { rankdir = "LR", maxNodes = 100 } = options;
  const expr = expressionOf(root, maxNodes, "drawBackwardSteps");
  const replay = replayBackward(root);
  const texts = gradTexts(replay);
  const last = replay.order.length - 1;
  const frameOf = (i: number): number => last - i; // value i is visited in this frame

  const dot = dotOf(expr, rankdir, {
    value: (v, i) => {
      const fields = [`data ${fixed4(v.data)}`, `grad ${longest(texts[i].map((t) => t.text))}`];
      if (v.label !== "") fields.unshift(v.label);
      const updatedIn = replay.frames.flatMap((f, k) => (f.updated.includes(i) ? [`u${k}`] : []));
      return {
        label: recordLabel(rankdir, fields),
        fillcolor: colors.node,
        class: [`v${i}`, `c${frameOf(i)}`, ...updatedIn].join(" "),
      };
    },
    op: (_v, i) => ({ class: `c${frameOf(i)}` }),
    edge: (_from, _to, i) => ({ class: `e${frameOf(i)}` }),
  });
  const svg = withGradTexts(await renderDot(dot), texts);
  const id = `mg-steps-${createHash("sha256").update(dot).digest("hex").slice(0, 8)}-${++stepperCount}`;
  return stepperHtml(id, svg, replay);
}

/** A grad text and the frames it is shown in. */
interface GradText {
  text: string;
  touched: boolean;
  frames: number[];
}

/** For each value, the runs of frames during which its displayed grad stays the same. */
function gradTexts(replay: BackwardReplay): GradText[][] {
  return replay.order.map((_, i) => {
    const runs: GradText[] = [];
    replay.frames.forEach((f, k) => {
      const text = fixed4(f.grads[i]);
      const prev = runs.at(-1);
      if (prev && prev.text === text && prev.touched === f.touched[i]) prev.frames.push(k);
      else runs.push({ text, touched: f.touched[i], frames: [k] });
    });
    return runs;
  });
}

function longest(xs: string[]): string {
  return xs.reduce((a, b) => (b.length > a.length ? b : a));
}

/** Replace each value's single grad text (laid out with the widest value) by one text per run. */
function withGradTexts(svg: string, texts: GradText[][]): string {
  return svg.replace(/<g class="node v(\d+)[^"]*">[\s\S]*?<\/g>/g, (group, index: string) => {
    const runs = texts[Number(index)];
    const at = group.lastIndexOf("<text ");
    const end = group.indexOf("</text>", at) + "</text>".length;
    const attrs = /^<text([^>]*)>/.exec(group.slice(at))![1];
    const variants = runs.map((run) => {
      const cls = ["g", ...run.frames.map((k) => `s${k}`)].join(" ");
      // Not reached yet: grey, so the learner sees which grads are still waiting.
      const a = run.touched ? attrs : attrs.replace(/ fill="[^"]*"/, ' fill="#9a9a9a"');
      return `<text class="${cls}"${a}>grad ${run.text}</text>`;
    });
    return group.slice(0, at) + variants.join("\n") + group.slice(end);
  });
}

function nameOf(replay: BackwardReplay, i: number): string {
  const v = replay.order[i];
  return v.label !== "" ? v.label : `value #${i}`;
}

/** What the caption says about frame k. */
function caption(replay: BackwardReplay, k: number): string {
  const { order, frames } = replay;
  const index = new Map(order.map((v, i) => [v, i]));
  const frame = frames[k];
  const v = order[frame.node];
  const name = (i: number): string => `<code>${escapeHtml(nameOf(replay, i))}</code>`;
  const me = name(frame.node);
  const g = fixed4(frame.grads[frame.node]);
  const head = `<b>Step ${k + 1} of ${frames.length}.</b> `;
  const seed = k === 0 ? `Start at the output: ${me}.grad = 1, because ∂${escapeHtml(nameOf(replay, frame.node))}/∂${escapeHtml(nameOf(replay, frame.node))} = 1. ` : "";
  if (v.op === "") {
    return head + seed + `${me} is a leaf: nothing to pass on. Its grad, ${g}, is final.`;
  }
  const ins = v.inputs.map((x) => name(index.get(x)!));
  const formula =
    ins.length === 2 ? `${ins[0]} ${escapeHtml(v.op)} ${ins[1]}`
    : v.op.startsWith("**") ? `${ins[0]}${escapeHtml(v.op)}`
    : `${escapeHtml(v.op)}(${ins.join(", ")})`;
  const before = k === 0 ? undefined : frames[k - 1].grads;
  const items = v.inputs.map((x, j) => {
    const i = index.get(x)!;
    const from = before ? before[i] : 0;
    return (
      `<li>${ins[j]}.grad += ${fixed4(v.localGrads[j])} × ${g}` +
      ` <span class="mg-dim">(local derivative × ${me}.grad)</span>: ${fixed4(from)} → ${fixed4(frame.grads[i])}</li>`
    );
  });
  return (
    head + seed +
    `${me} = ${formula}, and its grad ${g} is complete. The chain rule passes it to the inputs:` +
    `<ul>${items.join("")}</ul>`
  );
}

function stepperHtml(id: string, svg: string, replay: BackwardReplay): string {
  const n = replay.frames.length;
  const ks = [...Array(n).keys()];
  const f = (k: number): string => `${id}-f${k}`;
  const radios = ks.map(
    (k) => `<input type="radio" name="${id}" id="${f(k)}"${k === 0 ? " checked" : ""} aria-label="step ${k + 1}">`,
  );
  const nav = ks.map((k) => {
    const prev = k > 0 ? `<label class="s${k}" for="${f(k - 1)}">◀ back</label>` : `<span class="s${k} off">◀ back</span>`;
    const next = k < n - 1 ? `<label class="s${k}" for="${f(k + 1)}">next ▶</label>` : `<span class="s${k} off">next ▶</span>`;
    return prev + next;
  });
  const buttons = ks.map(
    (k) => `<label for="${f(k)}" title="step ${k + 1}">${escapeHtml(nameOf(replay, replay.frames[k].node))}</label>`,
  );
  const captions = ks.map((k) => `<div class="s${k}">${caption(replay, k)}</div>`);
  return [
    `<div class="mg-steps" id="${id}">`,
    `<style>${css(id, n)}</style>`,
    ...radios,
    `<div class="mg-bar"><span class="mg-nav">${nav.join("")}</span><span class="mg-buttons">${buttons.join("")}</span></div>`,
    `<div class="mg-caption">${captions.join("\n")}</div>`,
    `<div class="mg-stage">\n${svg}</div>`,
    `</div>`,
    "",
  ].join("\n");
}

function css(id: string, n: number): string {
  const P = `#${id}`;
  const rules = [
    `${P}{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222;margin:4px 0}`,
    `${P}>input{position:absolute;opacity:0;width:1px;height:1px;margin:0}`,
    `${P} .mg-bar{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center}`,
    `${P} .mg-buttons{display:flex;flex-wrap:wrap;gap:3px}`,
    `${P} .mg-bar label,${P} .mg-bar .off{display:inline-block;cursor:pointer;border:1px solid #bbb;border-radius:4px;padding:1px 8px;background:#fff;user-select:none;font-family:inherit}`,
    `${P} .mg-nav{display:flex;gap:4px}`,
    `${P} .mg-nav .off{cursor:default;color:#767676;border-color:#ddd}`,
    `${P} .mg-caption{margin:6px 0 2px;min-height:4.5em}`,
    `${P} .mg-caption ul{margin:2px 0;padding-left:1.4em}`,
    `${P} .mg-caption code{background:#f3f3f3;border-radius:3px;padding:0 3px}`,
    `${P} .mg-dim{color:#595959}`,
    `${P} .g,${P} .mg-caption>div,${P} .mg-bar .mg-nav>*{display:none}`,
  ];
  for (let k = 0; k < n; k++) {
    const on = `#${id}-f${k}:checked~div`;
    rules.push(
      `${on} .s${k}{display:inline}`,
      `${on} .mg-nav>.s${k}{display:inline-block}`,
      `${on}.mg-caption>.s${k}{display:block}`,
      `${on} .mg-buttons label[for="${id}-f${k}"]{background:${colors.highlight};border-color:${colors.highlightEdge}}`,
      `#${id}-f${k}:focus-visible~div label[for="${id}-f${k}"]{outline:2px solid #0072B2}`,
      `${on} .c${k}>polygon,${on} .c${k}>ellipse{fill:${colors.highlight};stroke:${colors.highlightEdge};stroke-width:1.5}`,
      `${on} .u${k}>polygon{fill:${colors.updated}}`,
      `${on} .e${k}>path{stroke:${colors.highlightEdge};stroke-width:2}`,
      `${on} .e${k}>polygon{fill:${colors.highlightEdge};stroke:${colors.highlightEdge}}`,
    );
  }
  return rules.join("\n");
}
