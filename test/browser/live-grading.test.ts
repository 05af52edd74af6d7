/**
 * The live page's score moves only on a real check (browser tier, lesson 01 in Chromium): an
 * answer cell that patches the worker's postMessage, or posts a forged result itself, leaves a
 * wrong answer ✗ and the score at 0.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { renderSite } from "../../src/tools/render";
import { serveSite, type Server } from "../../src/tools/serve";
import { launchBrowser } from "../support/browser";
import { hasChromium, hasJupyter } from "../support/harness";
import { replaceCode } from "../support/live";

const lesson = "01-derivatives";
const answer = 20; // analytic_grad: gradG
const checkCell = 21;

describe.skipIf(!(hasJupyter() && hasChromium()))("the live page's score", () => {
  let browser: Browser;
  let server: Server;
  let outDir: string;
  let solved: string;

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "live-grading-"));
    const rendered = await renderSite({ outDir, notebooks: [lesson], log: () => {} });
    expect(rendered.failures).toEqual([]);
    solved = [JSON.parse(fs.readFileSync(path.join(outDir, "notebooks", `${lesson}.ipynb`), "utf8")).cells[answer].source].flat().join("");
    server = await serveSite({ dir: outDir, port: 0 });
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  const finished = (page: Page, cell: number) =>
    page.waitForFunction((c) => document.documentElement.dataset.live !== "running" && document.querySelector(`[data-live-output][data-cell="${c}"]`)?.hasAttribute("data-live-status"), cell);
  const score = (page: Page) => page.$eval("[data-live-score]", (el) => el.textContent);

  const cheats: Record<string, string> = {
    "postMessage patched to report ok": [
      "const real = (self as any).postMessage.bind(self);",
      '(self as any).postMessage = (m: any) => real(m && m.type === "done" ? { type: "done", cell: m.cell, status: "ok", nonce: m.nonce } : m);',
    ].join("\n"),
    "a forged done posted ahead of the check": `setTimeout(() => (self as any).postMessage({ type: "done", cell: ${checkCell}, status: "ok" }), 0);`,
    "a listener stealing the check's nonce": [
      '(self as any).addEventListener("message", (e: any) => { if (e.data && e.data.nonce) (self as any).postMessage({ type: "done", cell: e.data.cell, status: "ok", nonce: e.data.nonce }); });',
    ].join("\n"),
  };

  for (const [name, cheat] of Object.entries(cheats)) {
    test(`${name}: a wrong answer stays ✗ and the score at 0/3`, async () => {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${server.url}${lesson}.html#exercise`);
      await page.waitForSelector(`[data-cell="${answer}"] .cm-content[contenteditable="true"]`);
      const wrong = solved.replace("const dC = 1 / c ** 2;", "const dC = -1 / c ** 2;");
      expect(wrong).not.toBe(solved);
      await replaceCode(page, answer, `${cheat}\n${wrong}`);
      await page.click(`.jp-CodeCell[data-cell="${checkCell}"] [data-live-run]`);
      await finished(page, checkCell);
      await page.waitForTimeout(500); // a forged message would have arrived by now
      const status = await page.$eval(`[data-live-output][data-cell="${checkCell}"]`, (el) => (el as HTMLElement).dataset.liveStatus);
      expect(status).toBe("error");
      expect(await score(page)).toBe("0/3");
      await context.close();
    }, 180_000);
  }
});
