/**
 * What a learner (and a hostile notebook) hit in the live page, each reproduced in Chromium
 * (browser tier) on lessons 01 and 08 served over HTTP:
 * - output HTML can't act on the page: a <meta> refresh, a <style> faking the score, a link laid
 *   over the page;
 * - a cell printing 200,000 lines: head and tail shown, the rest counted and downloadable; an
 *   endless printing loop can still be stopped;
 * - a cell that runs out of memory: its kernel's frame ends, the tab does not (kernel-frame.ts);
 *   a frame that can't load leaves the cells to the page's own worker;
 * - ids in SVG output are unique per page (lesson 08's decision boundary and its clip-path);
 * - the toolbar never covers the search results;
 * - Shift-Enter runs and scrolls the next cell into view, Ctrl-Enter runs and stays;
 * - after Stop, Run on a later cell says the stopped cell would run again, and offers this cell alone;
 * - two tabs of one lesson stay in step and never drop an edit silently;
 * - the score: none before a check counted, none for the lesson's own solutions, kept across a
 *   reload (localStorage `micrograd-ts:score:<notebook>`);
 * - "Try it yourself" hides the check cell's ticks too; the edited mark names the mode;
 * - a stub's error points at the answer cell, then at the check's line that called it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { renderSite } from "../../src/tools/render";
import { serveSite, type Server } from "../../src/tools/serve";
import { editorText, replaceCode } from "../support/live";
import { launchBrowser } from "../support/browser";
import { hasChromium, hasJupyter } from "../support/harness";

const lesson = "01-derivatives";
const answer = 20;
const checkCell = 21;

describe.skipIf(!(hasJupyter() && hasChromium()))("the live page: what a learner hit", () => {
  let browser: Browser;
  let server: Server;
  let outDir: string;
  let solved: string;

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "live-learner-"));
    const rendered = await renderSite({ outDir, notebooks: [lesson, "08-moons"], log: () => {} });
    expect(rendered.failures).toEqual([]);
    solved = [JSON.parse(fs.readFileSync(path.join(outDir, "notebooks", `${lesson}.ipynb`), "utf8")).cells[answer].source].flat().join("");
    server = await serveSite({ dir: outDir, port: 0 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  async function open(hash = "", context?: BrowserContext, name = lesson) {
    context ??= await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("dialog", (d) => void d.accept());
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(`${server.url}${name}.html${hash}`);
    return { context, page, problems };
  }
  const finished = (page: Page, cell: number) =>
    page.waitForFunction((c) => document.documentElement.dataset.live !== "running" && document.querySelector(`[data-live-output][data-cell="${c}"]`)?.hasAttribute("data-live-status"), cell, { timeout: 120_000 });
  const outputOf = (page: Page, cell: number) =>
    page.$eval(`[data-live-output][data-cell="${cell}"]`, (el) => ({ status: (el as HTMLElement).dataset.liveStatus, text: (el as HTMLElement).innerText, html: el.innerHTML }));
  async function runAndWait(page: Page, cell: number) {
    await page.click(`.jp-CodeCell[data-cell="${cell}"] [data-live-run]`);
    await finished(page, cell);
    return outputOf(page, cell);
  }
  async function edit(page: Page, cell: number, text: string) {
    // The Edit button opens the editors (all of them, and goes away); then the editor is there to type in.
    if (!(await page.$(`[data-cell="${cell}"] .cm-content`))) await page.click(`.jp-CodeCell[data-cell="${cell}"] [data-live-edit]`);
    await page.waitForSelector(`[data-cell="${cell}"] .cm-content`);
    await replaceCode(page, cell, text);
  }
  const scoreLine = (page: Page) => page.$eval(".live-score", (el) => ((el as HTMLElement).hidden ? null : el.textContent));

  test("output HTML can't act on the page: no <meta> refresh, no <style> faking the score, no link over the page", async () => {
    const { context, page, problems } = await open();
    const url = page.url();
    await edit(page, 4, [
      'show(\'<meta http-equiv="refresh" content="0;url=about:blank"><p>meta</p>\', "html");',
      'show(\'<style>[data-live-score]::after{content:"3/3"} .live-score{display:inline!important}</style><p>style</p>\', "html");',
      'show(\'<a href="https://example.com/" style="position:fixed;inset:0;z-index:2147483647;opacity:0">x</a>\', "html");',
    ].join("\n"));
    const out = await runAndWait(page, 4);
    expect(out.status).toBe("ok");
    await page.waitForTimeout(300); // a refresh of 0 s would have fired
    expect(page.url()).toBe(url);
    expect(await page.$$eval("[data-live-output] meta, [data-live-output] style", (els) => els.length)).toBe(0);
    expect(out.text).toContain("A <style> in this output was removed");
    expect(await page.evaluate(() => getComputedStyle(document.querySelector("[data-live-score]")!, "::after").content)).toBe("none");
    expect(await scoreLine(page)).toBeNull();
    // The Run all button is where the link would be: a click there reaches the button.
    const hit = await page.evaluate(() => {
      const b = document.querySelector("[data-live-run-all]")!.getBoundingClientRect();
      return document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2)?.closest("[data-live-run-all]") !== null;
    });
    expect(hit).toBe(true);
    // The lesson's own chart keeps its (scoped) style: Observable Plot's, under a class of its own.
    const chart = await runAndWait(page, 6);
    expect(chart.status).toBe("ok");
    expect(chart.html).toMatch(/<style>:where\(\.o\d+-plot-/);
    expect(chart.html).not.toContain('data-live-note="style-removed"');
    expect(problems).toEqual([]);
    await context.close();
  });

  test("200,000 printed lines: head and tail shown, the rest counted and downloadable; an endless printing loop still stops", async () => {
    const { context, page, problems } = await open();
    await edit(page, 29, "for (let i = 1; i <= 200000; i++) console.log(`line ${i}`);");
    const out = await runAndWait(page, 29);
    expect(out.status).toBe("ok");
    const view = await page.$eval(`[data-live-output][data-cell="29"]`, (el) => ({
      head: el.querySelector('pre[data-stream="stdout"]')!.textContent!,
      note: el.querySelector('[data-live-note="dropped"]')?.textContent ?? "",
      tail: el.querySelector('pre[data-stream="tail"]')?.textContent ?? "",
      pres: el.querySelectorAll("pre").length,
    }));
    expect(view.head.startsWith("line 1\nline 2\n")).toBe(true);
    expect(view.head.split("\n")).toHaveLength(501); // 500 lines and the end of the last
    expect(view.tail.endsWith("line 199999\nline 200000\n")).toBe(true);
    expect(view.tail.split("\n")).toHaveLength(101);
    expect(view.note).toContain("199,400 lines");
    const download = page.waitForEvent("download");
    await page.click(`[data-live-output][data-cell="29"] [data-live-full-output]`);
    const file = fs.readFileSync(await (await download).path(), "utf8");
    expect(file.split("\n")).toHaveLength(200_001);
    expect(file.split("\n")[123_456]).toBe("line 123457");

    await replaceCode(page, 29, "let i = 0;\nwhile (true) console.log(i++);");
    await page.click(`.jp-CodeCell[data-cell="29"] [data-live-run]`);
    await page.waitForFunction(() => !!document.querySelector('[data-live-output][data-cell="29"] [data-live-note="dropped"]'), null, { timeout: 60_000 });
    await page.click("[data-live-stop]", { timeout: 10_000 });
    await page.waitForFunction(() => document.documentElement.dataset.live === "failed");
    expect((await outputOf(page, 29)).text).toContain("Stopped");
    expect(problems).toEqual([]);
    await context.close();
  });

  test("a cell that allocates until it runs out of memory ends with an error; the tab, Restart, the edit and the next run stay", async () => {
    // A small heap, so that the cell runs out in seconds rather than after gigabytes.
    const small = await launchBrowser(["--js-flags=--max-old-space-size=256"]);
    try {
      const context = await small.newContext({ viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(`${server.url}${lesson}.html`);
      const first = await runAndWait(page, 2);
      expect(first.status).toBe("ok");
      const hoard = "const hoard: number[][] = [];\nfor (;;) hoard.push(new Array(1e6).fill(hoard.length));";
      await page.waitForSelector(`[data-cell="29"] .cm-content`); // the editors come after the first output
      await replaceCode(page, 29, hoard);
      // Playwright counts the end of any frame's process as the page's ("Page crashed") and acts
      // on the page no more; the page lives on, so from here on it is driven through DevTools.
      const cdp = await context.newCDPSession(page);
      const inPage = async <T>(expression: string): Promise<T> => (await cdp.send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true })).result.value as T;
      const until = async (expression: string, seconds: number) => {
        for (const end = Date.now() + seconds * 1000; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
          if (await inPage<boolean>(expression)) return;
        }
        throw new Error(`not within ${seconds} s: ${expression}`);
      };
      await inPage(`document.querySelector('.jp-CodeCell[data-cell="29"] [data-live-run]').click()`);
      await until(`document.querySelector('[data-live-output][data-cell="29"]')?.dataset.liveStatus === "error"`, 120);
      const said = await inPage<string>(`document.querySelector('[data-live-output][data-cell="29"]').innerText`);
      expect(said).toContain("The live kernel failed: its process ended, most likely because the cell used more memory than the browser allows.");
      expect(await inPage<string>("document.documentElement.dataset.live")).toBe("failed");
      // The tab is alive: the toolbar's Restart is there and works, the edit is kept, and the next run starts a fresh kernel.
      expect(await inPage<boolean>(`(() => { const b = document.querySelector("[data-live-restart]"); return !!b && b.getClientRects().length > 0; })()`)).toBe(true);
      expect(await inPage<string>(`document.querySelector('[data-cell="29"] .cm-content').innerText`)).toContain("hoard.push");
      await inPage(`document.querySelector("[data-live-restart]").click()`);
      await inPage(`document.querySelector('.jp-CodeCell[data-cell="2"] [data-live-run]').click()`);
      await until(`document.documentElement.dataset.live === "done"`, 60);
      const again = await inPage<string>(`document.querySelector('[data-live-output][data-cell="2"]').innerText`);
      expect(first.text).toBe("Out[1]:\n20");
      expect(again).toBe(first.text); // a fresh kernel counts from 1 again, as Jupyter's does
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await small.close();
    }
  });

  test("when the kernel's frame can't load (its other name blocked), the page's own worker runs the cells", async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    await context.route(/^http:\/\/localhost:\d+\//, (route) => route.abort());
    const { page, problems } = await open("", context);
    const out = await runAndWait(page, 2);
    expect(out).toMatchObject({ status: "ok", text: "Out[1]:\n20" });
    expect(await page.$$eval("iframe.live-kernel-frame", (els) => els.length)).toBe(0); // given up, and gone
    expect(problems).toEqual([]);
    await context.close();
  });

  test("after Stop, Run on a later cell says the stopped cell would run again and offers to run just this cell", async () => {
    const { context, page, problems } = await open();
    await edit(page, 10, "while (true) {}");
    await page.click(`.jp-CodeCell[data-cell="10"] [data-live-run]`);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.jp-CodeCell[data-cell="10"]')?.dataset.liveState === "running", null, { timeout: 60_000 });
    await page.click("[data-live-stop]");
    await page.waitForFunction(() => document.documentElement.dataset.live === "failed");
    await page.click(`.jp-CodeCell[data-cell="13"] [data-live-run]`);
    const note = await page.waitForSelector(`[data-live-output][data-cell="13"] [data-live-note="stopped-above"]`);
    expect(await note.textContent()).toContain("cell 11 (the one you stopped)");
    expect(await page.$eval('.jp-CodeCell[data-cell="10"]', (el) => (el as HTMLElement).dataset.liveState)).toBe("error"); // not queued again
    await page.click(`[data-live-output][data-cell="13"] [data-live-run-alone]`);
    await finished(page, 13);
    expect((await outputOf(page, 13)).status).toBe("ok"); // cell 13 defines its own a, b, c and dOf
    // The stopped cell did not run again: still the error Stop left.
    expect(await page.$eval('.jp-CodeCell[data-cell="10"]', (el) => (el as HTMLElement).dataset.liveState)).toBe("error");
    expect((await outputOf(page, 10)).text).toContain("Stopped");
    expect(problems).toEqual([]);
    await context.close();
  });

  test("Shift-Enter runs and scrolls the next cell into view; Ctrl-Enter runs and stays", async () => {
    const { context, page, problems } = await open();
    await page.click(`.jp-CodeCell[data-cell="2"] [data-live-edit]`);
    await page.waitForSelector(`[data-cell="2"] .cm-content`);
    await page.focus(`[data-cell="2"] .cm-content`);
    await page.keyboard.press("Control+Enter");
    await finished(page, 2);
    expect(await page.evaluate(() => (document.activeElement?.closest("[data-cell]") as HTMLElement | null)?.dataset.cell)).toBe("2");
    await page.focus(`[data-cell="13"] .cm-content`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.keyboard.press("Shift+Enter");
    expect(await page.evaluate(() => (document.activeElement?.closest("[data-cell]") as HTMLElement | null)?.dataset.cell)).toBe("15");
    await page.waitForFunction(() => {
      const r = document.querySelector('.jp-CodeCell[data-cell="15"]')!.getBoundingClientRect();
      return r.top >= 0 && r.top < window.innerHeight;
    });
    expect(problems).toEqual([]);
    await context.close();
  });

  test("two tabs of one lesson stay in step: an edit in one shows in the other; a reset in one is said in the other, which may keep its text", async () => {
    const a = await open();
    const b = await open("", a.context);
    await edit(a.page, 8, "const h = 0.01;\n'tab a'");
    await b.page.click(`.jp-CodeCell[data-cell="8"] [data-live-edit]`);
    await b.page.waitForFunction(() => document.querySelector('[data-cell="8"] .cm-content')?.textContent?.includes("tab a"));
    expect(await editorText(b.page, 8)).toBe("const h = 0.01;\n'tab a'");
    // Reset in one tab: the other keeps its text on screen, says so, and can keep it.
    await edit(a.page, 10, "'from a'");
    await b.page.waitForFunction(() => document.querySelector('[data-cell="10"] .cm-content')?.textContent?.includes("from a"));
    await b.page.click(`.jp-CodeCell[data-cell="10"] [data-live-reset]`);
    const note = await a.page.waitForSelector(`.jp-CodeCell[data-cell="10"] [data-live-note="other-tab"]`);
    expect(await note.textContent()).toContain("Another tab reset cell 11");
    expect(await editorText(a.page, 10)).toBe("'from a'");
    const key = (page: Page) => page.evaluate(() => localStorage.getItem(`micrograd-ts:lesson:${document.documentElement.dataset.notebook}:10`));
    expect(await key(a.page)).toBeNull();
    await a.page.click(`.jp-CodeCell[data-cell="10"] [data-live-keep-mine]`);
    expect(JSON.parse((await key(a.page))!).text).toBe("'from a'");
    await b.page.waitForFunction(() => document.querySelector('[data-cell="10"] .cm-content')?.textContent?.includes("from a"));
    expect(a.problems.concat(b.problems)).toEqual([]);
    await a.context.close();
  });

  test("the score: none before a check counts, none for the lesson's own solutions, kept across a reload as micrograd-ts:score:<notebook>", async () => {
    const lessonMode = await open("#run-all");
    await lessonMode.page.waitForFunction(() => ["done", "failed"].includes(document.documentElement.dataset.live ?? ""), null, { timeout: 120_000 });
    expect(await scoreLine(lessonMode.page)).toBeNull();
    expect((await outputOf(lessonMode.page, checkCell)).text).toContain("does not count for your score");
    await lessonMode.context.close();

    const { context, page, problems } = await open("#exercise");
    await page.waitForSelector(`[data-cell="${answer}"] .cm-content[contenteditable="true"]`);
    expect(await scoreLine(page)).toBeNull();
    expect(await page.$eval(`.jp-CodeCell[data-cell="${answer}"] .live-edited-mark`, (el) => (el as HTMLElement).hidden)).toBe(true);
    await replaceCode(page, answer, solved.replace("const dA", "const dA2 = 0;\n  const dA"));
    expect(await page.$eval(`.jp-CodeCell[data-cell="${answer}"] .live-edited-mark`, (el) => el.textContent)).toBe("edited (exercise mode)");
    expect((await runAndWait(page, checkCell)).status).toBe("ok");
    expect(await scoreLine(page)).toBe("Score: 1/3");
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem(`micrograd-ts:score:${document.documentElement.dataset.notebook}`)!));
    expect(stored).toMatchObject({ passed: ["analytic_grad_check"].map((s) => expect.stringMatching(new RegExp(`^${s.replace(/_/g, "[_-]")}$`))), total: 3 });
    expect(Date.parse(stored.at)).toBeGreaterThan(Date.now() - 600_000);
    await page.reload();
    await page.waitForFunction(() => !(document.querySelector(".live-score") as HTMLElement).hidden);
    expect(await scoreLine(page)).toBe("Score: 1/3");
    expect(problems).toEqual([]);
    await context.close();
  });

  test("Try it yourself hides the check cell's ticks too; a stub's error names the exercise to do first and its cell, with no stack trace", async () => {
    const { context, page, problems } = await open();
    const ticks = `.jp-CodeCell[data-cell="${checkCell}"] .jp-Cell-outputWrapper`;
    expect(await page.isVisible(ticks)).toBe(true);
    await page.click(`.jp-CodeCell[data-cell="${answer}"] [data-live-try]`);
    await page.waitForFunction((c) => document.querySelector(`[data-cell="${c}"] .cm-content`)?.textContent?.includes("not implemented"), answer);
    expect(await page.isVisible(ticks)).toBe(false);
    expect(await page.$eval(`.jp-CodeCell[data-cell="${answer}"] .live-edited-mark`, (el) => el.textContent)).toBe("your turn: the stub");
    const failed = await runAndWait(page, checkCell);
    expect(failed.status).toBe("error");
    const lines = failed.text.split("\n");
    expect(lines[0]).toMatch(/^Error: not implemented: [\w-]+$/);
    // Not a stack trace: the exercise to do first and the cell its stub is in, then the stub's line.
    expect(lines[1]).toMatch(new RegExp(`^Exercise "[\\w-]+" is not done yet: write your code in place of its stub \\(cell ${answer + 1}\\), run that cell, then run this one again\\.$`));
    expect(lines[2]).toMatch(new RegExp(`^\\s+at line \\d+ of cell ${answer + 1}$`));
    expect(failed.text).not.toMatch(/called from/);
    expect(problems).toEqual([]);
    await context.close();
  });

  test("types are checked as tslab checks them: a type error refuses the cell with tslab's message, its line marked; in exercise mode the check then fails", async () => {
    const { context, page, problems } = await open("#exercise");
    await page.waitForSelector(`[data-cell="${answer}"] .cm-content[contenteditable="true"]`);
    expect((await runAndWait(page, 2)).status).toBe("ok"); // the first output starts the checker
    await page.waitForFunction(() => document.documentElement.dataset.liveTypes === "ready", null, { timeout: 180_000 });
    await replaceCode(page, 8, 'const ok = 1;\nconst n: number = "hello";\nn');
    const refused = await runAndWait(page, 8);
    expect(refused.status).toBe("error");
    expect(refused.text.split("\n")[0]).toBe("2:7 - Type 'string' is not assignable to type 'number'.");
    expect(refused.text).not.toContain("hello\n"); // it did not run
    expect(await page.$$eval('[data-cell="8"] .cm-type-error', (els) => els.map((e) => e.textContent))).toEqual(['const n: number = "hello";']);
    // The right numbers with a type error: refused, so the check fails, as in npm run check.
    await replaceCode(page, answer, `${solved}\nconst wrongType: string = 3;`);
    expect((await runAndWait(page, checkCell)).status).toBe("error");
    expect((await outputOf(page, answer)).text).toMatch(/^\d+:\d+ - Type 'number' is not assignable to type 'string'\./);
    await replaceCode(page, answer, solved);
    expect((await runAndWait(page, checkCell)).status).toBe("ok");
    expect(problems).toEqual([]);
    await context.close();
  });

  test("a lesson run as written never loads the type checker (the build checked its cells); an edit loads it, and an edited cell run at once waits for it and is refused for a type error", async () => {
    const { context, page, problems } = await open();
    const checker: string[] = [];
    page.on("request", (r) => /typecheck-(worker\.js|files\.json)$/.test(r.url()) && checker.push(new URL(r.url()).pathname));
    expect((await runAndWait(page, 8)).status).toBe("ok"); // cells 1 … 9, unedited
    await page.waitForTimeout(1500); // time enough for a checker started after the output to ask for its files
    expect(checker).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.dataset.liveTypes)).toBeUndefined();
    await edit(page, 8, 'const n: number = "hello";\nn');
    // Run at once: the cell waits for the checker, which the edit started, rather than run unchecked.
    const refused = await runAndWait(page, 8);
    expect(checker.sort()).toEqual(["/live/typecheck-files.json", "/live/typecheck-worker.js"]);
    expect(refused.status).toBe("error");
    expect(refused.text.split("\n")[0]).toBe("1:7 - Type 'string' is not assignable to type 'number'."); // the first run's output is gone
    expect(refused.text).not.toMatch(/^'?hello'?$/m); // it did not run
    // The lesson's text again: a second run of the cell (the build never saw one), checked, and it runs.
    const lessonText = [JSON.parse(fs.readFileSync(path.join(outDir, "notebooks", `${lesson}.ipynb`), "utf8")).cells[8].source].flat().join("");
    await replaceCode(page, 8, lessonText);
    expect((await runAndWait(page, 8)).status).toBe("ok");
    expect(problems).toEqual([]);
    await context.close();
  });

  test("a type checker that cannot load: the cell runs unchecked and its output says why; typing does not retry it, the next run does", async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    await context.route("**/live/typecheck-files.json", (r) => r.fulfill({ status: 404, body: "" }));
    const { page, problems } = await open("", context);
    let starts = 0;
    page.on("request", (r) => r.url().endsWith("/live/typecheck-worker.js") && starts++);
    await edit(page, 8, "const h = 0.001;\n6 * 7");
    const ran = await runAndWait(page, 8);
    expect(ran.status).toBe("ok");
    expect(ran.text).toContain("42");
    expect(ran.text).toMatch(/This cell ran without a type check: the type checker failed \(could not load [^)]*typecheck-files\.json: 404\)\. Run it again to try the checker once more\./);
    const tried = starts; // the first edit started it, and the run tried again when it had failed
    expect(tried).toBeGreaterThanOrEqual(1);
    await replaceCode(page, 8, "const h = 0.001;\n6 * 8");
    await page.waitForTimeout(500);
    expect(starts).toBe(tried); // keystrokes after the failure start no checker
    expect((await runAndWait(page, 8)).text).toContain("48");
    expect(starts).toBe(tried + 1); // the run tries again
    expect(problems).toEqual([]);
    await context.close();
  });

  test("the toolbar never covers the search results", async () => {
    const { context, page, problems } = await open();
    await page.fill(".site-search input", "derivative");
    await page.waitForSelector(".search-results a");
    const covered = await page.$$eval(".search-results a", (links) =>
      links.filter((a) => {
        const r = a.getBoundingClientRect();
        // Only results inside the list's own scroll box: one scrolled out of it is not covered.
        const box = a.closest(".search-results")!.getBoundingClientRect();
        const y = r.y + r.height / 2;
        if (y < box.top || y > box.bottom) return false;
        const hit = document.elementFromPoint(r.x + r.width / 2, y);
        return r.height > 0 && r.bottom <= window.innerHeight && hit !== a && !a.contains(hit);
      }).map((a) => a.textContent),
    );
    expect(covered).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  test("lesson 08 after Run all: every id on the page is unique, so the decision boundary clips to its own frame", async () => {
    const { context, page, problems } = await open("#run-all", undefined, "08-moons");
    await page.waitForFunction(() => ["done", "failed"].includes(document.documentElement.dataset.live ?? ""), null, { timeout: 180_000 });
    const report = await page.evaluate(() => {
      const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
      const dupes = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
      const broken = [...document.querySelectorAll("[data-live-output] [clip-path]")].filter((el) => {
        const m = /url\(#([^)]+)\)/.exec(el.getAttribute("clip-path") ?? "");
        const target = m && document.getElementById(m[1]!);
        return !target || target.closest("[data-live-output]") !== el.closest("[data-live-output]");
      }).length;
      const clipped = document.querySelectorAll("[data-live-output] [clip-path]").length;
      return { dupes, broken, clipped };
    });
    expect(report.dupes).toEqual([]);
    expect(report.broken).toBe(0);
    expect(report.clipped).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
