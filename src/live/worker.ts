/**
 * The worker kernel of the live page: receives cells from the page, runs them in a Kernel, and
 * posts back what they print and show. Living in a Web Worker, a long training loop never
 * freezes the page, and Stop can end an endless loop by ending the worker.
 *
 * What a cell can import, each loaded only when a cell first asks for it: the library, and the
 * TF.js core with its CPU backend and gradient rules (the lessons check gradients against it).
 */
import type { DisplayBackend, DisplaySink } from "../notebook/display.js";
import { CHECK_HELPERS } from "../ipynb/submission.js";
import { Kernel, type ModuleLoaders, type StreamName } from "./kernel.js";
import { OutputCap } from "./output-cap.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import { warmUp } from "./warm-up.js";

// Taken before any cell runs: a cell that patches postMessage, MessageEvent's data or the event's
// propagation cannot forge a check's result nor read the nonce of the check cell after it.
const postMessage = (self as unknown as Worker).postMessage.bind(self);
const post = (message: FromWorker) => postMessage(message);
const dataOf = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data")!.get!;
const stopImmediatePropagation = Event.prototype.stopImmediatePropagation;
const apply = Reflect.apply;

/** Each cell's printed output, capped and batched (output-cap.ts), until the cell is done. */
const caps = new Map<number, OutputCap>();
function capOf(cell: number): OutputCap {
  let cap = caps.get(cell);
  if (!cap) {
    cap = new OutputCap((m) => post(m.kind === "head" ? { type: "stream", cell, name: m.name, text: m.text } : { type: "tail", cell, text: m.text, droppedLines: m.droppedLines, droppedChars: m.droppedChars }));
    caps.set(cell, cap);
  }
  return cap;
}
let flushTimer: ReturnType<typeof setTimeout> | undefined;
function write(cell: number, name: StreamName, text: string): void {
  capOf(cell).write(name, text);
  // What a cell prints while it awaits (a training loop between steps) goes out soon, not at the end.
  flushTimer ??= setTimeout(() => {
    flushTimer = undefined;
    for (const cap of caps.values()) cap.flush(false);
  }, 50);
}
/** The cell is done: its last output goes out, then (if it was capped) the whole of it, as a file. */
function finish(cell: number): void {
  const cap = caps.get(cell);
  if (!cap) return;
  caps.delete(cell);
  cap.flush();
  const full = cap.full();
  if (full !== undefined) post({ type: "full", cell, file: new Blob([full], { type: "text/plain" }) });
}

const kernel = new Kernel(modules(), {
  stream: (cell, name, text) => write(cell, name, text),
  result: (cell, text) => {
    finish(cell);
    post({ type: "result", cell, text });
  },
});

// Library code and late callbacks print through the global console: under the running cell.
(globalThis as { console: Console }).console = kernel.console();

self.addEventListener("unhandledrejection", (e) => {
  const reason = (e as PromiseRejectionEvent).reason;
  write(kernel.cell, "stderr", `UnhandledPromiseRejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}\n`);
});

let queue = Promise.resolve();
/** Cells received and not done yet (the warm-up waits while there are any). */
let pending = 0;
self.addEventListener("message", (e: MessageEvent<ToWorker>) => {
  apply(stopImmediatePropagation, e, []); // no listener a cell adds sees a request
  const { cell, source, check, nonce } = apply(dataOf, e, []) as ToWorker;
  pending++;
  queue = queue.then(async () => {
    const result = await kernel.run(cell, source, check ? { bind: { module: "micrograd-ts", names: CHECK_HELPERS } } : {});
    finish(cell);
    pending--;
    post({ type: "done", cell, ...result, ...(nonce === undefined ? {} : { nonce }) });
  });
});

let displays = 0;

/** show/liveDisplay/check in the worker: markup goes to the page, under the cell running now. */
function backend(): DisplayBackend {
  const sink = (id?: string): DisplaySink => {
    const cell = kernel.cell;
    const send = (kind: "html" | "svg" | "markdown") => (markup: string) => {
      const at = id ? cell : kernel.cell;
      caps.get(at)?.flush(); // what the cell printed before it showed this comes first
      post({ type: "display", cell: at, kind, markup, ...(id ? { id } : {}) });
    };
    return { html: send("html"), svg: send("svg"), markdown: send("markdown") };
  };
  return {
    get display() {
      return sink();
    },
    newDisplay: () => sink(`display-${++displays}`),
  };
}

function modules(): ModuleLoaders {
  return {
    "micrograd-ts": async () => {
      const library = await import("./library.js");
      library.useDisplayBackend(backend());
      warmUp(library, { busy: () => pending > 0 }); // the first training steps at full speed (warm-up.ts)
      return library;
    },
    "@tensorflow/tfjs-core": () => import("@tensorflow/tfjs-core"),
    "@tensorflow/tfjs-backend-cpu": () => import("@tensorflow/tfjs-backend-cpu"),
    // In Node the lessons load TF.js's gradient rules from a file npm run build makes; here, the same rules.
    "micrograd-ts/dist/tfjs-gradients.js": () => import("@tensorflow/tfjs-core/dist/register_all_gradients.js"),
  };
}
