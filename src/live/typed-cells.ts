/**
 * Cells whose types are known to check: a shortcut past the type checker for a lesson run as it
 * was written. The checker (typecheck.ts) is deterministic: a cell's problems depend only on its
 * source and on the sources of the cells the kernel ran before it, in order. So the site's build
 * checks each lesson once, its code cells in order as the page runs them, and lists a key for
 * every cell that has no problem; the page skips the check (and does not load the 3 MB compiler
 * at all) while every cell it runs has a listed key. An edited cell, or cells run in another
 * order, have keys the list lacks, and are checked as before.
 *
 * A key is a hash of the prior sources and the cell's source: SHA-256, 128 bits of it, from
 * `node:crypto` in the build and from the live bundle's shim of it (shims/crypto.ts) in the page.
 */
import { createHash } from "node:crypto";

/** The file of the live bundle that lists the keys: notebook URL (data-notebook) → keys. */
export const TYPED_CELLS_FILE = "typed-cells.json";

export type TypedCells = Record<string, string[]>;

/** The key of `source` run after `prior` (the sources of the cells that ran before it, in order). */
export function typedKey(prior: readonly string[], source: string): string {
  return createHash("sha256").update(JSON.stringify([prior, source])).digest("hex").slice(0, 32);
}

/**
 * The keys of a notebook's code cells run in order, as the live page runs them: a cell with type
 * problems is refused (no key), and later cells do not see it; every other cell is seen by those
 * after it. `problems(prior, source)` is the checker's.
 */
export function typedKeys(sources: readonly string[], problems: (prior: string[], source: string) => readonly unknown[]): string[] {
  const prior: string[] = [];
  const keys: string[] = [];
  for (const source of sources) {
    if (problems(prior, source).length > 0) continue;
    keys.push(typedKey(prior, source));
    prior.push(source);
  }
  return keys;
}
