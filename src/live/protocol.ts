/**
 * The messages between the live page (kernel-client.ts) and its worker kernel (worker.ts).
 * One cell runs at a time: the page sends `run` and waits for that cell's `done`. The shapes
 * follow Jupyter's messages: stream, display_data (display), execute_result (result), and an
 * error (ename = error.name, evalue = error.message, traceback) in `done`.
 */
import type { CellError, StreamName } from "./kernel.js";

/**
 * `check`: a check cell, run with the real check helpers whatever earlier cells assigned to them.
 * `nonce` (check cells): echoed in its `done`, so that a `done` posted by a cell's own code (it
 * never sees the nonce) cannot move the score.
 */
export type ToWorker = { type: "run"; cell: number; source: string; check?: boolean; nonce?: string };

export type FromWorker =
  /** Printed text, in batches; only the head of a long output (see output-cap.ts). */
  | { type: "stream"; cell: number; name: StreamName; text: string }
  /** The last lines of a long output, and how much between head and tail is not shown. */
  | { type: "tail"; cell: number; text: string; droppedLines: number; droppedChars: number }
  /** The whole output of a capped cell, for the page to offer as a download. */
  | { type: "full"; cell: number; file: Blob }
  /** New output, or (with an id seen before) a replacement for that output, as tslab's newDisplay. */
  | { type: "display"; cell: number; kind: "html" | "svg" | "markdown"; markup: string; id?: string }
  /** The cell's last value (Jupyter's execute_result, text/plain). */
  | { type: "result"; cell: number; text: string }
  | { type: "done"; cell: number; status: "ok"; nonce?: string }
  | { type: "done"; cell: number; status: "error"; error: CellError; nonce?: string };

/** To the type checker (typecheck-worker.ts): a cell and the cells run before it, in run order. */
export type ToChecker = { id: number; prior: string[]; source: string };

export type FromChecker =
  | { id: number; problems: import("./typecheck.js").TypeProblem[]; failed?: undefined }
  | { id: number; failed: string; problems?: undefined };
