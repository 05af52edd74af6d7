/**
 * A page of the course site around the cells nbconvert made: head, header (search, light/dark),
 * the contents sidebar (every lesson, the current lesson's sections), previous/next, downloads.
 * Pure: strings in, HTML out, so the site's layout is tested without Jupyter.
 *
 * Everything works without JavaScript (the sidebar folds with a checkbox on narrow screens); the
 * scripts are separate files, so the Content-Security-Policy can forbid inline scripts.
 */
import { escapeHtml } from "../format.js";
import { factsHtml } from "./landing.js";
import type { Lesson, LessonFacts, Nav } from "./site.js";

/** No inline scripts, handlers or plugins: a learner's notebook rendered by a teacher runs nothing. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; worker-src 'self'; frame-src 'self' http://127.0.0.1:*/live/kernel-frame.html http://localhost:*/live/kernel-frame.html; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'";

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
  /** Read and practice time, difficulty, prerequisites: shown under the lesson's title. */
  facts?: LessonFacts;
  /** "lesson" (default): contents, cells, on this page; "landing": the index, one wide column. */
  layout?: "lesson" | "landing";
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
  const landing = o.layout === "landing";
  const head = lessonHead(o);
  const body = head ? withHead(o.body, head) : o.body;
  return `<!DOCTYPE html>
<html lang="en"${attrs}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${escapeHtml(o.title)}</title>
<link rel="icon" href="assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="assets/site.css">
<link rel="stylesheet" href="katex/katex.min.css">
<script src="assets/theme.js"></script>
${scripts}
</head>
<body class="${landing ? "layout-landing" : "layout-lesson"}">
<a class="skip-link" href="#content">${landing ? "Skip to the content" : "Skip to the lesson"}</a>
<header class="site-header">
<a class="site-title" href="index.html">${escapeHtml(o.siteTitle)}</a>
${landing ? "" : `<input type="checkbox" id="toc-toggle" class="toc-toggle" aria-controls="site-toc">
<label for="toc-toggle" class="toc-label"><span aria-hidden="true">☰</span> <span class="label-word">Contents</span></label>
`}<button type="button" class="search-open" aria-expanded="false" aria-controls="site-search" hidden><span aria-hidden="true">⌕</span> <span class="label-word">Search</span></button>
<div class="site-search" id="site-search" role="search" hidden>
<input type="search" placeholder="Search the lessons" aria-label="Search the lessons" autocomplete="off">
<div class="search-status" role="status" aria-live="polite"></div>
<ul class="search-results"></ul>
</div>
<button type="button" class="theme-toggle" aria-pressed="false" hidden>☾ Dark</button>
</header>
<div class="site-layout">
${landing ? "" : `${contents(o)}\n`}<main id="content" class="jp-Notebook">
${navHtml(o.nav, "top")}
<!-- cells -->
${body}
<!-- /cells -->
${navHtml(o.nav, "bottom")}
</main>
${!landing && o.sections?.length ? onThisPage(o.sections) : ""}
</div>
</body>
</html>
`;
}

/** Under the lesson's title: its facts and its downloads (kept out of the cells: see cellsOf). */
function lessonHead(o: PageOptions): string {
  const parts = [o.facts ? factsHtml(o.facts) : "", o.downloads ? downloadsHtml(o.downloads) : ""].filter(Boolean);
  return parts.length ? `<!-- lesson-head --><div class="lesson-head">${parts.join("")}</div><!-- /lesson-head -->` : "";
}

/** `head` right after the first <h1> of the cells (at the top when there is none). */
function withHead(body: string, head: string): string {
  const end = body.indexOf("</h1>");
  return end < 0 ? `${head}\n${body}` : `${body.slice(0, end + 5)}${head}${body.slice(end + 5)}`;
}

/** The lesson's sections beside it on wide screens; the page's script marks where the reader is. */
function onThisPage(sections: Section[]): string {
  return `<nav class="page-toc" aria-label="On this page">\n<p class="toc-heading">On this page</p>\n<ol>${sections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a></li>`).join("")}</ol>\n</nav>`;
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
  // On a phone the titles would take five lines: "Lesson 2" says enough there.
  const label = (title: string, index = false) => {
    const short = index ? "All lessons" : /^(Lesson \d+)\s+[—–-]\s+/.exec(title)?.[1];
    return short ? `<span class="nav-long">${escapeHtml(title)}</span><span class="nav-short">${escapeHtml(short)}</span>` : escapeHtml(title);
  };
  const link = (l: Nav["prev"], rel: string, text: (t: string) => string) =>
    !l ? "" : l.href ? `<a${rel ? ` rel="${rel}"` : ""} href="${escapeHtml(l.href)}">${text(label(l.title, !rel))}</a>` : `<span class="not-rendered">${text(label(l.title, !rel))} (not rendered)</span>`;
  return `<nav class="site-nav site-nav-${where}" aria-label="Lessons, ${where === "top" ? "top" : "bottom"}">
<span class="site-nav-prev">${link(nav.prev, "prev", (t) => `&larr; ${t}`)}</span>
<span class="site-nav-index">${link(nav.index, "", (t) => t)}</span>
<span class="site-nav-next">${link(nav.next, "next", (t) => `${t} &rarr;`)}</span>
</nav>`;
}

function downloadsHtml(d: { solved: string; exercises: string }): string {
  return `<p class="downloads">Download for Jupyter: <a href="${escapeHtml(d.solved)}" download>this lesson (.ipynb)</a> <a href="${escapeHtml(d.exercises)}" download>your exercise copy (.ipynb)</a></p>`;
}

/** The cells of a page written by pageHtml (undefined for any other file). */
export function cellsOf(page: string): string | undefined {
  const m = /<!-- cells -->\n([\s\S]*)\n<!-- \/cells -->/.exec(page);
  return m?.[1]?.replace(/<!-- lesson-head -->[\s\S]*?<!-- \/lesson-head -->/, "");
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
