/**
 * The kernel client of the live page: the worker kernel (worker.ts), the queue of cells waiting
 * to run, and Stop/Restart (ending the worker is the only way to stop a cell stuck in a loop).
 * It knows cells by index only: what a cell runs comes from the notebook state (`sourceOf`),
 * and what the worker says goes to `events`, for the page to show. No DOM here, as JupyterLab's
 * kernel connection knows nothing of its views.
 */
import type { FromWorker, ToWorker } from "./protocol.js";

/** What the client needs of a Worker (the tests give a fake). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  terminate(): void;
  addEventListener(type: "message", listener: (e: { data: FromWorker }) => void): void;
  addEventListener(type: "error", listener: (e: { message: string; preventDefault?(): void }) => void): void;
}

export interface CellSource {
  source: string;
  /** A check cell: run with the real check helpers, whatever earlier cells assigned to them. */
  check: boolean;
}

export type Finish =
  | { status: "ok" }
  | { status: "error"; error?: import("./kernel.js").CellError; reason?: "stopped" | "crashed" | "source"; message?: string };

export interface KernelEvents {
  queued(cell: number): void;
  /** Taken off the queue without running (Stop, Restart). */
  dropped(cell: number): void;
  started(cell: number, source: string): void;
  /** Output of the running cell: stream, display, result. */
  output(message: Exclude<FromWorker, { type: "done" }>): void;
  finished(cell: number, finish: Finish): void;
  /** The queue is empty; `failed`: a cell failed since the queue was last empty. */
  idle(failed: boolean): void;
}

export class KernelClient {
  private worker: WorkerLike | undefined;
  private readonly queue: number[] = [];
  private current: number | undefined;
  /** The nonce of the check cell running now (its `done` must carry it), else undefined. */
  private nonce: string | undefined;
  /** The text each cell had when this worker ran it (its scope holds what they declared). */
  private readonly ranText = new Map<number, string>();
  private failed = false;
  /** The cell Stop ended, until a kernel runs it again. */
  stopped: number | undefined;

  constructor(
    private readonly createWorker: () => WorkerLike,
    private readonly sourceOf: (cell: number) => Promise<CellSource>,
    private readonly events: KernelEvents,
  ) {}

  get running(): number | undefined {
    return this.current;
  }

  get busy(): boolean {
    return this.current !== undefined || this.queue.length > 0;
  }

  /** Whether this kernel ran `cell`, and with this text. */
  ranWith(cell: number, text: string | undefined): boolean {
    return this.ranText.has(cell) && (text === undefined || this.ranText.get(cell) === text);
  }

  enqueue(cells: number[]): void {
    if (!this.busy) this.failed = false;
    for (const c of cells) {
      if (this.queue.includes(c) || this.current === c) continue;
      this.queue.push(c);
      this.events.queued(c);
    }
    void this.pump();
  }

  /** End the worker (and the cell running in it); returns that cell. */
  stop(): number | undefined {
    const cell = this.current;
    this.reset();
    if (cell !== undefined) {
      this.stopped = cell;
      this.failed = true;
      this.events.finished(cell, { status: "error", reason: "stopped" });
    }
    return cell;
  }

  /** A fresh kernel for the next run; nothing queued stays queued. */
  restart(): void {
    this.reset();
    this.stopped = undefined;
  }

  private reset(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.current = undefined;
    for (const c of this.queue.splice(0)) this.events.dropped(c);
    this.ranText.clear();
  }

  private async pump(): Promise<void> {
    if (this.current !== undefined) return;
    const next = this.queue.shift();
    if (next === undefined) {
      this.events.idle(this.failed);
      return;
    }
    this.current = next;
    const kernel = this.kernel(); // starting now, while the cell's source is fetched and type-checked
    let source: CellSource;
    try {
      source = await this.sourceOf(next);
    } catch (e) {
      this.current = undefined;
      this.failed = true;
      // A cell refused before it runs (a type error) carries its error in Jupyter's shape.
      const error = (e as { cellError?: import("./kernel.js").CellError }).cellError;
      this.events.finished(next, error ? { status: "error", error } : { status: "error", reason: "source", message: (e as Error).message });
      return this.pump();
    }
    if (this.current !== next || this.worker !== kernel) return; // stopped (or the kernel failed) while the notebook loaded
    this.ranText.set(next, source.source);
    if (this.stopped === next) this.stopped = undefined;
    this.events.started(next, source.source);
    // A check cell's result counts only with this nonce, which no cell's code sees (worker.ts).
    this.nonce = source.check ? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("") : undefined;
    kernel.postMessage({ type: "run", cell: next, source: source.source, ...(source.check ? { check: true, nonce: this.nonce } : {}) });
  }

  private kernel(): WorkerLike {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.addEventListener("message", (e) => {
      if (this.worker === worker) this.receive(e.data);
    });
    worker.addEventListener("error", (e) => {
      e.preventDefault?.();
      if (this.worker !== worker) return;
      const cell = this.current;
      this.reset();
      if (cell === undefined) return;
      this.failed = true;
      this.events.finished(cell, { status: "error", reason: "crashed", message: e.message || "it could not be loaded" });
      void this.pump();
    });
    this.worker = worker;
    return worker;
  }

  private receive(m: FromWorker): void {
    if (m.type !== "done") {
      this.events.output(m);
      return;
    }
    if (m.cell !== this.current) return;
    if (m.nonce !== this.nonce) return; // posted by a cell's code, not by the worker's kernel
    this.current = undefined;
    if (m.status === "error") this.failed = true;
    this.events.finished(m.cell, m.status === "ok" ? { status: "ok" } : { status: "error", error: m.error });
    void this.pump();
  }
}
