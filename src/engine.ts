/**
 * The autograd engine: a scalar `Value` that remembers how it was computed.
 *
 * Every operation builds its result with `Value.from(data, inputs, localGrads, op)`:
 * the forward value and the local derivative of the result with respect to each
 * input sit on the same line. `backward()` then only has to apply the chain rule:
 * walk the graph from the output back to the leaves and add
 * `localGrad * result.grad` into each input's `grad`.
 *
 * Storing local derivatives as numbers (instead of one closure per node, as the
 * lecture does in Python) keeps the graph small and fast without changing the math.
 */

/** What the binary operations accept on their right-hand side. */
export type Operand = Value | number;

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/** Round for display the way the lecture's prints read (full precision, no noise). */
function fmt(x: number): string {
  return String(x);
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (typeof x === "string") return `the string ${JSON.stringify(x)}`;
  if (typeof x === "object") return `an object (${Object.prototype.toString.call(x).slice(8, -1)})`;
  return `${typeof x} ${String(x)}`;
}

/** Turn a number into a leaf Value; reject anything that is neither. */
function toValue(x: unknown, op: string): Value {
  if (x instanceof Value) return x;
  if (typeof x === "number") return new Value(x);
  throw new TypeError(`Value.${op}: expected a Value or a number, got ${describe(x)}`);
}

/** Marks for the graph walk: a node is "seen" when its mark equals the current walk's number. */
let walkCounter = 0;

export class Value {
  /** The number this node holds (the forward pass). */
  data: number;
  /** d(output)/d(this), filled in by `backward()` on some output. */
  grad = 0;
  /** The values this one was computed from (empty for a leaf). */
  readonly inputs: readonly Value[];
  /** d(this)/d(inputs[i]) for each input, computed during the forward pass. */
  readonly localGrads: readonly number[];
  /** The operation that produced this value ("" for a leaf). */
  readonly op: string;
  /** A name for drawings and prints. */
  label: string;
  /** Scratch mark for graph walks (see `topologicalOrder`). */
  private mark = 0;

  constructor(data: number, label = "") {
    if (typeof data !== "number") {
      throw new TypeError(`new Value: expected a number, got ${describe(data)}`);
    }
    this.data = data;
    this.label = label;
    this.inputs = [];
    this.localGrads = [];
    this.op = "";
  }

  /** Build the result of an operation: its value, its inputs, and d(result)/d(input) for each. */
  static from(data: number, inputs: Value[], localGrads: number[], op: string): Value {
    const v = new Value(data);
    (v as { inputs: readonly Value[] }).inputs = inputs;
    (v as { localGrads: readonly number[] }).localGrads = localGrads;
    (v as { op: string }).op = op;
    return v;
  }

  /** Give this value a name (for graphs and prints) and return it, so it chains. */
  named(label: string): this {
    this.label = label;
    return this;
  }

  // ---- operations: forward value, then the local derivative(s) ----

  add(other: Operand): Value {
    const o = toValue(other, "add");
    return Value.from(this.data + o.data, [this, o], [1, 1], "+");
  }

  sub(other: Operand): Value {
    const o = toValue(other, "sub");
    return Value.from(this.data - o.data, [this, o], [1, -1], "-");
  }

  mul(other: Operand): Value {
    const o = toValue(other, "mul");
    return Value.from(this.data * o.data, [this, o], [o.data, this.data], "*");
  }

  div(other: Operand): Value {
    const o = toValue(other, "div");
    const b = o.data;
    // d(a/b)/da = 1/b,  d(a/b)/db = -a/b²
    return Value.from(this.data / b, [this, o], [1 / b, -this.data / (b * b)], "/");
  }

  /** this ** n for a number exponent n (d/dx xⁿ = n·xⁿ⁻¹). */
  pow(n: number): Value {
    if (typeof n !== "number") {
      const got: unknown = n;
      throw new TypeError(
        `Value.pow: the exponent must be a number, got ${got instanceof Value ? "a Value (only number exponents are supported)" : describe(got)}`,
      );
    }
    const x = this.data;
    return Value.from(x ** n, [this], [n * x ** (n - 1)], `**${n}`);
  }

  neg(): Value {
    return Value.from(-this.data, [this], [-1], "neg");
  }

  exp(): Value {
    const e = Math.exp(this.data); // overflows to Infinity, never NaN
    return Value.from(e, [this], [e], "exp");
  }

  log(): Value {
    const x = this.data;
    return Value.from(Math.log(x), [this], [1 / x], "log");
  }

  tanh(): Value {
    const t = Math.tanh(this.data); // saturates to ±1 for large inputs, unlike (e^2x-1)/(e^2x+1)
    return Value.from(t, [this], [1 - t * t], "tanh");
  }

  relu(): Value {
    const x = this.data;
    return Value.from(x > 0 ? x : 0, [this], [x > 0 ? 1 : 0], "ReLU");
  }

  sigmoid(): Value {
    const x = this.data;
    // Two forms so that exp never overflows: for x ≥ 0 use 1/(1+e^-x), else e^x/(1+e^x).
    const s = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    return Value.from(s, [this], [s * (1 - s)], "sigmoid");
  }

  // ---- the backward pass ----

  /** Chain rule for one node: pass this node's grad, times each local derivative, to its inputs. */
  backwardStep(): void {
    const { inputs, localGrads, grad } = this;
    for (let i = 0; i < inputs.length; i++) inputs[i].grad += localGrads[i] * grad;
  }

  /**
   * Fill `grad` for every value this one depends on: d(this)/d(node).
   * Gradients accumulate (+=), so call `zeroGrad` between steps, as in the lecture.
   */
  backward(): void {
    const order = topologicalOrder(this);
    this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) order[i].backwardStep();
  }

  toString(): string {
    return `Value(data=${fmt(this.data)}, grad=${fmt(this.grad)})`;
  }

  /** What Node's console.log (and so tslab) prints. */
  [inspectSymbol](): string {
    return this.toString();
  }

  /** @internal used by topologicalOrder */
  static visit(v: Value, walk: number): boolean {
    if (v.mark === walk) return false;
    v.mark = walk;
    return true;
  }
}

/**
 * Every value `root` depends on, each after all of its inputs (leaves first, root last).
 * An explicit stack instead of recursion, so a chain of a million nodes does not
 * overflow the call stack.
 */
export function topologicalOrder(root: Value): Value[] {
  const walk = ++walkCounter;
  const order: Value[] = [];
  // Each stack entry is a node and how many of its inputs we have already descended into.
  const nodes: Value[] = [root];
  const next: number[] = [0];
  Value.visit(root, walk);
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const v = nodes[top];
    const i = next[top];
    if (i < v.inputs.length) {
      next[top] = i + 1;
      const child = v.inputs[i];
      if (Value.visit(child, walk)) {
        nodes.push(child);
        next.push(0);
      }
    } else {
      order.push(v);
      nodes.pop();
      next.pop();
    }
  }
  return order;
}
