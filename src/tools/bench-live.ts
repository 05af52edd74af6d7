/**
 * `npm run bench:live [-- --dir DIR] [-- --runs N]`: the live page's speed in headless Chromium,
 * against the rendered site (npm run render first), served as `npm run serve` does:
 *
 * - cold start: a fresh browser profile opens lesson 01 and presses Run on its first code cell;
 *   how long until the cell's output shows, and how much JavaScript (gzipped) was fetched by then;
 * - training: lesson 07's 100 training steps (its training cell, run after the cells above it),
 *   how long they take and the longest task on the page's main thread meanwhile;
 * - printing: a cell printing 200,000 lines (typed into lesson 01's last cell, run after the cells
 *   above it), how long until it is done and the longest main-thread task meanwhile (the output
 *   is capped and batched, so the page stays responsive).
 *
 * Targets: ≤ 2 MB of JavaScript gzipped before the first output, first output ≤ 1 s after Run,
 * the moons' training ≤ 3 s, no main-thread task over 200 ms while training, none over 100 ms
 * while a cell prints 200,000 lines.
 */
import { sourceText } from "../ipynb/notebook.js";
import { readNotebook } from "../ipynb/read.js";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { packageRoot } from "./files.js";
import { serveSite } from "./serve.js";

export interface BenchLiveOptions {
  dir?: string;
  /** Repetitions of each measure (the median is reported); default 3. */
  runs?: number;
  chromium?: string;
}

export interface BenchLiveResult {
  firstOutputSeconds: number;
  jsBeforeFirstOutputBytes: number;
  jsFiles: string[];
  trainingSeconds: number;
  longestMainThreadTaskMs: number;
  printingSeconds: number;
  longestTaskWhilePrintingMs: number;
  runs: number;
}

export const TARGETS = { firstOutputSeconds: 1, jsBeforeFirstOutputBytes: 2_000_000, trainingSeconds: 3, longestMainThreadTaskMs: 200, longestTaskWhilePrintingMs: 100 };

const PRINTING_CELL = "for (let i = 1; i <= 200000; i++) console.log(`line ${i}`);";

/** The longest task on the page's main thread since the last reset (window.__longest). */
const watchLongTasks = () => {
  const w = window as unknown as { __longest: number };
  w.__longest = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
  }).observe({ type: "longtask", buffered: false });
};

export async function benchLive(options: BenchLiveOptions = {}): Promise<BenchLiveResult> {
  const dir = path.resolve(options.dir ?? path.join(packageRoot(), "site"));
  const runs = options.runs ?? 3;
  const first = pageFile(dir, "01-");
  const moons = pageFile(dir, "moons");
  const { chromium } = await import("playwright-core");
  const server = await serveSite({ dir, port: 0 });
  const browser = await chromium.launch({
    executablePath: options.chromium ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const cold: { seconds: number; bytes: number; files: string[] }[] = [];
    const training: { seconds: number; longest: number }[] = [];
    const printing: { seconds: number; longest: number }[] = [];
    for (let i = 0; i < runs; i++) {
      // A new context each time: an empty cache, as for a first visit.
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      const fetched: { url: string; at: number }[] = [];
      page.on("requestfinished", (r) => {
        if (/\.m?js(\?|$)/.test(r.url())) fetched.push({ url: r.url(), at: performance.now() });
      });
      await page.goto(server.url + first, { waitUntil: "load" });
      const cell = await page.$eval(".jp-CodeCell[data-cell]", (el) => (el as HTMLElement).dataset.cell!);
      const clicked = performance.now();
      await page.click(`.jp-CodeCell[data-cell="${cell}"] [data-live-run]`);
      await page.waitForFunction((c) => !!document.querySelector(`[data-live-output][data-cell="${c}"] > *`), cell, { polling: "raf", timeout: 60_000 });
      const shown = performance.now();
      const files = [...new Set(fetched.filter((f) => f.at <= shown).map((f) => new URL(f.url).pathname))];
      const bytes = files.reduce((sum, f) => sum + gzipSync(fs.readFileSync(path.join(dir, decodeURIComponent(f)))).length, 0);
      cold.push({ seconds: (shown - clicked) / 1000, bytes, files });
      await context.close();

      const ctx2 = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      const p2 = await ctx2.newPage();
      await p2.addInitScript(watchLongTasks);
      await p2.goto(server.url + moons, { waitUntil: "load" });
      const trainCell = await trainingCell(dir, moons);
      // The cells above the training cell first (this also loads the runtime), then the steps alone.
      const before = await p2.$$eval(".jp-CodeCell[data-cell]", (els, t) => els.map((e) => Number((e as HTMLElement).dataset.cell)).filter((c) => c < t).pop(), trainCell);
      await p2.click(`.jp-CodeCell[data-cell="${before}"] [data-live-run]`);
      await p2.waitForFunction(() => document.documentElement.dataset.live === "done", null, { timeout: 120_000 });
      await p2.evaluate(() => ((window as unknown as { __longest: number }).__longest = 0));
      const start = performance.now();
      await p2.click(`.jp-CodeCell[data-cell="${trainCell}"] [data-live-run]`);
      await p2.waitForFunction((c) => document.querySelector(`[data-live-output][data-cell="${c}"]`)?.getAttribute("data-live-status") === "ok", trainCell, { polling: 20, timeout: 120_000 });
      const seconds = (performance.now() - start) / 1000;
      const longest = await p2.evaluate(() => (window as unknown as { __longest: number }).__longest);
      training.push({ seconds, longest });
      await ctx2.close();

      // 200,000 lines printed by one cell: typed into the page's last code cell, as a learner would.
      const ctx3 = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      const p3 = await ctx3.newPage();
      await p3.addInitScript(watchLongTasks);
      await p3.goto(server.url + first, { waitUntil: "load" });
      const last = await p3.$$eval(".jp-CodeCell[data-cell]", (els) => (els.at(-1) as HTMLElement).dataset.cell!);
      await p3.click(`.jp-CodeCell[data-cell="${last}"] [data-live-edit]`);
      await p3.click(`[data-cell="${last}"] .cm-content`);
      await p3.keyboard.press("Control+A");
      await p3.keyboard.press("Delete");
      await p3.keyboard.insertText(PRINTING_CELL);
      // The cells above it first (their charts take the main thread a while), then the printing alone.
      const above = await p3.$$eval(".jp-CodeCell[data-cell]", (els, l) => els.map((e) => Number((e as HTMLElement).dataset.cell)).filter((c) => c < l).pop(), Number(last));
      await p3.click(`.jp-CodeCell[data-cell="${above}"] [data-live-run]`);
      await p3.waitForFunction(() => document.documentElement.dataset.live === "done", null, { timeout: 120_000 });
      await p3.evaluate(() => ((window as unknown as { __longest: number }).__longest = 0));
      const t0 = performance.now();
      await p3.click(`.jp-CodeCell[data-cell="${last}"] [data-live-run]`);
      await p3.waitForFunction(() => ["done", "failed"].includes(document.documentElement.dataset.live ?? ""), null, { polling: 50, timeout: 300_000 });
      printing.push({ seconds: (performance.now() - t0) / 1000, longest: await p3.evaluate(() => (window as unknown as { __longest: number }).__longest) });
      await ctx3.close();
    }
    const median = <T>(xs: T[], key: (x: T) => number) => xs.map(key).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return {
      firstOutputSeconds: median(cold, (c) => c.seconds),
      jsBeforeFirstOutputBytes: Math.max(...cold.map((c) => c.bytes)),
      jsFiles: cold[0]!.files,
      trainingSeconds: median(training, (t) => t.seconds),
      longestMainThreadTaskMs: Math.max(...training.map((t) => t.longest)),
      printingSeconds: median(printing, (p) => p.seconds),
      longestTaskWhilePrintingMs: Math.max(...printing.map((p) => p.longest)),
      runs,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

function pageFile(dir: string, prefix: string): string {
  const file = fs.readdirSync(dir).find((f) => f.includes(prefix) && f.endsWith(".html"));
  if (!file) throw new Error(`${dir} has no ${prefix}….html: run npm run render first`);
  return file;
}

/** The moons lesson's training cell: the one that calls trainingProgress. */
async function trainingCell(dir: string, page: string): Promise<number> {
  const nb = readNotebook(path.join(dir, "notebooks", page.replace(/\.html$/, ".ipynb")));
  const index = nb.cells.findIndex((c) => c.cell_type === "code" && /trainingProgress\(/.test(sourceText(c)));
  if (index < 0) throw new Error(`${page}: no cell calls trainingProgress (the training loop)`);
  return index;
}

export function formatBenchLive(r: BenchLiveResult): string {
  const mark = (ok: boolean) => (ok ? "ok" : "OVER TARGET");
  return [
    `live page in headless Chromium (median of ${r.runs} cold runs):`,
    `  first output after Run     ${r.firstOutputSeconds.toFixed(2)} s   (target ≤ ${TARGETS.firstOutputSeconds} s) ${mark(r.firstOutputSeconds <= TARGETS.firstOutputSeconds)}`,
    `  JS fetched before it       ${(r.jsBeforeFirstOutputBytes / 1e6).toFixed(2)} MB gzipped (target ≤ 2 MB) ${mark(r.jsBeforeFirstOutputBytes <= TARGETS.jsBeforeFirstOutputBytes)}`,
    `      ${r.jsFiles.join(", ")}`,
    `  moons: 100 training steps  ${r.trainingSeconds.toFixed(2)} s   (target ≤ ${TARGETS.trainingSeconds} s) ${mark(r.trainingSeconds <= TARGETS.trainingSeconds)}`,
    `  longest main-thread task   ${r.longestMainThreadTaskMs.toFixed(0)} ms  (target ≤ ${TARGETS.longestMainThreadTaskMs} ms) ${mark(r.longestMainThreadTaskMs <= TARGETS.longestMainThreadTaskMs)}`,
    `  a cell printing 200,000 lines  ${r.printingSeconds.toFixed(2)} s`,
    `  longest main-thread task   ${r.longestTaskWhilePrintingMs.toFixed(0)} ms  (target ≤ ${TARGETS.longestTaskWhilePrintingMs} ms) ${mark(r.longestTaskWhilePrintingMs <= TARGETS.longestTaskWhilePrintingMs)}`,
  ].join("\n");
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let options: BenchLiveOptions;
  try {
    const { values } = parseArgs({ args: argv, options: { dir: { type: "string" }, runs: { type: "string" } } });
    const runs = values.runs === undefined ? undefined : Number(values.runs);
    if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) throw new Error(`--runs needs a whole number ≥ 1, got "${values.runs}"`);
    options = { dir: values.dir, runs };
  } catch (e) {
    console.error(`bench:live: ${(e as Error).message}\nusage: npm run bench:live [-- --dir DIR] [-- --runs N]`);
    return 2;
  }
  try {
    console.log(formatBenchLive(await benchLive(options)));
    return 0;
  } catch (e) {
    console.error(`bench:live: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
