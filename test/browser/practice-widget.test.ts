/**
 * practiceBackward's widget in Chromium, in both of its hosts:
 * - the course site: a real page (pageHtml, with its Content-Security-Policy) from file://, the
 *   widget's behaviour from assets/practice.js, as render writes them; also a widget added after
 *   load, as the live page adds outputs;
 * - Jupyter: the cell's two outputs (the markup, then the script as application/javascript), put in
 *   a page the way Jupyter does: the HTML inserted, the script run.
 * Answers come from the engine's own backward() on the same seeded expression, not from the widget.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { practiceBackwardHtml, practiceScript } from "../../src/practice/backward-practice";
import { practiceExpression, opsFor } from "../../src/practice/expression";
import { topologicalOrder } from "../../src/engine";
import { packageRoot } from "../../src/tools/files";
import { buildLiveBundle } from "../../src/tools/live-bundle";
import { serveSite } from "../../src/tools/serve";
import { launchBrowser, standAlonePage } from "../support/browser";
import { hasChromium } from "../support/harness";

const LESSON = "04-neuron-tanh";
const SEED = 11;

/** The engine's answer for expression `seed`: grads in the drawing's order (topological). */
function engineGrads(seed: number): { labels: string[]; grads: number[] } {
  const root = practiceExpression(seed, { ops: opsFor(LESSON) });
  root.backward();
  const order = topologicalOrder(root);
  return { labels: order.map((v) => v.label), grads: order.map((v) => v.grad) };
}

function sitePage(dir: string, body: string, scripts = ["assets/practice.js"]): string {
  return standAlonePage(dir, `${LESSON}.html`, `<div class="jp-Cell">${body}</div>`, scripts);
}

async function typeGrads(page: Page, grads: (string | number)[]): Promise<void> {
  const boxes = page.locator(".mg-practice-item:not([hidden]) .mg-practice-stage input");
  expect(await boxes.count()).toBe(grads.length);
  for (let i = 0; i < grads.length; i++) {
    const g = grads[i]!;
    await page.locator(`.mg-practice-item:not([hidden]) .mg-practice-stage input[id$="-n${i}"]`).fill(typeof g === "number" ? g.toFixed(4) : g);
  }
  await page.getByRole("button", { name: "Check" }).click();
}

const feedback = (page: Page) => page.locator(".mg-practice-item:not([hidden]) .mg-practice-feedback li").allTextContents();

describe.skipIf(!hasChromium())("practiceBackward in Chromium", () => {
  let browser: Browser;
  let html: string;
  const problems: string[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
    html = await practiceBackwardHtml({ lesson: LESSON, seed: SEED, count: 3 });
  });
  afterAll(async () => browser?.close());

  async function open(url: string): Promise<Page> {
    problems.length = 0;
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
    await page.goto(url, { waitUntil: "load" });
    await page.locator(".mg-practice.mg-ready").waitFor();
    return page;
  }

  test("on the site page: a correct full answer is all ✓, the stepper replays it, the solved count is kept", async () => {
    const page = await open(sitePage(fs.mkdtempSync(path.join(os.tmpdir(), "practice-site-")), html));
    const { labels, grads } = engineGrads(SEED);
    expect(await page.locator(".mg-practice-item:not([hidden]) .mg-practice-stage input").evaluateAll((xs) => xs.map((x) => x.getAttribute("aria-label")))).toEqual(
      expect.arrayContaining(labels.map((l) => expect.stringMatching(new RegExp(`^grad of ${l}\\b`)))),
    );
    await typeGrads(page, grads);
    const lines = await feedback(page);
    expect(lines).toEqual(labels.map((l) => `✓ grad of ${l} is right.`));
    await expect.poll(() => page.locator(".mg-practice-status").textContent()).toMatch(/^All \d+ grads are right/);
    expect(await page.locator(".mg-practice-item:not([hidden]) .mg-practice-replay").isVisible()).toBe(true);
    expect(await page.locator(".mg-practice-item:not([hidden]) .mg-steps").count()).toBe(1);
    expect(await page.evaluate((k) => localStorage.getItem(k), `micrograd-ts:practice:${LESSON}`)).toBe('{"solved":1}');
    await page.screenshot({ path: path.join(packageRoot(), "test-results", "practice-solved.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  test("a planted wrong node is ✗ with its rule; the others stay ✓; a grad worked from it is marked as following from it", async () => {
    const page = await open(sitePage(fs.mkdtempSync(path.join(os.tmpdir(), "practice-wrong-")), html));
    const { labels, grads } = engineGrads(SEED);
    const nodes = JSON.parse((await page.locator(".mg-practice-item").first().getAttribute("data-nodes"))!) as { uses: [number, number][] }[];
    // The value used twice: forgetting one of its uses (= instead of +=) is the classic slip.
    const twice = nodes.findIndex((n) => n.uses.length > 1);
    expect(twice).toBeGreaterThanOrEqual(0);
    const planted = grads.slice() as (number | string)[];
    planted[twice] = grads[twice]! + 1;
    await typeGrads(page, planted);
    const lines = await feedback(page);
    expect(lines[twice]).toMatch(new RegExp(`^✗ grad of ${labels[twice]} is not right\\. Rule: ${labels[twice]} is used 2 times, so its grad is the sum of what each use passes back \\(\\+=`));
    lines.forEach((l, i) => i !== twice && expect(l).toBe(`✓ grad of ${labels[i]} is right.`));
    expect(await page.locator(".mg-practice-item:not([hidden]) .mg-practice-replay").isHidden()).toBe(true);
    expect(await page.locator(`.mg-practice-item:not([hidden]) .mg-practice-stage input[id$="-n${twice}"]`).getAttribute("aria-invalid")).toBe("true");
    // The status (a live region) says which one and why.
    expect(await page.locator(".mg-practice-status").getAttribute("aria-live")).toBe("polite");
    expect(await page.locator(".mg-practice-status").textContent()).toContain(`✗ grad of ${labels[twice]} is not right`);

    // Now a wrong interior grad, and the inputs below it worked out from the wrong value.
    const root = grads.length - 1;
    const interior = nodes.findIndex((n, i) => i !== root && n.uses.length === 1 && nodes.some((m) => m.uses.length === 1 && m.uses[0]![0] === i));
    const child = nodes.findIndex((m) => m.uses.length === 1 && m.uses[0]![0] === interior);
    const typed = grads.slice() as (number | string)[];
    typed[interior] = grads[interior]! * 2 + 1;
    typed[child] = nodes[child]!.uses[0]![1] * (typed[interior] as number);
    await typeGrads(page, typed);
    const after = await feedback(page);
    expect(after[interior]).toMatch(/^✗ .* Rule: /);
    expect(after[child]).toMatch(new RegExp(`^↻ grad of ${labels[child]} follows from your grad of ${labels[interior]}, which is off`));
    // Not a number: said so, not judged as wrong arithmetic.
    await page.locator(`.mg-practice-item:not([hidden]) .mg-practice-stage input[id$="-n0"]`).fill("two");
    await page.locator(`.mg-practice-item:not([hidden]) .mg-practice-stage input[id$="-n0"]`).press("Enter");
    expect((await feedback(page))[0]).toBe(`✗ grad of ${labels[0]}: “two” is not a number.`);
    await page.screenshot({ path: path.join(packageRoot(), "test-results", "practice-wrong.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  test("New expression gives a different graph (the next seed), with its own empty boxes", async () => {
    const page = await open(sitePage(fs.mkdtempSync(path.join(os.tmpdir(), "practice-new-")), html));
    const first = await page.locator(".mg-practice-item:not([hidden])").getAttribute("data-nodes");
    const firstSvg = await page.locator(".mg-practice-item:not([hidden]) .mg-practice-stage svg").innerHTML();
    await page.getByRole("button", { name: "New expression" }).click();
    const second = page.locator(".mg-practice-item:not([hidden])");
    expect(await second.getAttribute("data-seed")).toBe(String(SEED + 1));
    expect(await second.getAttribute("data-nodes")).not.toBe(first);
    expect(await second.locator(".mg-practice-stage svg").innerHTML()).not.toBe(firstSvg);
    expect(await second.locator(".mg-practice-stage input").evaluateAll((xs) => xs.map((x) => (x as HTMLInputElement).value))).toEqual(
      engineGrads(SEED + 1).grads.map(() => ""),
    );
    const { grads } = engineGrads(SEED + 1);
    await typeGrads(page, grads);
    expect((await feedback(page)).every((l) => l.startsWith("✓"))).toBe(true);
    expect(await page.locator(".mg-practice-which").textContent()).toBe(`Expression 2 of 3 (seed ${SEED + 1}).`);
    await page.close();
  });

  test("New expression never runs out on the site served over HTTP: past the page's expressions it draws the next seed in the page", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "practice-http-"));
    const few = await practiceBackwardHtml({ lesson: LESSON, seed: SEED, count: 2 });
    sitePage(dir, few, ["assets/practice.js", "live/live.js"]);
    await buildLiveBundle(dir);
    const server = await serveSite({ dir, port: 0 });
    try {
      const page = await open(`${server.url}${LESSON}.html`);
      const next = page.getByRole("button", { name: "New expression" });
      await next.click(); // the page's second expression
      for (const seed of [SEED + 2, SEED + 3]) {
        await next.click(); // drawn in the page
        await expect.poll(() => page.locator(".mg-practice-item:not([hidden])").getAttribute("data-seed"), { timeout: 60_000 }).toBe(String(seed));
        expect(await page.locator(".mg-practice-item").count()).toBe(seed - SEED + 1);
        expect(await page.locator(".mg-practice-status").textContent()).toMatch(new RegExp(`^New expression, seed ${seed}: \\d+ grads to find\\.$`));
        // The same expression the engine builds from that seed, its answers judged as any other's.
        const { labels, grads } = engineGrads(seed);
        const nodes = JSON.parse((await page.locator(".mg-practice-item:not([hidden])").getAttribute("data-nodes"))!) as { label: string; grad: number }[];
        expect(nodes.map((n) => n.label)).toEqual(labels);
        nodes.forEach((n, i) => expect(n.grad).toBeCloseTo(grads[i]!, 12));
        await typeGrads(page, grads);
        expect(await feedback(page)).toEqual(labels.map((l) => `✓ grad of ${l} is right.`));
        expect(await page.locator(".mg-practice-item:not([hidden]) .mg-practice-replay .mg-steps").count()).toBe(1);
      }
      expect(await page.locator(".mg-practice-which").textContent()).toBe(`Expression 4 of 4 (seed ${SEED + 3}).`);
      expect(await page.evaluate((k) => localStorage.getItem(k), `micrograd-ts:practice:${LESSON}`)).toBe('{"solved":2}');
      await page.screenshot({ path: path.join(packageRoot(), "test-results", "practice-drawn-in-page.png"), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await server.close();
    }
  });

  test("from file:// (no modules there) New expression goes round the page's expressions and says where new ones are", async () => {
    const few = await practiceBackwardHtml({ lesson: LESSON, seed: SEED, count: 2 });
    const page = await open(sitePage(fs.mkdtempSync(path.join(os.tmpdir(), "practice-round-")), few, ["assets/practice.js", "live/live.js"]));
    const next = page.getByRole("button", { name: "New expression" });
    await next.click();
    await next.click();
    expect(await page.locator(".mg-practice-item:not([hidden])").getAttribute("data-seed")).toBe(String(SEED));
    expect(await page.locator(".mg-practice-status").textContent()).toContain("These 2 come round again; the course site served over HTTP (npm run serve) draws new ones without end");
    await page.close();
  });

  test("keyboard: Tab reaches every box (output first) and the buttons; each box is named by its node", async () => {
    const page = await open(sitePage(fs.mkdtempSync(path.join(os.tmpdir(), "practice-keys-")), html));
    const { labels } = engineGrads(SEED);
    await page.getByRole("button", { name: "Check" }).focus();
    const reached: string[] = [];
    for (let i = 0; i < labels.length + 3; i++) {
      reached.push(await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent ?? ""));
      await page.keyboard.press("Tab");
    }
    const expected = labels.map((l) => expect.stringMatching(new RegExp(`^grad of ${l}\\b`))).reverse();
    expect(reached).toEqual(["Check", "New expression", "Show the answer", ...expected]);
    // The last box is the first input's; typing and Enter judges it, and the verdict is announced.
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.type("123");
    await page.keyboard.press("Enter");
    expect(await page.locator(".mg-practice-status").textContent()).toMatch(new RegExp(`^✗ grad of ${labels[0]} is not right\\. Rule: `));
    await page.close();
  });

  test("a widget added after load (as the live page adds outputs) comes to life too", async () => {
    const page = await open(sitePage(fs.mkdtempSync(path.join(os.tmpdir(), "practice-late-")), html));
    const late = await practiceBackwardHtml({ lesson: LESSON, seed: 99, count: 1 });
    await page.evaluate((markup) => {
      const div = document.createElement("div");
      div.className = "live-display";
      div.innerHTML = markup;
      document.querySelector("main")!.appendChild(div);
    }, late);
    await page.locator(".live-display .mg-practice.mg-ready").waitFor();
    expect(await page.locator(".live-display .mg-practice-stage input").count()).toBe(engineGrads(99).grads.length);
    await page.close();
  });

  test("in Jupyter's way: the HTML output, then the script output run; answers judged the same", async () => {
    const page = await browser.newPage();
    problems.length = 0;
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.setContent(`<!DOCTYPE html><html><head><title>Jupyter</title></head><body><div class="jp-OutputArea-output">${html}</div></body></html>`);
    await page.addScriptTag({ content: practiceScript() });
    await page.addScriptTag({ content: practiceScript() }); // a second cell's output: no second set of boxes
    await page.locator(".mg-practice.mg-ready").waitFor();
    const { labels, grads } = engineGrads(SEED);
    expect(await page.locator(".mg-practice-controls").count()).toBe(1);
    await typeGrads(page, grads);
    expect(await feedback(page)).toEqual(labels.map((l) => `✓ grad of ${l} is right.`));
    expect(problems).toEqual([]);
    await page.close();
  });

  test("axe-core: nothing serious or critical in the widget, light and dark, with feedback shown; screenshots light, dark, also 375 px wide", async () => {
    const { default: AxeBuilder } = await import("@axe-core/playwright");
    const url = sitePage(fs.mkdtempSync(path.join(os.tmpdir(), "practice-axe-")), html);
    const { grads } = engineGrads(SEED);
    const found: string[] = [];
    for (const theme of ["light", "dark"] as const) {
      for (const width of [1100, 375]) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme });
        const page = await context.newPage();
        await page.goto(url, { waitUntil: "load" });
        await page.locator(".mg-practice.mg-ready").waitFor();
        const planted = grads.slice() as (number | string)[];
        planted[0] = "x";
        planted[1] = grads[1]! + 3;
        await typeGrads(page, planted);
        if (width === 1100) {
          const results = await new AxeBuilder({ page }).include(".mg-practice").withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
          for (const v of results.violations) {
            if (v.impact === "serious" || v.impact === "critical") found.push(`${theme}: ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
          }
        }
        await page.screenshot({ path: path.join(packageRoot(), "test-results", `practice-${theme}-${width}.png`), fullPage: true });
        await context.close();
      }
    }
    expect(found).toEqual([]);
  }, 600_000); // axe on a busy 2-core machine: no limit worth testing
});
