/**
 * The yardstick `npm run bench` holds the engine against: micrograd's demo step on a flat
 * typed-array tape, the fastest way to do the same arithmetic in JavaScript. Each step
 * rebuilds the tape (as the engine rebuilds its graph): every node is an op code, two input
 * indices and a value in preallocated arrays, no objects at all; backward is one loop over
 * the tape in reverse. The operations, their order and the leaves made for number operands
 * are exactly those of `maxMarginLoss` on an `MLP`, so the loss is the engine's to the last
 * bit (the bench checks that every step). Not part of the library: a bench instrument.
 */
import type { MLP } from "../nn.js";

const LEAF = 0, ADD = 1, MUL = 2, RELU = 3;

export interface TapeStep {
  loss: number;
  accuracy: number;
  /** Nodes on the tape this step (the engine's graph has the same count). */
  nodes: number;
}

export interface TapeTrainer {
  step(X: number[][], y: number[], learningRate: number): TapeStep;
  /** Bytes the tape spends per node: value, grad, two inputs, op code. */
  readonly bytesPerNode: number;
}

/** A tape trainer starting from `model`'s current parameters (the model itself is not touched). */
export function tapeTrainer(model: MLP): TapeTrainer {
  const layers = model.layers.map((l) => ({ nin: l.neurons[0]!.w.length, nout: l.neurons.length, relu: l.neurons[0]!.activation === "relu" }));
  if (model.layers.some((l) => l.neurons.some((n) => n.activation === "tanh"))) throw new Error("tapeTrainer: only ReLU and linear neurons (micrograd's demo)");
  const params = Float64Array.from(model.parameters(), (p) => p.data);
  const P = params.length;
  let cap = 1 << 17;
  let data = new Float64Array(cap);
  let grad = new Float64Array(cap);
  let ia = new Int32Array(cap);
  let ib = new Int32Array(cap);
  let op = new Uint8Array(cap);
  let n = 0;

  function grow(): void {
    cap *= 2;
    const d = new Float64Array(cap); d.set(data); data = d;
    grad = new Float64Array(cap);
    const a = new Int32Array(cap); a.set(ia); ia = a;
    const b = new Int32Array(cap); b.set(ib); ib = b;
    const o = new Uint8Array(cap); o.set(op); op = o;
  }
  const leaf = (x: number): number => {
    if (n === cap) grow();
    data[n] = x;
    op[n] = LEAF;
    return n++;
  };
  const node = (code: number, a: number, b: number, x: number): number => {
    if (n === cap) grow();
    data[n] = x;
    op[n] = code;
    ia[n] = a;
    ib[n] = b;
    return n++;
  };
  const add = (a: number, b: number) => node(ADD, a, b, data[a] + data[b]);
  const mul = (a: number, b: number) => node(MUL, a, b, data[a] * data[b]);
  const relu = (a: number) => node(RELU, a, -1, data[a] < 0 ? 0 : data[a]);

  function step(X: number[][], y: number[], learningRate: number): TapeStep {
    n = 0;
    for (let i = 0; i < P; i++) leaf(params[i]); // parameter i is node i
    const scores: number[] = [];
    for (const x of X) {
      let inputs: number[] = [];
      let numbers: number[] | null = x; // the first layer multiplies by plain numbers: a fresh leaf per use, as Value.mul(number) makes
      let p = 0;
      for (const L of layers) {
        const out: number[] = [];
        for (let j = 0; j < L.nout; j++) {
          let act = p + L.nin; // the bias
          for (let i = 0; i < L.nin; i++) act = add(act, mul(p + i, numbers ? leaf(numbers[i]) : inputs[i]));
          p += L.nin + 1;
          out.push(L.relu ? relu(act) : act);
        }
        inputs = out;
        numbers = null;
      }
      scores.push(inputs[0]);
    }
    // maxMarginLoss: mean of relu(1 − yᵢ·scoreᵢ), plus 1e-4 · Σ p², in its order
    let dataLoss = relu(add(mul(scores[0], leaf(-y[0])), leaf(1)));
    for (let i = 1; i < scores.length; i++) dataLoss = add(dataLoss, relu(add(mul(scores[i], leaf(-y[i])), leaf(1))));
    dataLoss = mul(dataLoss, leaf(1 / scores.length));
    let squares = mul(0, 0);
    for (let i = 1; i < P; i++) squares = add(squares, mul(i, i));
    const loss = add(dataLoss, mul(squares, leaf(1e-4)));
    let correct = 0;
    for (let i = 0; i < scores.length; i++) if (data[scores[i]] > 0 === y[i] > 0) correct++;

    // backward: the tape is in creation order, a topological order; the same products as Value.backwardStep
    grad.fill(0, 0, n);
    grad[loss] = 1;
    for (let v = n - 1; v >= 0; v--) {
      const g = grad[v];
      const a = ia[v];
      switch (op[v]) {
        case ADD: grad[a] += g; grad[ib[v]] += g; break;
        case MUL: { const b = ib[v]; const xa = data[a], xb = data[b]; grad[a] += xb * g; grad[b] += xa * g; break; }
        case RELU: grad[a] += (data[a] > 0 ? 1 : 0) * g; break;
      }
    }
    for (let i = 0; i < P; i++) params[i] -= learningRate * grad[i];
    return { loss: data[loss], accuracy: correct / scores.length, nodes: n };
  }
  return { step, bytesPerNode: 8 + 8 + 4 + 4 + 1 };
}
