/**
 * `plotFunction`: a function of one variable, and optionally its tangent at a point
 * (lesson 1: f(x) = 3x² − 4x + 5 and its slope 14 at x = 3).
 */
import * as Plot from "@observablehq/plot";
import { palette, renderPlot, requireFinite, type ChartOptions, type LegendItem } from "./plot-render.js";

export interface PlotFunctionOptions extends ChartOptions {
  /** Sample x from domain[0] up to (not including) domain[1], like `np.arange` (default [−5, 5]). */
  domain?: [number, number];
  /** Distance between samples (default 0.25, as in the lecture). */
  step?: number;
  /** Draw the tangent line at this x. */
  tangentAt?: number;
  /** The exact derivative; without it the slope is a symmetric difference with step `h`. */
  derivative?: (x: number) => number;
  /** Step of the symmetric difference (default 1e-5). */
  h?: number;
  /** Axis labels (default "x" and "f(x)"). */
  xLabel?: string;
  yLabel?: string;
}

export interface Tangent {
  x: number;
  y: number;
  slope: number;
}

/** The x's `plotFunction` samples: lo, lo + step, … below hi (computed by index, so no drift). */
export function sampleXs(domain: [number, number], step: number): number[] {
  const [lo, hi] = domain;
  requireFinite(lo, "plotFunction: domain[0]");
  requireFinite(hi, "plotFunction: domain[1]");
  if (!(hi > lo)) throw new RangeError(`plotFunction: the domain [${lo}, ${hi}] is empty; give [low, high] with low < high`);
  if (!(step > 0)) throw new RangeError(`plotFunction: step must be a positive number, got ${step}`);
  const n = Math.ceil((hi - lo) / step - 1e-9);
  if (n > 100_000) throw new RangeError(`plotFunction: ${n} samples is too many; use a larger step`);
  return Array.from({ length: n }, (_, i) => lo + i * step);
}

/** f(x) with a message that says which x, if f does not give back a number. */
function evaluate(f: (x: number) => number, x: number): number {
  const y: unknown = f(x);
  if (typeof y !== "number") {
    const hint = y !== null && typeof y === "object" && "data" in y ? " (a Value? return its .data)" : "";
    throw new TypeError(`plotFunction: f(${x}) returned ${typeof y === "object" ? "an object" : typeof y}${hint}, expected a number`);
  }
  return y;
}

/** The tangent of f at x: the exact derivative if given, else the symmetric difference. */
export function tangentOf(f: (x: number) => number, x: number, options: { derivative?: (x: number) => number; h?: number } = {}): Tangent {
  const { derivative, h = 1e-5 } = options;
  const slope = derivative ? derivative(x) : (evaluate(f, x + h) - evaluate(f, x - h)) / (2 * h);
  return { x, y: evaluate(f, x), slope };
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(4)));
}

export function plotFunction(f: (x: number) => number, options: PlotFunctionOptions = {}): string {
  const { domain = [-5, 5], step = 0.25, tangentAt, derivative, h, width = 640, height = 400, title } = options;
  const { xLabel = "x", yLabel = "f(x)" } = options;
  // Points where f is not finite are left out: the curve breaks there instead of the chart failing.
  const curve = sampleXs(domain, step).map((x) => ({ x, y: evaluate(f, x) }));
  const marks: Plot.Markish[] = [
    Plot.ruleY([0], { stroke: "#ccc" }),
    Plot.line(curve, { x: "x", y: "y", stroke: palette[0], strokeWidth: 2, className: "mg-curve" }),
  ];
  const legend: LegendItem[] = [{ label: yLabel, color: palette[0], shape: "line" }];
  if (tangentAt !== undefined) {
    requireFinite(tangentAt, "plotFunction: tangentAt");
    const t = tangentOf(f, tangentAt, { derivative, h });
    // A segment a fifth of the domain wide: long enough to read the slope, short enough
    // not to stretch the y axis far beyond the curve.
    const half = (domain[1] - domain[0]) / 10;
    const segment = [t.x - half, t.x + half].map((x) => ({ x, y: t.y + t.slope * (x - t.x) }));
    const label = `tangent at x = ${formatNumber(t.x)}, slope ${formatNumber(t.slope)}`;
    marks.push(
      Plot.line(segment, { x: "x", y: "y", stroke: palette[3], strokeWidth: 2, strokeDasharray: "6 3", className: "mg-tangent" }),
      Plot.dot([t], { x: "x", y: "y", r: 4.5, fill: palette[3], stroke: "white", className: "mg-point" }),
    );
    legend.push({ label, color: palette[3], shape: "line" });
  }
  return renderPlot(
    {
      width,
      height,
      grid: true,
      x: { label: xLabel, labelAnchor: "center", labelArrow: "none" },
      y: { labelAnchor: "center", label: yLabel, labelArrow: "none" },
      marks,
    },
    { legend: legend.length > 1 ? legend : [], title },
  );
}
