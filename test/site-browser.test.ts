/**
 * The rendered site in a real browser (Debian's Chromium through playwright-core): every page
 * loads with no console errors, every SVG chart or graph takes up space on screen, and every
 * link between pages resolves. Renders the fixture site always, and the real lessons when
 * notebooks/ has any. A screenshot of one lesson page is kept in test-results/.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "../src/tools/jupyter";
import { renderSite, type RenderOptions } from "../src/tools/render";
import { CHROMIUM, hasChromium, hasJupyter } from "./tools-harness";

const root = packageRoot();
const siteFixtures = path.join(__dirname, "fixtures", "notebooks", "mini-course");
const lessonsDir = path.join(root, "notebooks");
const hasLessons = fs.existsSync(lessonsDir) && fs.readdirSync(lessonsDir).some((f) => f.endsWith(".ipynb"));

const sites: { label: string; options: RenderOptions }[] = [
  { label: "fixture site", options: { lessonsDir: siteFixtures, syllabus: path.join(siteFixtures, "lessons.md") } },
];
if (hasLessons) sites.push({ label: "lessons site", options: {} });

interface PageCheck {
  errors: string[];
  svgs: { width: number; height: number; where: string }[];
  links: string[];
}

describe.skipIf(!(hasJupyter() && hasChromium()))("the site in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function check(file: string, screenshot?: string): Promise<PageCheck> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
    // A page of the offline site must not ask the network for anything.
    page.on("request", (r) => {
      if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) errors.push(`network request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const svgs = await page.$$eval("svg:not(svg svg)", (els) =>
      els.map((el, i) => {
        const box = el.getBoundingClientRect();
        return { width: box.width, height: box.height, where: `svg #${i + 1} ${el.outerHTML.slice(0, 80)}` };
      }),
    );
    const links = await page.$$eval("a[href]", (els) => els.map((a) => a.getAttribute("href")!));
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    await page.close();
    return { errors, svgs, links };
  }

  for (const site of sites) {
    test(`${site.label}: every page loads cleanly, SVGs are visible, links resolve`, async () => {
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "site-browser-"));
      const rendered = await renderSite({ ...site.options, outDir, log: () => {} });
      expect(rendered.failures).toEqual([]);
      const pages = fs.readdirSync(outDir).filter((f) => f.endsWith(".html")).sort();
      expect(pages).toContain("index.html");
      expect(pages.length).toBeGreaterThan(1);

      const shotDir = path.join(root, "test-results");
      fs.mkdirSync(shotDir, { recursive: true });
      const lessonWithPictures = site.label === "fixture site" ? "02-pictures.html" : pages.find((p) => p !== "index.html");
      let svgCount = 0;
      for (const name of pages) {
        const shot = name === lessonWithPictures ? path.join(shotDir, `${site.label.replace(/ /g, "-")}-${name}.png`) : undefined;
        const result = await check(path.join(outDir, name), shot);
        expect(result.errors, name).toEqual([]);
        for (const svg of result.svgs) {
          expect(svg.width > 0 && svg.height > 0, `${name}: ${svg.where} is ${svg.width}×${svg.height}`).toBe(true);
        }
        svgCount += result.svgs.length;
        for (const href of result.links) {
          if (/^[a-z]+:/i.test(href) || href.startsWith("#")) continue; // external or in-page
          const target = path.join(outDir, decodeURIComponent(href.split("#")[0]!));
          expect(fs.existsSync(target), `${name} links to ${href}, which does not exist`).toBe(true);
        }
        if (name !== "index.html") {
          expect(result.links, `${name} links back to the index`).toContain("index.html");
        }
        if (shot) expect(fs.statSync(shot).size).toBeGreaterThan(1000);
      }
      if (site.label === "fixture site") expect(svgCount).toBe(2);
    });
  }
});
