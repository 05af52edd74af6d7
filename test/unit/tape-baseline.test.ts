import { describe, expect, it } from "vitest";
import { demoLearningRate, demoModel, demoMoons, demoStep, maxMarginLoss } from "../../src/demo.js";
import { topologicalOrder } from "../../src/engine.js";
import { tapeTrainer } from "../../src/tools/tape-baseline.js";

describe("the bench's flat tape", () => {
  it("trains micrograd's demo with the engine's losses, accuracies and node count, bit for bit", () => {
    const data = demoMoons();
    const model = demoModel();
    const tape = tapeTrainer(model);
    const nodes = topologicalOrder(maxMarginLoss(model, data.X, data.y).loss).length;
    for (let k = 0; k < 5; k++) {
      const ours = demoStep(model, data, k);
      const theirs = tape.step(data.X, data.y, demoLearningRate(k));
      expect(theirs.loss, `step ${k}`).toBe(ours.loss);
      expect(theirs.accuracy).toBe(ours.accuracy);
      expect(theirs.nodes).toBe(nodes);
    }
    // steps 1–4 start from weights updated with each side's own gradients, so their backward passes agree too
  });
});
