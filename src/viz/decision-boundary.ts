/**
 * `decisionBoundary`: where a classifier says one class or the other, with the data
 * on top, like the picture at the end of micrograd's demo.
 *
 * The score is sampled on a grid and Plot.contour fills the region where it is above
 * the threshold (Plot.raster would need a canvas, which Node does not have).
 */
import * as Plot from "@observablehq/plot";
import { palette, renderPlot, requireFinite, tints, type ChartOptions } from "./plot-render.js";

/** Anything with an `output(x)` giving a Value-like result, such as a one-output MLP. */
export interface Classifier {
  output(x: number[]): { data: number };
}

export type ScoreFunction = (x: number[]) => number;

export interface DecisionBoundaryOptions extends ChartOptions {
  /** Grid spacing in data units (default: a 50th of the wider side of the plotted area). */
  step?: number;
  /** Space around the data on each side, in data units (default 1, as in micrograd's demo). */
  padding?: number;
  /** The score at which the prediction changes class (default 0). */
  threshold?: number;
}

/** A score function from either a plain function or a model. */
export function scoreFunction(scoreFnOrModel: ScoreFunction | Classifier): ScoreFunction {
  if (typeof scoreFnOrModel === "function") return scoreFnOrModel;
  if (scoreFnOrModel !== null && typeof scoreFnOrModel === "object" && typeof scoreFnOrModel.output === "function") {
    return (x) => scoreFnOrModel.output(x).data;
  }
  throw new TypeError("decisionBoundary: expected a score function (x) => number or a model with output(x)");
}

/** The two class labels used in y: [negative, positive]. */
export function classesOf(y: number[]): [number, number] {
  const seen = new Set(y);
  const pm = [...seen].every((c) => c === -1 || c === 1);
  const bin = [...seen].every((c) => c === 0 || c === 1);
  if (!pm && !bin) {
    const bad = y.findIndex((c) => c !== -1 && c !== 0 && c !== 1);
    const i = bad >= 0 ? bad : y.indexOf(-1);
    throw new RangeError(`decisionBoundary: labels must be all in {-1, 1} or all in {0, 1}; y[${i}] is ${y[i]}`);
  }
  return pm ? [-1, 1] : [0, 1];
}

function checkData(X: number[][], y: number[]): void {
  if (!Array.isArray(X) || X.length === 0) throw new TypeError("decisionBoundary: X must be a non-empty array of [x0, x1] points");
  if (!Array.isArray(y) || y.length !== X.length) {
    throw new RangeError(`decisionBoundary: X has ${X.length} points but y has ${Array.isArray(y) ? y.length : "no"} labels`);
  }
  X.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2) throw new TypeError(`decisionBoundary: X[${i}] should be a point [x0, x1]`);
    requireFinite(p[0], `decisionBoundary: X[${i}][0]`);
    requireFinite(p[1], `decisionBoundary: X[${i}][1]`);
  });
}

export function decisionBoundary(
  scoreFnOrModel: ScoreFunction | Classifier,
  X: number[][],
  y: number[],
  options: DecisionBoundaryOptions = {},
): string {
  checkData(X, y);
  const score = scoreFunction(scoreFnOrModel);
  const [negative, positive] = classesOf(y);
  const { padding = 1, threshold = 0, width = 560, title } = options;
  const x0s = X.map((p) => p[0]);
  const x1s = X.map((p) => p[1]);
  const xDomain: [number, number] = [Math.min(...x0s) - padding, Math.max(...x0s) + padding];
  const yDomain: [number, number] = [Math.min(...x1s) - padding, Math.max(...x1s) + padding];
  const step = options.step ?? Math.max(xDomain[1] - xDomain[0], yDomain[1] - yDomain[0]) / 50;
  if (!(step > 0)) throw new RangeError(`decisionBoundary: step must be a positive number, got ${step}`);
  // Plot samples the function at the centre of each grid cell, and the contour's edge runs
  // through those centres; so the grid reaches half a cell past the frame (clipped there)
  // to let the filled region meet the frame instead of stopping short with rounded corners.
  const nx = Math.max(2, Math.round((xDomain[1] - xDomain[0]) / step) + 1);
  const ny = Math.max(2, Math.round((yDomain[1] - yDomain[0]) / step) + 1);
  const grid = { x1: xDomain[0] - step / 2, x2: xDomain[0] - step / 2 + nx * step, y1: yDomain[0] - step / 2, y2: yDomain[0] - step / 2 + ny * step };
  const value = (a: number, b: number): number => score([a, b]) - threshold;
  const points = X.map((p, i) => ({ x0: p[0], x1: p[1], positive: y[i] === positive }));
  const name = (c: number): string => `class ${c < 0 ? "−1" : c}`;
  return renderPlot(
    {
      width,
      height: options.height,
      aspectRatio: options.height === undefined ? 1 : undefined,
      x: { domain: xDomain, label: "x[0]", labelAnchor: "center", labelArrow: "none" },
      y: { domain: yDomain, labelAnchor: "center", label: "x[1]", labelArrow: "none" },
      marks: [
        Plot.frame({ fill: tints.blue, stroke: null }),
        Plot.contour({
          ...grid,
          width: nx, height: ny,
          clip: true,
          value,
          thresholds: [0],
          fill: tints.vermillion,
          stroke: "#555",
          strokeWidth: 1,
          className: "mg-region",
        }),
        Plot.dot(points, {
          x: "x0", y: "x1", r: 4,
          fill: (d: { positive: boolean }) => (d.positive ? palette[3] : palette[0]),
          stroke: "white", strokeWidth: 0.8,
          className: "mg-points",
        }),
        Plot.frame({ stroke: "#999" }),
      ],
    },
    {
      title,
      legend: [
        { label: name(negative), color: palette[0], shape: "dot" },
        { label: name(positive), color: palette[3], shape: "dot" },
        { label: `score < ${threshold}`, color: tints.blue, shape: "square" },
        { label: `score > ${threshold}`, color: tints.vermillion, shape: "square" },
      ],
    },
  );
}
