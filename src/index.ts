// The public surface of micrograd-ts: what `import { … } from "micrograd-ts"` gives a notebook.
export { Value, topologicalOrder } from "./engine.js";
export type { Operand } from "./engine.js";
export { Module, Neuron, Layer, MLP } from "./nn.js";
export type { Input, NetOptions } from "./nn.js";
export { MT19937, PythonRandom, NumpyRandomState, SeededRandom, defaultRng, seed } from "./random.js";
export { freshRng } from "./notebook/fresh-rng.js";
export { checkFresh } from "./notebook/check-fresh.js";
export type { FreshCase } from "./notebook/check-fresh.js";
export { randomExpression, RandomExpression } from "./notebook/random-expression.js";
export type { ExpressionOp, ExpressionStep, RandomExpressionOptions, NodeLike } from "./notebook/random-expression.js";
export type { Rng, NoiseRng } from "./random.js";
export { makeMoons } from "./data.js";
export type { Dataset, MoonsOptions } from "./data.js";
export { demoMoons, demoModel, maxMarginLoss, demoLearningRate, demoStep } from "./demo.js";
export type { LossResult } from "./demo.js";
export { check, checkGrads, checkTrue, CheckError, DEFAULT_TOL } from "./notebook/check.js";
export type { CheckOptions, Checkable } from "./notebook/check.js";
export { drawGraph, graphDot } from "./viz/graph.js";
export type { DrawGraphOptions } from "./viz/graph.js";
export type { GraphNode } from "./viz/dot.js";
export { drawNetwork, drawNeuron, networkDot, neuronDot } from "./viz/network.js";
export { drawBackwardSteps } from "./viz/steps.js";
export type { BackwardStepsOptions } from "./viz/steps.js";
export { replayBackward } from "./viz/backward-frames.js";
export type { BackwardFrame, BackwardReplay } from "./viz/backward-frames.js";
export { plotFunction, lossCurve, decisionBoundary, derivativeError, tangentOf, palette } from "./viz/plots.js";
export type {
  PlotFunctionOptions,
  LossCurveOptions,
  LossSeries,
  DecisionBoundaryOptions,
  Classifier,
  ScoreFunction,
  DerivativeErrorOptions,
  ChartOptions,
} from "./viz/plots.js";
export { show, liveDisplay, useDisplayBackend } from "./notebook/display.js";
export { trainingProgress } from "./notebook/training-progress.js";
export type { Kind, LiveDisplay, DisplayBackend } from "./notebook/display.js";
export type { TrainingProgress, TrainingProgressOptions, ProgressPoint } from "./notebook/training-progress.js";
export { practiceBackward, practiceBackwardHtml, practiceNodes } from "./practice/backward-practice.js";
export type { PracticeBackwardOptions, PracticeNode } from "./practice/backward-practice.js";
export { practiceExpression, opsFor } from "./practice/expression.js";
export type { PracticeOp, ExpressionOptions } from "./practice/expression.js";
export { selfCheck, selfCheckHtml } from "./practice/self-check.js";
export { QUESTIONS, questionsFor } from "./practice/questions.js";
export type { Question } from "./practice/questions.js";
export { CARDS } from "./practice/cards.js";
export type { Flashcard } from "./practice/cards.js";
export { CARDS_KEY, dueCount, dueAt, emptyState, parseState, review as reviewCard, reviewQueue } from "./practice/schedule.js";
export type { CardsState, StoredCard, Answer } from "./practice/schedule.js";
