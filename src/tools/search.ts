/**
 * The site's search index, built at render time with MiniSearch (a small, dependency-free
 * full-text index for JavaScript; chosen over Pagefind because it needs no native binary, the
 * index is built in-process from the pages we already have, and it loads as a plain script file,
 * so search works from file:// as well as from a server).
 *
 * One document per section of a lesson (its h2, the prose and code under it), taken from the
 * rendered cells, so every result links to an anchor that exists. Outputs (numbers, SVG) are left
 * out: they would match everything.
 */
import MiniSearch from "minisearch";
import { decodeEntities } from "./page.js";

export interface SearchDoc {
  id: string;
  /** The page, site-relative ("03-manual-backprop.html"). */
  page: string;
  anchor: string;
  lesson: string;
  section: string;
  text: string;
}

/** How the index is built and searched: the page's script uses the same options to load it. */
export const SEARCH_OPTIONS = {
  fields: ["lesson", "section", "text"],
  /** The text too: the results show a snippet of it around the match. */
  storeFields: ["page", "anchor", "lesson", "section", "text"],
};

/** Split a page's cells into sections at each h2 (the part before the first is the lesson's intro). */
export function sectionDocs(page: string, lesson: string, body: string): SearchDoc[] {
  const withoutOutputs = body
    .replace(/<div class="jp-Cell-outputWrapper">[\s\S]*?(?=<div class="jp-Cell |$)/g, "")
    .replace(/<svg[\s\S]*?<\/svg>/g, "")
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, "");
  const parts = withoutOutputs.split(/(?=<h2\s+id=")/);
  return parts.flatMap((part, i) => {
    const heading = /^<h2\s+id="([^"]+)"[^>]*>([\s\S]*?)<\/h2>/.exec(part);
    const anchor = heading ? decodeEntities(heading[1]!) : "";
    const section = heading ? textOf(heading[2]!.replace(/<a class="anchor-link"[\s\S]*?<\/a>/g, "")) : lesson;
    const text = textOf(part);
    return text ? [{ id: `${page}#${i}`, page, anchor, lesson, section, text }] : [];
  });
}

function textOf(html: string): string {
  return decodeEntities(html.replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ").trim();
}

/** The script the page loads on first search: the index, as a global the page's script reads. */
export function searchIndexScript(docs: SearchDoc[]): string {
  const index = new MiniSearch<SearchDoc>(SEARCH_OPTIONS);
  index.addAll(docs);
  return `window.micrograd_search_index = ${JSON.stringify({ options: SEARCH_OPTIONS, index: index.toJSON() })};\n`;
}
