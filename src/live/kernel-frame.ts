/**
 * The kernel in a process of its own. A Web Worker shares its page's process, and a cell that
 * allocates until the JavaScript heap is full ends that process: the tab crashes, Restart with
 * it. A worker started inside a frame of another site (Chromium puts each site in its own
 * process) takes only that frame down instead. The page notices the frame stopped answering,
 * ends the cell with an error, and starts a fresh kernel on the next run.
 *
 * Served as `npm run serve` serves the site (on 127.0.0.1), the frame comes from the same server
 * named `localhost`: the same files, another site. Any other host has no second name we know
 * of, and the page starts its worker itself, as before (frameOriginFor gives undefined).
 *
 * `FramedWorker` is what the kernel client needs of a Worker (WorkerLike): the messages are
 * the worker's own, passed through the frame (frame.ts) unchanged.
 */
import type { WorkerLike } from "./kernel-client.js";
import type { FromWorker, ToWorker } from "./protocol.js";

/** What passes between the page and the frame: the worker's messages, and the frame's own. */
export type ToFrame = { kernel: ToWorker } | { frame: "ping" | "start" };
export type FromFrame = { worker: FromWorker } | { frame: "ready" | "pong" } | { frame: "error"; message: string };

/** The loopback names that are different sites for a browser, each with its other name. */
const OTHER_NAME: Record<string, string> = { "127.0.0.1": "localhost", localhost: "127.0.0.1" };

/** The origin the kernel's frame comes from, for a page at `location`; undefined: no frame. */
export function frameOriginFor(location: { protocol: string; hostname: string; port: string }): string | undefined {
  const other = OTHER_NAME[location.hostname];
  if (!other || (location.protocol !== "http:" && location.protocol !== "https:")) return undefined;
  return `${location.protocol}//${other}${location.port ? `:${location.port}` : ""}`;
}

/** The page origin a frame at `location` serves: the same swap, back (frame.ts checks it). */
export const parentOriginFor = frameOriginFor;

export interface FramedWorkerOptions {
  /** How often the page asks the frame whether it is alive, in ms (default 1000). */
  pingMs?: number;
  /** No answer this long after a question: the frame's process is gone (default 8000 ms). */
  silenceMs?: number;
  /** The frame must say it is ready within this time (default 30,000 ms), or this long after its `load` event (default 2000 ms). */
  loadMs?: number;
  afterLoadMs?: number;
  /**
   * A worker to use instead when the frame never gets ready (the other name blocked, the page
   * itself in a frame of another site…): what was sent is replayed to it, and nothing is lost.
   * Without one, that is an error like any other.
   */
  fallback?: () => WorkerLike;
}

type MessageListener = (e: { data: FromWorker }) => void;
type ErrorListener = (e: { message: string; preventDefault?(): void }) => void;

export class FramedWorker implements WorkerLike {
  private readonly frame: HTMLIFrameElement;
  private readonly origin: string;
  private ready = false;
  private endedFlag = false;
  /** The frame never got ready: the fallback worker serves instead, made when first needed. */
  private fellBack = false;
  private inner: WorkerLike | undefined;
  private readonly waiting: ToWorker[] = [];
  private readonly listeners = { message: [] as MessageListener[], error: [] as ErrorListener[] };
  private readonly timer: ReturnType<typeof setInterval>;
  /** When the oldest question the frame has not answered yet was asked (undefined: none). */
  private unanswered: number | undefined;
  private lastTick = performance.now();
  private readonly created = performance.now();
  private loadedAt: number | undefined;
  private readonly onMessage = (e: MessageEvent<FromFrame>) => this.receive(e);
  private readonly fallback: (() => WorkerLike) | undefined;
  private started = false;

  /** `url`: the frame's page (kernel-frame.html) on the other origin. */
  constructor(doc: Document, url: URL, options: FramedWorkerOptions = {}) {
    const { pingMs = 1000, silenceMs = 8000, loadMs = 30_000, afterLoadMs = 2000 } = options;
    this.fallback = options.fallback;
    this.origin = url.origin;
    const win = doc.defaultView!;
    win.addEventListener("message", this.onMessage);
    const frame = doc.createElement("iframe");
    frame.className = "live-kernel-frame";
    frame.title = "The live kernel (runs the cells; shows nothing)";
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    // An error page (a blocked or refused frame) loads too, but never says it is ready.
    frame.addEventListener("load", () => (this.loadedAt ??= performance.now()));
    url.searchParams.set("parent", win.location.origin);
    frame.src = url.href;
    doc.body.append(frame);
    this.frame = frame;
    this.timer = setInterval(() => {
      const now = performance.now();
      // A tick that comes late (the machine slept, the tab was frozen, a debugger paused it) may
      // come before the answer waiting in the queue: ask again rather than judge.
      const late = now - this.lastTick > 2 * pingMs;
      this.lastTick = now;
      if (!this.ready) {
        const loadedLong = this.loadedAt !== undefined && now - this.loadedAt > afterLoadMs;
        if (!late && (loadedLong || now - this.created > loadMs)) this.failToLoad(`its frame (${url.origin}) did not load`);
        return;
      }
      if (this.unanswered === undefined || late) {
        this.unanswered = now;
        this.send({ frame: "ping" });
      } else if (now - this.unanswered > silenceMs) {
        this.fail("its process ended, most likely because the cell used more memory than the browser allows");
      }
    }, pingMs);
  }

  /** The kernel is needed now: the frame starts its worker (it would with the first run). */
  start(): void {
    if (this.fellBack) return void this.backing();
    if (this.endedFlag) return;
    this.started = true;
    if (this.ready) this.send({ frame: "start" });
  }

  /** Whether the frame said it was ready. */
  get loaded(): boolean {
    return this.ready;
  }

  /** Whether it was terminated, or failed (a frame that fell back still serves). */
  get ended(): boolean {
    return this.endedFlag && !this.fellBack;
  }

  postMessage(message: ToWorker): void {
    if (this.fellBack) this.backing().postMessage(message);
    else if (this.endedFlag) return;
    else if (this.ready) this.send({ kernel: message });
    else this.waiting.push(message);
  }

  terminate(): void {
    this.inner?.terminate();
    this.fellBack = false;
    this.endFrame();
  }

  addEventListener(type: "message", listener: MessageListener): void;
  addEventListener(type: "error", listener: ErrorListener): void;
  addEventListener(type: "message" | "error", listener: MessageListener | ErrorListener): void {
    if (type === "message") this.listeners.message.push(listener as MessageListener);
    else this.listeners.error.push(listener as ErrorListener);
  }

  private endFrame(): void {
    if (this.endedFlag) return;
    this.endedFlag = true;
    clearInterval(this.timer);
    this.frame.ownerDocument.defaultView?.removeEventListener("message", this.onMessage);
    this.frame.remove(); // the frame's document goes, and its worker with it
  }

  private send(message: ToFrame): void {
    this.frame.contentWindow?.postMessage(message, this.origin);
  }

  private receive(e: MessageEvent<FromFrame>): void {
    if (this.endedFlag || e.source !== this.frame.contentWindow || e.origin !== this.origin) return;
    this.unanswered = undefined; // anything from the frame says it is alive
    const m = e.data;
    if (m === null || typeof m !== "object") return;
    if ("worker" in m) {
      for (const l of this.listeners.message) l({ data: m.worker });
    } else if (m.frame === "ready") {
      this.ready = true;
      if (this.started) this.send({ frame: "start" });
      for (const w of this.waiting.splice(0)) this.send({ kernel: w });
    } else if (m.frame === "error") {
      this.fail(m.message);
    }
  }

  /** The frame never got ready: the fallback worker takes over, with everything sent so far. */
  private failToLoad(message: string): void {
    if (!this.fallback) return this.fail(message);
    this.endFrame();
    this.fellBack = true;
    if (this.started || this.waiting.length > 0) this.backing(); // else not before it is needed
  }

  /** The fallback worker, made on first use, with everything sent so far. */
  private backing(): WorkerLike {
    if (this.inner) return this.inner;
    const inner = this.fallback!();
    inner.addEventListener("message", (e) => {
      for (const l of this.listeners.message) l(e);
    });
    inner.addEventListener("error", (e) => {
      for (const l of this.listeners.error) l(e);
    });
    this.inner = inner;
    for (const w of this.waiting.splice(0)) inner.postMessage(w);
    return inner;
  }

  private fail(message: string): void {
    if (this.endedFlag) return;
    const listeners = [...this.listeners.error];
    this.endFrame();
    for (const l of listeners) l({ message });
  }
}
