/**
 * Driving the live page's editor as a learner does, shared by the live browser tests.
 */
import type { Page } from "playwright-core";

/** The text of a cell's editor (CodeMirror), as the learner sees it. */
export const editorText = (page: Page, cell: number) => page.$eval(`[data-cell="${cell}"] .cm-content`, (el) => (el as HTMLElement).innerText);

/** Replace a cell's code through its editor: click, select all, delete, then the new text. */
export async function replaceCode(page: Page, cell: number, text: string): Promise<void> {
  await page.click(`[data-cell="${cell}"] .cm-content`);
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text); // as pasted: CodeMirror's bracket closing would double typed braces
}
