/**
 * `practiceExpression`: a small random expression to backpropagate by hand.
 *
 * Seeded, so a teacher can name one ("seed 7 of lesson 03"). The operations come from the lesson:
 * `+ * tanh` while the lessons only know those (03–05), every operation of the engine from lesson 06
 * on. Numbers are small (whole numbers and halves), so the chain rule is the hard part, not the
 * arithmetic, and one value is always used twice, so its gradient is a sum (`+=`).
 */
import { Value, topologicalOrder } from "../engine.js";
import { SeededRandom } from "../random.js";

export type PracticeOp = "+" | "*" | "tanh" | "-" | "/" | "**2" | "exp" | "relu" | "neg";

/** The operations each lesson draws from (lessons not listed get every operation). */
export const LESSON_OPS: Record<string, readonly PracticeOp[]> = {
  "03-manual-backprop": ["+", "*"],
  "04-neuron-tanh": ["+", "*", "tanh"],
  "05-backward": ["+", "*", "tanh"],
};
export const ALL_OPS: readonly PracticeOp[] = ["+", "*", "tanh", "-", "/", "**2", "exp", "relu", "neg"];

export function opsFor(lesson: string | undefined): readonly PracticeOp[] {
  return (lesson !== undefined && LESSON_OPS[lesson]) || ALL_OPS;
}

export interface ExpressionOptions {
  /** Operations to draw from (default: every one). */
  ops?: readonly PracticeOp[];
  /** How many operations (default 4; at least 2, at most 8, so the drawing stays readable). */
  size?: number;
}

const UNARY = new Set<PracticeOp>(["tanh", "**2", "exp", "relu", "neg"]);

/** Whole numbers and halves from -3 to 3, never 0 (a 0 makes every product's gradient trivial). */
function smallNumber(rng: SeededRandom): number {
  const choices = [-3, -2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 3];
  return choices[Math.floor(rng.random() * choices.length)]!;
}

function pick<T>(rng: SeededRandom, xs: readonly T[]): T {
  return xs[Math.floor(rng.random() * xs.length)]!;
}

function apply(op: PracticeOp, x: Value, y: Value): Value | undefined {
  switch (op) {
    case "+": return x.add(y);
    case "*": return x.mul(y);
    case "-": return x.sub(y);
    case "/": return Math.abs(y.data) < 0.5 ? undefined : x.div(y);
    case "tanh": return x.tanh();
    case "**2": return Math.abs(x.data) > 4 ? undefined : x.pow(2);
    case "exp": return x.data > 2 ? undefined : x.exp();
    case "relu": return x.relu();
    case "neg": return x.neg();
  }
}

/**
 * A fresh expression from `seed`: leaves `a, b, c…`, intermediate results `d, e…`, the root `L`.
 * The same seed and options always give the same expression.
 */
export function practiceExpression(seed: number, options: ExpressionOptions = {}): Value {
  const ops = options.ops ?? ALL_OPS;
  const size = Math.min(8, Math.max(2, Math.round(options.size ?? 4)));
  if (ops.length === 0 || !ops.some((op) => !UNARY.has(op))) {
    throw new Error(`practiceExpression: the operations ${JSON.stringify(ops)} need at least one of + * - / to combine values`);
  }
  const rng = new SeededRandom(seed);
  // A draw can be dull (a 0 somewhere makes whole branches' grads 0) or wild (exp of exp): draw again.
  for (let attempt = 0; attempt < 100; attempt++) {
    const root = draw(rng, ops, size);
    if (interesting(root)) return root;
  }
  throw new Error(`practiceExpression: no usable expression for seed ${seed} and operations ${JSON.stringify(ops)}`);
}

/**
 * `root`'s graph in topological order (leaves first, as the drawing lists it) and each node's
 * d(root)/d(node), worked out here rather than by root.backward(), so the graph's own grads stay
 * untouched (a learner's graph may be the one passed).
 */
export function gradientsOf(root: Value): { order: Value[]; grads: number[] } {
  const order = topologicalOrder(root);
  const index = new Map(order.map((v, i) => [v, i]));
  const grads = order.map(() => 0);
  grads[order.length - 1] = 1;
  for (let k = order.length - 1; k >= 0; k--) {
    order[k]!.inputs.forEach((x, j) => (grads[index.get(x)!]! += order[k]!.localGrads[j]! * grads[k]!));
  }
  return { order, grads };
}

/** Every grad and every value nonzero and of a size one can work with by hand. */
function interesting(root: Value): boolean {
  const { order, grads } = gradientsOf(root);
  const ok = (x: number) => Number.isFinite(x) && Math.abs(x) >= 0.01 && Math.abs(x) <= 200;
  return order.every((v, i) => ok(v.data) && ok(grads[i]!));
}

function draw(rng: SeededRandom, ops: readonly PracticeOp[], size: number): Value {
  const letters = "abcdefghijkmnpqrstuvwxyz"; // no l (looks like 1), no o (looks like 0)
  let next = 0;
  const name = (v: Value): Value => v.named(letters[next++] ?? `v${next}`);
  const leafCount = Math.min(4, size);
  const leaves = Array.from({ length: leafCount }, () => name(new Value(smallNumber(rng))));
  // Values not yet used as an input: the expression ends when only one is left.
  const open: Value[] = [...leaves];
  const used: Value[] = [];
  const binary = ops.filter((op) => !UNARY.has(op));
  let reused = false;
  for (let step = 0; step < size || open.length > 1; step++) {
    const last = step >= size - 1;
    // Still several open values (or time to reuse one): combine two; else maybe a unary op.
    let op = last || open.length > 2 ? pick(rng, binary) : pick(rng, ops);
    const x = open.splice(Math.floor(rng.random() * open.length), 1)[0]!;
    let y: Value = x;
    if (!UNARY.has(op)) {
      // The reuse: a value already feeding another node feeds this one too.
      if (!reused && used.length > 0 && (open.length === 0 || rng.random() < 0.5)) {
        y = pick(rng, used);
        reused = true;
      } else if (open.length > 0) {
        y = open.splice(Math.floor(rng.random() * open.length), 1)[0]!;
      } else {
        y = name(new Value(smallNumber(rng)));
      }
    }
    let out = apply(op, x, y);
    if (out === undefined) {
      op = "+";
      out = x.add(y);
    }
    if (!used.includes(x)) used.push(x);
    if (y !== x && !used.includes(y)) used.push(y);
    open.push(name(out));
  }
  let root = open[0]!;
  if (!reused) {
    // Never happened by chance: reuse the first leaf at the top.
    root = pick(rng, binary) === "*" ? root.mul(leaves[0]!) : root.add(leaves[0]!);
  }
  return root.named("L");
}

/** How many nodes use each value as an input (a value used twice has 2). */
export function useCounts(root: Value): Map<Value, number> {
  const counts = new Map<Value, number>();
  for (const v of topologicalOrder(root)) counts.set(v, counts.get(v) ?? 0);
  for (const v of counts.keys()) for (const x of v.inputs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return counts;
}
