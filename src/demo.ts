/**
 * micrograd's demo (demo.ipynb) as reusable pieces: the moons data, the network, the
 * max-margin loss and one training step. Lesson 07 writes these out for teaching; the
 * tests and the benchmark use them from here so all three train the very same way.
 */
import type { Value } from "./engine.js";
import { MLP } from "./nn.js";
import { NumpyRandomState, PythonRandom } from "./random.js";
import { makeMoons, type Dataset } from "./data.js";

/** The demo's data: 100 moons with noise 0.1 from numpy seed 1337, labels mapped to -1/+1. */
export function demoMoons(): Dataset {
  const { X, y } = makeMoons(100, { noise: 0.1, rng: new NumpyRandomState(1337) });
  return { X, y: y.map((label) => label * 2 - 1) };
}

/** The demo's network: 2 → 16 → 16 → 1, ReLU hidden layers, linear output, zero biases, Python seed 1337. */
export function demoModel(): MLP {
  return new MLP(2, [16, 16, 1], { activation: "relu", linearOutput: true, bias: "zero", rng: new PythonRandom(1337) });
}

export interface LossResult {
  /** Data loss plus L2 regularisation: the number we minimise. */
  loss: Value;
  /** Fraction of samples on the right side of 0. */
  accuracy: number;
}

/**
 * The SVM max-margin loss: mean of relu(1 − yᵢ·scoreᵢ) plus alpha·Σ p², summed in the
 * same order as micrograd so the numbers match to the last digits.
 */
export function maxMarginLoss(model: MLP, X: number[][], y: number[], alpha = 1e-4): LossResult {
  const scores = X.map((x) => model.output(x));
  let dataLoss = scores[0].mul(-y[0]).add(1).relu();
  for (let i = 1; i < scores.length; i++) dataLoss = dataLoss.add(scores[i].mul(-y[i]).add(1).relu());
  dataLoss = dataLoss.mul(1 / scores.length);

  const params = model.parameters();
  let squares = params[0].mul(params[0]);
  for (let i = 1; i < params.length; i++) squares = squares.add(params[i].mul(params[i]));

  const correct = scores.filter((s, i) => s.data > 0 === y[i] > 0).length;
  return { loss: dataLoss.add(squares.mul(alpha)), accuracy: correct / scores.length };
}

/** The demo's learning rate at step k of 100: from 1.0 down to 0.1. */
export function demoLearningRate(k: number, steps = 100): number {
  return 1.0 - (0.9 * k) / steps;
}

/** One full-batch step: forward, zero the grads, backward, update. Reports the loss before the update. */
export function demoStep(model: MLP, data: Dataset, k: number): { loss: number; accuracy: number } {
  const { loss, accuracy } = maxMarginLoss(model, data.X, data.y);
  model.zeroGrad();
  loss.backward();
  const lr = demoLearningRate(k);
  for (const p of model.parameters()) p.data -= lr * p.grad;
  return { loss: loss.data, accuracy };
}
