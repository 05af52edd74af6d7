/**
 * The rendered site in a real browser: the fixture course (two lessons, math, SVG outputs, a
 * syllabus that links only one of them). The real lessons' site is checked the same way at the
 * end of notebooks.test.ts, reusing the runs made there. A screenshot is kept in test-results/.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/tools/files";
import { renderSite } from "../../src/tools/render";
import { checkSite, launchBrowser } from "../support/browser";
import { hasChromium, hasJupyter } from "../support/harness";

const course = path.join(__dirname, "..", "fixtures", "notebooks", "mini-course");

describe.skipIf(!(hasJupyter() && hasChromium()))("the site in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("every page loads cleanly, SVGs and math are visible, links resolve", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "site-browser-"));
    const rendered = await renderSite({ lessonsDir: course, syllabus: path.join(course, "lessons.md"), outDir, log: () => {} });
    expect(rendered.failures).toEqual([]);

    const shot = { page: "02-pictures.html", file: path.join(packageRoot(), "test-results", "fixture-02-pictures.png") };
    const report = await checkSite(browser, outDir, shot);
    expect(report.pages).toEqual(["01-values.html", "02-pictures.html", "index.html", "review.html"]);
    expect(report.problems).toEqual([]);
    expect(report.svgCount).toBe(2); // the bare SVG output and the one inside an HTML output
    expect(fs.statSync(shot.file).size).toBeGreaterThan(1000);
  });

  test("the checker itself notices a broken page (so a clean report means something)", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "site-broken-"));
    fs.writeFileSync(path.join(outDir, "index.html"), '<a href="01-gone.html">gone</a>');
    fs.writeFileSync(
      path.join(outDir, "01-bad.html"),
      '<script>console.error("boom")</script><svg width="0" height="0"></svg><a href="index.html">index</a>',
    );
    const report = await checkSite(browser, outDir);
    expect(report.problems).toEqual([
      "01-bad.html: console error: boom",
      "01-bad.html: an SVG is 0×0 on screen: <svg width=\"0\" height=\"0\"></svg>",
      "index.html: links to 01-gone.html, which does not exist",
    ]);
  });

  test("a submission's scripts do not run: inline scripts and event handlers are refused by the page's policy", async () => {
    const course = path.join(__dirname, "..", "fixtures", "notebooks", "hostile");
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "site-hostile-"));
    const rendered = await renderSite({ lessonsDir: course, syllabus: path.join(course, "none.md"), outDir, log: () => {} });
    expect(rendered.failures).toEqual([]);
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on("console", (m) => m.type() === "error" && /Content Security Policy/.test(m.text()) && refused.push(m.text()));
    await page.goto(pathToFileURL(path.join(outDir, "01-hostile.html")).href, { waitUntil: "load" });
    await page.waitForTimeout(500);
    // The markup is there, as the learner wrote it; none of it ran.
    expect(await page.$$eval("main script", (s) => s.length)).toBeGreaterThanOrEqual(1);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.title()).not.toMatch(/pwned/);
    expect(refused.length).toBeGreaterThanOrEqual(2); // the inline script and a handler, at least
    await page.close();
  });
});
