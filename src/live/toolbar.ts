/**
 * The toolbar of the live page: Run all, Stop, Restart, Reset page, Download, the switch between
 * lesson and exercise mode, the score and a status line (a live region). A view: its buttons call
 * back the page, and it says what it is told.
 */
export interface ToolbarActions {
  runAll(): void;
  stop(): void;
  restart(): void;
  resetPage(): void;
  download(): void;
}

export class Toolbar {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly score: HTMLElement;

  constructor(
    private readonly doc: Document,
    exercise: boolean,
    actions: ToolbarActions,
  ) {
    const bar = doc.createElement("div");
    bar.className = "live-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Run this lesson");
    const button = (label: string, title: string, action: () => void, data: string) => {
      const b = doc.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.title = title;
      b.setAttribute(`data-live-${data}`, "");
      b.addEventListener("click", action);
      return b;
    };
    const mode = doc.createElement("a");
    mode.href = exercise ? "#" : "#exercise";
    mode.textContent = exercise ? "Show the solutions" : "Try the exercises";
    mode.title = exercise ? "Lesson mode: the lesson's code, with your lesson-mode edits (kept apart from exercise mode's)" : "Exercise mode: stubs to fill in, with your exercise-mode edits (kept apart from lesson mode's)";
    mode.className = "live-mode";
    this.status = doc.createElement("span");
    this.status.className = "live-status";
    this.status.setAttribute("role", "status");
    this.status.textContent = exercise
      ? "Exercise mode: each solution is replaced by a stub for you to fill in; check cells run the lesson's code and can't be edited. Your edits here are kept apart from lesson mode's. Runs in your browser."
      : "This lesson runs in your browser: press Run on a cell, or Run all.";
    const scoreLine = doc.createElement("span");
    scoreLine.className = "live-score";
    scoreLine.hidden = true;
    scoreLine.textContent = "Score: ";
    this.score = doc.createElement("span");
    this.score.dataset.liveScore = "";
    scoreLine.append(this.score);
    bar.append(
      button("▶▶ Run all", "Run every code cell, top to bottom", () => actions.runAll(), "run-all"),
      button("■ Stop", "Stop the running cell (this restarts the kernel)", () => actions.stop(), "stop"),
      button("↻ Restart", "Start again with a fresh kernel", () => actions.restart(), "restart"),
      button("Reset page", "Put back the lesson's code in every cell (asks first)", () => actions.resetPage(), "reset-page"),
      button("⤓ Download .ipynb", "Download this page as a notebook, with your edits", () => actions.download(), "download"),
      mode,
      scoreLine,
      this.status,
    );
    const nav = doc.querySelector(".site-nav");
    if (nav) nav.after(bar);
    else doc.body.prepend(bar);
    this.element = bar;
  }

  say(text: string): void {
    this.status.textContent = text;
  }

  /** The score ("2/3"), or no score line at all while there is none. */
  showScore(text: string | undefined): void {
    this.score.textContent = text ?? "";
    this.score.parentElement!.hidden = text === undefined;
  }
}
