import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { MLP } from "../../src/nn.js";
import { PythonRandom } from "../../src/random.js";
import { demoLearningRate, demoModel, demoMoons, demoStep, maxMarginLoss } from "../../src/demo.js";

const ref = JSON.parse(readFileSync(new URL("../fixtures/micrograd-demo-moons.json", import.meta.url), "utf8"));

describe("micrograd's demo, against the reference run in Python", () => {
  it("the initial weights are PythonRandom(1337) draws, 337 of them", () => {
    const params = demoModel().parameters();
    expect(params).toHaveLength(ref.params0_count);
    expect(params.slice(0, 10).map((p) => p.data)).toEqual(ref.params0_first10);
  });

  it("step 0's loss is 0.8958441028683222 at 50% accuracy", () => {
    const model = new MLP(2, [16, 16, 1], { activation: "relu", linearOutput: true, bias: "zero", rng: new PythonRandom(1337) });
    const { loss, accuracy } = maxMarginLoss(model, ref.X, ref.y);
    expect(Math.abs(loss.data - 0.8958441028683222)).toBeLessThan(1e-12);
    expect(accuracy).toBe(0.5);
  });

  it("100 steps follow the reference trajectory to 1e-12 relative and end at 100% accuracy", () => {
    const model = demoModel();
    const data = { X: ref.X as number[][], y: ref.y as number[] };
    const seen: { loss: number; accuracy: number }[] = [];
    for (let k = 0; k < 100; k++) seen.push(demoStep(model, data, k));
    for (const r of ref.trajectory) {
      expect(Math.abs(seen[r.step].loss - r.loss) / r.loss, `step ${r.step}`).toBeLessThan(1e-12);
      expect(seen[r.step].accuracy).toBe(r.accuracy);
    }
    expect(seen[99].accuracy).toBe(1);
  });

  it("the library's own moons are the reference data", () => {
    const { X, y } = demoMoons();
    expect(y).toEqual(ref.y);
    expect(Math.max(...X.flat().map((v, i) => Math.abs(v - ref.X.flat()[i])))).toBeLessThan(1e-12);
  });

  it("the learning rate goes from 1.0 down to 0.109", () => {
    expect(demoLearningRate(0)).toBe(1);
    expect(demoLearningRate(99)).toBeCloseTo(0.109, 12);
  });
});
