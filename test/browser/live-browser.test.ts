/**
 * The live lessons in Chromium (browser tier): the real site rendered from the lessons, served
 * over HTTP by `npm run serve`'s server, every lesson run in the page with `#run-all`. Each cell's
 * live output must say what tslab said when render executed the lesson (its pre-rendered output
 * in the same page): the same text, the same ✓ lines, an SVG where there was one. With
 * `#exercise&run-all` (the learner's stubs) every lesson must fail, each check cell in error.
 * Screenshots of a live page (desktop and 375 px wide) are kept in test-results/.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/tools/files";
import { renderSite } from "../../src/tools/render";
import { serveSite, type Server } from "../../src/tools/serve";
import { auditLivePages, launchBrowser } from "../support/browser";
import { hasChromium, hasJupyter } from "../support/harness";

const root = packageRoot();
const lessons = fs
  .readdirSync(path.join(root, "notebooks"))
  .filter((f) => f.endsWith(".ipynb"))
  .sort()
  .map((f) => f.replace(/\.ipynb$/, ""));

interface CellView {
  cell: number;
  /** tslab's text outputs (stdout), as render wrote them into the page. */
  expectedText: string;
  expectedChecks: string[];
  expectedSvgs: number;
  liveText: string;
  liveErrors: string;
  liveChecks: string[];
  /** Size on screen of each top-level SVG of the live output. */
  liveSvgs: { width: number; height: number }[];
  status: string | undefined;
}

/** Open a lesson with `hash`, wait for the live run to end, and read every code cell. */
async function runLesson(browser: Browser, url: string, problems: string[]): Promise<{ page: Page; state: string; cells: CellView[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on("pageerror", (e) => problems.push(`${url}: page error: ${e.message}`));
  page.on("console", (m) => {
    // Chromium reports a CSP refusal as a console error: any of them means the runtime broke the policy.
    if (m.type() === "error" && !/favicon\.ico/.test(m.location().url)) problems.push(`${url}: console error: ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => ["done", "failed"].includes(document.documentElement.dataset.live ?? ""), null, { timeout: 120_000 });
  const state = (await page.evaluate(() => document.documentElement.dataset.live))!;
  const cells = await page.$$eval(".jp-CodeCell[data-cell]", (els) =>
    els.map((el) => {
      const text = (nodes: Iterable<Element>) => [...nodes].map((n) => n.textContent ?? "").join("");
      // Hidden by the output itself (not by the page hiding the whole pre-rendered output once live).
      const hiddenWithin = (node: Element, root: Element) => {
        for (let e = node.parentElement; e && e !== root; e = e.parentElement) if (e.hasAttribute("hidden")) return true;
        return false;
      };
      const checks = (root: Element | null) =>
        root ? [...root.querySelectorAll("div:not(:has(div))")].map((d) => d.textContent!.trim()).filter((t) => t.startsWith("✓")) : [];
      const pre = el.querySelector(".jp-Cell-outputWrapper");
      const live = el.querySelector<HTMLElement>("[data-live-output]");
      return {
        cell: Number((el as HTMLElement).dataset.cell),
        // What the kernel printed and its last value (an execute_result under Out[n], one line of its own).
        expectedText: [...(pre?.querySelectorAll('[data-mime-type="text/plain"] pre') ?? [])].map((p) => (p.closest(".jp-OutputArea-executeResult") ? `${p.textContent}\n` : p.textContent)).join(""),
        expectedChecks: checks(pre),
        // SVGs the page hides on purpose (a practice widget's next expressions, its replay) have no size yet.
        expectedSvgs: [...(pre?.querySelectorAll("svg:not(svg svg)") ?? [])].filter((s) => !hiddenWithin(s, pre!)).length,
        // What the cell printed and its last value (Out[n], one line of its own), in order.
        liveText: [...(live?.querySelectorAll('pre[data-stream="stdout"], [data-live-result] pre') ?? [])].map((p) => (p.closest("[data-live-result]") ? `${p.textContent}\n` : p.textContent)).join(""),
        liveErrors: text(live?.querySelectorAll('pre[data-stream="stderr"], [data-live-error]') ?? []),
        liveChecks: checks(live),
        liveSvgs: [...(live?.querySelectorAll("svg:not(svg svg)") ?? [])].filter((s) => !hiddenWithin(s, live!)).map((s) => {
          const box = s.getBoundingClientRect();
          return { width: box.width, height: box.height };
        }),
        status: live?.dataset.liveStatus,
      };
    }),
  );
  return { page, state, cells };
}

/**
 * Equal text, numbers equal to 12 significant digits. Only for lesson 07: its moons come from
 * Math.cos, Math.sin and Math.log, which Chromium's V8 computes 1 ulp away from Node 20's for some
 * inputs (ECMAScript leaves their last bit to the engine), and 100 training steps carry that into
 * the last digits of the printed losses. Every other lesson must match exactly.
 */
/** Durations a cell prints ("20.3 ms per step") depend on the machine, not on the runtime: not compared. */
function withoutTimings(text: string): string {
  return text.replace(/\d+(?:\.\d+)?\s*(?:ms|s)\b/g, "<time>");
}

function sameUpToLastDigits(a: string, b: string): boolean {
  const number = /-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi;
  if (a.replace(number, "#") !== b.replace(number, "#")) return false;
  const x = a.match(number) ?? [];
  const y = b.match(number) ?? [];
  return x.every((n, i) => Math.abs(Number(n) - Number(y[i])) <= 1e-12 * Math.max(1, Math.abs(Number(y[i]))));
}

describe("sameUpToLastDigits", () => {
  test("sameUpToLastDigits accepts a last-digit difference and rejects any other", () => {
    expect(sameUpToLastDigits("step 20 loss 0.18977522856087653, acc 91%", "step 20 loss 0.18977522856087645, acc 91%")).toBe(true);
    expect(sameUpToLastDigits("step 20 loss 0.18977522850, acc 91%", "step 20 loss 0.18977522856087645, acc 91%")).toBe(false);
    expect(sameUpToLastDigits("step 20 loss 0.18977522856087645, acc 92%", "step 20 loss 0.18977522856087645, acc 91%")).toBe(false);
    expect(sameUpToLastDigits("step 20 loss 0.18977522856087645", "step 21 loss 0.18977522856087645")).toBe(false);
  });
});

describe.skipIf(!(hasJupyter() && hasChromium()))("live lessons in Chromium", () => {
  let browser: Browser;
  let server: Server;
  let outDir: string;
  const problems: string[] = [];

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "live-site-"));
    const rendered = await renderSite({ outDir, log: () => {} });
    expect(rendered.failures).toEqual([]);
    server = await serveSite({ dir: outDir, port: 0 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test.each(lessons)("%s: #run-all gives tslab's outputs, cell by cell", async (name) => {
    const { page, state, cells } = await runLesson(browser, `${server.url}${name}.html#run-all`, problems);
    for (const c of cells) {
      const where = `${name}, cell ${c.cell}`;
      expect(c.status, `${where}: ${c.liveErrors}`).toBe("ok");
      if (name.includes("moons")) expect(sameUpToLastDigits(withoutTimings(c.liveText), withoutTimings(c.expectedText)), `${where}:\n${c.liveText}\n---\n${c.expectedText}`).toBe(true);
      else expect(withoutTimings(c.liveText), where).toBe(withoutTimings(c.expectedText));
      // A ✓ line may name inputs drawn fresh on every run (hidden tests): its numbers are not compared.
      const shape = (lines: string[]) => lines.map((l) => l.replace(/-?\d+(\.\d+)?(e-?\d+)?/g, "#"));
      expect(shape(c.liveChecks), where).toEqual(shape(c.expectedChecks));
      expect(c.liveSvgs.length, `${where}: SVGs`).toBe(c.expectedSvgs);
      for (const svg of c.liveSvgs) expect(svg.width * svg.height, `${where}: an SVG of zero size`).toBeGreaterThan(0);
    }
    expect(state).toBe("done");
    expect(cells.length).toBeGreaterThan(0);
    // The lesson's own solutions earn no score: no check ran on a learner's answer.
    expect(await page.$eval("[data-live-score]", (el) => (el.parentElement!.hidden ? "" : el.textContent))).toBe("");
    if (name.includes("moons")) {
      // The moons: the lecture's model separates all 100 points, in the page too.
      const training = cells.find((c) => /step 99 loss/.test(c.liveText));
      expect(training?.liveText).toMatch(/step 99 loss [\d.]+, accuracy 100%/);
      fs.mkdirSync(path.join(root, "test-results"), { recursive: true });
      await page.screenshot({ path: path.join(root, "test-results", "live-moons.png") });
      await page.setViewportSize({ width: 375, height: 800 });
      await page.screenshot({ path: path.join(root, "test-results", "live-moons-375.png") });
    }
    await page.close();
    expect(problems).toEqual([]);
  });

  test.each(lessons)("%s: #exercise&run-all fails, every check cell in error", async (name) => {
    const lesson = JSON.parse(fs.readFileSync(path.join(outDir, "notebooks", `${name}.ipynb`), "utf8"));
    const checkCells = lesson.cells.flatMap((c: any, i: number) => (c.metadata?.nbgrader?.grade ? [i] : []));
    expect(checkCells.length, `${name} has exercises`).toBeGreaterThan(0);
    const { page, state, cells } = await runLesson(browser, `${server.url}${name}.html#exercise&run-all`, problems);
    expect(state).toBe("failed");
    const statusOf = new Map(cells.map((c) => [c.cell, c.status]));
    expect(checkCells.map((i: number) => [i, statusOf.get(i)])).toEqual(checkCells.map((i: number) => [i, "error"]));
    await page.close();
    expect(problems).toEqual([]);
  });

  test("axe-core's default rules: no serious or critical violation on any page served over HTTP with the live runtime, light and dark", async () => {
    const pages = fs.readdirSync(outDir).filter((f) => f.endsWith(".html")).sort();
    expect(pages.length).toBe(lessons.length + 2); // the lessons, the index and the review page
    expect(await auditLivePages(browser, server.url, pages)).toEqual([]);
  }, 1_200_000); // twenty audits: long on a busy 2-core machine (a safety net, not a speed target)

  test("the checker can fail: a page whose live output differs is caught", async () => {
    // Plant a wrong number in a lesson's notebook: the page must then disagree with its pre-rendered output.
    const name = lessons[0]!;
    const file = path.join(outDir, "notebooks", `${name}.ipynb`);
    const original = fs.readFileSync(file, "utf8");
    const nb = JSON.parse(original);
    const first = nb.cells.findIndex((c: any) => c.cell_type === "code");
    nb.cells[first].source = [...[nb.cells[first].source].flat(), "\n;1234.5"];
    fs.writeFileSync(file, JSON.stringify(nb));
    try {
      const { page, cells } = await runLesson(browser, `${server.url}${name}.html#run-all`, []);
      const cell = cells.find((c) => c.cell === first)!;
      expect(cell.liveText).not.toBe(cell.expectedText);
      expect(cell.liveText).toContain("1234.5");
      await page.close();
    } finally {
      fs.writeFileSync(file, original);
    }
  });
});
