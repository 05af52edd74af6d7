/**
 * A tiny neural-network library on top of `Value`: a neuron is a weighted sum plus a
 * bias through a nonlinearity, a layer is a list of neurons, an MLP a list of layers.
 */
import { Value } from "./engine.js";
import { defaultRng, type Rng } from "./random.js";

export type Input = Value | number;

export interface NetOptions {
  /** The nonlinearity of hidden neurons (default "tanh", as in the lecture). */
  activation?: "tanh" | "relu";
  /** Leave the last layer linear, as micrograd's nn.py does (default false). */
  linearOutput?: boolean;
  /** "uniform": bias drawn from uniform(-1, 1) like the lecture; "zero": micrograd's nn.py (default "uniform"). */
  bias?: "uniform" | "zero";
  /** Where the initial weights come from (default: the package's seeded default generator). */
  rng?: Rng;
}

/** Anything with parameters: they can be listed and their gradients reset. */
export abstract class Module {
  abstract parameters(): Value[];

  /** Reset every parameter's gradient to 0 before the next backward pass. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }
}

function checkInputs(x: readonly Input[], expected: number, who: string): void {
  if (!Array.isArray(x)) throw new TypeError(`${who}.forward: expected an array of ${expected} inputs, got ${String(x)}`);
  if (x.length !== expected) {
    throw new RangeError(`${who}.forward: expected ${expected} inputs, got ${x.length}`);
  }
}

export class Neuron extends Module {
  readonly w: Value[];
  readonly b: Value;
  /** "linear" leaves the weighted sum as it is. */
  readonly activation: "tanh" | "relu" | "linear";

  constructor(nin: number, options: NetOptions & { linear?: boolean } = {}) {
    super();
    const { activation = "tanh", bias = "uniform", rng = defaultRng, linear = false } = options;
    // Draw order matters for matching Python: this neuron's weights, then its bias.
    this.w = Array.from({ length: nin }, () => new Value(rng.uniform(-1, 1)));
    this.b = new Value(bias === "zero" ? 0 : rng.uniform(-1, 1));
    this.activation = linear ? "linear" : activation;
  }

  /** act = b + Σ wᵢ·xᵢ (summed in that order, as Python's `sum(..., b)`), then the nonlinearity. */
  forward(x: readonly Input[]): Value {
    checkInputs(x, this.w.length, "Neuron");
    let act = this.b;
    for (let i = 0; i < this.w.length; i++) act = act.add(this.w[i].mul(x[i]));
    if (this.activation === "tanh") return act.tanh();
    if (this.activation === "relu") return act.relu();
    return act;
  }

  parameters(): Value[] {
    return [...this.w, this.b];
  }

  toString(): string {
    const kind = this.activation === "linear" ? "Linear" : this.activation === "relu" ? "ReLU" : "Tanh";
    return `${kind}Neuron(${this.w.length})`;
  }
}

export class Layer extends Module {
  readonly neurons: Neuron[];

  constructor(nin: number, nout: number, options: NetOptions & { linear?: boolean } = {}) {
    super();
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, options));
  }

  forward(x: readonly Input[]): Value[] {
    checkInputs(x, this.neurons[0]?.w.length ?? 0, "Layer");
    return this.neurons.map((n) => n.forward(x));
  }

  parameters(): Value[] {
    return this.neurons.flatMap((n) => n.parameters());
  }

  /** micrograd's "Layer of [...]", with a run of identical neurons said once: "Layer of [16 × ReLUNeuron(2)]". */
  toString(): string {
    const runs: { text: string; count: number }[] = [];
    for (const n of this.neurons) {
      const text = String(n);
      const last = runs[runs.length - 1];
      if (last?.text === text) last.count++;
      else runs.push({ text, count: 1 });
    }
    return `Layer of [${runs.map((r) => (r.count === 1 ? r.text : `${r.count} × ${r.text}`)).join(", ")}]`;
  }
}

/** A multi-layer perceptron: `new MLP(3, [4, 4, 1])` maps 3 inputs through two hidden layers of 4 to 1 output. */
export class MLP extends Module {
  readonly layers: Layer[];

  constructor(nin: number, nouts: number[], options: NetOptions = {}) {
    super();
    const sizes = [nin, ...nouts];
    for (const s of sizes) {
      if (!Number.isInteger(s) || s < 1) throw new RangeError(`MLP: layer sizes must be positive integers, got [${sizes}]`);
    }
    const last = nouts.length - 1;
    this.layers = nouts.map(
      (nout, i) => new Layer(sizes[i], nout, { ...options, linear: i === last && (options.linearOutput ?? false) }),
    );
  }

  /** All the outputs of the last layer. */
  forward(x: readonly Input[]): Value[] {
    let out: readonly Input[] = x;
    for (const layer of this.layers) out = layer.forward(out);
    return out as Value[];
  }

  /** The single output of a network with one output neuron (the lecture's `n(x)`). */
  output(x: readonly Input[]): Value {
    const out = this.forward(x);
    if (out.length !== 1) throw new RangeError(`MLP.output: this network has ${out.length} outputs; use forward(x)`);
    return out[0];
  }

  parameters(): Value[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  toString(): string {
    return `MLP of [${this.layers.join(", ")}]`;
  }
}
