/**
 * The course site's source of new practice expressions: an ES module of the live bundle
 * (`<site>/live/practice-gen.js`), loaded by the page script (src/site/practice.ts) when "New
 * expression" has gone through the expressions a page came with. It draws the next seed in the
 * browser, Graphviz and all, so the practice never runs out on a static site served over HTTP.
 */
import { practiceItemMarkup } from "./backward-practice.js";
import { ALL_OPS, type PracticeOp } from "./expression.js";

/** What a widget says about its expressions (its data-kind), as the page read it. */
export interface PracticeKind {
  lesson?: string;
  size?: unknown;
  ops?: unknown;
}

/** The markup of expression `seed` of a widget's kind; what the page passes is checked, not trusted. */
export function nextPracticeItem(seed: number, kind: PracticeKind = {}): Promise<string> {
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`practice: seed must be a whole number ≥ 0, got ${String(seed)}`);
  const ops = Array.isArray(kind.ops) ? kind.ops.filter((op): op is PracticeOp => (ALL_OPS as readonly unknown[]).includes(op)) : [];
  const size = typeof kind.size === "number" && Number.isInteger(kind.size) ? Math.min(8, Math.max(2, kind.size)) : undefined;
  const lesson = typeof kind.lesson === "string" && /^[\w.-]*$/.test(kind.lesson) ? kind.lesson : undefined;
  return practiceItemMarkup(seed, { lesson, ...(ops.length > 0 ? { ops } : {}), ...(size === undefined ? {} : { size }) });
}
