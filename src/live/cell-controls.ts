/**
 * The cell controls of the live page: above each code cell, Run, its state (queued, running…,
 * done, error), Edit, what the learner made of it (edited, the stub, the solution), and on an
 * answer cell "Try it yourself" / "Show the solution"; the In [n] prompt. A view: it calls back
 * the page for every action and never talks to the kernel.
 *
 * Cells are numbered as `npm run check` numbers them: "cell N" is the N-th cell of the notebook,
 * markdown cells included, from 1 (data-cell is the 0-based index; N = index + 1).
 */
import type { Role } from "./notebook-state.js";

export type CellState = "queued" | "running" | "ok" | "error";

export interface CellActions {
  run(cell: number): void;
  edit(cell: number): void;
  tryIt(cell: number): void;
  showSolution(cell: number): void;
  reset(cell: number): void;
}

/** The number a learner sees for the cell at 0-based index `index`. */
export const cellNumber = (index: number) => index + 1;

export class CellControls {
  constructor(
    private readonly doc: Document,
    private readonly cells: Map<number, HTMLElement>,
    private readonly roles: Map<number, Role>,
    private readonly exercise: boolean,
    private readonly actions: CellActions,
  ) {
    for (const [index, cell] of cells) this.bar(index, cell);
  }

  setState(index: number, state: CellState | undefined): void {
    const cell = this.cells.get(index);
    if (!cell) return;
    if (state) cell.dataset.liveState = state;
    else delete cell.dataset.liveState;
    const label = cell.querySelector(".live-cell-status");
    if (label) label.textContent = state ? { queued: "queued", running: "running…", ok: "done", error: "error" }[state] : "";
  }

  prompt(index: number, count: number): void {
    const prompt = this.cells.get(index)?.querySelector(".jp-InputPrompt");
    if (prompt) prompt.textContent = `In [${count}]:`;
  }

  /** The editor took the code's place: the Edit button has done its job. */
  editorOpen(index: number): void {
    const button = this.cells.get(index)?.querySelector<HTMLElement>("[data-live-edit]");
    if (button) button.hidden = true;
  }

  /**
   * What the learner made of the cell, said on the cell bar; on an answer cell, the one of "try it
   * yourself" / "show the solution" that applies (and the lesson's printed answer hidden).
   */
  mark(index: number, kind: "unchanged" | "stub" | "solution" | "edited", isSolution: boolean | undefined): void {
    const cell = this.cells.get(index);
    if (!cell) return;
    const edited = kind !== "unchanged";
    cell.classList.toggle("live-edited", edited);
    const mark = cell.querySelector<HTMLElement>(".live-edited-mark");
    if (mark) {
      mark.hidden = !edited;
      mark.textContent = { unchanged: "", stub: "your turn: the stub", solution: "the solution", edited: this.exercise ? "edited (exercise mode)" : "edited (lesson mode)" }[kind];
      mark.title = this.exercise
        ? "Saved in this browser for exercise mode; lesson mode keeps its own edits."
        : "Saved in this browser for lesson mode; exercise mode keeps its own edits.";
    }
    const tryIt = cell.querySelector<HTMLElement>("[data-live-try]");
    const show = cell.querySelector<HTMLElement>("[data-live-solution]");
    if (tryIt && show && isSolution !== undefined) {
      tryIt.hidden = !isSolution;
      show.hidden = isSolution;
      if (!isSolution) this.hideAnswerOutputs(index);
    }
  }

  /**
   * The lesson's outputs that give an answer away or grade the lesson's solution: the answer
   * cell's, and those of the check cells after it up to the next answer cell.
   */
  hideAnswerOutputs(index: number): void {
    const order = [...this.cells.keys()].sort((a, b) => a - b);
    for (const i of order.filter((i) => i >= index)) {
      if (i > index && this.roles.get(i) === "answer") break;
      if (i !== index && this.roles.get(i) !== "check") continue;
      const rendered = this.cells.get(i)?.querySelector<HTMLElement>(".jp-Cell-outputWrapper");
      if (rendered) rendered.hidden = true;
    }
  }

  private button(label: string, data: string, aria: string, action: () => void): HTMLButtonElement {
    const b = this.doc.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.setAttribute(`data-live-${data}`, "");
    b.setAttribute("aria-label", aria);
    b.addEventListener("click", action);
    return b;
  }

  private bar(index: number, cell: HTMLElement): void {
    const n = cellNumber(index);
    const bar = this.doc.createElement("div");
    bar.className = "live-cell-bar";
    const run = this.button("▶ Run", "run", `Run cell ${n} (and the cells above it not run yet)`, () => this.actions.run(index));
    const label = this.doc.createElement("span");
    label.className = "live-cell-status";
    const edited = this.doc.createElement("span");
    edited.className = "live-edited-mark";
    edited.hidden = true;
    const role = this.roles.get(index);
    bar.append(run, label);
    // The code stays code for everyone (a screen reader reads it as text); editing is a button beside it.
    if (cell.querySelector(".jp-InputArea-editor")) {
      // Its name starts with the words it shows (WCAG 2.5.3): "Open" on a check cell, which stays read-only.
      const edit =
        role === "check"
          ? this.button("✎ Open", "edit", `Open cell ${n} in the editor (read-only: checks run the lesson's code)`, () => this.actions.edit(index))
          : this.button("✎ Edit", "edit", `Edit the code of cell ${n}`, () => this.actions.edit(index));
      bar.append(edit);
    }
    bar.append(edited);
    if (role === "answer") {
      const tryIt = this.button("Try it yourself", "try", `Try it yourself in cell ${n}: the solution is replaced by a stub to fill in`, () => this.actions.tryIt(index));
      tryIt.hidden = this.exercise;
      const show = this.button("Show the solution", "solution", `Show the solution in cell ${n} (asks first if you typed an answer)`, () => this.actions.showSolution(index));
      show.hidden = !this.exercise;
      bar.append(tryIt, show);
    }
    if (role === "check") {
      const note = this.doc.createElement("span");
      note.className = "live-check-mark";
      note.textContent = "check · read-only";
      note.title = "Check cells run the lesson's code, as `npm run check` does: edits to them would not count.";
      bar.append(note);
    } else {
      bar.append(this.button("Reset cell", "reset", `Reset cell ${n} to the lesson's code`, () => this.actions.reset(index)));
    }
    const number = this.doc.createElement("span");
    number.className = "live-cell-number";
    number.textContent = `cell ${n}`;
    bar.append(number);
    cell.prepend(bar);
    // A click on the code opens the editor too (a mouse shortcut; the keyboard has the Edit button).
    const code = cell.querySelector<HTMLElement>(".jp-InputArea-editor");
    code?.addEventListener("click", () => this.actions.edit(index));
  }
}
