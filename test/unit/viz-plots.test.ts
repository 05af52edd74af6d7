import { describe, expect, it } from "vitest";
import { MLP } from "../../src/nn.js";
import { decisionBoundary } from "../../src/viz/decision-boundary.js";
import { derivativeError, differenceErrors, extrapolatedDerivative } from "../../src/viz/derivative-error.js";
import { plotFunction, sampleXs, tangentOf } from "../../src/viz/function-plot.js";
import { lossCurve } from "../../src/viz/loss-curve.js";

const f = (x: number) => 3 * x ** 2 - 4 * x + 5;

/** The contents of the <g> a mark with this class drew into. */
function mark(svg: string, cls: string): string {
  const m = new RegExp(`<g[^>]*class="${cls}"[^>]*>([\\s\\S]*?)</g>`).exec(svg);
  if (!m) throw new Error(`no mark with class ${cls}`);
  return m[1];
}

/** The points of every path in a mark, in pixels. */
function pathPoints(svg: string, cls: string): [number, number][][] {
  return [...mark(svg, cls).matchAll(/ d="([^"]*)"/g)].map(([, d]) =>
    [...d.matchAll(/[ML]\s*(-?[\d.e-]+)[ ,](-?[\d.e-]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]),
  );
}

const number = (s: string) => Number(s.replace("−", "-"));

/**
 * Pixel → data along one axis, from the tick labels Plot drew (linear axes): a real
 * reading of the picture rather than of our own numbers.
 */
function axis(svg: string, which: "x" | "y"): (px: number) => number {
  const g = new RegExp(`<g[^>]*aria-label="${which}-axis tick label"[^>]*>([\\s\\S]*?)</g>`).exec(svg)![1];
  const ticks = [...g.matchAll(/transform="translate\(([\d.-]+),([\d.-]+)\)"[^>]*>([^<]*)</g)].map((m) => ({
    px: Number(which === "x" ? m[1] : m[2]),
    value: number(m[3]),
  }));
  const [a, b] = [ticks[0], ticks.at(-1)!];
  return (px) => a.value + ((px - a.px) * (b.value - a.value)) / (b.px - a.px);
}

const legendLabels = (svg: string) => [...svg.matchAll(/aria-label="legend: ([^"]*)"/g)].map((m) => m[1]);

function expectStandaloneSvg(svg: string) {
  expect(svg.startsWith("<svg ")).toBe(true);
  expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(svg).not.toMatch(/<figure|<div/);
}

describe("plotFunction", () => {
  it("samples like np.arange(-5, 5, 0.25) and draws the curve through them", () => {
    const xs = sampleXs([-5, 5], 0.25);
    expect(xs).toHaveLength(40);
    expect([xs[0], xs[39]]).toEqual([-5, 4.75]);
    const svg = plotFunction(f);
    expectStandaloneSvg(svg);
    const [curve] = pathPoints(svg, "mg-curve");
    expect(curve).toHaveLength(40);
    const [toX, toY] = [axis(svg, "x"), axis(svg, "y")];
    expect(toX(curve[0][0])).toBeCloseTo(-5, 6);
    expect(toY(curve[0][1])).toBeCloseTo(f(-5), 6);
    expect(toY(curve[20][1])).toBeCloseTo(f(0), 6);
    expect(svg).toContain(">x</text>");
    expect(svg).toContain(">f(x)</text>");
    expect(legendLabels(svg)).toEqual([]);
  });

  it("draws the tangent at x = 3 with slope 14 through (3, 20), with a legend", () => {
    expect(tangentOf(f, 3).slope).toBeCloseTo(14, 6);
    expect(tangentOf(f, 3, { derivative: (x) => 6 * x - 4 })).toEqual({ x: 3, y: 20, slope: 14 });
    const svg = plotFunction(f, { domain: [-5, 5], step: 0.25, tangentAt: 3 });
    const [toX, toY] = [axis(svg, "x"), axis(svg, "y")];
    const [[p, q]] = pathPoints(svg, "mg-tangent");
    const slope = (toY(q[1]) - toY(p[1])) / (toX(q[0]) - toX(p[0]));
    expect(slope).toBeCloseTo(14, 4);
    const point = /cx="([\d.]+)" cy="([\d.]+)"|cy="([\d.]+)" cx="([\d.]+)"/.exec(mark(svg, "mg-point"))!;
    const [cx, cy] = point[1] ? [point[1], point[2]] : [point[4], point[3]];
    expect(toX(Number(cx))).toBeCloseTo(3, 6);
    expect(toY(Number(cy))).toBeCloseTo(20, 6);
    expect(legendLabels(svg)).toEqual(["f(x)", "tangent at x = 3, slope 14"]);
  });

  it("says what went wrong when f returns something other than a number", () => {
    expect(() => plotFunction(() => ({ data: 1 }) as unknown as number)).toThrow(/f\(-5\) returned an object \(a Value\? return its \.data\)/);
    expect(() => plotFunction(f, { domain: [1, 1] })).toThrow(/domain \[1, 1\] is empty/);
  });
});

describe("lossCurve", () => {
  const a = [1, 0.5, 0.25, 0.2];
  const b = [1, 0.8, 0.9, 0.7];

  it("draws one unlabelled series as one line, step against loss", () => {
    const svg = lossCurve(a);
    expectStandaloneSvg(svg);
    expect(pathPoints(svg, "mg-series")).toHaveLength(1);
    expect(pathPoints(svg, "mg-series")[0]).toHaveLength(4);
    expect(svg).toContain(">step</text>");
    expect(svg).toContain(">loss</text>");
    expect(legendLabels(svg)).toEqual([]);
  });

  it("draws named series in different colours with a legend, whichever way they are given", () => {
    const svg = lossCurve({ "with zeroGrad": a, "without zeroGrad": b });
    expect(lossCurve([{ name: "with zeroGrad", values: a }, { name: "without zeroGrad", values: b }])).toBe(svg);
    const strokes = [...svg.matchAll(/<g[^>]*class="mg-series"[^>]*>/g)].map((m) => /stroke="([^"]*)"/.exec(m[0])![1]);
    expect(strokes).toEqual(["#0072B2", "#E69F00"]);
    expect(legendLabels(svg)).toEqual(["with zeroGrad", "without zeroGrad"]);
    const toY = axis(svg, "y");
    const series = [...svg.matchAll(/<g[^>]*class="mg-series"[^>]*>([\s\S]*?)<\/g>/g)];
    const lastOfB = [...series[1][1].matchAll(/L\s*[\d.]+,([\d.]+)/g)].at(-1)!;
    expect(toY(Number(lastOfB[1]))).toBeCloseTo(0.7, 6);
  });

  it("uses a log y axis on request, and refuses losses a log axis cannot show", () => {
    const svg = lossCurve(a, { logY: true });
    expect(svg).toContain(">loss (log scale)</text>");
    expect(() => lossCurve({ run: [1, 0.5, 0] }, { logY: true })).toThrow(/"run" is 0 at step 2/);
    expect(() => lossCurve({ run: [1, "x" as unknown as number] })).toThrow(/series "run" has string at step 1/);
  });
});

describe("decisionBoundary", () => {
  // Points on a grid, labelled by the side of x0 = 0.5 they are on.
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 6; i++) for (let j = 0; j < 4; j++) {
    const p = [-1 + 0.6 * i + 0.05, -1 + 0.7 * j];
    X.push(p);
    y.push(p[0] > 0.5 ? 1 : -1);
  }
  const score = (x: number[]) => x[0] - 0.5;

  it("fills the region where the score is above 0, bounded exactly at score 0", () => {
    const svg = decisionBoundary(score, X, y, { step: 0.1 });
    expectStandaloneSvg(svg);
    const toX = axis(svg, "x");
    const rings = pathPoints(svg, "mg-region");
    expect(rings.length).toBeGreaterThan(0);
    const xs = rings.flat().map(([px]) => toX(px));
    // A linear score is interpolated exactly: the region starts at x0 = 0.5.
    expect(Math.min(...xs)).toBeCloseTo(0.5, 6);
  });

  it("colours the points by class and accepts a model with output(x), or labels in {0, 1}", () => {
    const svg = decisionBoundary(score, X, y, { step: 0.1 });
    const dots = mark(svg, "mg-points").match(/<circle [^>]*>/g)!;
    expect(dots).toHaveLength(X.length);
    const fills = dots.map((d) => /fill="([^"]*)"/.exec(d)![1]);
    expect(fills.filter((c) => c === "#D55E00")).toHaveLength(y.filter((c) => c === 1).length);
    expect(fills.filter((c) => c === "#0072B2")).toHaveLength(y.filter((c) => c === -1).length);
    expect(legendLabels(svg)).toEqual(["class −1", "class 1", "score < 0", "score > 0"]);
    const model = { output: (x: number[]) => ({ data: score(x) }) };
    expect(decisionBoundary(model, X, y, { step: 0.1 })).toBe(svg);
    expect(legendLabels(decisionBoundary(score, X, y.map((c) => (c > 0 ? 1 : 0)), { step: 0.1 }))[0]).toBe("class 0");
  });

  it("draws the boundary of a real MLP and checks its inputs", () => {
    const net = new MLP(2, [4, 1]);
    const svg = decisionBoundary(net, X, y, { step: 0.25 });
    expect(svg).toContain('class="mg-region"');
    expect(() => decisionBoundary(score, X, y.slice(1))).toThrow(/X has 24 points but y has 23 labels/);
    expect(() => decisionBoundary(score, X, y.map((c, i) => (i === 3 ? 2 : c)))).toThrow(/y\[3\] is 2/);
    expect(() => decisionBoundary(score, [[0, NaN]], [1])).toThrow(/X\[0\]\[1\]: expected a finite number/);
  });
});

describe("derivativeError", () => {
  it("measures forward (error 3h on this parabola) and symmetric differences (exact up to rounding)", () => {
    const [row] = differenceErrors(f, 3, [0.1], 14);
    expect(row.forward).toBeCloseTo(0.3, 9);
    expect(row.symmetric).toBeLessThan(1e-12);
    expect(extrapolatedDerivative(Math.sin, 1)).toBeCloseTo(Math.cos(1), 12);
    expect(extrapolatedDerivative(f, 3)).toBeCloseTo(14, 10);
  });

  it("plots both errors against h on log–log axes with a legend", () => {
    const svg = derivativeError(Math.exp, 0, { exact: 1 });
    expectStandaloneSvg(svg);
    expect(pathPoints(svg, "mg-forward")[0].length).toBeGreaterThan(20);
    expect(pathPoints(svg, "mg-symmetric")[0].length).toBeGreaterThan(20);
    expect(svg).toContain(">step h</text>");
    expect(svg).toContain(">absolute error</text>");
    expect(svg).toMatch(/>1e-8</);
    expect(legendLabels(svg)).toEqual(["forward: (f(x+h) − f(x)) / h", "symmetric: (f(x+h) − f(x−h)) / 2h"]);
  });
});

describe("renderPlot (through the charts)", () => {
  it("gives each labelled element a role, so that ARIA allows its aria-label (axe: aria-prohibited-attr)", () => {
    const X = [[0, 0], [1, 1], [0, 1], [1, 0]];
    const svgs = [
      plotFunction(f, { domain: [-5, 5], step: 0.25, tangentAt: 3 }),
      lossCurve({ loss: [3, 2, 1], accuracy: [0.5, 0.7, 0.9] }),
      decisionBoundary((x) => x[0] - 0.5, X, [-1, 1, -1, 1], { step: 0.25 }),
    ];
    for (const svg of svgs) {
      const labelled = [...svg.matchAll(/<(\w+)\b[^>]*\baria-label="[^"]*"[^>]*>/g)];
      expect(labelled.length).toBeGreaterThan(2);
      for (const [tag, name] of labelled) expect(tag).toMatch(name === "g" ? /\brole="group"/ : /\brole="graphics-symbol"/);
    }
    expect(svgs[2]).toMatch(/<rect\b[^>]*aria-label="frame"[^>]*role="graphics-symbol"|<rect\b[^>]*role="graphics-symbol"[^>]*aria-label="frame"/);
  });
});
