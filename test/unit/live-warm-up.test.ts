/**
 * The worker's warm-up (src/live/warm-up.ts), on the library itself (unit tier): it takes its
 * steps one task at a time and waits while a cell runs; it leaves nothing a lesson sees changed
 * (the default random generator, the engine's creation log, a graph built before it); once a cell
 * patched the library's classes it runs none of that code.
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

  test("none while a cell runs; then one step per task, other tasks running between them", async () => {
    let busy = true;
    let finished = false;
    let ticks = 0;
    const ticksAtStep: number[] = [];
    const done = new Promise<void>((resolve) => warmUp(lib, { busy: () => busy, steps: 3, onStep: () => ticksAtStep.push(ticks), done: () => resolve() })).then(() => (finished = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(finished).toBe(false);
    expect(ticksAtStep).toEqual([]);
    const spy = setInterval(() => ticks++, 0);
    busy = false;
    await done;
    clearInterval(spy);
    expect(ticksAtStep.length).toBe(3);
    expect(ticksAtStep[1]).toBeGreaterThan(ticksAtStep[0]!); // a task of another ran between steps 1 and 2
    expect(ticksAtStep[2]).toBeGreaterThan(ticksAtStep[1]!);
  });

  test("a cell patches Value (as lessons 6 and 9 do) after it started: it runs none of that code, and stops", async () => {
    let steps = 0;
    let calls = 0;
    const mul = lib.Value.prototype.mul;
    const stepped = new Promise<void>((resolve) =>
      warmUp(lib, {
        busy: () => false,
        steps: 5,
        onStep: (n) => {
          steps = n;
          if (n === 1) {
            lib.Value.prototype.mul = function (this: lib.Value, other: lib.Operand) {
              calls++;
              return mul.call(this, other);
            };
            setTimeout(resolve, 300);
          }
        },
      }),
    );
    try {
      await stepped;
      expect(steps).toBe(1);
      expect(calls).toBe(0);
    } finally {
      lib.Value.prototype.mul = mul;
    }
  });
});
