import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { kindOf, liveDisplay, show, useDisplayBackend, type DisplayBackend, type DisplaySink } from "../../src/notebook/display.js";
import { trainingProgress } from "../../src/notebook/training-progress.js";

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';

/** A stand-in for tslab that records what would have been sent to Jupyter. */
function fakeKernel() {
  const sent: { display: string; kind: string; markup: string }[] = [];
  const sink = (display: string): DisplaySink => ({
    html: (markup) => sent.push({ display, kind: "html", markup }),
    svg: (markup) => sent.push({ display, kind: "svg", markup }),
    markdown: (markup) => sent.push({ display, kind: "markdown", markup }),
  });
  let count = 0;
  const backend: DisplayBackend = { display: sink("main"), newDisplay: () => sink(`live${++count}`) };
  return { backend, sent };
}

afterEach(() => useDisplayBackend(undefined));

describe("outside a kernel", () => {
  it("show returns the markup (and a Promise of it for a Promise) without throwing", async () => {
    expect(show(svg)).toBe(svg);
    expect(show("# Title", "markdown")).toBe("# Title");
    await expect(show(Promise.resolve(svg))).resolves.toBe(svg);
    await expect(show(Promise.reject(new Error("too big")))).rejects.toThrow("too big");
    expect(() => show(42 as unknown as string)).toThrow(/show: expected markup \(a string\) or a Promise of one, got number/);
  });

  it("liveDisplay remembers the last markup", () => {
    const live = liveDisplay();
    expect(live.last).toBeUndefined();
    live.update("<b>1</b>");
    live.update("<b>2</b>");
    expect(live.last).toBe("<b>2</b>");
  });

  it("trainingProgress keeps its final state: step N of N, loss, accuracy, a bar and a loss chart", () => {
    const p = trainingProgress({ total: 5 });
    const losses = [2, 1.5, 1.1, 0.9, 0.8];
    losses.forEach((loss, step) => p.update({ step, loss, accuracy: step / 4 }));
    expect(p.losses).toEqual(losses);
    const html = p.markup!;
    expect(html).toContain("<b>step 5 of 5</b> · loss 0.8000 · accuracy 100.0%");
    expect(html).toContain('aria-valuenow="5"');
    expect(html).toMatch(/role="progressbar" aria-label="[^"]+"/); // a progress bar needs a name (axe: aria-progressbar-name)
    expect(html).toContain("width:100.0%");
    expect(html).toMatch(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*class="mg-series"/);
    expect(p.done()).toBe(html);
  });

  it("trainingProgress says which input is wrong", () => {
    expect(() => trainingProgress({ total: 0 })).toThrow(/total must be a positive whole number of steps, got 0/);
    const p = trainingProgress({ total: 3 });
    expect(() => p.update({ step: 3, loss: 1 })).toThrow(/step must be a whole number from 0 to 2, got 3/);
    expect(() => p.update({ step: 0, loss: { data: 1 } as unknown as number })).toThrow(/loss at step 0 is not a number \(pass loss.data\)/);
  });
});

describe("in a kernel", () => {
  it("show sends SVG and HTML as HTML, markdown as markdown, and returns nothing for tslab to print", async () => {
    const { backend, sent } = fakeKernel();
    useDisplayBackend(backend);
    expect(show(svg)).toBeUndefined();
    expect(show("*hi*")).toBeUndefined();
    expect(show(svg, "svg")).toBeUndefined();
    const later = show(Promise.resolve("<p>later</p>"));
    // awaitable, so `await show(drawGraph(L))` keeps the drawing in its own cell…
    await expect(later).resolves.toBeUndefined();
    // …and a forgotten await prints a hint instead of "Promise { <pending> }"
    expect(inspect(later)).toMatch(/write show\(await …\) so the cell waits/);
    expect(sent.map((s) => [s.kind, s.markup])).toEqual([
      ["html", svg],
      ["markdown", "*hi*"],
      ["svg", svg],
      ["html", "<p>later</p>"],
    ]);
  });

  it("treats tslab's 'Not ready' as being outside a kernel, and passes other errors on", () => {
    const notReady: DisplaySink = { html: () => { throw new Error("Not ready"); }, svg: () => {}, markdown: () => {} };
    useDisplayBackend({ display: notReady, newDisplay: () => notReady });
    expect(show("<p>x</p>")).toBe("<p>x</p>");
    const broken: DisplaySink = { html: () => { throw new Error("socket closed"); }, svg: () => {}, markdown: () => {} };
    useDisplayBackend({ display: broken, newDisplay: () => broken });
    expect(() => show("<p>x</p>")).toThrow("socket closed");
  });

  it("liveDisplay and trainingProgress update one output in place, drawing about 50 times and always the last step", () => {
    const { backend, sent } = fakeKernel();
    useDisplayBackend(backend);
    const p = trainingProgress({ total: 101, minInterval: 0 });
    for (let step = 0; step < 101; step++) p.update({ step, loss: 1 / (step + 1) });
    const displays = new Set(sent.map((s) => s.display));
    expect([...displays]).toEqual(["live1"]);
    // every = round(101 / 50) = 2: steps 0, 1, 3, 5, … 99, and the last one, 100.
    expect(sent).toHaveLength(52);
    expect(sent.at(-1)!.markup).toContain("<b>step 101 of 101</b>");
  });

  it("trainingProgress({ minInterval }) redraws at most once per interval, and always the first and last steps", () => {
    const { backend, sent } = fakeKernel();
    useDisplayBackend(backend);
    let now = 0;
    // A step every 30 ms, a redraw wanted every step, at most one per 100 ms.
    const p = trainingProgress({ total: 12, every: 1, minInterval: 100, clock: () => now });
    for (let step = 0; step < 12; step++, now += 30) p.update({ step, loss: 1 });
    // Drawn at 0 ms (step 1), 120 ms (step 5), 240 ms (step 9), and the last step at 330 ms.
    expect(sent.map((s) => /<b>step (\d+) of 12<\/b>/.exec(s.markup)![1])).toEqual(["1", "5", "9", "12"]);
  });

  it("trainingProgress draws a redraw it skipped once the loop yields, so a loop stopped early is not shown behind", async () => {
    const { backend, sent } = fakeKernel();
    useDisplayBackend(backend);
    let now = 0;
    const p = trainingProgress({ total: 100, every: 1, minInterval: 100, clock: () => now });
    for (let step = 0; step < 4; step++, now += 10) p.update({ step, loss: 1 }); // then training stops, without done()
    expect(sent.map((s) => /<b>step (\d+) of 100<\/b>/.exec(s.markup)![1])).toEqual(["1"]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sent.map((s) => /<b>step (\d+) of 100<\/b>/.exec(s.markup)![1])).toEqual(["1", "4"]);
    expect(() => trainingProgress({ total: 3, minInterval: -1 })).toThrow(/minInterval must be a number of milliseconds ≥ 0, got -1/);
  });

  it("kindOf: markup that starts with a tag is HTML (SVG included), anything else markdown", () => {
    expect(kindOf("  <svg></svg>")).toBe("html");
    expect(kindOf("<div></div>")).toBe("html");
    expect(kindOf("## heading")).toBe("markdown");
  });
});
