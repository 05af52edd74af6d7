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
import { Kernel, type ModuleLoaders } from "./kernel.js";
import type { FromWorker, ToWorker } from "./protocol.js";

// Taken before any cell runs: a cell that patches postMessage, MessageEvent's data or the event's
// propagation cannot forge a check's result nor read the nonce of the check cell after it.
const postMessage = (self as unknown as Worker).postMessage.bind(self);
const post = (message: FromWorker) => postMessage(message);
const dataOf = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data")!.get!;
const stopImmediatePropagation = Event.prototype.stopImmediatePropagation;
const apply = Reflect.apply;

const kernel = new Kernel(modules(), { stream: (cell, name, text) => post({ type: "stream", cell, name, text }) });

// Library code and late callbacks print through the global console: under the running cell.
(globalThis as { console: Console }).console = kernel.console();

self.addEventListener("unhandledrejection", (e) => {
  const reason = (e as PromiseRejectionEvent).reason;
  post({ type: "stream", cell: kernel.cell, name: "stderr", text: `UnhandledPromiseRejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}\n` });
});

let queue = Promise.resolve();
self.addEventListener("message", (e: MessageEvent<ToWorker>) => {
  apply(stopImmediatePropagation, e, []); // no listener a cell adds sees a request
  const { cell, source, check, nonce } = apply(dataOf, e, []) as ToWorker;
  queue = queue.then(async () => {
    const result = await kernel.run(cell, source, check ? { bind: { module: "micrograd-ts", names: CHECK_HELPERS } } : {});
    post({ type: "done", cell, ...result, ...(nonce === undefined ? {} : { nonce }) });
  });
});

let displays = 0;

/** show/liveDisplay/check in the worker: markup goes to the page, under the cell running now. */
function backend(): DisplayBackend {
  const sink = (id?: string): DisplaySink => {
    const cell = kernel.cell;
    const send = (kind: "html" | "svg" | "markdown") => (markup: string) =>
      post({ type: "display", cell: id ? cell : kernel.cell, kind, markup, ...(id ? { id } : {}) });
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
      return library;
    },
    "@tensorflow/tfjs-core": () => import("@tensorflow/tfjs-core"),
    "@tensorflow/tfjs-backend-cpu": () => import("@tensorflow/tfjs-backend-cpu"),
    // In Node the lessons load TF.js's gradient rules from a file npm run build makes; here, the same rules.
    "micrograd-ts/dist/tfjs-gradients.js": () => import("@tensorflow/tfjs-core/dist/register_all_gradients.js"),
  };
}
