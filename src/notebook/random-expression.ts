/**
 * Random expressions for hidden tests: a small recipe of operations on a few leaves, drawn from a
 * generator (`freshRng()` in a check cell), that can be built with any `Value` class (the learner's,
 * the library's) and compared node by node.
 *
 * A check that builds the same recipe with the learner's class and with the library's `Value` can say
 * *where* the learner's engine differs: the first node whose forward value differs, or, going from
 * the output back, the first node whose gradient does ("n3 = tanh(n2): your grad 0.3, the library's
 * 0.42"). The recipe prints itself, so a failing test names the inputs it used.
 */
import { Value } from "../engine.js";
import type { Rng } from "../random.js";
import { formatNumber } from "../format.js";

/** The operations a recipe may use: method names of `Value` (`pow` takes a number exponent). */
export type ExpressionOp = "add" | "mul" | "sub" | "div" | "tanh" | "exp" | "pow" | "neg" | "relu";

export interface ExpressionStep {
  op: ExpressionOp;
  /** Indices of the operands among the nodes so far (leaves first). */
  a: number;
  b?: number;
  /** The exponent of `pow`. */
  k?: number;
}

export interface RandomExpressionOptions {
  /** Which operations to draw from. */
  ops: readonly ExpressionOp[];
  /** How many leaves (default 3). */
  leaves?: number;
  /** How many operations (default 6). */
  steps?: number;
  /**
   * true (default): operands are any earlier nodes, and at least one node is used twice, so a
   * backward pass must accumulate; false: a tree, every node used once (for `=` steps).
   */
  reuse?: boolean;
}

/** What `build` needs of a class: a constructor-like factory; nodes have `data` and `grad`. */
export interface NodeLike {
  data: number;
  grad: number;
}

const BINARY = new Set<ExpressionOp>(["add", "mul", "sub", "div"]);
const SYMBOL: Partial<Record<ExpressionOp, string>> = { add: "+", mul: "*", sub: "-", div: "/" };

export class RandomExpression {
  constructor(
    readonly leafData: readonly number[],
    readonly steps: readonly ExpressionStep[],
  ) {}

  /** The node names: x0, x1, … for leaves, n3, n4, … for results; the last is the output. */
  name(i: number): string {
    return i < this.leafData.length ? `x${i}` : `n${i}`;
  }

  /** "x0 = 0.5, x1 = -1.25; n2 = x0 * x1; n3 = tanh(n2)": the recipe, to name a failing test's inputs. */
  toString(): string {
    const leaves = this.leafData.map((x, i) => `${this.name(i)} = ${formatNumber(x)}`).join(", ");
    return `${leaves}; ${this.steps.map((s, j) => `${this.name(this.leafData.length + j)} = ${this.formula(s)}`).join("; ")}`;
  }

  formula(s: ExpressionStep): string {
    const a = this.name(s.a);
    if (BINARY.has(s.op)) return `${a} ${SYMBOL[s.op]} ${this.name(s.b!)}`;
    if (s.op === "pow") return `${a}**${s.k}`;
    return `${s.op}(${a})`;
  }

  /**
   * Build the recipe with a class: `leaf(data, label)` makes each leaf, and every step calls the
   * operand's method (`a.add(b)`, `a.tanh()`, `a.pow(k)`). Returns every node, leaves first, output last.
   * Any class will do (lesson 2's has no `grad`); `compare` needs `data` and `grad`.
   */
  build<V>(leaf: (data: number, label: string) => V): V[] {
    const nodes: V[] = this.leafData.map((x, i) => leaf(x, this.name(i)));
    for (const s of this.steps) {
      const a = nodes[s.a] as unknown as Record<string, (...args: unknown[]) => V>;
      const method = a[s.op];
      if (typeof method !== "function") throw new TypeError(`${this.formula(s)}: your value has no ${s.op}() method`);
      const args = BINARY.has(s.op) ? [nodes[s.b!]] : s.op === "pow" ? [s.k] : [];
      nodes.push(method.apply(a, args));
    }
    return nodes;
  }

  /** The recipe built with the library's `Value`, after `backward()` on the output: the reference. */
  reference(): Value[] {
    const nodes = this.build((x, label) => new Value(x, label));
    nodes[nodes.length - 1].backward();
    return nodes;
  }

  /**
   * Compare nodes built with `build` (and, when `grads`, after a backward pass from the output) with
   * the library's. Undefined when they agree within `tol` (relative above 1); otherwise one line: the
   * first node whose value differs, from the leaves up, else the first whose gradient differs, from the
   * output down (where a wrong backward step first shows), and the recipe.
   */
  compare(yours: readonly NodeLike[], { grads = true, tol = 1e-9 } = {}): string | undefined {
    const ref = this.reference();
    if (!Array.isArray(yours) || yours.length !== ref.length) {
      return `expected ${ref.length} nodes, got ${Array.isArray(yours) ? yours.length : String(yours)} (for ${this})`;
    }
    const off = (got: unknown, want: number) =>
      typeof got !== "number" || !(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)) || got === want);
    const what = (i: number) => (i < this.leafData.length ? `leaf ${this.name(i)}` : `${this.name(i)} = ${this.formula(this.steps[i - this.leafData.length])}`);
    for (let i = 0; i < ref.length; i++) {
      if (off(yours[i]?.data, ref[i].data)) {
        return `${what(i)}: your value is ${show(yours[i]?.data)}, the library's ${formatNumber(ref[i].data)} (for ${this})`;
      }
    }
    if (!grads) return undefined;
    for (let i = ref.length - 1; i >= 0; i--) {
      if (off(yours[i]?.grad, ref[i].grad)) {
        // A node's gradient comes from the steps of the nodes that use it: that is where to look.
        const users = this.steps.flatMap((s, j) => (s.a === i || s.b === i ? [`${this.name(this.leafData.length + j)} = ${this.formula(s)}`] : []));
        const from = users.length > 0 ? `; it gets its gradient from ${users.join(" and ")}` : "";
        return `${what(i)}: your grad is ${show(yours[i]?.grad)}, the library's ${formatNumber(ref[i].grad)}${from} (for ${this})`;
      }
    }
    return undefined;
  }
}

function show(x: unknown): string {
  return typeof x === "number" ? formatNumber(x) : String(x);
}

/** A number in [lo, hi] with three decimals, so that a printed recipe is exact. */
function draw(rng: Rng, lo: number, hi: number): number {
  return Math.round(rng.uniform(lo, hi) * 1000) / 1000;
}

/** A random recipe; its values stay moderate (|data| ≤ 50) so gradients compare well. */
export function randomExpression(rng: Rng, options: RandomExpressionOptions): RandomExpression {
  const { ops, leaves = 3, steps = 6, reuse = true } = options;
  if (ops.length === 0) throw new Error("randomExpression: ops must name at least one operation");
  if (!(leaves >= 2) || !(steps >= 1)) throw new Error("randomExpression: need 2 leaves or more and 1 step or more");
  for (let attempt = 0; attempt < 1000; attempt++) {
    const leafData = Array.from({ length: leaves }, () => {
      const x = draw(rng, -2, 2);
      return Math.abs(x) < 0.1 ? x + 0.5 : x; // keep away from 0: div, and pow with a negative base
    });
    const recipe: ExpressionStep[] = [];
    const pool = leafData.map((_, i) => i); // tree mode: nodes not used yet
    const pick = (n: number) => Math.min(n - 1, Math.floor(rng.random() * n));
    let reused = false;
    for (let j = 0; j < steps || (!reuse && pool.length > 1); j++) {
      const count = leaves + recipe.length;
      let op = ops[pick(ops.length)];
      if (!reuse && pool.length > 1 && j >= steps) op = ops.find((o) => BINARY.has(o)) ?? "add";
      if (!reuse && pool.length < 2 && BINARY.has(op)) op = ops.find((o) => !BINARY.has(o)) ?? op;
      if (!reuse && pool.length < 2 && BINARY.has(op)) break;
      const step: ExpressionStep = { op, a: 0 };
      if (reuse) {
        // Lean on recent nodes so the output depends on most of the graph.
        step.a = count - 1 - pick(Math.min(count, 3));
        if (BINARY.has(op)) {
          step.b = pick(count);
          if (step.b === step.a || recipe.some((s) => s.a === step.b || s.b === step.b)) reused = true;
        }
      } else {
        step.a = pool.splice(pick(pool.length), 1)[0];
        if (BINARY.has(op)) step.b = pool.splice(pick(pool.length), 1)[0];
      }
      if (op === "pow") step.k = [2, 3][pick(2)];
      recipe.push(step);
      if (!reuse) pool.push(count);
    }
    if (reuse && !reused && recipe.length > 0) continue;
    const expr = new RandomExpression(leafData, recipe);
    const values = expr.reference();
    const sane = values.every((v) => Number.isFinite(v.data) && Math.abs(v.data) <= 50 && Number.isFinite(v.grad) && Math.abs(v.grad) <= 1e4);
    // Every leaf must matter: a grad of exactly 0 would pass a step that forgot that leaf.
    const used = leafData.every((_, i) => recipe.some((s) => s.a === i || s.b === i));
    if (sane && used && values[values.length - 1].inputs.length > 0) return expr;
  }
  throw new Error("randomExpression: no recipe with moderate values found; use fewer steps");
}
