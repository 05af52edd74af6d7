/**
 * The engine's machinery, kept out of `engine.ts` so that it reads like micrograd: where a
 * `Value` keeps its numbers, and how `backward()` finds the nodes to visit without a graph
 * walk. Nothing here changes a result; it only changes how fast they come.
 *
 * **Numbers in slabs.** Node keeps a number held in an object field in a 16-byte box of its
 * own, so a Value with `data` and `grad` fields would be three heap objects, and training
 * makes ~69,000 Values a step. Here they live in shared slabs instead, a node's `data` at
 * 2·slot and its `grad` right after it: 16 bytes, and no object at all. A slab is a plain
 * array of doubles, which V8 stores unboxed: allocating one is a copy inside the JavaScript
 * heap, where a `Float64Array` of the same size costs an allocation outside it (in Chromium
 * that made slabs a third of a training step's time).
 * Each Value holds its slab, so a slab lives as long as one of its Values does, and the
 * garbage collector frees it with the last of them; slabs are never reused. A long-lived
 * Value (a parameter) keeps at most one slab (64 KB) alive.
 *
 * **The creation log.** Inputs are always made before the values computed from them, so
 * the order in which nodes are created is already a topological order. The log lists the
 * operation nodes (leaves have nothing to pass on) made since the last `backward()`, in
 * creation order. `backpropagate` scans it from the newest node down: a node is visited if
 * the root or an already visited node reached it, and the scan stops once nothing reached
 * is left. That replaces the graph walk, which on big graphs was most of backward's time.
 *
 * The fallbacks keep every case exact:
 * - a root that is not in the log (a second backward() on the same graph, a graph older than
 *   the last backward(), a leaf) is done the classic way: `topologicalOrder`, reversed;
 * - nodes reached from the log but older than it (a subgraph shared with an older graph) are
 *   collected while scanning and done the classic way after it, which is still a reverse
 *   topological order (everything that uses them is newer and so has been visited);
 * - nodes newer than the root, or of other graphs built in between, are never reached, so
 *   the scan passes over them.
 *
 * What the log keeps alive: after a backward() it keeps only the nodes made after the root
 * (usually none: the loss is the newest node), and it never holds more than `LOG_LIMIT`
 * nodes (2,097,152): a longer one is dropped (those graphs then take the classic path). So values a
 * program no longer uses are kept at most until the next backward(), and never more than
 * LOG_LIMIT of them (a couple of hundred MB at the very worst).
 */

/** Values per slab: 4,096 nodes, 64 KB. */
export const SLOTS_PER_SLAB = 4096;
/** A slab's last element is its serial number, so nodes can be ordered by creation. */
const SERIAL = 2 * SLOTS_PER_SLAB;

let slabsMade = 0;
/** An empty slab, copied for each new one: a plain array of doubles (see the header for why). */
const EMPTY_SLAB: number[] = [];
for (let i = 0; i <= SERIAL; i++) EMPTY_SLAB.push(0.5); // pushing doubles makes an unboxed double array…
EMPTY_SLAB.fill(0); // …that stays one when filled with zeros

function newSlab(): number[] {
  const slab = EMPTY_SLAB.slice();
  slab[SERIAL] = slabsMade++;
  return slab;
}

/**
 * The slab new Values are placed in. Not exported as a binding: a module's exports may be frozen
 * (the grading kernel freezes the library's), and an exported `let` is written through them.
 */
let currentSlab = newSlab();

/** The slab the slot `claimSlot()` just gave out belongs to. */
export function slabInUse(): number[] {
  return currentSlab;
}
let nextSlot = 0;

/** The next free slot of `currentSlab` (a fresh slab when this one is full). */
export function claimSlot(): number {
  if (nextSlot === SLOTS_PER_SLAB) {
    currentSlab = newSlab();
    nextSlot = 0;
  }
  return nextSlot++;
}

// A node's `k` packs four things into one small integer: slot · 64 + REACHED + VISITED + op code.
export const OP_BITS = 15;
/** Set while `topologicalOrder` has visited the node; clear otherwise. */
export const VISITED = 16;
/** Set while `backpropagate` has reached the node and not visited it yet; clear otherwise. */
export const REACHED = 32;
export const SLOT_SHIFT = 6;

/** What this module sees of a Value (engine.ts keeps these fields private). */
export interface StoredNode {
  readonly a: StoredNode | null;
  readonly b: StoredNode | number | null;
  readonly s: number[];
  k: number;
  backwardStep(): void;
}

/** Where a node is in creation order: increasing from one node to the next. */
function position(v: StoredNode): number {
  return v.s[SERIAL] * SLOTS_PER_SLAB + (v.k >> SLOT_SHIFT);
}

/** The most nodes the log holds (see the header). */
export const LOG_LIMIT = 1 << 21;
let logLimit = LOG_LIMIT;

/** Tests only: a smaller limit, to exercise the dropped log without building millions of nodes. */
export function setLogLimitForTests(limit = LOG_LIMIT): void {
  logLimit = limit;
  dropLog(logSize, currentSlab[SERIAL] * SLOTS_PER_SLAB + nextSlot); // start afresh
}

/**
 * Operation nodes in creation order: `log[0 .. logSize)` holds every one made at or after
 * position `logStart`. The array is kept and its used part cleared rather than replaced:
 * a big array lives in the old generation, and a dropped one that still pointed at young
 * nodes would keep them alive through the next minor collections.
 */
let log: (StoredNode | null)[] = [];
let logSize = 0;
let logStart = 0;

/** Called for every new operation node. */
export function logNode(v: StoredNode): void {
  if (logSize >= logLimit) dropLog(logSize, position(v));
  log[logSize++] = v;
}

/** Forget the log's nodes before `keepFrom` (its index); `start` is the position it now starts at. */
function dropLog(keepFrom: number, start: number): void {
  const oldSize = logSize;
  log.copyWithin(0, keepFrom, oldSize);
  logSize = oldSize - keepFrom;
  log.fill(null, logSize, oldSize);
  if (log.length > 4 * Math.max(logSize, 1 << 16)) log.length = logSize; // after a huge graph
  logStart = start;
}

/** How many nodes the log holds, for tests of what it keeps alive. */
export function logLength(): number {
  return logSize;
}

/**
 * Call `backwardStep()` on every node `root` depends on, each after all the nodes that use
 * it (the root's own grad is already seeded). `walk(roots)` is `topologicalOrder` for one
 * or more roots, for the fallbacks.
 */
export function backpropagate(root: StoredNode, walk: (roots: StoredNode[]) => StoredNode[]): void {
  if (root.a === null) return; // a leaf: nothing to pass on
  if (position(root) < logStart) {
    visitInReverse(walk([root]));
    return;
  }
  const older: StoredNode[] = [];
  root.k |= REACHED;
  let pending = 1; // reached, in the log, not visited yet
  let rootIndex = -1;
  for (let i = logSize - 1; pending > 0 && i >= 0; i--) {
    const v = log[i]!;
    if ((v.k & REACHED) === 0) continue;
    if (rootIndex < 0) rootIndex = i;
    v.k &= ~REACHED;
    pending--;
    v.backwardStep();
    const a = v.a!;
    if ((a.k & REACHED) === 0 && a.a !== null) {
      a.k |= REACHED;
      if (position(a) >= logStart) pending++;
      else older.push(a);
    }
    const b = v.b;
    if (typeof b === "object" && b !== null && (b.k & REACHED) === 0 && b.a !== null) {
      b.k |= REACHED;
      if (position(b) >= logStart) pending++;
      else older.push(b);
    }
  }
  if (older.length > 0) {
    visitInReverse(walk(older));
    for (const v of older) v.k &= ~REACHED;
  }
  // Keep only what was made after the root: the rest has been used, or belongs to graphs
  // that can still take the classic path.
  dropLog(rootIndex + 1, position(root) + 1);
}

function visitInReverse(order: (StoredNode | null)[]): void {
  for (let i = order.length - 1; i >= 0; i--) order[i]!.backwardStep();
  order.fill(null); // see `log`
}
