/**
 * The backward pass replayed one node at a time, without touching anyone's `grad`.
 *
 * `backward()` seeds the root with grad 1, then calls `backwardStep()` on every value
 * in reverse topological order. Here the same additions run on a private array of
 * grads, so a learner can look at each step while their own graph stays as it was.
 */
import { topologicalOrder, type Value } from "../engine.js";

export interface BackwardFrame {
  /** Index (in `order`) of the value whose chain-rule step this frame shows. */
  node: number;
  /** Every value's grad right after that step, indexed like `order`. */
  grads: number[];
  /** Whether each value has received any gradient yet (the root counts from the seed). */
  touched: boolean[];
  /** Indexes of the inputs this step added to (empty for a leaf). */
  updated: number[];
}

export interface BackwardReplay {
  /** Topological order, leaves first: the same order `backward()` walks in reverse. */
  order: Value[];
  /** One frame per value, in the order `backward()` visits them: root first. */
  frames: BackwardFrame[];
}

export function replayBackward(root: Value): BackwardReplay {
  const order = topologicalOrder(root);
  const index = new Map(order.map((v, i) => [v, i]));
  const grads = order.map(() => 0);
  const touched = order.map(() => false);
  const last = order.length - 1;
  grads[last] = 1; // the seed: d(root)/d(root)
  touched[last] = true;
  const frames: BackwardFrame[] = [];
  for (let k = last; k >= 0; k--) {
    const v = order[k];
    const updated: number[] = [];
    // The same arithmetic, in the same order, as Value.backwardStep, so the numbers match exactly.
    for (let j = 0; j < v.inputs.length; j++) {
      const i = index.get(v.inputs[j])!;
      grads[i] += v.localGrads[j] * grads[k];
      touched[i] = true;
      if (!updated.includes(i)) updated.push(i);
    }
    frames.push({ node: k, grads: grads.slice(), touched: touched.slice(), updated });
  }
  return { order, frames };
}
