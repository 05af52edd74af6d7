/**
 * The kernel's frame (live/kernel-frame.html, on the site's other name: see kernel-frame.ts):
 * starts the worker kernel in this frame's own process and passes messages between it and the
 * page, unchanged. It answers only the page that embeds it, at the origin its name swaps to, so
 * another site that embeds it gets nothing.
 */
import { parentOriginFor, type FromFrame, type ToFrame } from "./kernel-frame.js";

/** What the frame uses of its window (the tests give a fake). */
export interface FrameWindow {
  readonly parent: { postMessage(message: FromFrame, targetOrigin: string): void };
  readonly location: { protocol: string; hostname: string; port: string; search: string };
  addEventListener(type: "message", listener: (e: { source: unknown; origin: string; data: ToFrame }) => void): void;
}

/** What the frame uses of a Worker. */
export interface FrameWorker {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (e: { data: unknown }) => void): void;
  addEventListener(type: "error", listener: (e: { message: string; preventDefault(): void }) => void): void;
}

/** Serve the page that embeds this frame, if it is the one page allowed to; returns whether it is. */
export function startFrame(win: FrameWindow, makeWorker: () => FrameWorker): boolean {
  const parentOrigin = parentOriginFor(win.location);
  if ((win.parent as unknown) === win || parentOrigin === undefined) return false;
  if (new URLSearchParams(win.location.search).get("parent") !== parentOrigin) return false;
  const tell = (m: FromFrame) => win.parent.postMessage(m, parentOrigin);
  // The worker starts when the page asks for it (Run pressed) or with the first run: the page makes
  // this frame ahead of time (a process takes a moment to start), and a reader who never presses
  // Run should not load the kernel.
  let worker: FrameWorker | undefined;
  const kernel = (): FrameWorker | undefined => {
    if (worker) return worker;
    try {
      worker = makeWorker();
    } catch (e) {
      tell({ frame: "error", message: (e as Error).message });
      return undefined;
    }
    worker.addEventListener("message", (e) => tell({ worker: e.data as never }));
    worker.addEventListener("error", (e) => {
      e.preventDefault();
      tell({ frame: "error", message: e.message || "it could not be loaded" });
    });
    return worker;
  };
  win.addEventListener("message", (e) => {
    if (e.source !== win.parent || e.origin !== parentOrigin) return;
    const m = e.data;
    if (m === null || typeof m !== "object") return;
    if ("kernel" in m) kernel()?.postMessage(m.kernel);
    else if (m.frame === "ping") tell({ frame: "pong" });
    else if (m.frame === "start") kernel();
  });
  tell({ frame: "ready" });
  return true;
}

if (typeof window !== "undefined" && typeof document !== "undefined") {
  const here = (document.currentScript as HTMLScriptElement | null)?.src ?? location.href;
  startFrame(window as unknown as FrameWindow, () => new Worker(new URL("worker.js", here), { type: "module", name: "micrograd-ts kernel" }));
}
