/**
 * The kernel's frame (kernel-frame.ts), without a browser (unit tier): which origin the frame
 * comes from, messages held until the frame is ready and passed through unchanged, messages
 * from anyone but the frame ignored, and a frame that stops answering (its process ended: a
 * cell ran out of memory) reported as the kernel's error, which the kernel client turns into
 * the running cell's error. Chromium itself is the browser tier's (live-learner.test.ts).
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { KernelClient, type Finish } from "../../src/live/kernel-client";
import { FramedWorker, frameOriginFor } from "../../src/live/kernel-frame";

const PAGE = "http://127.0.0.1:8000";
const FRAME = "http://localhost:8000";

/** Just enough of a page for FramedWorker: its window's messages, and one iframe. */
function fakePage() {
  const listeners = new Set<(e: any) => void>();
  const posted: { message: any; origin: string }[] = [];
  const contentWindow = { postMessage: (message: any, origin: string) => posted.push({ message, origin }) };
  const win = {
    location: { origin: PAGE },
    addEventListener: (_: string, l: (e: any) => void) => listeners.add(l),
    removeEventListener: (_: string, l: (e: any) => void) => listeners.delete(l),
  };
  const frame: any = { setAttribute() {}, remove: () => (frame.removed = true), contentWindow, ownerDocument: { defaultView: win } };
  const doc = { defaultView: win, createElement: () => frame, body: { append: () => (frame.appended = true) } } as unknown as Document;
  const fromFrame = (data: unknown, origin = FRAME, source: unknown = contentWindow) => {
    for (const l of [...listeners]) l({ data, origin, source });
  };
  return { doc, frame, posted, fromFrame, listeners };
}

describe("frameOriginFor", () => {
  test("the loopback address and localhost swap, port kept; any other host has no frame", () => {
    expect(frameOriginFor({ protocol: "http:", hostname: "127.0.0.1", port: "8000" })).toBe(FRAME);
    expect(frameOriginFor({ protocol: "http:", hostname: "localhost", port: "41234" })).toBe("http://127.0.0.1:41234");
    expect(frameOriginFor({ protocol: "https:", hostname: "localhost", port: "" })).toBe("https://127.0.0.1");
    expect(frameOriginFor({ protocol: "https:", hostname: "course.example.org", port: "" })).toBeUndefined();
    expect(frameOriginFor({ protocol: "file:", hostname: "", port: "" })).toBeUndefined();
  });
});

describe("FramedWorker", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test("the frame is told who its parent is; runs wait until it is ready, then go in order to its origin only", () => {
    const { doc, frame, posted, fromFrame } = fakePage();
    const w = new FramedWorker(doc, new URL(`${FRAME}/live/kernel-frame.html`));
    expect(frame.appended).toBe(true);
    expect(frame.src).toBe(`${FRAME}/live/kernel-frame.html?parent=${encodeURIComponent(PAGE)}`);
    w.postMessage({ type: "run", cell: 1, source: "1" });
    w.postMessage({ type: "run", cell: 3, source: "3" });
    expect(posted).toEqual([]);
    fromFrame({ frame: "ready" });
    expect(posted).toEqual([
      { message: { kernel: { type: "run", cell: 1, source: "1" } }, origin: FRAME },
      { message: { kernel: { type: "run", cell: 3, source: "3" } }, origin: FRAME },
    ]);
  });

  test("the worker's messages come through unchanged; the same from another origin or another window are dropped", () => {
    const { doc, fromFrame } = fakePage();
    const w = new FramedWorker(doc, new URL(`${FRAME}/live/kernel-frame.html`));
    const got: unknown[] = [];
    w.addEventListener("message", (e) => got.push(e.data));
    const done = { type: "done", cell: 1, status: "ok" };
    fromFrame({ frame: "ready" });
    fromFrame({ worker: done });
    fromFrame({ worker: { ...done, cell: 2 } }, "http://evil.example");
    fromFrame({ worker: { ...done, cell: 3 } }, FRAME, {});
    expect(got).toEqual([done]);
  });

  test("a frame that stops answering is the kernel's error: its process ended (out of memory); the frame goes", () => {
    const { doc, frame, posted, fromFrame, listeners } = fakePage();
    const w = new FramedWorker(doc, new URL(`${FRAME}/live/kernel-frame.html`), { pingMs: 1000, silenceMs: 8000 });
    const errors: string[] = [];
    w.addEventListener("error", (e) => errors.push(e.message));
    fromFrame({ frame: "ready" });
    // Answered questions keep it alive, however long a cell runs.
    for (let i = 0; i < 60; i++) {
      vi.advanceTimersByTime(1000);
      if (posted.at(-1)?.message.frame === "ping") fromFrame({ frame: "pong" });
    }
    expect(errors).toEqual([]);
    vi.advanceTimersByTime(10_000); // a question, then no answer for more than 8 s
    expect(errors).toEqual(["its process ended, most likely because the cell used more memory than the browser allows"]);
    expect(frame.removed).toBe(true);
    expect(listeners.size).toBe(0);
    const before = posted.length;
    w.postMessage({ type: "run", cell: 5, source: "5" }); // an ended kernel sends nothing
    vi.advanceTimersByTime(20_000);
    expect(posted.length).toBe(before);
    expect(errors.length).toBe(1);
  });

  test("a frame that never says it is ready is an error too, after loadMs", () => {
    const { doc } = fakePage();
    const w = new FramedWorker(doc, new URL(`${FRAME}/live/kernel-frame.html`), { loadMs: 5000 });
    const errors: string[] = [];
    w.addEventListener("error", (e) => errors.push(e.message));
    vi.advanceTimersByTime(4000);
    expect(errors).toEqual([]);
    vi.advanceTimersByTime(2000);
    expect(errors).toEqual([`its frame (${FRAME}) did not load`]);
  });

  test("with the kernel client: the running cell ends as crashed, the next run gets a new frame", async () => {
    const pages: ReturnType<typeof fakePage>[] = [];
    const log: string[] = [];
    const client = new KernelClient(
      () => {
        const p = fakePage();
        pages.push(p);
        const w = new FramedWorker(p.doc, new URL(`${FRAME}/live/kernel-frame.html`));
        p.fromFrame({ frame: "ready" });
        return w;
      },
      async (cell) => ({ source: `cell ${cell}`, check: false }),
      {
        queued: () => {},
        dropped: () => {},
        started: (i) => log.push(`started ${i}`),
        output: () => {},
        finished: (i, f: Finish) => log.push(`finished ${i} ${f.status}${f.status === "error" ? ` ${f.reason}: ${f.message}` : ""}`),
        idle: () => {},
      },
    );
    client.enqueue([7]);
    await vi.advanceTimersByTimeAsync(0);
    expect(pages[0]!.posted.map((p) => p.message)).toEqual([{ kernel: { type: "run", cell: 7, source: "cell 7" } }]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log).toEqual(["started 7", "finished 7 error crashed: its process ended, most likely because the cell used more memory than the browser allows"]);
    client.enqueue([1]);
    await vi.advanceTimersByTimeAsync(0);
    expect(pages.length).toBe(2);
    expect(pages[1]!.posted.map((p) => p.message)).toEqual([{ kernel: { type: "run", cell: 1, source: "cell 1" } }]);
  });
});
