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
import { startFrame, type FrameWindow } from "../../src/live/frame";

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
  const onLoad: (() => void)[] = [];
  const frame: any = { setAttribute() {}, addEventListener: (_: string, l: () => void) => onLoad.push(l), remove: () => (frame.removed = true), contentWindow, ownerDocument: { defaultView: win } };
  const doc = { defaultView: win, createElement: () => frame, body: { append: () => (frame.appended = true) } } as unknown as Document;
  const fromFrame = (data: unknown, origin = FRAME, source: unknown = contentWindow) => {
    for (const l of [...listeners]) l({ data, origin, source });
  };
  const loaded = () => onLoad.forEach((l) => l());
  return { doc, frame, posted, fromFrame, listeners, loaded };
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
  beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"] }));
  afterEach(() => vi.useRealTimers());

  test("the frame is told who its parent is; runs wait until it is ready, then go in order to its origin only", () => {
    const { doc, frame, posted, fromFrame } = fakePage();
    const w = new FramedWorker(doc, new URL(`${FRAME}/live/kernel-frame.html`));
    expect(frame.appended).toBe(true);
    expect(frame.src).toBe(`${FRAME}/live/kernel-frame.html?parent=${encodeURIComponent(PAGE)}`);
    w.start();
    w.postMessage({ type: "run", cell: 1, source: "1" });
    w.postMessage({ type: "run", cell: 3, source: "3" });
    expect(posted).toEqual([]);
    fromFrame({ frame: "ready" });
    expect(posted).toEqual([
      { message: { frame: "start" }, origin: FRAME },
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

  test("a frame that loads but never gets ready (a blocked page): the fallback worker gets what was sent, and its answers come through", () => {
    const { doc, frame, loaded } = fakePage();
    const inner = { sent: [] as unknown[], listeners: {} as Record<string, (e: any) => void>, terminated: false };
    const w = new FramedWorker(doc, new URL(`${FRAME}/live/kernel-frame.html`), {
      fallback: () => ({
        postMessage: (m) => inner.sent.push(m),
        terminate: () => (inner.terminated = true),
        addEventListener: (type: string, l: (e: any) => void) => (inner.listeners[type] = l),
      }),
    });
    const got: unknown[] = [];
    const errors: string[] = [];
    w.addEventListener("message", (e) => got.push(e.data));
    w.addEventListener("error", (e) => errors.push(e.message));
    w.postMessage({ type: "run", cell: 1, source: "1" });
    loaded();
    vi.advanceTimersByTime(1000);
    expect(inner.sent).toEqual([]); // still the frame's time
    vi.advanceTimersByTime(2000);
    expect(frame.removed).toBe(true);
    expect(inner.sent).toEqual([{ type: "run", cell: 1, source: "1" }]);
    w.postMessage({ type: "run", cell: 3, source: "3" });
    expect(inner.sent.length).toBe(2);
    inner.listeners.message!({ data: { type: "done", cell: 1, status: "ok" } });
    expect(got).toEqual([{ type: "done", cell: 1, status: "ok" }]);
    expect(errors).toEqual([]);
    w.terminate();
    expect(inner.terminated).toBe(true);
  });

  test("a spare frame that never got ready makes its fallback only when the kernel is needed, and still serves", () => {
    const { doc, loaded } = fakePage();
    let made = 0;
    const sent: unknown[] = [];
    const w = new FramedWorker(doc, new URL(`${FRAME}/live/kernel-frame.html`), {
      fallback: () => {
        made++;
        return { postMessage: (m) => sent.push(m), terminate: () => {}, addEventListener: () => {} };
      },
    });
    loaded();
    vi.advanceTimersByTime(10_000);
    expect(made).toBe(0); // a reader who never presses Run loads no kernel
    expect(w.ended).toBe(false);
    w.start();
    expect(made).toBe(1);
    w.postMessage({ type: "run", cell: 1, source: "1" });
    expect(sent).toEqual([{ type: "run", cell: 1, source: "1" }]);
    expect(made).toBe(1);
    w.terminate();
    expect(w.ended).toBe(true);
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

describe("startFrame (inside the frame)", () => {
  function fakeFrame(href: string, parentIsSelf = false) {
    const url = new URL(href);
    const told: { message: any; origin: string }[] = [];
    let listener: ((e: any) => void) | undefined;
    const parent = { postMessage: (message: any, origin: string) => told.push({ message, origin }) };
    const win: FrameWindow = {
      parent,
      location: { protocol: url.protocol, hostname: url.hostname, port: url.port, search: url.search },
      addEventListener: (_: string, l: (e: any) => void) => (listener = l),
    };
    if (parentIsSelf) (win as { parent: unknown }).parent = win;
    const workers: { sent: unknown[]; emit: (data: unknown) => void }[] = [];
    const make = () => {
      let onMessage: (e: { data: unknown }) => void = () => {};
      const w = { sent: [] as unknown[], emit: (data: unknown) => onMessage({ data }) };
      workers.push(w);
      return {
        postMessage: (m: unknown) => w.sent.push(m),
        addEventListener: (type: string, l: any) => {
          if (type === "message") onMessage = l;
        },
      };
    };
    const started = startFrame(win, make);
    const send = (data: unknown, origin = PAGE, source: unknown = parent) => listener?.({ data, origin, source });
    return { started, told, workers, send };
  }

  test("embedded by the page of its other name: ready, then runs go to one worker started on the first, its messages back to that origin only", () => {
    const f = fakeFrame(`${FRAME}/live/kernel-frame.html?parent=${encodeURIComponent(PAGE)}`);
    expect(f.started).toBe(true);
    expect(f.told).toEqual([{ message: { frame: "ready" }, origin: PAGE }]);
    expect(f.workers.length).toBe(0); // no kernel before it is needed
    f.send({ frame: "start" }); // needed: the page is fetching the first cell's source
    expect(f.workers.length).toBe(1);
    f.send({ frame: "ping" });
    expect(f.told.at(-1)).toEqual({ message: { frame: "pong" }, origin: PAGE });
    f.send({ kernel: { type: "run", cell: 1, source: "1" } });
    f.send({ kernel: { type: "run", cell: 3, source: "3" } });
    expect(f.workers.length).toBe(1);
    expect(f.workers[0]!.sent).toEqual([{ type: "run", cell: 1, source: "1" }, { type: "run", cell: 3, source: "3" }]);
    f.workers[0]!.emit({ type: "done", cell: 1, status: "ok" });
    expect(f.told.at(-1)).toEqual({ message: { worker: { type: "done", cell: 1, status: "ok" } }, origin: PAGE });
  });

  test("another origin or window gets nothing and runs nothing; a frame told another parent, or not framed, does not start", () => {
    const f = fakeFrame(`${FRAME}/live/kernel-frame.html?parent=${encodeURIComponent(PAGE)}`);
    f.send({ kernel: { type: "run", cell: 1, source: "evil()" } }, "http://evil.example");
    f.send({ kernel: { type: "run", cell: 1, source: "evil()" } }, PAGE, {});
    f.send({ frame: "ping" }, "http://evil.example");
    expect(f.workers.length).toBe(0);
    expect(f.told).toEqual([{ message: { frame: "ready" }, origin: PAGE }]);
    expect(fakeFrame(`${FRAME}/live/kernel-frame.html?parent=${encodeURIComponent("http://evil.example")}`).started).toBe(false);
    expect(fakeFrame(`http://course.example.org/live/kernel-frame.html?parent=${encodeURIComponent(PAGE)}`).started).toBe(false);
    expect(fakeFrame(`${FRAME}/live/kernel-frame.html?parent=${encodeURIComponent(PAGE)}`, true).started).toBe(false);
  });
});
