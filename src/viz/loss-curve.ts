/**
 * `lossCurve`: loss against training step, for one run or several named runs
 * (e.g. training with and without zeroing the grads).
 */
import * as Plot from "@observablehq/plot";
import { palette, renderPlot, type ChartOptions } from "./plot-render.js";

export interface Series {
  name: string;
  values: number[];
}

export type LossSeries = number[] | Record<string, number[]> | Series[];

export interface LossCurveOptions extends ChartOptions {
  /** A logarithmic y axis, for losses that fall by orders of magnitude. */
  logY?: boolean;
  xLabel?: string;
  yLabel?: string;
}

/** Every accepted shape of input as a list of named series, checked. */
export function toSeries(series: LossSeries): Series[] {
  let list: Series[];
  if (Array.isArray(series) && series.every((s) => typeof s === "number")) {
    list = [{ name: "loss", values: series as number[] }];
  } else if (Array.isArray(series)) {
    list = (series as unknown[]).map((s, i) => {
      if (s === null || typeof s !== "object" || !Array.isArray((s as Series).values)) {
        throw new TypeError(`lossCurve: series[${i}] should be { name, values: number[] }`);
      }
      const { name, values } = s as Series;
      return { name: String(name ?? `series ${i + 1}`), values };
    });
  } else if (series !== null && typeof series === "object") {
    list = Object.entries(series).map(([name, values]) => ({ name, values }));
  } else {
    throw new TypeError("lossCurve: expected number[], { name: number[] } or [{ name, values }]");
  }
  if (list.length === 0) throw new RangeError("lossCurve: no series to draw");
  for (const { name, values } of list) {
    if (!Array.isArray(values)) throw new TypeError(`lossCurve: series "${name}" is not an array of numbers`);
    values.forEach((v, i) => {
      if (typeof v !== "number") throw new TypeError(`lossCurve: series "${name}" has ${typeof v} at step ${i}, expected a number`);
    });
  }
  return list;
}

export function lossCurve(series: LossSeries, options: LossCurveOptions = {}): string {
  const { logY = false, width = 640, height = 360, title, xLabel = "step", yLabel = "loss" } = options;
  const list = toSeries(series);
  if (logY) {
    for (const { name, values } of list) {
      const i = values.findIndex((v) => v <= 0);
      if (i >= 0) throw new RangeError(`lossCurve: logY needs positive losses, but "${name}" is ${values[i]} at step ${i}`);
    }
  }
  const marks: Plot.Markish[] = list.flatMap(({ values }, i) => {
    const points = values.map((y, x) => ({ x, y }));
    const color = palette[i % palette.length];
    const line = Plot.line(points, { x: "x", y: "y", stroke: color, strokeWidth: 2, className: "mg-series" });
    // A single point makes no line; draw it as a dot so the run is still visible.
    return values.length === 1 ? [Plot.dot(points, { x: "x", y: "y", fill: color, className: "mg-series" })] : [line];
  });
  const legend = list.length > 1 ? list.map(({ name }, i) => ({ label: name, color: palette[i % palette.length], shape: "line" as const })) : [];
  return renderPlot(
    {
      width,
      height,
      grid: true,
      x: { label: xLabel, labelAnchor: "center", labelArrow: "none" },
      y: { labelAnchor: "center", label: logY ? `${yLabel} (log scale)` : yLabel, type: logY ? "log" : "linear", labelArrow: "none" },
      marks: [...(logY ? [] : [Plot.ruleY([0], { stroke: "#ccc" })]), ...marks],
    },
    { legend, title },
  );
}
