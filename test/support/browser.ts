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

/** What the course site promises readers (issue-level budgets), measured on a rendered site. */
export const BUDGETS = { lessonPage: 300 * 1024, indexPage: 80 * 1024, site: 3 * 1024 * 1024 };

export interface CourseSiteReport {
  problems: string[];
  /** Sizes in bytes: each page, and the whole site without the live runtime (site/live/). */
  sizes: { pages: Record<string, number>; site: number };
  /** The first search results for "topological": [link text, href]. */
  search: [string, string][];
  /** How long each accessibility audit took ("page scheme seconds"). */
  timings: string[];
}

function folderSize(dir: string, skip: (rel: string) => boolean, rel = ""): number {
  let total = 0;
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, entry.name);
    if (skip(r)) continue;
    total += entry.isDirectory() ? folderSize(dir, skip, r) : fs.statSync(path.join(dir, r)).size;
  }
  return total;
}

/**
 * The course-site features on a rendered site, in Chromium: page weights, the contents sidebar,
 * search, dark mode (system setting and the remembered toggle), downloads that are notebooks, no
 * serious or critical axe-core violation in light and dark mode, and no sideways page scroll at
 * 375 px. Returns everything wrong, one line each.
 */
export async function checkCourseSite(browser: Browser, outDir: string, lessons: { name: string; title: string }[]): Promise<CourseSiteReport> {
  const { default: AxeBuilder } = await import("@axe-core/playwright");
  const problems: string[] = [];
  const pages = fs.readdirSync(outDir).filter((f) => f.endsWith(".html")).sort();
  const sizes = { pages: Object.fromEntries(pages.map((p) => [p, fs.statSync(path.join(outDir, p)).size])), site: folderSize(outDir, (r) => r === "live") };
  for (const [p, size] of Object.entries(sizes.pages)) {
    const budget = p === "index.html" ? BUDGETS.indexPage : BUDGETS.lessonPage;
    if (size > budget) problems.push(`${p}: ${(size / 1024).toFixed(0)} KB, over its ${(budget / 1024).toFixed(0)} KB budget`);
  }
  if (sizes.site > BUDGETS.site) problems.push(`the site is ${(sizes.site / 1048576).toFixed(2)} MB, over ${BUDGETS.site / 1048576} MB`);

  const url = (p: string) => pathToFileURL(path.join(outDir, p)).href;
  const timings: string[] = [];
  for (const scheme of ["light", "dark"] as const) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1200, height: 900 } });
    for (const p of pages) {
      const page = await context.newPage();
      await page.goto(url(p));
      // Light: every rule; dark: the rules that depend on colours (the rest do not change with the
      // theme), outside the charts and graphs, which sit on the same white card in both themes.
      const axe = new AxeBuilder({ page });
      const audit = scheme === "light" ? axe.withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]) : axe.withRules(["color-contrast", "link-in-text-block"]).exclude(".jp-OutputArea svg");
      const t0 = Date.now();
      const results = await audit.analyze();
      timings.push(`${p} ${scheme} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      for (const v of results.violations) {
        if (v.impact === "serious" || v.impact === "critical") {
          problems.push(`${p} (${scheme}): axe ${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`);
        }
      }
      if (scheme === "light" && p !== "index.html") {
        const lesson = lessons.find((l) => `${l.name}.html` === p);
        const toc = await page.$$eval(".site-toc > ol > li", (lis) => lis.map((li) => li.querySelector("a, span")!.textContent!.trim()));
        if (toc.length !== lessons.length) problems.push(`${p}: the contents list ${toc.length} lessons, not ${lessons.length}`);
        const current = await page.$eval('.site-toc a[aria-current="page"]', (a) => a.textContent).catch(() => null);
        if (lesson && current !== lesson.title) problems.push(`${p}: the contents mark ${JSON.stringify(current)} as current, not ${JSON.stringify(lesson.title)}`);
        const sections = await page.$$eval(".site-toc li ol a", (as) => as.map((a) => a.getAttribute("href")!));
        for (const s of sections) {
          if (!(await page.$(`[id="${s.slice(1)}"]`))) problems.push(`${p}: the contents link ${s}, which is not on the page`);
        }
        for (const href of await page.$$eval(".downloads a", (as) => as.map((a) => a.getAttribute("href")!))) {
          try {
            const nb = JSON.parse(fs.readFileSync(path.join(outDir, href), "utf8"));
            if (nb.nbformat !== 4 || !Array.isArray(nb.cells) || nb.metadata?.kernelspec?.name !== "tslab") problems.push(`${p}: ${href} is not a tslab notebook`);
          } catch (e) {
            problems.push(`${p}: download ${href}: ${(e as Error).message}`);
          }
        }
      }
      await page.close();
    }
    await context.close();
  }

  // Dark mode: the system setting changes the background; the toggle overrides it and is remembered.
  const first = pages.find((p) => p !== "index.html") ?? "index.html";
  const background = (page: import("playwright-core").Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await browser.newContext({ colorScheme: "dark" });
  const light = await browser.newContext({ colorScheme: "light" });
  const [pd, pl] = [await dark.newPage(), await light.newPage()];
  await pd.goto(url(first));
  await pl.goto(url(first));
  const [bgDark, bgLight] = [await background(pd), await background(pl)];
  if (bgDark === bgLight) problems.push(`dark mode: the background is ${bgDark} whatever the system says`);
  await pd.click(".theme-toggle");
  if ((await background(pd)) !== bgLight) problems.push("dark mode: the toggle does not switch a dark page to light");
  await pd.reload();
  if ((await background(pd)) !== bgLight) problems.push("dark mode: the toggle's choice is not remembered after a reload");

  // Search, from the light page.
  await pl.fill(".site-search input", "topological");
  await pl.waitForSelector(".search-results a", { timeout: 10_000 }).catch(() => problems.push('search: no result for "topological"'));
  const search = await pl.$$eval(".search-results a", (as) => as.map((a) => [a.textContent!, a.getAttribute("href")!] as [string, string]));
  await Promise.all([dark.close(), light.close()]);

  // 375 px wide: only code blocks may scroll sideways, never the page.
  const narrow = await browser.newContext({ viewport: { width: 375, height: 800 } });
  for (const p of pages) {
    const page = await narrow.newPage();
    await page.goto(url(p));
    const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    if (scroll > width) problems.push(`${p}: at 375 px the page scrolls sideways (${scroll} px wide)`);
    if (p === first) await page.screenshot({ path: path.join(packageRootForShots(), "test-results", `narrow-${p}.png`) });
    await page.close();
  }
  await narrow.close();
  return { problems, sizes, search, timings };
}

/**
 * axe-core's default rules on pages served over HTTP, where the live runtime runs (its toolbar,
 * cell bars and Edit buttons are on the page, as a learner sees it): every serious or critical
 * violation, one line each. Light: every default rule; dark: the rules that depend on colours
 * (the others do not change with the theme).
 */
export async function auditLivePages(browser: Browser, baseUrl: string, pages: string[]): Promise<string[]> {
  const { default: AxeBuilder } = await import("@axe-core/playwright");
  const problems: string[] = [];
  for (const scheme of ["light", "dark"] as const) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1200, height: 900 } });
    for (const p of pages) {
      const page = await context.newPage();
      await page.goto(`${baseUrl}${p}`);
      // A lesson page is live once its toolbar is there (the index has no code cells: no runtime).
      if (p !== "index.html") await page.waitForSelector(".live-toolbar", { timeout: 60_000 }).catch(() => problems.push(`${p}: the live runtime did not start`));
      const axe = new AxeBuilder({ page });
      const results = await (scheme === "light" ? axe : axe.withRules(["color-contrast", "link-in-text-block"])).analyze();
      for (const v of results.violations) {
        if (v.impact === "serious" || v.impact === "critical") {
          problems.push(`${p} (${scheme}, live): axe ${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`);
        }
      }
      await page.close();
    }
    await context.close();
  }
  return problems;
}

function packageRootForShots(): string {
  const dir = path.resolve(__dirname, "..", "..");
  fs.mkdirSync(path.join(dir, "test-results"), { recursive: true });
  return dir;
}
