/**
 * `derivativeError`: how wrong the forward and the symmetric difference are as the
 * step h shrinks. Both get better until rounding error takes over; the symmetric one
 * gets much better first (error ∝ h² instead of h).
 */
import * as Plot from "@observablehq/plot";
import { palette, renderPlot, requireFinite, type ChartOptions } from "./plot-render.js";

export interface DerivativeErrorOptions extends ChartOptions {
  /** Steps to try (default 10^-1, 10^-1.5, … 10^-16). */
  hs?: number[];
  /** The exact derivative at x; without it, a Ridders extrapolation (accurate to ~1e-13) stands in. */
  exact?: number;
}

export interface DifferenceError {
  h: number;
  forward: number;
  symmetric: number;
}

export const defaultHs: number[] = Array.from({ length: 31 }, (_, j) => 10 ** (-1 - j / 2));

/**
 * f'(x) by Ridders' method: symmetric differences with shrinking h, extrapolated to
 * h = 0 (Richardson), keeping the estimate whose error estimate is smallest.
 */
export function extrapolatedDerivative(f: (x: number) => number, x: number, h0 = 0.1): number {
  const shrink = 1.4;
  const n = 10;
  const table: number[][] = [];
  let best = NaN; // always set: the loop runs at least twice before it can stop
  let bestErr = Infinity;
  let h = h0;
  for (let i = 0; i < n; i++, h /= shrink) {
    table.push([(f(x + h) - f(x - h)) / (2 * h)]);
    let factor = shrink * shrink;
    for (let j = 1; j <= i; j++, factor *= shrink * shrink) {
      const value = (table[i][j - 1] * factor - table[i - 1][j - 1]) / (factor - 1);
      table[i].push(value);
      const err = Math.max(Math.abs(value - table[i][j - 1]), Math.abs(value - table[i - 1][j - 1]));
      if (err <= bestErr) {
        bestErr = err;
        best = value;
      }
    }
    // Stop once extrapolation gets worse: higher orders only amplify rounding from here on.
    if (i > 0 && Math.abs(table[i][i] - table[i - 1][i - 1]) >= 2 * bestErr) break;
  }
  return best;
}

/** |estimate − exact| for each h, for both difference quotients. */
export function differenceErrors(f: (x: number) => number, x: number, hs: number[], exact: number): DifferenceError[] {
  const fx = f(x);
  return hs.map((h) => {
    requireFinite(h, "derivativeError: h");
    if (!(h > 0)) throw new RangeError(`derivativeError: every h must be positive, got ${h}`);
    return {
      h,
      forward: Math.abs((f(x + h) - fx) / h - exact),
      symmetric: Math.abs((f(x + h) - f(x - h)) / (2 * h) - exact),
    };
  });
}

export function derivativeError(f: (x: number) => number, x: number, options: DerivativeErrorOptions = {}): string {
  requireFinite(x, "derivativeError: x");
  requireFinite(f(x), `derivativeError: f(${x})`);
  const { hs = defaultHs, width = 640, height = 400, title } = options;
  const exact = options.exact ?? extrapolatedDerivative(f, x);
  requireFinite(exact, "derivativeError: exact");
  const rows = differenceErrors(f, x, hs, exact);
  // An error of exactly 0 has no place on a log axis; those points are left out.
  const series = [
    { key: "forward" as const, label: "forward: (f(x+h) − f(x)) / h", color: palette[0], dash: "none", symbol: "circle" },
    { key: "symmetric" as const, label: "symmetric: (f(x+h) − f(x−h)) / 2h", color: palette[3], dash: "5 3", symbol: "square" },
  ];
  // Where rounding dominates, the two curves lie on top of each other: dashes and
  // different point shapes keep both visible.
  const marks = series.flatMap(({ key, color, dash, symbol }) => {
    const points = rows.filter((r) => r[key] > 0).map((r) => ({ h: r.h, error: r[key] }));
    return [
      Plot.line(points, { x: "h", y: "error", stroke: color, strokeWidth: 1.5, strokeDasharray: dash, className: `mg-${key}` }),
      Plot.dot(points, { x: "h", y: "error", fill: color, r: 2.5, symbol, className: `mg-${key}-points` }),
    ];
  });
  return renderPlot(
    {
      width,
      height,
      marginLeft: 66,
      grid: true,
      x: { type: "log", label: "step h", labelAnchor: "center", labelArrow: "none", tickFormat: "~e" },
      y: { type: "log", labelAnchor: "center", label: "absolute error", labelArrow: "none", tickFormat: "~e" },
      marks,
    },
    { legend: series.map(({ label, color }) => ({ label, color, shape: "line" })), title },
  );
}
