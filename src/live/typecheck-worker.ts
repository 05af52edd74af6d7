/**
 * The type checker of the live page, in a worker of its own (TypeScript's compiler is ~3 MB and
 * takes a second to start): loaded by the page when a cell needs a check (typed-cells.ts), and kept
 * for the page's life. Receives a cell and the cells run before it, answers with the cell's type
 * errors (typecheck.ts).
 */
import ts from "typescript";
import { CellChecker, type Files } from "./typecheck.js";
import type { FromChecker, ToChecker } from "./protocol.js";

const post = (m: FromChecker) => (self as unknown as Worker).postMessage(m);

const checker: Promise<CellChecker> = fetch(new URL("typecheck-files.json", self.location.href)).then(async (r) => {
  if (!r.ok) throw new Error(`could not load ${r.url}: ${r.status}`);
  return new CellChecker(ts, (await r.json()) as Files);
});
// A failure is answered to each request (below); it must not also surface as an unhandled
// rejection when it comes before the page's first request is read.
checker.catch(() => {});

self.addEventListener("message", (e: MessageEvent<ToChecker>) => {
  const { id, prior, source } = e.data;
  checker.then(
    (c) => post({ id, problems: c.check(prior, source) }),
    (err: unknown) => post({ id, failed: (err as Error).message }),
  );
});
