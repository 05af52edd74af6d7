/**
 * The notebook state of the live page (JupyterLab's notebook model): what each code cell is to
 * the exercises, the lesson's code and each answer cell's stub (fetched once), the text each cell
 * holds now (the lesson's, the stub, or the learner's edit, kept by SavedEdits), and what a cell
 * runs. No DOM and no kernel here: the views tell it of edits, the kernel client asks it for
 * sources.
 */
import type { Notebook } from "../ipynb/notebook.js";
import { sourceText } from "../ipynb/notebook.js";
import { stubbedCell } from "../ipynb/submission.js";
import type { SavedEdits } from "./saved-edits.js";

/** What a code cell is to the exercises, as render marked it (data-exercise). */
export type Role = "answer" | "check" | undefined;

/** The lesson's code of each cell, and the learner's stub of each answer cell. */
export interface Texts {
  lesson: string[];
  stubs: Map<number, string>;
  /** What exercise mode shows of each check cell: the lesson's code without its hidden tests. */
  visible: Map<number, string>;
}

export class NotebookState {
  private lessonNb: Promise<Notebook> | undefined;
  private sources: Promise<Texts> | undefined;
  /** The same, once loaded. */
  loaded: Texts | undefined;
  /** The text each cell holds now, once known (the editor tells of every change). */
  private readonly texts = new Map<number, string>();

  constructor(
    /** The code cells of the page (data-cell) and their roles. */
    readonly roles: Map<number, Role>,
    readonly exercise: boolean,
    readonly edits: SavedEdits,
    private readonly fetchNotebook: (which: "notebook" | "exercises") => Promise<Notebook>,
  ) {}

  get cells(): number[] {
    return [...this.roles.keys()].sort((a, b) => a - b);
  }

  role(cell: number): Role {
    return this.roles.get(cell);
  }

  /** The lesson the page shows (solutions in), fetched on first use: the source of truth for grading. */
  lesson(): Promise<Notebook> {
    this.lessonNb ??= this.fetchNotebook("notebook");
    this.lessonNb.catch(() => (this.lessonNb = undefined)); // try again next time
    return this.lessonNb;
  }

  /** The lesson's code and each answer cell's stub (the learner copy `npm run exercises` writes). */
  load(): Promise<Texts> {
    this.sources ??= this.lesson().then((nb) => {
      const stubs = new Map<number, string>();
      const visible = new Map<number, string>();
      for (const i of this.roles.keys()) {
        const cell = nb.cells[i];
        if (cell && this.role(i) === "answer") stubs.set(i, sourceText(stubbedCell(cell)));
        if (cell && this.role(i) === "check") visible.set(i, sourceText(stubbedCell(cell)));
      }
      this.loaded = { lesson: nb.cells.map((c) => sourceText(c)), stubs, visible };
      return this.loaded;
    });
    this.sources.catch(() => (this.sources = undefined));
    return this.sources;
  }

  /**
   * The text a cell starts from in this mode: in exercise mode an answer cell's stub and a check
   * cell's code without its hidden tests (it still runs the lesson's, see sourceOf); else the lesson's.
   */
  baseOf(texts: Texts, cell: number): string {
    return (this.exercise ? (texts.stubs.get(cell) ?? texts.visible.get(cell)) : undefined) ?? texts.lesson[cell] ?? "";
  }

  /** The text a cell holds now, when known without loading: the edit or the loaded base. */
  current(cell: number): string | undefined {
    return this.texts.get(cell);
  }

  /** The text an editor opens with: the saved edit when made on this version, else the base. */
  initial(texts: Texts, cell: number): string {
    const base = this.baseOf(texts, cell);
    const text = this.role(cell) === "check" ? base : (this.edits.textFor(cell, base) ?? base);
    this.texts.set(cell, text);
    return text;
  }

  /** What a cell runs: a check cell always the lesson's code; any other the learner's text. */
  async sourceOf(cell: number): Promise<string> {
    const texts = await this.load();
    if (this.role(cell) === "check") return texts.lesson[cell] ?? "";
    const base = this.baseOf(texts, cell);
    return this.texts.get(cell) ?? this.edits.textFor(cell, base) ?? base;
  }

  /** The learner changed a cell. Returns false when the browser refused to keep the edit. */
  edit(cell: number, text: string): boolean {
    if (this.role(cell) === "check" || !this.loaded) return true;
    this.texts.set(cell, text);
    return this.edits.save(cell, this.baseOf(this.loaded, cell), text);
  }

  /** Another tab changed the saved text of a cell: take it (no save: it is saved already). */
  adopt(cell: number, text: string): void {
    this.texts.set(cell, text);
  }

  /** Whether a cell holds the lesson's own code (an answer cell: the lesson's solution). */
  isLessons(cell: number): boolean {
    if (!this.loaded) return false;
    const base = this.baseOf(this.loaded, cell);
    const text = this.texts.get(cell) ?? this.edits.textFor(cell, base) ?? base;
    return text === this.loaded.lesson[cell];
  }

  /** What the learner made of a cell: unchanged, the stub, the solution, or their own text. */
  kind(cell: number, text: string): "unchanged" | "stub" | "solution" | "edited" {
    if (!this.loaded) return "unchanged";
    const base = this.baseOf(this.loaded, cell);
    if (text === base) return "unchanged";
    if (text === this.loaded.stubs.get(cell)) return "stub";
    if (text === this.loaded.lesson[cell]) return "solution";
    return "edited";
  }
}
