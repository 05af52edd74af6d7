/**
 * The static site's own parts: lesson titles, previous/index/next links, the index page made
 * from lessons.md, and the few styles added to nbconvert's page (site-templates/micrograd).
 */
import * as path from "node:path";

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

/** A lesson's title: its first markdown heading, else its file name. */
export function lessonTitle(nb: any, name: string): string {
  for (const cell of nb?.cells ?? []) {
    if (cell.cell_type !== "markdown") continue;
    const source = Array.isArray(cell.source) ? cell.source.join("") : String(cell.source ?? "");
    const heading = source.match(/^#{1,6}\s+(.+?)\s*#*\s*$/m);
    if (heading) return stripMarkdown(heading[1]!);
  }
  return name;
}

function stripMarkdown(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`]/g, "")
    .trim();
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
 * The index page's markdown: the syllabus with its links to notebooks turned into links to the
 * pages, plus a list of any lesson the syllabus does not link, so that every lesson is reachable.
 */
export function syllabusMarkdown(syllabus: string | null, lessons: Lesson[]): string {
  const intro = syllabus ?? "# micrograd-ts lessons\n";
  const linked = new Set<string>();
  const text = intro.replace(/\]\(\s*([^)\s]*?)([^/()\s]+)\.ipynb(#[^)\s]*)?\s*\)/g, (_m, _dir, name, hash) => {
    linked.add(name);
    return `](${pageFile(name)}${hash ?? ""})`;
  });
  const missing = lessons.filter((l) => !linked.has(l.name));
  if (missing.length === 0) return text;
  const heading = syllabus == null ? "## Lessons" : "## All lessons";
  const list = missing.map((l) => `- [${escapeMarkdown(l.title)}](${pageFile(l.name)})`).join("\n");
  return `${text.trimEnd()}\n\n${heading}\n\n${list}\n`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\[\]])/g, "\\$1");
}

/** The index page as a one-cell notebook, so it goes through the same template as the lessons. */
export function indexNotebook(markdown: string, title: string): any {
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
