/**
 * Hidden tests at fresh inputs: `checkFresh(name, count, test)` runs `test` on `count` cases drawn
 * from one `freshRng()`, so the inputs differ on every run and copying a lesson's printed numbers
 * cannot pass. Each case returns the inputs it used (as text) and either what it got and expected,
 * compared as `check` compares (numbers within `tol`, relative above 1; arrays item by item), or a
 * `problem` line (undefined when the case is right).
 *
 * All passing cases show one ✓ line; the first failing one throws a `CheckError` that names its
 * inputs, so the learner can reproduce it.
 */
import { CheckError, DEFAULT_TOL, type CheckOptions, type Checkable } from "./check.js";
import { freshRng } from "./fresh-rng.js";
import { show } from "./display.js";
import { describe, escapeHtml, formatNumber } from "../format.js";
import type { SeededRandom } from "../random.js";

export type FreshCase = { inputs: string; got: unknown; want: Checkable } | { inputs: string; problem: string | undefined };

export function checkFresh(name: string, count: number, test: (rng: SeededRandom, k: number) => FreshCase, options: CheckOptions = {}): void {
  const tol = options.tol ?? DEFAULT_TOL;
  const rng = freshRng();
  for (let k = 0; k < count; k++) {
    const c = test(rng, k);
    const problem = "problem" in c ? c.problem : differ(c.got, c.want, tol);
    if (problem !== undefined) {
      const message = `✗ ${name}, at ${c.inputs}: ${problem}`;
      throw new CheckError(options.hint ? `${message}\nHint: ${options.hint}` : message);
    }
  }
  const text = `${name} (${count} fresh cases)`;
  const notShown = show(`<div class="mg-check-pass" style="color:#1a7f37;font-family:monospace">✓ ${escapeHtml(text)}</div>`, "html");
  if (notShown !== undefined) console.log(`✓ ${text}`);
}

/** Array.isArray does not narrow readonly arrays. */
function isList(x: unknown): x is readonly Checkable[] {
  return Array.isArray(x);
}

function differ(got: unknown, want: Checkable, tol: number, where = ""): string | undefined {
  if (isList(want)) {
    if (!Array.isArray(got)) return `expected${where ? ` ${where}` : ""} an array of ${want.length}, got ${describe(got)}`;
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
  if (Number.isNaN(w)) return Number.isNaN(g) ? undefined : `${at}expected NaN, got ${formatNumber(g)}`;
  if (g === w || Math.abs(g - w) <= tol * Math.max(1, Math.abs(w))) return undefined;
  return `${at}expected ${formatNumber(w)}, got ${formatNumber(g)}`;
}
