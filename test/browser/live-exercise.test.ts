/**
 * The live page as a learner (and a cheating learner) uses it, in Chromium (browser tier), on
 * lesson 01 served over HTTP:
 * - grading can't be fooled: `var check = () => {}` in an answer cell leaves a wrong answer ✗,
 *   the score where it was, and the check cells read-only;
 * - "try it yourself" / "show the solution" per answer cell, asking first when the learner typed;
 * - one whole exercise with the keyboard alone;
 * - Stop ends an endless loop and Restart gives a working kernel;
 * - the pre-rendered output of a cell is hidden once its live output shows;
 * - markdown a cell shows is rendered; an exception is Jupyter's error, naming the cell's line, not bundle frames;
 * - no serious or critical axe-core violation with the editor open, light and dark.
 * Screenshots (light, dark, 375 px) go to test-results/.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/tools/files";
import { renderSite } from "../../src/tools/render";
import { serveSite, type Server } from "../../src/tools/serve";
import { editorText, replaceCode } from "../support/live";
import { launchBrowser } from "../support/browser";
import { hasChromium, hasJupyter } from "../support/harness";

const lesson = "01-derivatives";
const answer = 20; // analytic-grad: gradG
const checkCell = 21;
/** The lecture's gradient of g at (2, 3, 4), as one line a learner could type. */
/** Lessons whose live outputs hold the other widgets: the backward stepper (06), training progress and the decision boundary (08). */
const chartLessons = ["06-more-operations", "08-moons"];
const rightReturn = "return [-3 * a ** 2 - 0.5 * a ** -0.5, 3 * Math.cos(3 * b) + 2.5 * b ** 1.5, 1 / c ** 2];";

describe.skipIf(!(hasJupyter() && hasChromium()))("the live page, used as a learner would", () => {
  let browser: Browser;
  let server: Server;
  let outDir: string;
  let solved: string;
  let stub: string;
  const shots = path.join(packageRoot(), "test-results");

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "live-exercise-"));
    fs.mkdirSync(shots, { recursive: true });
    const rendered = await renderSite({ outDir, notebooks: [lesson, ...chartLessons], log: () => {} });
    expect(rendered.failures).toEqual([]);
    const source = (which: string) => [JSON.parse(fs.readFileSync(path.join(outDir, which, `${lesson}.ipynb`), "utf8")).cells[answer].source].flat().join("");
    solved = source("notebooks");
    stub = source("exercises");
    server = await serveSite({ dir: outDir, port: 0 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  /** A fresh context (its own localStorage); dialogs accepted and recorded, page errors recorded. */
  async function open(hash: string, options: BrowserContextOptions = {}, name = lesson) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
    const page = await context.newPage();
    const dialogs: string[] = [];
    const problems: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error" && !/favicon\.ico/.test(m.location().url)) problems.push(`console error: ${m.text()}`);
    });
    await page.goto(`${server.url}${name}.html${hash}`);
    return { context, page, dialogs, problems };
  }
  const finished = (page: Page, cell: number) =>
    page.waitForFunction((c) => document.documentElement.dataset.live !== "running" && document.querySelector(`[data-live-output][data-cell="${c}"]`)?.hasAttribute("data-live-status"), cell, { timeout: 180_000 }); // a safety net on a busy machine
  const outputOf = (page: Page, cell: number) =>
    page.$eval(`[data-live-output][data-cell="${cell}"]`, (el) => ({ status: (el as HTMLElement).dataset.liveStatus, text: (el as HTMLElement).innerText, html: el.innerHTML }));
  async function runAndWait(page: Page, cell: number) {
    await page.click(`.jp-CodeCell[data-cell="${cell}"] [data-live-run]`);
    await finished(page, cell);
    return outputOf(page, cell);
  }
  async function axeProblems(page: Page, where: string): Promise<string[]> {
    const { default: AxeBuilder } = await import("@axe-core/playwright");
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
    return results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${where}: ${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")} ${n.failureSummary ?? ""}`).join(" | ")}`);
  }
  const score = (page: Page) => page.$eval("[data-live-score]", (el) => el.textContent);

  test("var check = () => {} in an answer cell: a wrong answer still fails its check, the score stays, the learner is told", async () => {
    const { context, page, problems } = await open("#exercise");
    await page.waitForSelector(`[data-cell="${answer}"] .cm-content[contenteditable="true"]`);
    // The sign of ∂g/∂c flipped, with the check silenced as a cheating learner would try.
    const cheat = `var check = (..._a: any[]) => {};\n${solved.replace("const dC = 1 / c ** 2;", "const dC = -1 / c ** 2;")}`;
    await replaceCode(page, answer, cheat);
    const verdict = await runAndWait(page, checkCell);
    expect(verdict.status).toBe("error");
    expect(verdict.text).toContain("CheckError");
    expect(await score(page)).toBe("0/3");
    const note = await page.$eval(`[data-live-output][data-cell="${answer}"] [data-live-note="reassigned"]`, (el) => el.textContent);
    expect(note).toContain("redefines check");

    // The check cell is the lesson's and stays so: typing into it changes nothing.
    const lessonCheck = await editorText(page, checkCell);
    await page.click(`[data-cell="${checkCell}"] .cm-content`);
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText("// nothing to check");
    expect(await editorText(page, checkCell)).toBe(lessonCheck);

    // An edit of a check cell saved by an older page (or planted in localStorage) is kept, said so, and not run.
    await page.evaluate((c) => {
      const key = `micrograd-ts:exercise:${document.documentElement.dataset.notebook}:${c}`;
      localStorage.setItem(key, JSON.stringify({ base: "whatever", text: "// nothing to check" }));
    }, checkCell);
    await page.reload();
    await page.waitForSelector(`[data-cell="${checkCell}"] .cm-content`);
    expect(await editorText(page, checkCell)).toBe(lessonCheck);
    expect(await page.$eval(`.jp-CodeCell[data-cell="${checkCell}"] .live-stale`, (el) => el.textContent)).toContain("not used");
    expect((await runAndWait(page, checkCell)).status).toBe("error");
    expect(await score(page)).toBe("0/3");

    // The right answer, still with the fake check: ✓ and the score rises.
    await replaceCode(page, answer, `var check = (..._a: any[]) => {};\n${solved}`);
    const right = await runAndWait(page, checkCell);
    expect(right.status).toBe("ok");
    expect(right.text).toContain("✓ analytic gradient of g at (2, 3, 4)");
    expect(await score(page)).toBe("1/3");
    expect(problems).toEqual([]);
    await context.close();
  });

  test("try it yourself swaps in the stub; show the solution asks first when the learner typed, then puts the answer back", async () => {
    const { context, page, dialogs, problems } = await open("");
    const tryIt = `.jp-CodeCell[data-cell="${answer}"] [data-live-try]`;
    const show = `.jp-CodeCell[data-cell="${answer}"] [data-live-solution]`;
    expect(await page.isVisible(tryIt)).toBe(true);
    expect(await page.isVisible(show)).toBe(false);
    expect(await page.isVisible(`.jp-CodeCell[data-cell="${answer}"] .jp-Cell-outputWrapper`)).toBe(true);
    expect(await page.$(`.jp-CodeCell[data-cell="${checkCell}"] [data-live-try]`)).toBeNull();

    await page.click(tryIt);
    await page.waitForSelector(`[data-cell="${answer}"] .cm-content`);
    await page.waitForFunction((c) => document.querySelector(`[data-cell="${c}"] .cm-content`)?.textContent?.includes("not implemented"), answer);
    expect(await editorText(page, answer)).toBe(stub.replace(/\n$/, ""));
    expect(await page.isVisible(show)).toBe(true);
    expect(await page.isVisible(tryIt)).toBe(false);
    // The lesson's printed answer under the cell is gone too.
    expect(await page.isVisible(`.jp-CodeCell[data-cell="${answer}"] .jp-Cell-outputWrapper`)).toBe(false);
    // With the stub in place, the check fails as it would in the learner copy.
    expect((await runAndWait(page, checkCell)).status).toBe("error");

    // Untouched stub: the solution comes back without a question.
    await page.click(show);
    await page.waitForFunction((c) => document.querySelector(`[data-cell="${c}"] .cm-content`)?.textContent?.includes("const dA"), answer);
    expect(dialogs).toEqual([]);

    // Typed an answer: asked first.
    await page.click(tryIt);
    await replaceCode(page, answer, "function gradG(a: number, b: number, c: number): number[] {\n  return [1, 2, 3];\n}");
    await page.click(show);
    await page.waitForFunction((c) => document.querySelector(`[data-cell="${c}"] .cm-content`)?.textContent?.includes("const dA"), answer);
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]).toContain("Replace your answer");
    expect((await runAndWait(page, checkCell)).status).toBe("ok");
    expect(problems).toEqual([]);
    await context.close();
  });

  test("keyboard only: Tab into the answer, type it, Shift-Enter runs it and moves to the check, Shift-Enter there shows ✓", async () => {
    const { context, page, problems } = await open("#exercise");
    await page.waitForSelector(`[data-cell="${answer}"] .cm-content[contenteditable="true"]`);
    const focusedCell = () => page.evaluate(() => (document.activeElement?.closest("[data-cell]") as HTMLElement | null)?.dataset.cell ?? null);
    const inEditor = () => page.evaluate(() => document.activeElement?.classList.contains("cm-content") ?? false);
    let presses = 0;
    while (!((await focusedCell()) === String(answer) && (await inEditor()))) {
      await page.keyboard.press("Tab");
      if (++presses > 400) throw new Error("Tab never reached the answer cell's editor");
    }
    // Go to the stub's `throw` line (the third) and type the answer over it.
    await page.keyboard.press("Control+Home");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("End");
    await page.keyboard.press("Shift+Home");
    await page.keyboard.type(rightReturn);
    expect((await editorText(page, answer)).split("\n")[2]!.trim()).toBe(rightReturn);

    await page.keyboard.press("Shift+Enter");
    expect(await focusedCell()).toBe(String(checkCell));
    await page.keyboard.press("Shift+Enter");
    await finished(page, checkCell);
    const verdict = await outputOf(page, checkCell);
    expect(verdict.status).toBe("ok");
    expect(verdict.text).toContain("✓ analytic gradient of g at (2, 3, 4)");
    expect(await score(page)).toBe("1/3");
    expect(problems).toEqual([]);
    await context.close();
  });

  test("Stop ends an endless loop, the page keeps working, and after Restart a later cell runs", async () => {
    const { context, page, problems } = await open("");
    const last = 29;
    await page.click(`[data-cell="${last}"] .jp-InputArea-editor`);
    await page.waitForSelector(`[data-cell="${last}"] .cm-content`);
    await replaceCode(page, last, "let spins = 0;\nwhile (true) { spins++; }");
    await page.click(`.jp-CodeCell[data-cell="${last}"] [data-live-run]`);
    await page.waitForFunction((c) => document.querySelector<HTMLElement>(`.jp-CodeCell[data-cell="${c}"]`)?.dataset.liveState === "running", last, { timeout: 180_000 });
    // The loop runs in the worker: the page still answers.
    expect(await page.evaluate(() => document.documentElement.dataset.live)).toBe("running");
    await page.click("[data-live-stop]");
    await page.waitForFunction(() => document.documentElement.dataset.live === "failed");
    const stopped = await outputOf(page, last);
    expect(stopped.status).toBe("error");
    expect(stopped.text).toContain("Stopped");

    await page.click("[data-live-restart]");
    const later = await runAndWait(page, 8);
    expect(later.status).toBe("ok");
    expect(later.text).toMatch(/^Out\[\d+\]:\s*14\.00300000000\d*\s*$/); // the last value, as Jupyter's execute_result
    expect(await page.evaluate(() => document.documentElement.dataset.live)).toBe("done");
    expect(problems).toEqual([]);
    await context.close();
  });

  test("the pre-rendered output of a cell is hidden once its live output shows", async () => {
    const { context, page, problems } = await open("");
    const rendered = `.jp-CodeCell[data-cell="2"] .jp-Cell-outputWrapper`;
    const four = `.jp-CodeCell[data-cell="4"] .jp-Cell-outputWrapper`;
    expect(await page.isVisible(rendered)).toBe(true);
    const live = await runAndWait(page, 2);
    expect(live.text.trim()).toMatch(/^Out\[1\]:\s*20$/);
    expect(await page.isVisible(rendered)).toBe(false);
    expect(await page.isVisible(`[data-live-output][data-cell="2"]`)).toBe(true);
    expect(await page.isVisible(four)).toBe(true); // a cell not run yet keeps the lesson's output
    expect(problems).toEqual([]);
    await context.close();
  });

  test("show(…, \"markdown\") renders markdown; an exception names its message and the cell's line, no bundle frames", async () => {
    const { context, page, problems } = await open("");
    await page.click(`[data-cell="4"] .jp-InputArea-editor`);
    await page.waitForSelector(`[data-cell="4"] .cm-content`);
    await replaceCode(page, 4, 'show("Some **bold** text and `code`:\\n\\n| x | f(x) |\\n|---|---|\\n| 3 | 20 |", "markdown");');
    await runAndWait(page, 4);
    await page.waitForSelector(`[data-live-output][data-cell="4"] strong`);
    const md = await outputOf(page, 4);
    expect(md.status).toBe("ok");
    expect(md.html).toContain("<strong>bold</strong>");
    expect(md.html).toContain("<code>code</code>");
    expect(md.html).toMatch(/<table>[\s\S]*<td>20<\/td>/);

    await replaceCode(page, 8, "const h = 0.001;\nconst v = null as any;\nv.data + f(3)");
    const failed = await runAndWait(page, 8);
    expect(failed.status).toBe("error");
    expect(failed.text).toContain("TypeError: Cannot read properties of null (reading 'data')");
    expect(failed.text).toContain("at line 3 of cell 9");
    expect(failed.text).toContain("3 | v.data + f(3)");
    expect(failed.text).not.toMatch(/worker\.js|chunks\/|\bat eval\b/);

    await replaceCode(page, 8, "const h = 0.001;\nconst x = ;");
    const syntax = await runAndWait(page, 8);
    // Refused by the type checker, as tslab refuses it, with the compiler's message; the last run's output is gone, as in Jupyter.
    expect(syntax.status).toBe("error");
    expect(syntax.text.split("\n")[0]).toBe("2:11 - Expression expected.");
    expect(syntax.text).not.toContain("TypeError");
    expect(problems).toEqual([]);
    await context.close();
  });

  test("axe-core: no serious or critical violation with the editor open, light and dark; screenshots light, dark and 375 px", async () => {
    const { default: AxeBuilder } = await import("@axe-core/playwright");
    const found: string[] = [];
    for (const [name, options] of [
      ["light", { colorScheme: "light" }],
      ["dark", { colorScheme: "dark" }],
      ["narrow", { colorScheme: "light", viewport: { width: 375, height: 800 } }],
    ] as const) {
      const { context, page, problems } = await open("#exercise", options);
      await page.waitForSelector(`[data-cell="${answer}"] .cm-content[contenteditable="true"]`);
      await replaceCode(page, answer, solved.replace("const dC = 1 / c ** 2;", "const dC = -1 / c ** 2;"));
      await runAndWait(page, checkCell); // a ✗ with its hint on screen
      await runAndWait(page, 8); // and a plain output
      await page.focus(`[data-cell="${answer}"] .cm-content`);
      await page.evaluate((c) => document.querySelector(`[data-cell="${c}"]`)!.scrollIntoView({ block: "start" }), answer - 2);
      await page.screenshot({ path: path.join(shots, `live-editor-${name}.png`) });
      if (name !== "narrow") {
        const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
        for (const v of results.violations) {
          if (v.impact === "serious" || v.impact === "critical") {
            found.push(`${name}: ${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")} ${n.failureSummary ?? ""}`).join(" | ")}`);
          }
        }
      } else {
        const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        expect(scroll, "the live page scrolls sideways at 375 px").toBeLessThanOrEqual(width);
      }
      expect(problems).toEqual([]);
      await context.close();
    }
    expect(found).toEqual([]);
  });

  test("axe-core: the stepper, training progress and decision boundary, run live with the editor open, light and dark", async () => {
    const found: string[] = [];
    for (const name of chartLessons) {
      for (const colorScheme of ["light", "dark"] as const) {
        const { context, page, problems } = await open("#run-all", { colorScheme }, name);
        await page.waitForFunction(() => ["done", "failed"].includes(document.documentElement.dataset.live ?? ""), null, { timeout: 120_000 });
        expect(await page.evaluate(() => document.documentElement.dataset.live)).toBe("done");
        await page.click(".jp-CodeCell[data-cell] .jp-InputArea-editor");
        await page.waitForSelector(".cm-content");
        found.push(...(await axeProblems(page, `${name} (${colorScheme})`)));
        expect(problems).toEqual([]);
        await context.close();
      }
    }
    expect(found).toEqual([]);
  }, 900_000); // four lessons run whole and audited: long on a busy 2-core machine (a safety net, not a speed target)
});
