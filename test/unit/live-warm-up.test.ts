/**
 * The worker's warm-up (src/live/warm-up.ts), on the library itself (unit tier): it takes its
 * steps one task at a time and waits while a cell runs; it leaves nothing a lesson sees changed
 * (the default random generator, the engine's creation log, a graph built before it); it stops
 * quietly if the library was tampered with.
 */
import { describe, expect, test } from "vitest";
import * as lib from "../../src/index.js";
import { logLength } from "../../src/graph-store.js";
import { warmUp } from "../../src/live/warm-up.js";

const run = (options: Partial<Parameters<typeof warmUp>[1]> = {}) =>
  new Promise<number>((resolve) => {
    const start = Date.now();
    warmUp(lib, { busy: () => false, steps: 4, ...options, done: () => resolve(Date.now() - start) });
  });

describe("warmUp", () => {
  test("the default random generator draws what it would have drawn, and the creation log is empty after", async () => {
    lib.seed(7);
    const expected = Array.from({ length: 5 }, () => lib.defaultRng.uniform(-1, 1));
    lib.seed(7);
    await run();
    expect(Array.from({ length: 5 }, () => lib.defaultRng.uniform(-1, 1))).toEqual(expected);
    expect(logLength()).toBe(0);
  });

  test("a graph built before it still gets micrograd's gradients after it", async () => {
    // The lecture's example: L = (a·b + c)·f with a = 2, b = −3, c = 10, f = −2.
    const a = new lib.Value(2), b = new lib.Value(-3), c = new lib.Value(10), f = new lib.Value(-2);
    const L = a.mul(b).add(c).mul(f);
    await run();
    L.backward();
    expect([a.grad, b.grad, c.grad, f.grad]).toEqual([6, -4, -2, 4]);
  });

  test("none while a cell runs; then every step, one per task", async () => {
    let busy = true;
    let finished = false;
    let ticks = 0;
    const done = new Promise<void>((resolve) => warmUp(lib, { busy: () => busy, steps: 2, done: () => resolve() })).then(() => (finished = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(finished).toBe(false);
    const spy = setInterval(() => ticks++, 0);
    busy = false;
    await done;
    clearInterval(spy);
    expect(ticks).toBeGreaterThan(0); // other tasks had their turn between the steps
  });

  test("a library whose Value was patched to throw: it stops, and nothing escapes", async () => {
    const add = lib.Value.prototype.add;
    let calls = 0;
    lib.Value.prototype.add = function () {
      calls++;
      throw new Error("patched by a cell");
    };
    try {
      let finished = false;
      warmUp(lib, { busy: () => false, steps: 3, done: () => (finished = true) });
      for (let i = 0; i < 100 && calls === 0; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 100));
      expect(calls).toBe(1);
      expect(finished).toBe(false);
    } finally {
      lib.Value.prototype.add = add;
    }
  });
});
