/**
 * The landing page served over HTTP, as a newcomer meets it: its start link opens lesson 1 and
 * runs it live in the page (the live runtime needs a web server), and no page asks for a file
 * the site lacks (before the favicon, every page logged a 404 for /favicon.ico).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/tools/files";
import { renderSite } from "../../src/tools/render";
import { serveSite, type Server } from "../../src/tools/serve";
import { launchBrowser } from "../support/browser";
import { hasChromium, hasJupyter } from "../support/harness";

const root = packageRoot();
const first = fs.readdirSync(path.join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort()[0]!.replace(/\.ipynb$/, "");

describe.skipIf(!(hasJupyter() && hasChromium()))("the landing page, served", () => {
  let browser: Browser;
  let server: Server;

  beforeAll(async () => {
    // Only lesson 1 is needed: the others are cards without a page.
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "landing-site-"));
    const rendered = await renderSite({ outDir, notebooks: [first], log: () => {} });
    expect(rendered.failures).toEqual([]);
    server = await serveSite({ dir: outDir, port: 0 });
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the start link runs lesson 1 in the page; no request fails on the way", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const failed: string[] = [];
    page.on("response", (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
    page.on("requestfailed", (r) => failed.push(`failed ${r.url()}`));
    await page.goto(server.url);
    expect(await page.$eval('link[rel="icon"]', (l) => (l as HTMLLinkElement).href)).toBe(`${server.url}assets/favicon.svg`);
    await page.click("a.start-link");
    await page.waitForURL(`${server.url}${first}.html#run-all`);
    await page.waitForFunction(() => ["done", "failed"].includes(document.documentElement.dataset.live ?? ""), null, { timeout: 180_000 });
    expect(await page.evaluate(() => document.documentElement.dataset.live)).toBe("done");
    // The lesson's exercises really ran here: their ✓ lines are in the live output.
    const checks = await page.$$eval("[data-live-output]", (outs) => outs.flatMap((o) => [...o.querySelectorAll("div")].map((d) => d.textContent!.trim()).filter((t) => t.startsWith("✓"))));
    expect(checks.length).toBeGreaterThan(0);
    fs.mkdirSync(path.join(root, "test-results"), { recursive: true });
    await page.screenshot({ path: path.join(root, "test-results", "landing-start-lesson-1.png") });
    expect(failed).toEqual([]);
    await page.close();
  }, 240_000);
});
