/**
 * Every lesson's exercises, end to end: its generated learner copy fails every graded exercise,
 * which proves each check can fail. (That the solved lesson passes every exercise is checked by
 * notebooks.test.ts, from the run it already makes, so each lesson executes once per test run.)
 */
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readNotebook } from "../../src/ipynb/read";
import { formatProblem, gradedCells, validate } from "../../src/ipynb/nbgrader";
import { formatReport, gradeNotebook } from "../../src/tools/check";
import { generateExercises } from "../../src/tools/exercises";

const ROOT = resolve(__dirname, "..", "..");
// MICROGRAD_LESSONS points the test at another folder of lessons (to try it on fixtures).
const LESSONS = resolve(process.env.MICROGRAD_LESSONS ?? join(ROOT, "notebooks"));
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
});
