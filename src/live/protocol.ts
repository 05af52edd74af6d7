/**
 * The messages between the live page (page.ts) and its worker kernel (worker.ts).
 * One cell runs at a time: the page sends `run` and waits for that cell's `done`.
 */
import type { CellError, StreamName } from "./kernel.js";

/**
 * `check`: a check cell, run with the real check helpers whatever earlier cells assigned to them.
 * `nonce` (check cells): echoed in its `done`, so that a `done` posted by a cell's own code (it
 * never sees the nonce) cannot move the score.
 */
export type ToWorker = { type: "run"; cell: number; source: string; check?: boolean; nonce?: string };

export type FromWorker =
  | { type: "stream"; cell: number; name: StreamName; text: string }
  /** New output, or (with an id seen before) a replacement for that output, as tslab's newDisplay. */
  | { type: "display"; cell: number; kind: "html" | "svg" | "markdown"; markup: string; id?: string }
  | { type: "done"; cell: number; status: "ok"; nonce?: string }
  | { type: "done"; cell: number; status: "error"; error: CellError; nonce?: string };
