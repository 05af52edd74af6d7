/**
 * The kernel's frame (live/kernel-frame.html, on the site's other name: see kernel-frame.ts):
 * starts the worker kernel in this frame's own process and passes messages between it and the
 * page, unchanged. It answers only the page that embeds it, at the origin its name swaps to, so
 * another site that embeds it gets nothing.
 */
import { parentOriginFor, type FromFrame, type ToFrame } from "./kernel-frame.js";

function start(): void {
  const parentOrigin = parentOriginFor(location);
  if (window.parent === window || parentOrigin === undefined) return;
  if (new URLSearchParams(location.search).get("parent") !== parentOrigin) return;
  const tell = (m: FromFrame) => window.parent.postMessage(m, parentOrigin);
  const here = (document.currentScript as HTMLScriptElement | null)?.src ?? location.href;
  // The worker starts with the first run: the page makes this frame ahead of time (a process
  // takes a moment to start), and a reader who never presses Run should not load the kernel.
  let worker: Worker | undefined;
  const kernel = (): Worker | undefined => {
    if (worker) return worker;
    try {
      worker = new Worker(new URL("worker.js", here), { type: "module", name: "micrograd-ts kernel" });
    } catch (e) {
      tell({ frame: "error", message: (e as Error).message });
      return undefined;
    }
    worker.addEventListener("message", (e) => tell({ worker: e.data }));
    worker.addEventListener("error", (e) => {
      e.preventDefault();
      tell({ frame: "error", message: e.message || "it could not be loaded" });
    });
    return worker;
  };
  window.addEventListener("message", (e: MessageEvent<ToFrame>) => {
    if (e.source !== window.parent || e.origin !== parentOrigin) return;
    const m = e.data;
    if (m === null || typeof m !== "object") return;
    if ("kernel" in m) kernel()?.postMessage(m.kernel);
    else if (m.frame === "ping") tell({ frame: "pong" });
  });
  tell({ frame: "ready" });
}

start();
