/**
 * Every lesson's exercises, end to end: its generated learner copy fails every graded exercise,
 * which proves each check can fail; and a plausible wrong answer to every exercise, kept in
 * test/fixtures/wrong-answers/, fails that exercise's check, which proves the check cannot be
 * gamed by it; a copied answer (the visible expected numbers hard-coded) fails too, because checks
 * also run hidden tests at fresh inputs; and correct answers written differently from the lesson's
 * pass, put into the learner copy in place of its stubs, with full marks (graded against the lesson,
 * hidden tests included). (That the solved lesson passes every exercise is checked by notebooks.test.ts, from
 * the run it already makes, so each lesson executes once per test run.)
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readNotebook } from "../../src/ipynb/read";
import { formatProblem, gradedCells, isCheckCell, isSolutionCell, nbgraderMeta, validate } from "../../src/ipynb/nbgrader";
import { formatReport, gradeNotebook } from "../../src/tools/check";
import { generateExercises } from "../../src/tools/exercises";
import { type RunResult, runNotebook } from "../../src/tools/run";
import { readWrongAnswers, rounds, solveCopy, withAnswers } from "../support/wrong-answers";

const ROOT = resolve(__dirname, "..", "..");
// MICROGRAD_LESSONS points the test at another folder of lessons (to try it on fixtures).
const LESSONS = resolve(process.env.MICROGRAD_LESSONS ?? join(ROOT, "notebooks"));
const WRONG_ANSWERS = join(ROOT, "test", "fixtures", "wrong-answers");
const lessons = readdirSync(LESSONS).filter((f) => f.endsWith(".ipynb")).sort();
const withExercises = lessons.filter((f) => {
  try {
    return gradedCells(readNotebook(join(LESSONS, f))).length > 0;
  } catch {
    return true; // unreadable: let the test below say why
  }
});

describe("the lessons' exercises", () => {
  let copies: string;

  beforeAll(() => {
    // Copies go outside the repo (never into a learner's exercises/); node_modules makes micrograd-ts importable.
    const dir = mkdtempSync(join(tmpdir(), "micrograd-lessons-"));
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    copies = join(dir, "exercises");
    const results = generateExercises({ lessonsDir: LESSONS, exercisesDir: copies, log: () => {} });
    expect(results.filter((r) => r.action !== "created").map((r) => `${r.lesson}: ${r.action} ${r.detail ?? ""}`)).toEqual([]);
  });
  afterAll(() => rmSync(resolve(copies, ".."), { recursive: true, force: true }));

  it("are valid nbgrader cells in every lesson", () => {
    const problems = lessons.flatMap((f) => validate(readNotebook(join(LESSONS, f)), { notebook: join(LESSONS, f) }));
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it.each(withExercises)("%s: the learner copy fails every exercise", async (name) => {
    // 120 s a cell, as the lessons' own test allows: training cells on a busy 2-core CI machine.
    const copy = await gradeNotebook(join(copies, name), { timeout: 120, lessonsDir: LESSONS });
    expect(copy.error, formatReport(copy)).toBeUndefined();
    expect(copy.exercises.map((e) => e.gradeId)).toEqual(gradedCells(readNotebook(join(LESSONS, name))).map((g) => g.gradeId));
    expect(copy.exercises.filter((e) => e.status === "pass").map((e) => e.gradeId), formatReport(copy)).toEqual([]);
  }, 900_000);

  // One kernel run per round (usually one per lesson): every solution cell holds a wrong answer at once,
  // so each answer is chosen to break only its own exercise, and each failure must be the check's own
  // verdict (a CheckError), not a compile error in the fixture or a consequence of an earlier cell.
  it.each(withExercises)("%s: every exercise rejects its wrong answer in test/fixtures/wrong-answers/", async (name) => {
    const lesson = readNotebook(join(LESSONS, name));
    const fixture = join(WRONG_ANSWERS, name.replace(/\.ipynb$/, ".txt"));
    expect(existsSync(fixture), `no wrong answers for ${name}: write ${fixture}`).toBe(true);
    const answers = readWrongAnswers(fixture);
    const solutions = lesson.cells.filter(isSolutionCell).map((c) => String(nbgraderMeta(c)!.grade_id));
    for (const kind of ["wrong", "copied", "correct"] as const) {
      const have = [...new Set(answers.filter((a) => a.kind === kind).map((a) => a.gradeId))].sort();
      expect(have, `one ${kind} answer (at least) for every solution cell`).toEqual([...solutions].sort());
    }

    // The correct variants are graded in the learner copy below (the test after this one), against the
    // lesson with its hidden tests restored: running them here too would repeat that proof at the cost of
    // one more kernel run per lesson.
    for (const [r, round] of rounds(answers.filter((a) => a.kind !== "correct")).entries()) {
      // Named like its lesson, as a learner's copy is, so that npm run check finds the lesson.
      const folder = join(copies, "..", `wrong-${r + 1}`);
      mkdirSync(folder, { recursive: true });
      const file = join(folder, name);
      writeFileSync(file, JSON.stringify(withAnswers(lesson, round), null, 1));
      let run: RunResult | undefined;
      const report = await gradeNotebook(file, { timeout: 120, lessonsDir: LESSONS, run: async (f, o) => (run = await runNotebook(f, o)) });
      expect(report.error, formatReport(report)).toBeUndefined();
      const status = new Map(run!.cells.map((c) => [c.index, c]));
      const wrong = new Set(round.map((a) => a.gradeId));
      // The checks of a solution cell: the check cells after it, up to the next solution cell.
      let owner: string | undefined;
      lesson.cells.forEach((cell, index) => {
        const meta = nbgraderMeta(cell);
        if (isSolutionCell(cell)) {
          owner = String(meta!.grade_id);
          const ran = status.get(index);
          if (wrong.has(owner)) expect(ran?.status, `round ${r + 1}: the answer for ${owner} must itself run: ${ran?.message}`).toBe("ok");
        } else if (isCheckCell(cell)) {
          const e = report.exercises.find((x) => x.gradeId === meta!.grade_id)!;
          const answer = round.find((a) => a.gradeId === owner);
          const mustFail = answer && answer.kind !== "correct" && (answer.fails === undefined || answer.fails.includes(e.gradeId));
          if (answer && mustFail) {
            expect(e.status, `round ${r + 1}: ${e.gradeId} passed the ${answer.kind} answer to ${owner} (${answer.why})`).toBe("fail");
            expect(e.message, `round ${r + 1}: ${e.gradeId} must fail by its own check`).toMatch(/^CheckError: ✗/);
          } else if (answer) {
            expect(e.status, `round ${r + 1}: ${e.gradeId} failed the ${answer.kind} answer to ${owner} (${answer.why}): ${e.message}`).toBe("pass");
          } else {
            expect(e.status, `round ${r + 1}: ${e.gradeId} (its answer is the lesson's) ${e.message}`).toBe("pass");
          }
        }
      });
    }
  }, 900_000);

  // What a learner hands in: the copy (stubs, no hidden tests) with every stub replaced by a correct answer
  // written differently from the lesson's. Graded against the lesson, it gets every point.
  it.each(withExercises)("%s: the learner copy with every exercise solved gets full marks", async (name) => {
    // Every correct variant in the fixture: one more copy for each cell's second (third…) variant.
    const correct = readWrongAnswers(join(WRONG_ANSWERS, name.replace(/\.ipynb$/, ".txt"))).filter((a) => a.kind === "correct");
    const [first = [], ...more] = rounds(correct);
    // A later round fills the cells it has no second variant for with the first round's answers.
    const solvedRounds = [first, ...more.map((round) => [...round, ...first.filter((a) => !round.some((b) => b.gradeId === a.gradeId))])];
    for (const [r, round] of solvedRounds.entries()) {
      const folder = join(copies, "..", `solved-${r + 1}`);
      mkdirSync(folder, { recursive: true });
      const file = join(folder, name);
      writeFileSync(file, JSON.stringify(solveCopy(readNotebook(join(copies, name)), round), null, 1));
      const report = await gradeNotebook(file, { timeout: 120, lessonsDir: LESSONS });
      expect(report.error, formatReport(report)).toBeUndefined();
      const failed = report.exercises.filter((e) => e.status !== "pass").map((e) => `${e.gradeId}: ${e.message}`);
      expect(failed, `round ${r + 1}: ${round.map((a) => a.why).join("; ")}\n${formatReport(report)}`).toEqual([]);
      expect(report.exercises.length).toBe(gradedCells(readNotebook(join(LESSONS, name))).length);
      expect(report.earned, formatReport(report)).toBe(report.total);
    }
  }, 900_000);
});
