/**
 * Check helpers for exercise cells.
 *
 * A check cell calls `check("name", yourAnswer, expected)`. When the answer is right it shows one
 * short green ✓ line and writes nothing to stderr (graders such as nbgrader count any stderr
 * output as a failure). When it is wrong it throws a `CheckError` whose message names the
 * exercise, shows what was expected, what the learner got and the tolerance, plus a hint when
 * the cell gives one. Throwing (rather than printing "WRONG") makes the cell fail, so Jupyter,
 * nbgrader and `npm run check` all see it.
 *
 * Numbers match when |got − expected| ≤ tol · max(1, |expected|): an absolute tolerance for
 * numbers up to 1 in size and a relative one above, so 1e-6 suits both a gradient of 0.5 and a
 * loss of 1234.5. NaN matches only NaN, and an infinity only the same infinity.
 */
import { Value } from "../engine.js";
import { describe, escapeHtml, formatNumber } from "../format.js";
import type { SeededRandom } from "../random.js";
import { show } from "./display.js";
import { freshRng } from "./fresh-rng.js";

// The intrinsics the verdict depends on, taken when this module loads (before any answer cell
// runs): an answer that patches Math.abs, Number.isNaN or Array.isArray cannot change a verdict.
const isArray = Array.isArray;
const abs = (x: number) => (x < 0 ? -x : x);
const isNaNValue = (x: number) => x !== x;
const isFinite = (x: number) => x - x === 0;
const max = (x: number, y: number) => (x > y ? x : y);

/** Told of every verdict of a helper (graders count them); at most one, set before learner code runs. */
export type CheckListener = (name: string, passed: boolean) => void;
let listener: CheckListener | undefined;

/** Register the one listener (the grading kernel does, at start); a second registration throws. */
export function onCheckVerdict(l: CheckListener): void {
  if (listener !== undefined) throw new Error("onCheckVerdict: a listener is already registered");
  listener = l;
}

/** The default tolerance: absolute for |expected| ≤ 1, relative above. */
export const DEFAULT_TOL = 1e-6;

export interface CheckOptions {
  /** Allowed difference, see DEFAULT_TOL (default 1e-6). */
  tol?: number;
  /** Shown under the failure to nudge the learner. */
  hint?: string;
}

/** What `check` can compare: numbers, Values (by data), booleans, strings and arrays of these. */
export type Checkable = number | Value | boolean | string | readonly Checkable[];

/** A wrong answer in an exercise. The message is the whole story; the stack would only be noise. */
export class CheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckError";
    // No stack frames, and a setter that ignores writes: tslab runs cells through `vm`, which would
    // otherwise prepend the line of check.js that threw (with a ^ under it) to what the learner sees.
    const stack = `${this.name}: ${message}`;
    Object.defineProperty(this, "stack", { get: () => stack, set: () => {}, configurable: true, enumerable: false });
  }
}

/** Compare `actual` with `expected` and show ✓, or throw a CheckError that says what differs. */
export function check(name: string, actual: unknown, expected: Checkable, options: CheckOptions = {}): void {
  const tol = tolerance(name, options);
  const problem = compare(name, actual, expected, tol);
  if (problem !== undefined) fail(problem, options.hint);
  pass(name);
}

/** Compare the `grad` of each Value with the expected gradients (e.g. after `backward()`). */
export function checkGrads(
  name: string,
  values: readonly Value[],
  expectedGrads: readonly number[],
  options: CheckOptions = {},
): void {
  const tol = tolerance(name, options);
  if (!isArray(values)) fail(`${name}: expected an array of Values, got ${describe(values)}`, options.hint);
  if (values.length !== expectedGrads.length) {
    fail(`${name}: expected ${expectedGrads.length} Values, got ${values.length}`, options.hint);
  }
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (!(v instanceof Value)) {
      fail(`${indexed(name, i)}: expected a Value, got ${describe(v)}`, options.hint);
    }
    const where = v.label ? `${name}: ${v.label}.grad` : `${indexed(name, i)}.grad`;
    const problem = compareNumber(where, v.grad, expectedGrads[i], tol);
    if (problem !== undefined) fail(problem, options.hint);
  }
  pass(name);
}

/** Pass when `condition` is exactly `true`; otherwise fail with `message`. */
export function checkTrue(name: string, condition: unknown, message = "the condition is false", options: Pick<CheckOptions, "hint"> = {}): void {
  if (condition !== true) {
    const why = condition === false ? message : `${message} (the condition is ${describe(condition)}, not true)`;
    fail(`${name}: ${why}`, options.hint);
  }
  pass(name);
}

function tolerance(name: string, options: CheckOptions): number {
  const tol = options.tol ?? DEFAULT_TOL;
  if (typeof tol !== "number" || !(tol >= 0)) {
    throw new TypeError(`check "${name}": tol must be a number ≥ 0, got ${describe(tol)}`);
  }
  return tol;
}

/** Returns undefined when they match, otherwise one line saying where and how they differ. */
function compare(where: string, actual: unknown, expected: Checkable, tol: number): string | undefined {
  if (isList(expected)) {
    if (!isArray(actual)) return `${where}: expected an array of ${expected.length}, got ${describe(actual)}`;
    if (actual.length !== expected.length) {
      return `${where}: expected an array of ${expected.length}, got an array of ${actual.length}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const problem = compare(indexed(where, i), actual[i], expected[i] as Checkable, tol);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (typeof expected === "boolean" || typeof expected === "string") {
    if (actual === expected) return undefined;
    return `${where}: expected ${JSON.stringify(expected)}, got ${describe(actual)}`;
  }
  const want = expected instanceof Value ? expected.data : expected;
  if (actual instanceof Value) return compareNumber(where, actual.data, want, tol);
  return compareNumber(where, actual, want, tol);
}

/**
 * Element `i` of what `where` names: `xs[1]` after a name that reads as code (or an index), and
 * `d/dy = −x: [1]` after a title, so the index does not run into its last word.
 */
function indexed(where: string, i: number): string {
  return /^[\w$]+(\.[\w$]+)*$|\]$/.test(where) ? `${where}[${i}]` : `${where}: [${i}]`;
}

/** Array.isArray does not narrow readonly arrays. */
function isList(x: unknown): x is readonly Checkable[] {
  return isArray(x);
}

function compareNumber(where: string, got: unknown, want: number, tol: number): string | undefined {
  if (typeof got !== "number") return `${where}: expected a number (or a Value) near ${formatNumber(want)}, got ${describe(got)}`;
  if (isNaNValue(want)) return isNaNValue(got) ? undefined : `${where}: expected NaN, got ${formatNumber(got)}`;
  if (isNaNValue(got)) return `${where}: expected ${formatNumber(want)}, got NaN`;
  if (got === want) return undefined;
  const diff = abs(got - want);
  const size = abs(want);
  const allowed = tol * (size > 1 ? size : 1);
  if (isFinite(want) && diff <= allowed) return undefined;
  // Three significant digits say how far off it is without float noise like 0.09999999999999964.
  const off = isFinite(diff) ? `, off by ${formatNumber(Number(diff.toPrecision(3)))}` : "";
  return `${where}: expected ${formatNumber(want)}, got ${formatNumber(got)}${off} (tolerance ±${formatNumber(Number(allowed.toPrecision(3)))})`;
}

/** One case of `checkFresh`: the inputs it used, and what it got and expected, or its own problem line. */
export type FreshCase = { inputs: string; got: unknown; want: Checkable } | { inputs: string; problem: string | undefined };

/**
 * Hidden tests at fresh inputs: runs `test` on `count` cases drawn from one `freshRng()`, so the
 * inputs differ on every run and copying a lesson's printed numbers cannot pass. Each case returns
 * the inputs it used (as text) and either what it got and expected, compared as `check` compares
 * (numbers within `tol`, relative above 1; arrays item by item), or a `problem` line (undefined
 * when the case is right). All passing cases show one ✓ line; the first failing one throws a
 * `CheckError` that names its inputs, so the learner can reproduce it.
 */
export function checkFresh(name: string, count: number, test: (rng: SeededRandom, k: number) => FreshCase, options: CheckOptions = {}): void {
  const tol = tolerance(name, options);
  const rng = freshRng();
  for (let k = 0; k < count; k++) {
    const c = test(rng, k);
    const problem = "problem" in c ? c.problem : differ(c.got, c.want, tol);
    if (problem !== undefined) fail(`${name}, at ${c.inputs}: ${problem}`, options.hint);
  }
  pass(`${name} (${count} fresh cases)`);
}

/** checkFresh's comparison: like `compare`, with the path after "expected" (`expected [1] …`). */
function differ(got: unknown, want: Checkable, tol: number, where = ""): string | undefined {
  if (isList(want)) {
    if (!isArray(got)) return `expected${where ? ` ${where}` : ""} an array of ${want.length}, got ${describe(got)}`;
    if (got.length !== want.length) return `expected${where ? ` ${where}` : ""} an array of ${want.length}, got an array of ${got.length}`;
    for (let i = 0; i < want.length; i++) {
      const p = differ(got[i], want[i] as Checkable, tol, `${where}[${i}]`);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  const at = where ? `${where}: ` : "";
  if (typeof want === "boolean" || typeof want === "string") {
    return got === want ? undefined : `${at}expected ${JSON.stringify(want)}, got ${describe(got)}`;
  }
  const w = typeof want === "number" ? want : (want as { data: number }).data;
  const g = typeof got === "object" && got !== null && typeof (got as { data?: unknown }).data === "number" ? (got as { data: number }).data : got;
  if (typeof g !== "number") return `${at}expected a number near ${formatNumber(w)}, got ${describe(got)}`;
  if (isNaNValue(w)) return isNaNValue(g) ? undefined : `${at}expected NaN, got ${formatNumber(g)}`;
  if (g === w || abs(g - w) <= tol * max(1, abs(w))) return undefined;
  return `${at}expected ${formatNumber(w)}, got ${formatNumber(g)}`;
}

/** `problem` is one line that starts with the exercise's name (or a path under it). */
function fail(problem: string, hint?: string): never {
  listener?.(problem, false);
  throw new CheckError(hint ? `✗ ${problem}\nHint: ${hint}` : `✗ ${problem}`);
}

function pass(name: string): void {
  listener?.(name, true);
  // In a kernel `show` displays the HTML and returns nothing; elsewhere it hands the markup back.
  const notShown = show(`<div class="mg-check-pass" style="color:#1a7f37;font-family:monospace">✓ ${escapeHtml(name)}</div>`, "html");
  if (notShown !== undefined) console.log(`✓ ${name}`);
}


// Nothing an answer cell does can replace what the checks are made of.
for (const f of [check, checkGrads, checkTrue, checkFresh, onCheckVerdict]) Object.freeze(f);
Object.freeze(CheckError.prototype);
Object.freeze(CheckError);
// The module's exports too (an answer's Object.assign on them would reach every later check).
declare const module: { exports: object } | undefined;
if (typeof module === "object" && module !== null && typeof module.exports === "object") Object.freeze(module.exports);
