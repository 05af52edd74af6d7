/**
 * The static site's own parts: lesson titles, previous/index/next links, the index page made
 * from lessons.md, and the few styles added to nbconvert's page (site-templates/micrograd).
 */
import * as path from "node:path";
import { type Notebook, notebookTitle, stripMarkdown } from "../ipynb/notebook.js";
import { readNotebook } from "../ipynb/read.js";

export interface Link {
  /** Undefined for a lesson without a page (it failed to render): shown as plain text. */
  href?: string;
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
export function navFor(lessons: (Lesson & { rendered?: boolean })[], i: number, indexTitle = "All lessons"): Nav {
  const link = (l: (typeof lessons)[number] | undefined): Link | undefined =>
    l && { href: l.rendered === false ? undefined : pageFile(l.name), title: l.title };
  return { prev: link(lessons[i - 1]), index: { href: INDEX_PAGE, title: indexTitle }, next: link(lessons[i + 1]) };
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
    if (known.has(name!) || ((name === "index" || name === "review") && m[2] === "html")) return `[${text}](${pageFile(name!)}${hash})`;
    missing.push(url);
    return text;
  });
  return { markdown: out, missing };
}

/**
 * The index page's markdown: the syllabus with its links turned into links to the pages (see
 * linkPages), plus a list of any lesson the syllabus does not link, so every lesson is reachable.
 */
export function syllabusMarkdown(syllabus: string | null, lessons: Lesson[], linkable: Lesson[] = lessons): { markdown: string; missing: string[] } {
  const { markdown: text, missing } = linkPages(syllabus ?? "# micrograd-ts lessons\n", linkable);
  const linked = new Set([...text.matchAll(/\]\(([^)#\s]+)\.html/g)].map((m) => m[1]));
  const unlisted = lessons.filter((l) => !linked.has(l.name));
  if (unlisted.length === 0) return { markdown: text, missing };
  const heading = syllabus == null ? "## Lessons" : "## All lessons";
  const hasPage = new Set(linkable.map((l) => l.name));
  const item = (l: Lesson) => (hasPage.has(l.name) ? `- [${escapeMarkdown(l.title)}](${pageFile(l.name)})` : `- ${escapeMarkdown(l.title)} (not rendered)`);
  const list = unlisted.map(item).join("\n");
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
