/**
 * The autograd engine: a scalar `Value` that remembers how it was computed.
 *
 * Every operation returns `result(forward value, op, input, d(result)/d(input), …)`:
 * the value and its local derivatives sit on one line. `backward()` then only applies
 * the chain rule: it walks the graph from the output back to the leaves and adds
 * `localGrad * result.grad` into each input's `grad`.
 *
 * Why numbers instead of one closure per node (as the lecture does in Python): a node
 * is then one small object, with no arrays or functions hanging off it. Training builds
 * tens of thousands of nodes per step, and most of the time of a naive port goes into
 * allocating and garbage-collecting them; the mathematics is the same.
 */

import { describe } from "./format.js";

/** What the binary operations accept on their right-hand side. */
export type Operand = Value | number;

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/** Turn a number into a leaf Value; reject anything that is neither. */
function toValue(x: unknown, op: string): Value {
  if (x instanceof Value) return x;
  if (typeof x === "number") return new Value(x);
  throw new TypeError(`Value.${op}: expected a Value or a number, got ${describe(x)}`);
}

/** Marks for graph walks: a node is "seen" when its mark equals the current walk's number. */
let walkCounter = 0;

export class Value {
  /** The number this node holds (the forward pass). */
  data: number;
  /** d(output)/d(this), filled in by `backward()` on some output. */
  grad: number;
  /** A name for drawings and prints. */
  label: string;
  /** The operation that produced this value ("" for a leaf). */
  readonly op: string;
  // Up to two inputs, each stored next to the local derivative d(this)/d(input).
  private readonly a: Value | null;
  private readonly da: number;
  private readonly b: Value | null;
  private readonly db: number;
  /** Scratch mark for graph walks (see `topologicalOrder`). */
  private mark: number;

  /**
   * `new Value(2, "a")` makes a leaf. Operations pass the rest (see `result` below):
   * the op's name and each input followed by its local derivative.
   */
  constructor(data: number, label = "", op = "", a: Value | null = null, da = 0, b: Value | null = null, db = 0) {
    if (typeof data !== "number") {
      throw new TypeError(`new Value: expected a number, got ${describe(data)}`);
    }
    this.data = data;
    this.grad = 0;
    this.label = label;
    this.op = op;
    this.a = a;
    this.da = da;
    this.b = b;
    this.db = db;
    this.mark = 0;
  }

  /** The values this one was computed from (empty for a leaf). */
  get inputs(): Value[] {
    if (this.a === null) return [];
    return this.b === null ? [this.a] : [this.a, this.b];
  }

  /** d(this)/d(input) for each of `inputs`, computed during the forward pass. */
  get localGrads(): number[] {
    if (this.a === null) return [];
    return this.b === null ? [this.da] : [this.da, this.db];
  }

  /** Give this value a name (for graphs and prints) and return it, so it chains. */
  named(label: string): this {
    this.label = label;
    return this;
  }

  // ---- operations: the forward value, then each input with its local derivative ----

  add(other: Operand): Value {
    const o = toValue(other, "add");
    return result(this.data + o.data, "+", this, 1, o, 1);
  }

  sub(other: Operand): Value {
    const o = toValue(other, "sub");
    return result(this.data - o.data, "-", this, 1, o, -1);
  }

  mul(other: Operand): Value {
    const o = toValue(other, "mul");
    return result(this.data * o.data, "*", this, o.data, o, this.data);
  }

  div(other: Operand): Value {
    const o = toValue(other, "div");
    const x = this.data;
    const y = o.data;
    // d(x/y)/dx = 1/y,  d(x/y)/dy = -x/y²
    return result(x / y, "/", this, 1 / y, o, -x / (y * y));
  }

  /** this ** n for a number exponent n: d/dx xⁿ = n·xⁿ⁻¹. */
  pow(n: number): Value {
    if (typeof n !== "number") {
      const got: unknown = n;
      const what = got instanceof Value ? "a Value (only number exponents are supported: use .data)" : describe(got);
      throw new TypeError(`Value.pow: the exponent must be a number, got ${what}`);
    }
    const x = this.data;
    // n = 0: x⁰ is the constant 1, whose slope is 0 everywhere (0 · 0⁻¹ would be NaN at x = 0).
    return result(x ** n, `**${n}`, this, n === 0 ? 0 : n * x ** (n - 1));
  }

  neg(): Value {
    return result(-this.data, "neg", this, -1);
  }

  exp(): Value {
    const e = Math.exp(this.data); // overflows to Infinity, never NaN
    return result(e, "exp", this, e);
  }

  log(): Value {
    const x = this.data;
    return result(Math.log(x), "log", this, 1 / x);
  }

  tanh(): Value {
    // Math.tanh saturates to ±1 for large inputs, where (e^2x − 1)/(e^2x + 1) gives ∞/∞ = NaN.
    const t = Math.tanh(this.data);
    return result(t, "tanh", this, 1 - t * t);
  }

  relu(): Value {
    const x = this.data;
    // As micrograd: only a negative input becomes 0, so a NaN (a diverged value) stays visible.
    return result(x < 0 ? 0 : x, "ReLU", this, x > 0 ? 1 : 0);
  }

  sigmoid(): Value {
    const x = this.data;
    // Written so that exp never overflows: e^-x for x ≥ 0, e^x for x < 0.
    const s = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    return result(s, "sigmoid", this, s * (1 - s));
  }

  // ---- the backward pass ----

  /** The chain rule at one node: pass this node's grad, times each local derivative, to its inputs. */
  backwardStep(): void {
    if (this.a !== null) this.a.grad += this.da * this.grad;
    if (this.b !== null) this.b.grad += this.db * this.grad;
  }

  /**
   * Fill `grad` for every value this one depends on: d(this)/d(node).
   * Gradients accumulate (+=), so zero them between training steps, as in the lecture.
   */
  backward(): void {
    const order = topologicalOrder(this);
    this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) order[i].backwardStep();
  }

  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }

  /** What Node's console.log (and so tslab) prints. */
  [inspectSymbol](): string {
    return this.toString();
  }

  /**
   * Every value `root` depends on, each after all of its inputs (leaves first, root
   * last). An explicit stack instead of recursion, so that a chain of a million nodes
   * cannot overflow the call stack.
   */
  static topologicalOrder(root: Value): Value[] {
    const walk = ++walkCounter;
    const order: Value[] = [];
    // The stack is a path from the root down. A node leaves it (into `order`) once
    // both of its inputs are marked; a marked input is already in `order`, because
    // in a graph without cycles it cannot be one of the node's own ancestors.
    const stack: Value[] = [root];
    root.mark = walk;
    while (stack.length > 0) {
      const v = stack[stack.length - 1];
      const { a, b } = v;
      if (a !== null && a.mark !== walk) {
        a.mark = walk;
        stack.push(a);
      } else if (b !== null && b.mark !== walk) {
        b.mark = walk;
        stack.push(b);
      } else {
        order.push(stack.pop()!);
      }
    }
    return order;
  }
}

/** The node an operation returns: its value, its name, and each input with d(result)/d(input). */
function result(data: number, op: string, a: Value, da: number, b: Value | null = null, db = 0): Value {
  return new Value(data, "", op, a, da, b, db);
}

/** Every value `root` depends on, inputs before the values computed from them (root last). */
export const topologicalOrder = Value.topologicalOrder;
