/**
 * Markdown a cell shows (`show(text, "markdown")`, or `show` of a string that is not markup), as
 * HTML in the live page, the way Jupyter renders it under the cell. Loaded by page.ts only when a
 * cell first shows markdown.
 *
 * marked because it is small, fast, well kept and follows CommonMark and GitHub's tables; its
 * HTML goes into the page like the lesson's own HTML outputs, under the page's CSP (no script
 * or inline handler in it can run).
 */
import { marked } from "marked";

export function markdownToHtml(text: string): string {
  return marked.parse(text, { async: false, gfm: true });
}
