/**
 * The autograd engine: a scalar `Value` that remembers how it was computed.
 *
 * Every operation computes its forward value and returns a node that records the op and
 * its inputs; `backwardStep()` holds each op's local derivatives, d(result)/d(input), one
 * line per op, and `backward()` applies the chain rule: from the output back to the
 * leaves, each node adds `localGrad * result.grad` into each of its inputs' `grad`.
 *
 * Why it is written this way rather than with one closure per node (as the lecture does
 * in Python): training builds tens of thousands of nodes per step, and most of the time of
 * a naive port goes into allocating and garbage-collecting them. So a node is one small
 * object: its two inputs, the op, and the place of its two numbers in a shared array
 * (a number in an object field would be a heap object of its own). The local derivatives
 * are not stored either: at backward time they are computed from the op and the inputs'
 * values, as micrograd's `_backward` closures read `other.data`. And `backward()` finds the
 * nodes to visit by scanning them in reverse order of creation, which is already a
 * topological order, instead of walking the graph. That machinery lives in
 * `graph-store.ts`; the mathematics is the same.
 */

import { describe } from "./format.js";
import { backpropagate, claimSlot, slabInUse, logNode, OP_BITS, SLOT_SHIFT, type StoredNode, VISITED } from "./graph-store.js";

/** What the binary operations accept on their right-hand side. */
export type Operand = Value | number;

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

// The op codes a node keeps, and the names `op` shows for them (pow shows its exponent).
const LEAF = 0, ADD = 1, SUB = 2, MUL = 3, DIV = 4, POW = 5, NEG = 6, EXP = 7, LOG = 8, TANH = 9, RELU = 10, SIGMOID = 11;
const OP_NAMES = ["", "+", "-", "*", "/", "**", "neg", "exp", "log", "tanh", "ReLU", "sigmoid"];

/** A name for each Value that has one (most have none, so it is not a field of every node). */
const labels = new WeakMap<Value, string>();

/** Turn a number into a leaf Value; reject anything that is neither. */
function toValue(x: unknown, op: string): Value {
  if (x instanceof Value) return x;
  if (typeof x === "number") return new Value(x);
  throw new TypeError(`Value.${op}: expected a Value or a number, got ${describe(x)}`);
}

export class Value {
  // Up to two inputs. For pow, `b` is the exponent (a number), which is not an input.
  private readonly a: Value | null;
  private readonly b: Value | number | null;
  /** The slab holding this node's data (at 2·slot) and grad (at 2·slot + 1). */
  private readonly s: number[];
  /** The slot in `s` and the op code, packed into one integer (see graph-store.ts). */
  private k: number;

  /**
   * `new Value(2, "a")` makes a leaf. Operations pass the rest (see `node` below): the op
   * and its inputs.
   */
  constructor(data: number, label = "", op = LEAF, a: Value | null = null, b: Value | number | null = null) {
    if (typeof data !== "number") {
      throw new TypeError(`new Value: expected a number, got ${describe(data)}`);
    }
    if ((op & OP_BITS) !== op) {
      throw new TypeError(`new Value(data, label): the further parameters are the engine's own (got ${describe(op)}); build nodes with add, mul, …`);
    }
    const slot = claimSlot();
    this.a = a;
    this.b = b;
    this.s = slabInUse();
    this.k = (slot << SLOT_SHIFT) | op;
    this.s[slot << 1] = data;
    if (label !== "") labels.set(this, label);
  }

  /** The number this node holds (the forward pass). */
  get data(): number {
    return this.s[(this.k >> SLOT_SHIFT) << 1];
  }
  set data(x: number) {
    this.s[(this.k >> SLOT_SHIFT) << 1] = x;
  }

  /** d(output)/d(this), filled in by `backward()` on some output. */
  get grad(): number {
    return this.s[((this.k >> SLOT_SHIFT) << 1) + 1];
  }
  set grad(g: number) {
    this.s[((this.k >> SLOT_SHIFT) << 1) + 1] = g;
  }

  /** A name for drawings and prints. */
  get label(): string {
    return labels.get(this) ?? "";
  }
  set label(label: string) {
    labels.set(this, label);
  }

  /** The operation that produced this value ("" for a leaf). */
  get op(): string {
    const code = this.k & OP_BITS;
    return code === POW ? `**${this.b}` : OP_NAMES[code];
  }

  /** The values this one was computed from (empty for a leaf). */
  get inputs(): Value[] {
    const { a, b } = this;
    if (a === null) return [];
    return b instanceof Value ? [a, b] : [a];
  }

  /** d(this)/d(input) for each of `inputs`: the numbers `backwardStep` multiplies by this.grad. */
  get localGrads(): number[] {
    const a = this.a;
    if (a === null) return [];
    const b = this.b;
    const x = a.data;
    const y = b instanceof Value ? b.data : 0;
    const out = this.data;
    switch (this.k & OP_BITS) {
      case ADD: return [1, 1];
      case SUB: return [1, -1];
      case MUL: return [y, x];
      case DIV: return [1 / y, -x / (y * y)];
      case POW: return [powSlope(x, b as number)];
      case NEG: return [-1];
      case EXP: return [out];
      case LOG: return [1 / x];
      case TANH: return [1 - out * out];
      case RELU: return [x > 0 ? 1 : 0];
      default: return [out * (1 - out)]; // SIGMOID
    }
  }

  /** Give this value a name (for graphs and prints) and return it, so it chains. */
  named(label: string): this {
    labels.set(this, label);
    return this;
  }

  // ---- operations: the forward value (each one's derivative is in backwardStep) ----

  add(other: Operand): Value {
    const o = toValue(other, "add");
    return node(this.data + o.data, ADD, this, o);
  }

  sub(other: Operand): Value {
    const o = toValue(other, "sub");
    return node(this.data - o.data, SUB, this, o);
  }

  mul(other: Operand): Value {
    const o = toValue(other, "mul");
    return node(this.data * o.data, MUL, this, o);
  }

  div(other: Operand): Value {
    const o = toValue(other, "div");
    return node(this.data / o.data, DIV, this, o);
  }

  /** this ** n for a number exponent n. */
  pow(n: number): Value {
    if (typeof n !== "number") {
      const got: unknown = n;
      const what = got instanceof Value ? "a Value (only number exponents are supported: use .data)" : describe(got);
      throw new TypeError(`Value.pow: the exponent must be a number, got ${what}`);
    }
    return node(this.data ** n, POW, this, n);
  }

  neg(): Value {
    return node(-this.data, NEG, this, null);
  }

  exp(): Value {
    return node(Math.exp(this.data), EXP, this, null); // overflows to Infinity, never NaN
  }

  log(): Value {
    return node(Math.log(this.data), LOG, this, null);
  }

  tanh(): Value {
    // Math.tanh saturates to ±1 for large inputs, where (e^2x − 1)/(e^2x + 1) gives ∞/∞ = NaN.
    return node(Math.tanh(this.data), TANH, this, null);
  }

  relu(): Value {
    const x = this.data;
    // As micrograd: only a negative input becomes 0, so a NaN (a diverged value) stays visible.
    return node(x < 0 ? 0 : x, RELU, this, null);
  }

  sigmoid(): Value {
    const x = this.data;
    // Written so that exp never overflows: e^-x for x ≥ 0, e^x for x < 0.
    return node(x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)), SIGMOID, this, null);
  }

  // ---- the backward pass ----

  /**
   * The chain rule at one node: pass this node's grad, times each local derivative
   * d(this)/d(input), to its inputs. x and y are the inputs' values, out this node's.
   */
  backwardStep(): void {
    const a = this.a;
    if (a === null) return; // a leaf
    const g = this.grad;
    const b = this.b as Value; // an input for the binary ops below
    switch (this.k & OP_BITS) {
      case ADD: a.grad += g; b.grad += g; return;                           // d(x+y)/dx = 1, d/dy = 1
      case SUB: a.grad += g; b.grad += -1 * g; return;                      // 1, −1
      case MUL: { const x = a.data, y = b.data; a.grad += y * g; b.grad += x * g; return; } // y, x
      case DIV: { const x = a.data, y = b.data; a.grad += (1 / y) * g; b.grad += (-x / (y * y)) * g; return; } // 1/y, −x/y²
      case POW: a.grad += powSlope(a.data, this.b as number) * g; return;   // n·xⁿ⁻¹
      case NEG: a.grad += -1 * g; return;                                   // −1
      case EXP: a.grad += this.data * g; return;                            // eˣ = out
      case LOG: a.grad += (1 / a.data) * g; return;                         // 1/x
      case TANH: { const t = this.data; a.grad += (1 - t * t) * g; return; } // 1 − tanh² = 1 − out²
      case RELU: a.grad += (a.data > 0 ? 1 : 0) * g; return;                // 1 for x > 0, else 0
      case SIGMOID: { const s = this.data; a.grad += s * (1 - s) * g; return; } // σ(1 − σ)
    }
  }

  /**
   * Fill `grad` for every value this one depends on: d(this)/d(node).
   * Gradients accumulate (+=), so zero them between training steps, as in the lecture.
   */
  backward(): void {
    this.grad = 1;
    // micrograd: for v in reversed(topologicalOrder(this)): v.backwardStep(). The same steps,
    // found faster for a graph just built (graph-store.ts).
    backpropagate(this as unknown as StoredNode, Value.walk as unknown as (roots: StoredNode[]) => StoredNode[]);
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
    return Value.walk([root]);
  }

  /** topologicalOrder for several roots at once: each value once, after all of its inputs. */
  private static walk(roots: Value[]): Value[] {
    const order: Value[] = [];
    for (const root of roots) {
      if ((root.k & VISITED) !== 0) continue;
      // The stack is a path from the root down. A node leaves it (into `order`) once
      // both of its inputs are visited; a visited input is already in `order`, because
      // in a graph without cycles it cannot be one of the node's own ancestors.
      const stack: Value[] = [root];
      root.k |= VISITED;
      while (stack.length > 0) {
        const v = stack[stack.length - 1];
        const a = v.a;
        const b = v.b;
        if (a !== null && (a.k & VISITED) === 0) {
          a.k |= VISITED;
          stack.push(a);
        } else if (b instanceof Value && (b.k & VISITED) === 0) {
          b.k |= VISITED;
          stack.push(b);
        } else {
          order.push(stack.pop()!);
        }
      }
    }
    for (let i = 0; i < order.length; i++) order[i].k &= ~VISITED; // ready for the next walk
    return order;
  }
}

/** d/dx xⁿ = n·xⁿ⁻¹; for n = 0, x⁰ is the constant 1, whose slope is 0 everywhere (0 · 0⁻¹ would be NaN at x = 0). */
function powSlope(x: number, n: number): number {
  return n === 0 ? 0 : n * x ** (n - 1);
}

/** The node an operation returns: its value, its op, and its inputs. */
function node(data: number, op: number, a: Value, b: Value | number | null): Value {
  const v = new Value(data, "", op, a, b);
  logNode(v as unknown as StoredNode);
  return v;
}

/** Every value `root` depends on, inputs before the values computed from them (root last). */
export const topologicalOrder = Value.topologicalOrder;
