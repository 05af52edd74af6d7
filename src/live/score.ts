/**
 * Exercise and score: which check cells grade which answer cells, and the score a learner has
 * earned in the page, as `npm run check` counts it (the points of the check cells that passed).
 *
 * A check counts only when it really ran on the learner's answer: a check run on the lesson's
 * own solution (every answer cell it grades holds the lesson's code) proves nothing about the
 * learner and moves no score. Before any check counted, there is no score to show (never "0/3"
 * for a page nobody tried). The score is kept in the browser under `micrograd-ts:score:<notebook>`
 * as `{"passed": [grade ids], "total": n, "at": ISO date}` (n: the notebook's check cells), so
 * it survives a reload and the site's index can show progress.
 */
import { gradedCells, isSolutionCell } from "../ipynb/nbgrader.js";
import type { Notebook } from "../ipynb/notebook.js";
import type { EditStorage } from "./saved-edits.js";

export interface CheckInfo {
  /** Index of the check cell in the notebook (0-based, as data-cell). */
  cell: number;
  gradeId: string;
  points: number;
  /** The answer cells it grades: the solution cells after the previous check cell. */
  answers: number[];
}

export interface StoredScore {
  passed: string[];
  total: number;
  at: string;
}

/**
 * Each check cell of the lesson, with the answer cells it grades: those since the previous check
 * cell, or, for a check that follows another with no answer cell between (lesson 05's three step
 * checks of one answer, a capstone's last check), the same answers as the check before it.
 */
export function checksOf(nb: Notebook): CheckInfo[] {
  const checks: CheckInfo[] = [];
  let answers: number[] = [];
  const graded = new Map(gradedCells(nb).map((g) => [g.index, g]));
  nb.cells.forEach((cell, i) => {
    const g = graded.get(i);
    if (g) {
      const grades = answers.length > 0 ? answers : (checks.at(-1)?.answers ?? []);
      checks.push({ cell: i, gradeId: g.gradeId, points: g.points, answers: grades });
      answers = [];
    } else if (isSolutionCell(cell)) answers.push(i);
  });
  return checks;
}

export const scoreKey = (notebook: string) => `micrograd-ts:score:${notebook}`;

export class Score {
  private readonly passed = new Set<string>();
  /** Whether any check counted (in this page, or before the reload that stored it). */
  private counted = false;

  constructor(
    readonly checks: CheckInfo[],
    private readonly storage: EditStorage | undefined,
    private readonly notebook: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    const stored = this.stored();
    if (stored) {
      const ids = new Set(checks.map((c) => c.gradeId));
      for (const id of stored.passed) if (ids.has(id)) this.passed.add(id);
      this.counted = true;
    }
  }

  check(cell: number): CheckInfo | undefined {
    return this.checks.find((c) => c.cell === cell);
  }

  /**
   * A check cell finished. `lessonsOwn`: every answer cell it grades ran the lesson's solution.
   * Returns whether the run counted.
   */
  record(cell: number, passed: boolean, lessonsOwn: boolean): boolean {
    const check = this.check(cell);
    if (!check || lessonsOwn) return false;
    if (passed) this.passed.add(check.gradeId);
    else this.passed.delete(check.gradeId);
    this.counted = true;
    this.save();
    return true;
  }

  /** "earned/total" points, or undefined while no check counted. */
  text(): string | undefined {
    if (!this.counted || this.checks.length === 0) return undefined;
    const earned = this.checks.filter((c) => this.passed.has(c.gradeId)).reduce((s, c) => s + c.points, 0);
    const total = this.checks.reduce((s, c) => s + c.points, 0);
    return `${earned}/${total}`;
  }

  passedIds(): string[] {
    return this.checks.filter((c) => this.passed.has(c.gradeId)).map((c) => c.gradeId);
  }

  /** Forget the score (Reset page). */
  clear(): void {
    this.passed.clear();
    this.counted = false;
    try {
      this.storage?.removeItem(scoreKey(this.notebook));
    } catch {
      // storage disabled
    }
  }

  stored(): StoredScore | undefined {
    try {
      const raw = this.storage?.getItem(scoreKey(this.notebook));
      const v = raw ? (JSON.parse(raw) as Partial<StoredScore>) : undefined;
      if (!v || !Array.isArray(v.passed) || typeof v.total !== "number" || typeof v.at !== "string") return undefined;
      return { passed: v.passed.filter((p): p is string => typeof p === "string"), total: v.total, at: v.at };
    } catch {
      return undefined;
    }
  }

  private save(): void {
    const value: StoredScore = { passed: this.passedIds(), total: this.checks.length, at: this.now().toISOString() };
    try {
      this.storage?.setItem(scoreKey(this.notebook), JSON.stringify(value));
    } catch {
      // storage full or disabled: the score still shows in this page
    }
  }
}
