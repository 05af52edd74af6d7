/**
 * Looking at a rendered site in Debian's Chromium (playwright-core): shared by the fixture site
 * test (site-browser.test.ts) and the lessons site test (notebooks.test.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { packageRoot } from "../../src/tools/files";
import { pageHtml } from "../../src/tools/page";
import { CHROMIUM } from "../support/harness";

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", ...extraArgs],
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
    // An SVG inside a part the page hides on purpose (a practice widget's next expressions, its
    // replay before the answer is right) has no size until it is shown.
    const svgs = await page.$$eval("svg:not(svg svg)", (els) =>
      els.filter((el) => !el.closest("[hidden]")).map((el) => {
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
// Lessons 05-08 grew with this edition's exercises, practice widgets and the search index's section text.
export const BUDGETS = { lessonPage: 420 * 1024, indexPage: 80 * 1024, site: 5 * 1024 * 1024 };

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
  problems.push(...(await checkReadingFeatures(browser, outDir, lessons)));
  return { problems, sizes, search, timings };
}

/** How much of a figure is light paper (luminance > 0.8), from a screenshot of it: what the reader sees. */
async function lightShare(page: import("playwright-core").Page, selector: string): Promise<number> {
  const el = (await page.$$(selector))[0];
  if (!el) return NaN;
  await el.scrollIntoViewIfNeeded();
  const png = (await el.screenshot()).toString("base64");
  return page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const canvas = document.createElement("canvas");
    [canvas.width, canvas.height] = [img.width, img.height];
    const ctx = canvas.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, img.width, img.height).data;
    let light = 0;
    for (let i = 0; i < px.length; i += 4) if ((0.2126 * px[i]! + 0.7152 * px[i + 1]! + 0.0722 * px[i + 2]!) / 255 > 0.8) light++;
    return light / (px.length / 4);
  }, png);
}

/**
 * What a reader meets on the site (issue: the site read as a newcomer reads it), from file://:
 * the landing's start link, pictures and cards (with this browser's progress); search for
 * "backprop" finds lessons 3 and 5 with the match marked in a snippet, a true count, arrow keys;
 * figures dark in dark mode; a favicon; a ~75-character prose column; the "on this page" list
 * following the reader; on a 375 px phone the lesson's title near the top; no solution markers
 * or grade ids shown. Returns everything wrong, one line each.
 */
export async function checkReadingFeatures(browser: Browser, outDir: string, lessons: { name: string; title: string }[]): Promise<string[]> {
  const problems: string[] = [];
  const url = (p: string) => pathToFileURL(path.join(outDir, p)).href;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  // The landing page.
  await page.goto(url("index.html"));
  const start = await page.$eval("a.start-link", (a) => [a.textContent, a.getAttribute("href")]).catch(() => null);
  if (!start || !/^Start lesson 1 — it runs in your browser$/.test(start[0] ?? "") || start[1] !== `${lessons[0]!.name}.html#run-all`) problems.push(`landing: the start link is ${JSON.stringify(start)}`);
  const figures = await page.$$eval(".hero-figure svg", (svgs) => svgs.map((s) => s.getBoundingClientRect().width * s.getBoundingClientRect().height));
  if (figures.length !== 2 || figures.some((a) => !(a > 10_000))) problems.push(`landing: pictures of what you build: ${JSON.stringify(figures)}`);
  const cards = await page.$$eval(".lesson-card", (cs) => cs.map((c) => ({ title: c.querySelector("h3")!.textContent!.trim(), facts: c.querySelector(".lesson-facts")?.textContent ?? "", progress: c.querySelector("[data-progress]")!.textContent! })));
  if (JSON.stringify(cards.map((c) => c.title)) !== JSON.stringify(lessons.map((l) => l.title))) problems.push(`landing: the cards are ${JSON.stringify(cards.map((c) => c.title))}`);
  for (const c of cards) {
    if (!/^\d+ min read · \d+ min practice · .*(introductory|intermediate|challenging) · before this: .+/.test(c.facts)) problems.push(`landing: ${c.title}: facts ${JSON.stringify(c.facts)}`);
    if (!/^\d+ exercises?$/.test(c.progress)) problems.push(`landing: ${c.title}: before any work the card says ${JSON.stringify(c.progress)}`);
  }
  const text = await page.evaluate(() => document.body.innerText);
  const gradeIds = fs.readdirSync(path.join(outDir, "notebooks")).flatMap((f) =>
    (JSON.parse(fs.readFileSync(path.join(outDir, "notebooks", f), "utf8")).cells as { metadata?: { nbgrader?: { grade_id?: string } } }[]).flatMap((c) => c.metadata?.nbgrader?.grade_id ?? []),
  );
  for (const id of new Set(gradeIds)) if (/[_-]/.test(id) && text.includes(id)) problems.push(`landing: shows the grade id ${id}`);
  // Progress, as the live page and the practice pages record it in this browser.
  const first = lessons[0]!.name;
  await page.evaluate((nb) => {
    localStorage.setItem(`micrograd-ts:score:notebooks/${nb}.ipynb`, JSON.stringify({ passed: ["a", "b"], total: 3, at: new Date().toISOString() }));
    localStorage.setItem(`micrograd-ts:practice:${nb}`, JSON.stringify({ solved: 4 }));
    // The review page's state: cards by id, each with its due date (one due, one not yet, one with no lesson known).
    const day = 86_400_000;
    const cards = { a: { lesson: nb, due: new Date(Date.now() - day).toISOString() }, b: { lesson: nb, due: new Date(Date.now() + 30 * day).toISOString() }, c: { due: new Date(Date.now() - day).toISOString() } };
    localStorage.setItem("micrograd-ts:cards", JSON.stringify({ version: 1, cards }));
  }, first);
  await page.reload();
  const progress = await page.$eval(`.lesson-card[data-lesson="${first}"] [data-progress]`, (p) => p.textContent);
  if (progress !== "2 of 3 exercises passed · 4 practice problems solved · 1 card due") problems.push(`landing: with progress stored, lesson 1's card says ${JSON.stringify(progress)}`);
  const due = await page.$eval("[data-cards-due]", (p) => (p.hidden ? "" : p.textContent));
  if (due !== "1 flashcard due for review.") problems.push(`landing: cards due line ${JSON.stringify(due)}`);
  await page.evaluate(() => localStorage.clear());

  // Search: "backprop" is a prefix of the words of lessons 3 and 5.
  const lesson = (n: number) => lessons.find((l) => l.name.startsWith(String(n).padStart(2, "0")))!.name;
  await page.goto(url("index.html"));
  await page.fill(".site-search input", "backprop");
  await page.waitForSelector(".search-results a", { timeout: 10_000 }).catch(() => problems.push('search: no result for "backprop"'));
  const hits = await page.$$eval(".search-results a", (as) => as.map((a) => ({ href: a.getAttribute("href")!, marks: [...a.querySelectorAll("mark")].map((m) => m.textContent!) })));
  const status = await page.$eval(".search-status", (s) => s.textContent ?? "");
  for (const n of [3, 5]) {
    const hit = hits.find((h) => h.href.startsWith(`${lesson(n)}.html`));
    if (!hit) problems.push(`search: "backprop" does not find lesson ${n} (${hits.map((h) => h.href).join(", ")})`);
    else if (!hit.marks.some((m) => /^backprop/i.test(m))) problems.push(`search: lesson ${n}'s result marks ${JSON.stringify(hit.marks)}, not the match`);
  }
  if (!status.startsWith(`${hits.length} section`)) problems.push(`search: the count says "${status}" for ${hits.length} results`);
  if (hits.length <= 8) problems.push(`search: only ${hits.length} results for "backprop" (is the count capped?)`);
  // Arrow keys move through the results and back to the box.
  const focused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.getAttribute("href") ?? document.activeElement?.tagName);
  await page.press(".site-search input", "ArrowDown");
  const a1 = await focused();
  await page.keyboard.press("ArrowDown");
  const a2 = await focused();
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  const back = await focused();
  if (a1 !== hits[0]?.href || a2 !== hits[1]?.href || back !== "INPUT") problems.push(`search: arrow keys went ${a1} → ${a2} → ${back}`);
  await page.keyboard.press("ArrowDown");
  await Promise.all([page.waitForURL((u) => u.href.endsWith(hits[0]!.href), { waitUntil: "load" }), page.keyboard.press("Enter")]).catch(() => problems.push("search: Enter on a result does not open it"));

  // The prose column: ~70–80 characters a line.
  await page.goto(url(`${lesson(3)}.html`));
  const perLine = await page.$$eval(".jp-RenderedMarkdown > p", (ps) => {
    const rates: number[] = [];
    for (const p of ps) {
      if (p.querySelector(".katex-display, img, br")) continue;
      const lines = Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
      if (lines >= 4) rates.push(p.textContent!.length / lines);
    }
    return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)] ?? 0;
  });
  if (!(perLine >= 62 && perLine <= 85)) problems.push(`column: a paragraph's line holds ${perLine.toFixed(0)} characters (median), not ~70–80`);
  // "On this page" marks the section the reader has scrolled to.
  const sections = await page.$$eval(".page-toc a", (as) => as.map((a) => a.getAttribute("href")!));
  const target = sections[Math.min(2, sections.length - 1)];
  if (!target) problems.push("on this page: no list");
  else {
    await page.evaluate((id) => document.getElementById(id)!.scrollIntoView(), target.slice(1));
    await page.waitForTimeout(300);
    const current = await page.$$eval('.page-toc a[aria-current="location"]', (as) => as.map((a) => a.getAttribute("href")));
    if (JSON.stringify(current) !== JSON.stringify([target])) problems.push(`on this page: scrolled to ${target}, marked ${JSON.stringify(current)}`);
  }
  // A favicon that exists.
  const icon = await page.$eval('link[rel="icon"]', (l) => l.getAttribute("href")).catch(() => null);
  if (!icon || !fs.existsSync(path.join(outDir, icon))) problems.push(`favicon: ${icon}`);
  await context.close();

  // Solution markers stay out of the pages.
  for (const p of fs.readdirSync(outDir).filter((f) => f.endsWith(".html"))) {
    if (/(BEGIN|END) SOLUTION/.test(fs.readFileSync(path.join(outDir, p), "utf8"))) problems.push(`${p}: shows a BEGIN/END SOLUTION marker`);
  }

  // Figures follow dark mode: little light paper left in dark, mostly paper in light.
  const moons = lessons.find((l) => /moons/.test(l.name))?.name ?? lesson(8);
  for (const scheme of ["light", "dark"] as const) {
    const ctx = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    const pg = await ctx.newPage();
    for (const [p, selector] of [[`${moons}.html`, ".jp-OutputArea-output:has(svg.plot-d6a7b5), .jp-OutputArea-output:has(svg[class^=plot-])"], [`${lesson(4)}.html`, ".jp-OutputArea-output:has(g.graph)"], ["index.html", ".hero-chart .figure-art"]] as const) {
      await pg.goto(url(p));
      const share = await lightShare(pg, selector);
      if (scheme === "dark" ? !(share < 0.15) : !(share > 0.5)) problems.push(`${p} (${scheme}): ${(100 * share).toFixed(0)}% of the figure ${selector} is light paper`);
      if (scheme === "dark") await pg.screenshot({ path: path.join(packageRootForShots(), "test-results", `dark-${p.replace(".html", "")}.png`) });
    }
    await ctx.close();
  }

  // A phone: the lesson's title near the top.
  const phone = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const ph = await phone.newPage();
  for (const p of ["index.html", `${lesson(3)}.html`]) {
    await ph.goto(url(p));
    const top = await ph.$eval("main h1", (h) => h.getBoundingClientRect().top);
    if (!(top < 160)) problems.push(`${p} at 375 px: the title starts ${top.toFixed(0)} px down`);
    await ph.screenshot({ path: path.join(packageRootForShots(), "test-results", `phone-${p.replace(".html", "")}.png`) });
  }
  await phone.close();
  return problems;
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
      // A lesson page (01-….html) is live once its toolbar is there; the index and the review page
      // have no code cells and no runtime.
      const lesson = /^\d\d-/.test(p);
      if (lesson) await page.waitForSelector(".live-toolbar", { timeout: 60_000 }).catch(() => problems.push(`${p}: the live runtime did not start`));
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

/**
 * A one-page site in `dir`, laid out as render writes one: the page `name` (pageHtml, with its
 * Content-Security-Policy) around `body`, the site's stylesheet, favicon and page scripts from
 * the build, and `extra` files (path → content). Returns the page's file:// URL.
 */
export function standAlonePage(dir: string, name: string, body: string, scripts: string[], extra: Record<string, string> = {}): string {
  const root = packageRoot();
  const dist = path.join(root, "dist", "site");
  fs.mkdirSync(path.join(dir, "assets"), { recursive: true });
  fs.mkdirSync(path.join(dir, "katex"), { recursive: true });
  fs.writeFileSync(path.join(dir, "katex", "katex.min.css"), "");
  fs.copyFileSync(path.join(root, "src", "site", "site.css"), path.join(dir, "assets", "site.css"));
  fs.copyFileSync(path.join(root, "src", "site", "favicon.svg"), path.join(dir, "assets", "favicon.svg"));
  for (const f of ["theme.js", "enhance.js", "practice.js"]) fs.copyFileSync(path.join(dist, f), path.join(dir, "assets", f));
  for (const [f, content] of Object.entries(extra)) fs.writeFileSync(path.join(dir, f), content);
  fs.writeFileSync(path.join(dir, name), pageHtml({ title: name.replace(/\.html$/, ""), siteTitle: "micrograd-ts", body, lessons: [], scripts }));
  return pathToFileURL(path.join(dir, name)).href;
}
