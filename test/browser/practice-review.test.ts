/**
 * Retrieval practice in Chromium: selfCheck's questions (answers hidden until asked, numeric and
 * choice answers checked) and the review page's flashcards, on a fixed clock: a card answered
 * "again" is back a minute later, one answered "good" is not. Both on site pages (pageHtml, with
 * the site's Content-Security-Policy), light and dark through axe.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { selfCheckHtml } from "../../src/practice/self-check";
import { reviewBody } from "../../src/practice/review-body";
import { CARDS } from "../../src/practice/cards";
import { buildReviewScript } from "../../src/tools/review-bundle";
import { packageRoot } from "../../src/tools/files";
import { launchBrowser, standAlonePage } from "../support/browser";
import { hasChromium } from "../support/harness";

const T0 = new Date("2026-03-02T09:00:00Z");

async function site(name: string, body: string, scripts: string[], extra: Record<string, string> = {}): Promise<string> {
  return standAlonePage(fs.mkdtempSync(path.join(os.tmpdir(), "practice-review-")), name, body, scripts, extra);
}

describe.skipIf(!hasChromium())("retrieval practice in Chromium", () => {
  let browser: Browser;
  let reviewUrl: string;
  let checkUrl: string;
  const problems: string[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
    reviewUrl = await site("review.html", reviewBody(), ["assets/review.js"], { "assets/review.js": await buildReviewScript() });
    checkUrl = await site("03-manual-backprop.html", `<div class="jp-Cell">${selfCheckHtml("03-manual-backprop")}</div>`, ["assets/practice.js"]);
  });
  afterAll(async () => browser?.close());

  async function open(context: BrowserContext, url: string): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
    await page.goto(url, { waitUntil: "load" });
    return page;
  }

  test("selfCheck: answers hidden until asked; a number and a choice are checked, wrong then right", async () => {
    const context = await browser.newContext();
    const page = await open(context, checkUrl);
    await page.locator(".mg-selfcheck.mg-ready").waitFor();
    const first = page.locator(".mg-q").first(); // dL/dL: a number, 1
    expect(await first.locator("details p").isVisible()).toBe(false);
    await first.getByRole("textbox").fill("0");
    await first.getByRole("button", { name: "Check" }).click();
    expect(await first.locator(".mg-q-feedback").textContent()).toBe("✗ Not quite: try again, or open the answer.");
    await first.getByRole("textbox").fill("1.0");
    await first.getByRole("textbox").press("Enter");
    expect(await first.locator(".mg-q-feedback").textContent()).toBe("✓ Right.");
    // The box is named by its question.
    expect(await first.getByRole("textbox", { name: "What is the gradient of the output L with respect to L itself?" }).count()).toBe(1);
    const choice = page.locator('.mg-q[data-kind="choice"]').first(); // e = a·b: ∂e/∂a is b
    await choice.getByRole("radio", { name: "A. a" }).check();
    await choice.getByRole("button", { name: "Check" }).click();
    expect(await choice.locator(".mg-q-feedback").textContent()).toBe("✗ Not that one: try again, or open the answer.");
    await choice.getByRole("radio", { name: "B. b" }).check();
    await choice.getByRole("button", { name: "Check" }).click();
    expect(await choice.locator(".mg-q-feedback").textContent()).toBe("✓ Right.");
    await choice.locator("summary").click();
    expect(await choice.locator("details p").textContent()).toMatch(/^b: a \* node passes each input/);
    expect(problems).toEqual([]);
    await context.close();
  });

  test("the review page on a fixed clock: 'again' is back a minute later, 'good' ten minutes later; kept in localStorage", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.clock.setFixedTime(T0);
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.goto(reviewUrl, { waitUntil: "load" });
    const counts = () => page.locator(".mg-review-counts").textContent();
    expect(await counts()).toBe(`0 cards due, ${CARDS.length} not seen yet.`);
    expect(await page.locator(".mg-card-front").textContent()).toBe(CARDS[0]!.front);
    await page.getByRole("button", { name: "Show the answer" }).click();
    expect(await page.locator(".mg-card-back").textContent()).toBe(CARDS[0]!.back);
    await page.getByRole("button", { name: "Again (I did not know)" }).click();
    expect(await page.locator(".mg-card-front").textContent()).toBe(CARDS[1]!.front);
    await page.getByRole("button", { name: "Show the answer" }).click();
    await page.getByRole("button", { name: "Good" }).click();
    const saved = JSON.parse((await page.evaluate(() => localStorage.getItem("micrograd-ts:cards")))!);
    expect(saved.version).toBe(1);
    expect(saved.cards[CARDS[0]!.id].due).toBe("2026-03-02T09:01:00.000Z");
    expect(saved.cards[CARDS[1]!.id].due).toBe("2026-03-02T09:10:00.000Z");

    await page.clock.setFixedTime(new Date(T0.getTime() + 2 * 60_000));
    await page.reload({ waitUntil: "load" });
    expect(await counts()).toBe(`1 card due, ${CARDS.length - 2} not seen yet.`);
    expect(await page.locator(".mg-card-front").textContent()).toBe(CARDS[0]!.front); // the one missed, first
    await page.clock.setFixedTime(new Date(T0.getTime() + 11 * 60_000));
    await page.reload({ waitUntil: "load" });
    expect(await counts()).toBe(`2 cards due, ${CARDS.length - 2} not seen yet.`);
    expect(problems).toEqual([]);
    await context.close();
  });

  test("axe-core: nothing serious or critical on either page, light and dark; screenshots", async () => {
    const { default: AxeBuilder } = await import("@axe-core/playwright");
    const found: string[] = [];
    for (const theme of ["light", "dark"] as const) {
      const context = await browser.newContext({ colorScheme: theme, viewport: { width: 900, height: 900 } });
      for (const [url, name] of [[checkUrl, "selfcheck"], [reviewUrl, "review"]] as const) {
        const page = await context.newPage();
        await page.goto(url, { waitUntil: "load" });
        if (name === "selfcheck") {
          await page.locator(".mg-selfcheck.mg-ready").waitFor();
          await page.locator(".mg-q").first().getByRole("textbox").fill("3");
          await page.locator(".mg-q").first().getByRole("button", { name: "Check" }).click();
        } else {
          await page.getByRole("button", { name: "Show the answer" }).click();
        }
        const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
        for (const v of results.violations) {
          if (v.impact === "serious" || v.impact === "critical") found.push(`${name} ${theme}: ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        }
        await page.screenshot({ path: path.join(packageRoot(), "test-results", `${name}-${theme}.png`), fullPage: true });
        await page.close();
      }
      await context.close();
    }
    expect(found).toEqual([]);
  }, 600_000); // axe on a busy 2-core machine: no limit worth testing
});
