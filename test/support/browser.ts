/**
 * Looking at a rendered site in Debian's Chromium (playwright-core): shared by the fixture site
 * test (site-browser.test.ts) and the lessons site test (notebooks.test.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM } from "../support/harness";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

export interface SiteReport {
  pages: string[];
  /** Everything wrong, one line each: console errors, network use, empty SVGs, broken links. */
  problems: string[];
  svgCount: number;
}

/**
 * Open every page of `outDir`: no console or page errors, no request leaving file://, every
 * top-level SVG with a non-zero size on screen, every relative link pointing at a file that
 * exists, and every lesson linking back to the index. Screenshot `screenshotPage` into `shotFile`.
 */
export async function checkSite(browser: Browser, outDir: string, shot?: { page: string; file: string }): Promise<SiteReport> {
  const pages = fs.readdirSync(outDir).filter((f) => f.endsWith(".html")).sort();
  const problems: string[] = [];
  let svgCount = 0;
  for (const name of pages) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const say = (what: string) => problems.push(`${name}: ${what}`);
    page.on("console", (m) => m.type() === "error" && say(`console error: ${m.text()}`));
    page.on("pageerror", (e) => say(`page error: ${e.message}`));
    page.on("requestfailed", (r) => say(`request failed: ${r.url()}`));
    page.on("request", (r) => {
      if (!/^(file|data):/.test(r.url())) say(`network request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(path.join(outDir, name)).href, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready);
    const svgs = await page.$$eval("svg:not(svg svg)", (els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        return { width: box.width, height: box.height, html: el.outerHTML.slice(0, 80) };
      }),
    );
    svgCount += svgs.length;
    for (const svg of svgs) {
      if (!(svg.width > 0 && svg.height > 0)) say(`an SVG is ${svg.width}×${svg.height} on screen: ${svg.html}`);
    }
    const links = await page.$$eval("a[href]", (els) => els.map((a) => a.getAttribute("href")!));
    for (const href of links) {
      if (/^[a-z]+:/i.test(href) || href.startsWith("#")) continue; // external or in-page
      const target = decodeURIComponent(href.split("#")[0]!);
      if (!fs.existsSync(path.join(outDir, target))) say(`links to ${href}, which does not exist`);
    }
    if (name !== "index.html" && !links.includes("index.html")) say("has no link back to index.html");
    if (shot && shot.page === name) {
      fs.mkdirSync(path.dirname(shot.file), { recursive: true });
      await page.screenshot({ path: shot.file, fullPage: true });
    }
    await page.close();
  }
  return { pages, problems, svgCount };
}
