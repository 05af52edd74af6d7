/**
 * A page of the course site around the cells nbconvert made: head, header (search, light/dark),
 * the contents sidebar (every lesson, the current lesson's sections), previous/next, downloads.
 * Pure: strings in, HTML out, so the site's layout is tested without Jupyter.
 *
 * Everything works without JavaScript (the sidebar folds with a checkbox on narrow screens); the
 * scripts are separate files, so the Content-Security-Policy can forbid inline scripts.
 */
import { escapeHtml } from "../format.js";
import type { Lesson, Nav } from "./site.js";

/** No inline scripts, handlers or plugins: a learner's notebook rendered by a teacher runs nothing. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; worker-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'";

/** A heading inside the lesson, as the sidebar lists it. */
export interface Section {
  id: string;
  title: string;
  level: number;
}

export interface PageOptions {
  /** The page's <title> and the site's name in the header. */
  title: string;
  siteTitle: string;
  /** The cells, as nbconvert wrote them. */
  body: string;
  /** Every lesson in order, with whether its page exists. */
  lessons: (Lesson & { rendered: boolean })[];
  /** The lesson this page shows (undefined for the index). */
  current?: string;
  sections?: Section[];
  nav?: Nav;
  /** Links to this lesson's notebooks (site-relative). */
  downloads?: { solved: string; exercises: string };
  /** Extra attributes on <html>, e.g. data-notebook for the live page. */
  htmlAttributes?: Record<string, string>;
  /** Extra scripts (site-relative), loaded deferred after the site's own. */
  scripts?: string[];
}

export function pageHtml(o: PageOptions): string {
  const attrs = Object.entries(o.htmlAttributes ?? {})
    .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
    .join("");
  const scripts = ["assets/enhance.js", ...(o.scripts ?? [])].map((s) => `<script src="${escapeHtml(s)}" defer></script>`).join("\n");
  return `<!DOCTYPE html>
<html lang="en"${attrs}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${escapeHtml(o.title)}</title>
<link rel="stylesheet" href="assets/site.css">
<link rel="stylesheet" href="katex/katex.min.css">
<script src="assets/theme.js"></script>
${scripts}
</head>
<body>
<a class="skip-link" href="#content">Skip to the lesson</a>
<header class="site-header">
<a class="site-title" href="index.html">${escapeHtml(o.siteTitle)}</a>
<div class="site-search" role="search" hidden>
<input type="search" placeholder="Search the lessons" aria-label="Search the lessons" autocomplete="off">
<div class="search-status" role="status" aria-live="polite"></div>
<ul class="search-results"></ul>
</div>
<button type="button" class="theme-toggle" aria-pressed="false" hidden>☾ Dark</button>
</header>
<div class="site-layout">
<input type="checkbox" id="toc-toggle" class="toc-toggle" aria-controls="site-toc">
<label for="toc-toggle" class="toc-label">Contents</label>
${contents(o)}
<main id="content" class="jp-Notebook">
${navHtml(o.nav, "top")}
${o.downloads ? downloadsHtml(o.downloads) : ""}
<!-- cells -->
${o.body}
<!-- /cells -->
${navHtml(o.nav, "bottom")}
</main>
</div>
</body>
</html>
`;
}

function contents(o: PageOptions): string {
  const items = o.lessons.map((l) => {
    const here = l.name === o.current;
    const link = l.rendered
      ? `<a href="${escapeHtml(`${l.name}.html`)}"${here ? ' aria-current="page"' : ""}>${escapeHtml(l.title)}</a>`
      : `<span class="not-rendered">${escapeHtml(l.title)} (not rendered)</span>`;
    const sections = here && o.sections?.length ? `\n<ol>${o.sections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a></li>`).join("")}</ol>` : "";
    return `<li>${link}${sections}</li>`;
  });
  return `<nav class="site-toc" id="site-toc" aria-label="Contents">\n<p class="toc-heading">Lessons</p>\n<ol>\n${items.join("\n")}\n</ol>\n</nav>`;
}

function navHtml(nav: Nav | undefined, where: "top" | "bottom"): string {
  if (!nav) return "";
  const link = (l: Nav["prev"], rel: string, text: (t: string) => string) =>
    !l ? "" : l.href ? `<a${rel ? ` rel="${rel}"` : ""} href="${escapeHtml(l.href)}">${text(escapeHtml(l.title))}</a>` : `<span class="not-rendered">${text(escapeHtml(l.title))} (not rendered)</span>`;
  return `<nav class="site-nav site-nav-${where}" aria-label="Lessons, ${where === "top" ? "top" : "bottom"}">
<span class="site-nav-prev">${link(nav.prev, "prev", (t) => `&larr; ${t}`)}</span>
<span class="site-nav-index">${link(nav.index, "", (t) => t)}</span>
<span class="site-nav-next">${link(nav.next, "next", (t) => `${t} &rarr;`)}</span>
</nav>`;
}

function downloadsHtml(d: { solved: string; exercises: string }): string {
  return `<p class="downloads">Open in Jupyter: <a href="${escapeHtml(d.solved)}" download>this lesson (.ipynb)</a> <a href="${escapeHtml(d.exercises)}" download>your exercise copy (.ipynb)</a></p>`;
}

/** The cells of a page written by pageHtml (undefined for any other file). */
export function cellsOf(page: string): string | undefined {
  const m = /<!-- cells -->\n([\s\S]*)\n<!-- \/cells -->/.exec(page);
  return m?.[1];
}

/** Links to the pages of `names` (lessons without a page) become their plain text. */
export function unlinkPages(body: string, names: string[]): string {
  if (names.length === 0) return body;
  const dead = new Set(names.map((n) => `${n}.html`));
  return body.replace(/<a\s[^>]*href="([^"#]+)(?:#[^"]*)?"[^>]*>([\s\S]*?)<\/a>/g, (link, href: string, text: string) => (dead.has(href) ? text : link));
}

/** The lesson's h2/h3 headings with the ids nbconvert gave them, for the sidebar. */
export function sectionsOf(body: string): Section[] {
  const sections: Section[] = [];
  for (const m of body.matchAll(/<h([23])\s+id="([^"]+)"[^>]*>([\s\S]*?)<\/h\1>/g)) {
    const title = decodeEntities(m[3]!.replace(/<a class="anchor-link"[\s\S]*?<\/a>/g, "").replace(/<[^>]+>/g, "")).trim();
    if (title) sections.push({ id: decodeEntities(m[2]!), title, level: Number(m[1]) });
  }
  return sections.filter((s) => s.level === 2);
}

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'", "&#x27;": "'", "&para;": "¶", "&nbsp;": " " };

/** The few entities nbconvert writes, back to text. */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:lt|gt|amp|quot|#39|#x27|para|nbsp);/g, (e) => ENTITIES[e]!).replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
}
