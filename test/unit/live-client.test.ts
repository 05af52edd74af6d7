/**
 * The live page's kernel client and output cap, without a browser (unit tier): a fake worker
 * stands in for worker.ts, so the queue, Stop, Restart and a crashing worker are checked on
 * their own; the cap is checked on outputs of known sizes.
 */
import { describe, expect, test } from "vitest";
import { type Finish, KernelClient, type WorkerLike } from "../../src/live/kernel-client";
import { OutputCap, type CapMessage } from "../../src/live/output-cap";
import type { FromWorker, ToWorker } from "../../src/live/protocol";

class FakeWorker implements WorkerLike {
  readonly sent: ToWorker[] = [];
  terminated = false;
  private listeners: Record<string, ((e: any) => void)[]> = {};
  postMessage(m: ToWorker) {
    this.sent.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  addEventListener(type: string, fn: (e: any) => void) {
    (this.listeners[type] ??= []).push(fn);
  }
  emit(m: FromWorker) {
    for (const fn of this.listeners.message ?? []) fn({ data: m });
  }
  crash(message: string) {
    for (const fn of this.listeners.error ?? []) fn({ message, preventDefault() {} });
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function client() {
  const workers: FakeWorker[] = [];
  const log: string[] = [];
  const c = new KernelClient(
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    async (cell) => ({ source: `code ${cell}`, check: cell === 3 }),
    {
      queued: (i) => log.push(`queued ${i}`),
      dropped: (i) => log.push(`dropped ${i}`),
      started: (i) => log.push(`started ${i}`),
      output: (m) => log.push(`output ${m.type} ${m.cell}`),
      finished: (i, f: Finish) => log.push(`finished ${i} ${f.status}${f.status === "error" && f.reason ? ` ${f.reason}` : ""}`),
      idle: (failed) => log.push(`idle ${failed ? "failed" : "ok"}`),
    },
  );
  return { c, workers, log };
}

describe("KernelClient", () => {
  test("cells run one at a time, in order; output goes to the page; a check cell is marked; idle at the end", async () => {
    const { c, workers, log } = client();
    c.enqueue([1, 3]);
    await tick();
    const w = workers[0]!;
    expect(w.sent).toEqual([{ type: "run", cell: 1, source: "code 1" }]);
    w.emit({ type: "stream", cell: 1, name: "stdout", text: "hi\n" });
    w.emit({ type: "done", cell: 1, status: "ok" });
    await tick();
    const run3 = w.sent[1] as { nonce?: string };
    expect(run3).toEqual({ type: "run", cell: 3, source: "code 3", check: true, nonce: expect.stringMatching(/^[0-9a-f]{32}$/) });
    w.emit({ type: "done", cell: 3, status: "error", error: { name: "CheckError", message: "no", traceback: ["CheckError: no"] }, nonce: run3.nonce });
    await tick();
    expect(log).toEqual(["queued 1", "queued 3", "started 1", "output stream 1", "finished 1 ok", "started 3", "finished 3 error", "idle failed"]);
    expect(c.ranWith(1, "code 1")).toBe(true);
    expect(c.ranWith(1, "changed")).toBe(false);
    expect(workers).toHaveLength(1);
  });

  test("a check cell's done counts only with the nonce sent for it (a cell's own postMessage cannot forge one)", async () => {
    const { c, workers, log } = client();
    c.enqueue([3]);
    await tick();
    const w = workers[0]!;
    const { nonce } = w.sent[0] as { nonce: string };
    w.emit({ type: "done", cell: 3, status: "ok" });
    w.emit({ type: "done", cell: 3, status: "ok", nonce: "0".repeat(32) });
    await tick();
    expect(log).not.toContain("finished 3 ok");
    w.emit({ type: "done", cell: 3, status: "ok", nonce });
    await tick();
    expect(log).toContain("finished 3 ok");
  });

  test("Stop ends the worker and the running cell, drops the queue, remembers the stopped cell; the next run gets a fresh worker", async () => {
    const { c, workers, log } = client();
    c.enqueue([1, 2, 3]);
    await tick();
    expect(c.stop()).toBe(1);
    expect(workers[0]!.terminated).toBe(true);
    expect(log.slice(-3)).toEqual(["dropped 2", "dropped 3", "finished 1 error stopped"]);
    expect(c.stopped).toBe(1);
    expect(c.ranWith(1, undefined)).toBe(false);
    workers[0]!.emit({ type: "done", cell: 1, status: "ok" }); // a late message of the old worker: ignored
    expect(log.at(-1)).toBe("finished 1 error stopped");
    c.enqueue([1]);
    await tick();
    expect(workers).toHaveLength(2);
    expect(c.stopped).toBeUndefined(); // run again: no longer the stopped cell
  });

  test("a worker that crashes (out of memory) fails its cell and the next run starts a new one", async () => {
    const { c, workers, log } = client();
    c.enqueue([1]);
    await tick();
    workers[0]!.crash("Out of memory");
    await tick();
    expect(log).toContain("finished 1 error crashed");
    expect(log.at(-1)).toBe("idle failed");
    c.enqueue([2]);
    await tick();
    expect(workers).toHaveLength(2);
    expect(workers[1]!.sent[0]).toMatchObject({ cell: 2 });
  });
});

describe("OutputCap", () => {
  const limits = { headLines: 3, headChars: 1000, tailLines: 2, tailChars: 100, intervalMs: 50, tailIntervalMs: 250 };
  function capped(lines: number) {
    const sent: CapMessage[] = [];
    const cap = new OutputCap((m) => sent.push(m), () => 0, limits);
    for (let i = 1; i <= lines; i++) cap.write("stdout", `line ${i}\n`);
    cap.flush();
    return { sent, cap };
  }

  const heads = (sent: CapMessage[]) => sent.flatMap((m) => (m.kind === "head" ? [m.text] : [])).join("");

  test("a short output passes whole, the first write at once, with nothing to download", () => {
    const { sent, cap } = capped(3);
    expect(sent.map((m) => m.kind)).toEqual(["head", "head"]);
    expect(heads(sent)).toBe("line 1\nline 2\nline 3\n");
    expect(cap.full()).toBeUndefined();
  });

  test("a long output keeps the head and the tail, counts what is between, and keeps all of it for the download", () => {
    const { sent, cap } = capped(10);
    expect(heads(sent)).toBe("line 1\nline 2\nline 3\n");
    expect(sent.filter((m) => m.kind === "tail")).toEqual([{ kind: "tail", text: "line 9\nline 10\n", droppedLines: 5, droppedChars: 35 }]);
    expect(cap.full()).toBe(Array.from({ length: 10 }, (_, i) => `line ${i + 1}\n`).join(""));
  });

  test("one huge line is cut by characters, head and tail", () => {
    const sent: CapMessage[] = [];
    const cap = new OutputCap((m) => sent.push(m), () => 0, limits);
    cap.write("stdout", "x".repeat(5000));
    cap.flush();
    expect(sent[0]).toEqual({ kind: "head", name: "stdout", text: "x".repeat(1000) });
    expect(sent[1]).toEqual({ kind: "tail", text: "x".repeat(100), droppedLines: 0, droppedChars: 3900 });
  });

  test("the tail, a preview while the cell runs, goes out at most every tailIntervalMs, and always at the end", () => {
    const sent: CapMessage[] = [];
    let now = 0;
    const cap = new OutputCap((m) => sent.push(m), () => now, limits);
    const tails = () => sent.filter((m) => m.kind === "tail").length;
    for (let i = 0; i < 10; i++) cap.write("stdout", `${i}\n`); // past the head, all within one interval
    expect(tails()).toBe(0);
    for (now = 50; now < 250; now += 50) cap.write("stdout", "more\n"); // the first tail at 50, none since
    expect(tails()).toBe(1);
    now = 300;
    cap.write("stdout", "later\n");
    expect(tails()).toBe(2);
    cap.write("stdout", "last\n");
    cap.flush();
    expect(sent.at(-1)).toMatchObject({ kind: "tail", text: "later\nlast\n" });
  });

  test("writes are batched: nothing is sent until the interval has passed", () => {
    const sent: CapMessage[] = [];
    let now = 0;
    const cap = new OutputCap((m) => sent.push(m), () => now, { ...limits, headLines: 10 });
    cap.write("stdout", "a\n"); // the first write goes out at once
    cap.write("stderr", "b\n");
    cap.write("stderr", "c\n");
    expect(sent).toHaveLength(1);
    now = 60;
    cap.write("stdout", "d\n");
    expect(sent.slice(1)).toEqual([
      { kind: "head", name: "stderr", text: "b\nc\n" },
      { kind: "head", name: "stdout", text: "d\n" },
    ]);
  });
});
