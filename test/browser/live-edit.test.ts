/**
 * Doing an exercise in the live page (browser tier), as a learner would: in exercise mode, type a
 * wrong answer into the editor, run the check (✗ with the hint), type a right one (✓, the score
 * rises), reload (the edit is still there), download the notebook and grade it with
 * `npm run check`'s gradeNotebook (the same ✓/✗ as the page), reset the cell (the stub is back).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { gradeNotebook } from "../../src/tools/check";
import { packageRoot } from "../../src/tools/files";
import { renderSite } from "../../src/tools/render";
import { serveSite, type Server } from "../../src/tools/serve";
import { editorText, replaceCode } from "../support/live";
import { launchBrowser } from "../support/browser";
import { hasChromium, hasJupyter } from "../support/harness";

const lesson = "01-derivatives";
const solution = 20; // analytic-grad: gradG
const checkCell = 21;

describe.skipIf(!(hasJupyter() && hasChromium()))("an exercise in the live page", () => {
  let browser: Browser;
  let server: Server;
  let outDir: string;
  let solved: string;

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "live-edit-"));
    fs.mkdirSync(path.join(packageRoot(), "test-results"), { recursive: true });
    const rendered = await renderSite({ outDir, notebooks: [lesson], log: () => {} });
    expect(rendered.failures).toEqual([]);
    const nb = JSON.parse(fs.readFileSync(path.join(outDir, "notebooks", `${lesson}.ipynb`), "utf8"));
    solved = [nb.cells[solution].source].flat().join("");
    server = await serveSite({ dir: outDir, port: 0 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function runAndWait(page: Page, cell: number) {
    await page.click(`.jp-CodeCell[data-cell="${cell}"] [data-live-run]`);
    await page.waitForFunction((c) => document.documentElement.dataset.live !== "running" && document.querySelector(`[data-live-output][data-cell="${c}"]`)?.hasAttribute("data-live-status"), cell, { timeout: 180_000 }); // a safety net on a busy machine
    return page.$eval(`[data-live-output][data-cell="${cell}"]`, (el) => ({ status: (el as HTMLElement).dataset.liveStatus, text: (el as HTMLElement).innerText }));
  }

  test("wrong answer ✗ with hint, right answer ✓ and score, kept across reload, downloaded and graded the same, reset", async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("dialog", (d) => void d.accept());
    await page.goto(`${server.url}${lesson}.html#exercise`);
    await page.waitForSelector(`[data-cell="${solution}"] .cm-content[contenteditable="true"]`);
    const stub = await editorText(page, solution);
    expect(stub).not.toContain("const dA");

    // A plausible wrong answer: the sign of ∂f/∂c flipped.
    await replaceCode(page, solution, solved.replace("const dC = 1 / c ** 2;", "const dC = -1 / c ** 2;"));
    const wrong = await runAndWait(page, checkCell);
    expect(wrong.status).toBe("error");
    expect(wrong.text).toContain("CheckError");
    expect(wrong.text).toContain("Check each term's derivative separately");
    expect(await page.$eval("[data-live-score]", (el) => el.textContent)).toBe("0/3");

    // A right answer of the learner's own (the lesson's text pasted verbatim would not count for the score).
    await replaceCode(page, solution, solved.replace("const dA", "// worked out by hand\n  const dA"));
    const right = await runAndWait(page, checkCell);
    expect(right.status).toBe("ok");
    expect(right.text).toContain("✓ analytic gradient of g at (2, 3, 4)");
    expect(await page.$eval("[data-live-score]", (el) => el.textContent)).toBe("1/3");
    expect(await page.$eval(`.jp-CodeCell[data-cell="${solution}"]`, (el) => el.classList.contains("live-edited"))).toBe(true);

    // Run everything: the two other exercises still have their stubs.
    await page.click("[data-live-run-all]");
    await page.waitForFunction(() => ["done", "failed"].includes(document.documentElement.dataset.live ?? ""));
    const statuses = await page.$$eval("[data-live-output]", (els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.cell, (e as HTMLElement).dataset.liveStatus])));
    expect([statuses["21"], statuses["24"], statuses["27"]]).toEqual(["ok", "error", "error"]);

    // Download .ipynb: `npm run check` grades it as the page did.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-live-download]")]);
    // Inside the project, as a learner's copy would be: tslab finds micrograd-ts from the notebook's folder.
    const folder = fs.mkdtempSync(path.join(packageRoot(), "test-results", "live-download-"));
    const file = path.join(folder, `${lesson}.ipynb`);
    await download.saveAs(file);
    const report = await gradeNotebook(file).finally(() => fs.rmSync(folder, { recursive: true, force: true }));
    expect(Object.fromEntries(report.exercises.map((e) => [e.gradeId, e.status])), JSON.stringify(report.exercises, null, 1)).toEqual({ "analytic-grad-check": "pass", "forward-diff-check": "fail", "symmetric-diff-check": "fail" });
    expect(`${report.earned}/${report.total}`).toBe(await page.$eval("[data-live-score]", (el) => el.textContent));

    // Reload: the edit is still there.
    await page.reload();
    await page.waitForSelector(`[data-cell="${solution}"] .cm-content`);
    expect(await editorText(page, solution)).toContain("const dC = 1 / c ** 2;");

    // Reset cell (after the confirmation): the stub is back, and stays back after a reload.
    await page.click(`.jp-CodeCell[data-cell="${solution}"] [data-live-reset]`);
    await page.waitForFunction((c) => !document.querySelector(`.jp-CodeCell[data-cell="${c}"]`)!.classList.contains("live-edited"), solution);
    expect(await editorText(page, solution)).toBe(stub);
    await page.reload();
    await page.waitForSelector(`[data-cell="${solution}"] .cm-content`);
    expect(await editorText(page, solution)).toBe(stub);
    expect(problems).toEqual([]);
    await context.close();
  });
});
