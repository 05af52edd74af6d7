/**
 * `selfCheck`: a lesson's self-check questions under a cell. Reads without any script (each answer
 * behind "Show the answer", a <details> that works in Jupyter, on the static site and on the live
 * page alike); with the practice script, numeric and choice questions get a box or buttons and a
 * ✓/✗ when checked.
 */
import { escapeHtml } from "../format.js";
import { showWidget } from "../notebook/display.js";
import { practiceScript } from "./backward-practice.js";
import { questionsFor, type Question } from "./questions.js";

function questionHtml(q: Question, i: number): string {
  const data =
    q.kind === "number" ? ` data-value="${q.value}" data-tol="${q.tol ?? 1e-6 + Math.abs(q.value) * 1e-3}"`
    : q.kind === "choice" ? ` data-correct="${q.correct}"`
    : "";
  const choices = q.kind === "choice" ? `\n<ol class="mg-q-choices" type="A">${q.choices.map((c) => `<li>${escapeHtml(c)}</li>`).join("")}</ol>` : "";
  return (
    `<li class="mg-q" data-kind="${q.kind}"${data}>\n<p class="mg-q-prompt" id="%ID%-q${i}">${escapeHtml(q.prompt)}</p>${choices}\n` +
    `<details><summary>Show the answer</summary><p>${escapeHtml(q.answer)}</p></details>\n</li>`
  );
}

let count = 0;

/** The markup of `lesson`'s self-check questions. */
export function selfCheckHtml(lesson: string): string {
  const qs = questionsFor(lesson);
  const id = `mg-selfcheck-${escapeHtml(lesson)}-${++count}`;
  return (
    [
      `<div class="mg-selfcheck" id="${id}" data-lesson="${escapeHtml(lesson)}" role="group" aria-label="Check yourself">`,
      `<p class="mg-selfcheck-head"><b>Check yourself.</b> Answer each question in your head (or in the box) before you open its answer.</p>`,
      `<ol class="mg-selfcheck-list">`,
      ...qs.map((q, i) => questionHtml(q, i).replace(/%ID%/g, id)),
      `</ol>`,
      `</div>`,
    ].join("\n") + "\n"
  );
}

/** Show `lesson`'s self-check questions under the cell: `selfCheck("03-manual-backprop")`. */
export function selfCheck(lesson: string): string | undefined {
  return showWidget(selfCheckHtml(lesson), practiceScript);
}
