/** The charts of the lessons, one module each; this file gathers them. */
export { plotFunction, tangentOf, sampleXs, type PlotFunctionOptions, type Tangent } from "./function-plot.js";
export { lossCurve, toSeries, type LossCurveOptions, type LossSeries, type Series } from "./loss-curve.js";
export {
  decisionBoundary,
  type Classifier,
  type DecisionBoundaryOptions,
  type ScoreFunction,
} from "./decision-boundary.js";
export {
  derivativeError,
  differenceErrors,
  extrapolatedDerivative,
  type DerivativeErrorOptions,
  type DifferenceError,
} from "./derivative-error.js";
export { palette, type ChartOptions } from "./plot-render.js";
