/**
 * Observable Plot, rendered in Node into self-contained SVG strings.
 *
 * Plot builds DOM nodes, so it gets a small server-side document (linkedom). Its own
 * legends are HTML next to the SVG; ours are drawn inside the SVG, so every chart is
 * one `<svg>` element that can be saved, inlined or shown as image/svg+xml.
 */
import { createHash } from "node:crypto";
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/**
 * Okabe & Ito's palette, which readers with the common colour-vision deficiencies can
 * tell apart (blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow).
 */
export const palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"];

/** Light tints of blue and vermillion: backgrounds that stay lighter than the points on them. */
export const tints = { blue: "#D3E5F2", vermillion: "#F8DCCB" };

export interface LegendItem {
  label: string;
  color: string;
  /** How the swatch looks: a short line (a series), a dot (points) or a square (a region). */
  shape: "line" | "dot" | "square";
}

/** Sizes and labels every chart accepts. */
export interface ChartOptions {
  width?: number;
  height?: number;
  /** A title drawn above the chart. */
  title?: string;
}

let document: Document | undefined;

function serverDocument(): Document {
  document ??= parseHTML("<!doctype html><html><head></head><body></body></html>").document as unknown as Document;
  return document;
}

const fontSize = 12;
const legendRow = 20;

/**
 * Render a Plot specification to an SVG string, with a legend (when given) and a
 * title in the top margin. Marks, scales and sizes come from the caller.
 */
export function renderPlot(spec: Plot.PlotOptions, extras: { legend?: LegendItem[]; title?: string } = {}): string {
  const legend = extras.legend ?? [];
  const top = (extras.title ? legendRow : 0) + (legend.length > 0 ? legendRow : 0);
  const marginTop = (spec.marginTop ?? 20) + top;
  const el = Plot.plot({
    ...spec,
    marginTop,
    // Room for the x label below the tick labels, and the rotated y label left of them.
    marginBottom: spec.marginBottom ?? 42,
    marginLeft: spec.marginLeft ?? 60,
    document: serverDocument(),
    style: { fontSize: `${fontSize}px`, background: "white", ...(typeof spec.style === "object" ? spec.style : {}) },
  });
  if (el.tagName.toLowerCase() !== "svg") {
    throw new Error("renderPlot: expected Plot to return an <svg> (do not ask Plot for its own legend or caption)");
  }
  el.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  let y = 4;
  if (extras.title) {
    el.appendChild(titleText(extras.title, spec.marginLeft ?? 60, y + 12));
    y += legendRow;
  }
  if (legend.length > 0) el.appendChild(legendGroup(legend, spec.marginLeft ?? 60, y + 10));
  // Plot names its marks with aria-label (a <g>, or a lone shape such as the frame's <rect>); ARIA
  // allows a name only with a role (axe reports it as serious). Browsers expose a named <g> as a
  // group (SVG-AAM): say so; a named shape is a graphics symbol.
  for (const node of Array.from(el.querySelectorAll("[aria-label]"))) {
    if (!node.hasAttribute("role")) node.setAttribute("role", node.tagName.toLowerCase() === "g" ? "group" : "graphics-symbol");
  }
  return stableIds(el.outerHTML) + "\n";
}

/**
 * Plot numbers its clip paths with a process-wide counter (plot-clip-1, -2, …): the same
 * chart would come out different each time, and two kernels' charts on one JupyterLab
 * page could claim the same id. Name them after the chart's content instead.
 */
function stableIds(svg: string): string {
  const pattern = /plot-clip-(\d+)(?!\d)/g;
  if (!pattern.test(svg)) return svg;
  const hash = createHash("sha256").update(svg.replace(pattern, "")).digest("hex").slice(0, 8);
  const names = new Map<string, string>();
  return svg.replace(pattern, (id) => {
    if (!names.has(id)) names.set(id, `mg-clip-${hash}-${names.size + 1}`);
    return names.get(id)!;
  });
}

function svgEl(name: string, attributes: Record<string, string | number>): Element {
  const el = serverDocument().createElementNS("http://www.w3.org/2000/svg", name);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, String(v));
  return el;
}

function titleText(text: string, x: number, y: number): Element {
  const t = svgEl("text", { x, y, "text-anchor": "start", "font-size": fontSize + 2, "font-weight": "bold" });
  t.textContent = text;
  return t;
}

/** A row of swatches and labels; widths are estimated, as there is no font to measure here. */
function legendGroup(items: LegendItem[], x0: number, y: number): Element {
  const g = svgEl("g", { "aria-label": "legend", "text-anchor": "start", "font-size": fontSize });
  let x = x0;
  for (const item of items) {
    const entry = svgEl("g", { "aria-label": `legend: ${item.label}`, transform: `translate(${x},${y})` });
    entry.appendChild(swatch(item));
    const label = svgEl("text", { x: 20, y: 0, dy: "0.32em" });
    label.textContent = item.label;
    entry.appendChild(label);
    g.appendChild(entry);
    x += 20 + estimateWidth(item.label) + 18;
  }
  return g;
}

function swatch({ shape, color }: LegendItem): Element {
  switch (shape) {
    case "line":
      return svgEl("line", { x1: 0, x2: 14, y1: 0, y2: 0, stroke: color, "stroke-width": 2.5 });
    case "dot":
      return svgEl("circle", { cx: 7, cy: 0, r: 4.5, fill: color, stroke: "white", "stroke-width": 1 });
    case "square":
      return svgEl("rect", { x: 0, y: -6, width: 14, height: 12, fill: color, stroke: "#999", "stroke-width": 0.5 });
  }
}

/** Rough width of a label in the chart font: enough to space legend entries. */
export function estimateWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[ijlI.,:;'!|()[\]]/.test(ch) ? 0.3 : /[mwMW]/.test(ch) ? 0.85 : /[A-Z]/.test(ch) ? 0.68 : 0.56;
  return w * fontSize;
}

/** Throw a clear error if `x` is not a finite number; `where` says which input it was. */
export function requireFinite(x: unknown, where: string): number {
  if (typeof x !== "number" || !Number.isFinite(x)) {
    const what = typeof x === "object" && x !== null ? `an object (${x.constructor?.name ?? "unknown"})` : String(x);
    throw new TypeError(`${where}: expected a finite number, got ${what}`);
  }
  return x;
}
