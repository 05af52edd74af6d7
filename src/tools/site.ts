/**
 * The static site's own parts: lesson titles, previous/index/next links, the index page made
 * from lessons.md, and the few styles added to nbconvert's page (site-templates/micrograd).
 */
import * as path from "node:path";
import { type Notebook, notebookTitle, stripMarkdown } from "../ipynb/notebook.js";
import { readNotebook } from "../ipynb/read.js";

export interface Link {
  href: string;
  title: string;
}

export interface Nav {
  prev?: Link;
  index?: Link;
  next?: Link;
}

export interface Lesson {
  /** The page name: the notebook's file name without `.ipynb`. */
  name: string;
  title: string;
}

export const INDEX_PAGE = "index.html";

export function pageName(notebook: string): string {
  return path.basename(notebook).replace(/\.ipynb$/i, "");
}

export function pageFile(name: string): string {
  return `${name}.html`;
}

/** A lesson's title: its first markdown heading, else its file name (also when it cannot be read). */
export function lessonTitle(file: string, name: string): string {
  try {
    return notebookTitle(readNotebook(file), name);
  } catch {
    return name; // the render reports the unreadable notebook itself
  }
}

/** Links for lesson `i` of the ordered lesson list. */
export function navFor(lessons: Lesson[], i: number, indexTitle = "All lessons"): Nav {
  const prev = lessons[i - 1];
  const next = lessons[i + 1];
  return {
    prev: prev && { href: pageFile(prev.name), title: prev.title },
    index: { href: INDEX_PAGE, title: indexTitle },
    next: next && { href: pageFile(next.name), title: next.title },
  };
}

/**
 * Point markdown links at the site's pages: `[t](notebooks/02-x.ipynb#h)` becomes
 * `[t](02-x.html#h)`. A link to a notebook or page that is not one of `lessons` would be dead on
 * the site, so it becomes plain text and is returned in `missing` (for a warning).
 */
export function linkPages(markdown: string, lessons: Lesson[]): { markdown: string; missing: string[] } {
  const known = new Set(lessons.map((l) => l.name));
  const missing: string[] = [];
  const out = markdown.replace(/\[([^\]]*)\]\(\s*([^)\s]+)\s*\)/g, (link, text: string, url: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("#")) return link; // external or in-page
    const m = url.match(/^(?:[^#]*\/)?([^/#]+)\.(ipynb|html)(#.*)?$/i);
    if (!m) return link; // an image or another file: not ours to judge
    const [, name, , hash = ""] = m;
    if (known.has(name!) || (name === "index" && m[2] === "html")) return `[${text}](${pageFile(name!)}${hash})`;
    missing.push(url);
    return text;
  });
  return { markdown: out, missing };
}

/**
 * The index page's markdown: the syllabus with its links turned into links to the pages (see
 * linkPages), plus a list of any lesson the syllabus does not link, so every lesson is reachable.
 */
export function syllabusMarkdown(syllabus: string | null, lessons: Lesson[]): { markdown: string; missing: string[] } {
  const { markdown: text, missing } = linkPages(syllabus ?? "# micrograd-ts lessons\n", lessons);
  const linked = new Set([...text.matchAll(/\]\(([^)#\s]+)\.html/g)].map((m) => m[1]));
  const unlisted = lessons.filter((l) => !linked.has(l.name));
  if (unlisted.length === 0) return { markdown: text, missing };
  const heading = syllabus == null ? "## Lessons" : "## All lessons";
  const list = unlisted.map((l) => `- [${escapeMarkdown(l.title)}](${pageFile(l.name)})`).join("\n");
  return { markdown: `${text.trimEnd()}\n\n${heading}\n\n${list}\n`, missing };
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\[\]])/g, "\\$1");
}

/** The index page as a one-cell notebook, so it goes through the same template as the lessons. */
export function indexNotebook(markdown: string, title: string): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { title, kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    cells: [{ cell_type: "markdown", id: "syllabus", metadata: {}, source: markdown }],
  };
}

/** The syllabus' first heading, for the index page's <title> and the "index" links. */
export function syllabusTitle(syllabus: string | null): string {
  const heading = syllabus?.match(/^#\s+(.+?)\s*#*\s*$/m);
  return heading ? stripMarkdown(heading[1]!) : "micrograd-ts lessons";
}

/** Styles on top of nbconvert's lab page: a readable column and the navigation bar. */
export const SITE_CSS = `
body.jp-Notebook { max-width: 980px; margin: 0 auto; padding: 0 16px 32px; }
.site-nav { display: flex; justify-content: space-between; gap: 16px; margin: 16px 0;
  padding: 8px 12px; border-radius: 6px; background: #f3f5f8; font: 14px/1.4 system-ui, sans-serif; }
.site-nav span { flex: 1; }
.site-nav .site-nav-index { text-align: center; }
.site-nav .site-nav-next { text-align: right; }
.site-nav a { color: #1a5fb4; text-decoration: none; }
.site-nav a:hover { text-decoration: underline; }
.jp-RenderedSVG svg, .jp-RenderedHTML svg { max-width: 100%; }
`;
