import { describe, expect, it } from "vitest";
import { Value } from "../../src/engine.js";
import { Layer, MLP, Neuron } from "../../src/nn.js";
import { PythonRandom, SeededRandom, seed } from "../../src/random.js";

describe("network shapes and parameter counts", () => {
  it("MLP(3, [4, 4, 1]) has 41 parameters, MLP(2, [16, 16, 1]) 337", () => {
    expect(new MLP(3, [4, 4, 1]).parameters()).toHaveLength(41);
    expect(new MLP(2, [16, 16, 1]).parameters()).toHaveLength(337);
  });

  it("a layer returns one value per neuron; MLP.output needs exactly one", () => {
    const layer = new Layer(3, 4);
    expect(layer.forward([1, 2, 3])).toHaveLength(4);
    const net = new MLP(3, [4, 2]);
    expect(net.forward([1, 2, 3])).toHaveLength(2);
    expect(() => net.output([1, 2, 3])).toThrow(/this network has 2 outputs/);
  });

  it("rejects inputs of the wrong length with a clear message", () => {
    expect(() => new MLP(3, [4, 1]).forward([1, 2])).toThrow(/expected 3 inputs, got 2/);
    expect(() => new MLP(3, [0])).toThrow(/positive integers/);
  });
});

describe("initialisation matches micrograd's order", () => {
  it("weights uniform(−1, 1) neuron by neuron, then the bias right after its neuron's weights", () => {
    const net = new MLP(2, [3, 1], { rng: new PythonRandom(1337) });
    const rng = new PythonRandom(1337);
    const expected = Array.from({ length: 13 }, () => rng.uniform(-1, 1));
    expect(net.parameters().map((p) => p.data)).toEqual(expected);
  });

  it("bias 'zero' draws no number for the bias (micrograd's nn.py)", () => {
    const net = new MLP(2, [2, 1], { bias: "zero", rng: new PythonRandom(1337) });
    const rng = new PythonRandom(1337);
    const w = Array.from({ length: 6 }, () => rng.uniform(-1, 1));
    expect(net.parameters().map((p) => p.data)).toEqual([w[0], w[1], 0, w[2], w[3], 0, w[4], w[5], 0]);
  });

  it("the same seed gives the same network", () => {
    const a = new MLP(3, [4, 1], { rng: new SeededRandom(7) }).parameters().map((p) => p.data);
    const b = new MLP(3, [4, 1], { rng: new SeededRandom(7) }).parameters().map((p) => p.data);
    expect(a).toEqual(b);
    for (const x of a) expect(Math.abs(x)).toBeLessThan(1);
  });

  it("new MLP(…) without an rng draws from the default generator, which seed(n) replays", () => {
    seed(7);
    const a = new MLP(3, [4, 1]).parameters().map((p) => p.data);
    seed(7);
    const b = new MLP(3, [4, 1]).parameters().map((p) => p.data);
    expect(b).toEqual(a);
    // …and those are exactly the draws of a fresh SeededRandom(7): uniform(-1, 1) per parameter.
    expect(a).toEqual(new MLP(3, [4, 1], { rng: new SeededRandom(7) }).parameters().map((p) => p.data));
    expect(new MLP(3, [4, 1]).parameters().map((p) => p.data)).not.toEqual(a);
  });
});

describe("forward and activations", () => {
  it("a tanh neuron computes tanh(b + Σ wᵢxᵢ)", () => {
    const n = new Neuron(2, { rng: new PythonRandom(1) });
    const [w0, w1] = n.w.map((w) => w.data);
    const out = n.forward([2, -1]);
    expect(out.data).toBeCloseTo(Math.tanh(n.b.data + w0 * 2 + w1 * -1), 15);
    expect(out.op).toBe("tanh");
  });

  it("relu hidden layers and a linear last layer", () => {
    const net = new MLP(2, [3, 1], { activation: "relu", linearOutput: true });
    expect(net.layers[0].neurons.every((n) => n.activation === "relu")).toBe(true);
    expect(net.layers[1].neurons[0].activation).toBe("linear");
    expect(net.output([0.5, -0.5]).op).toBe("+");
    expect(String(net)).toBe("MLP of [Layer of [3 × ReLUNeuron(2)], Layer of [LinearNeuron(3)]]");
  });

  it("String(new MLP(2, [16, 16, 1], …)) names each layer's neurons once, with their count", () => {
    const net = new MLP(2, [16, 16, 1], { activation: "relu", linearOutput: true, bias: "zero" });
    expect(String(net)).toBe("MLP of [Layer of [16 × ReLUNeuron(2)], Layer of [16 × ReLUNeuron(16)], Layer of [LinearNeuron(16)]]");
    expect(String(new MLP(3, [4, 4, 1]))).toBe("MLP of [Layer of [4 × TanhNeuron(3)], Layer of [4 × TanhNeuron(4)], Layer of [TanhNeuron(4)]]");
  });

  it("gradients flow to every parameter and zeroGrad resets them", () => {
    const net = new MLP(3, [4, 4, 1], { rng: new SeededRandom(3) });
    const out = net.output([2, 3, -1]);
    out.backward();
    expect(net.parameters().some((p) => p.grad !== 0)).toBe(true);
    // numeric check on one weight
    const p = net.layers[0].neurons[0].w[0];
    const h = 1e-6;
    const old = p.data;
    p.data = old + h;
    const up = net.output([2, 3, -1]).data;
    p.data = old - h;
    const down = net.output([2, 3, -1]).data;
    p.data = old;
    expect(p.grad).toBeCloseTo((up - down) / (2 * h), 6);
    net.zeroGrad();
    expect(net.parameters().every((q) => q.grad === 0)).toBe(true);
  });

  it("accepts Values as inputs", () => {
    const net = new MLP(2, [1], { rng: new SeededRandom(1) });
    const x = [new Value(1), new Value(2)];
    net.output(x).backward();
    expect(x[0].grad).toBeCloseTo(net.layers[0].neurons[0].w[0].data * (1 - net.output(x).data ** 2), 12);
  });
});
