/**
 * Hidden tests: the lines of a check cell between `// BEGIN HIDDEN TESTS` and `// END HIDDEN TESTS`
 * never reach a learner's copy (npm run exercises, the site's downloads, exercise mode's visible
 * source) and always come back at grading, where check cells are the lesson's.
 */
import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatProblem, hiddenTestRegions, validate, withoutHiddenTests } from "../../src/ipynb/nbgrader";
import { type Cell, type Notebook, serializeNotebook, sourceText, toSourceLines } from "../../src/ipynb/notebook";
import { readNotebook } from "../../src/ipynb/read";
import { REBIND_HELPERS, assembleSubmission, stubbedCell } from "../../src/ipynb/submission";
import { generateExercises, learnerCopy } from "../../src/tools/exercises";

const FIXTURE = join(__dirname, "..", "fixtures", "exercises", "solved.ipynb");
const byId = (nb: Notebook, id: string): Cell => nb.cells.find((c) => (c.metadata.nbgrader as { grade_id?: string } | undefined)?.grade_id === id)!;

const VISIBLE = 'check("slope at 3", slope(3), 14, { tol: 1e-4 });';
const HIDDEN = "const x0 = 0.25 + Math.random();\ncheck(`slope at ${x0}`, slope(x0), 6 * x0 - 4, { tol: 1e-4 });";
const CHECK = `${VISIBLE}\n// BEGIN HIDDEN TESTS\n${HIDDEN}\n// END HIDDEN TESTS\ncheckTrue("done", true);`;

/** The fixture lesson with hidden tests in its first check cell. */
function lessonWithHidden(check = CHECK): Notebook {
  const nb = readNotebook(FIXTURE);
  byId(nb, "slope-check").source = toSourceLines(check);
  return nb;
}

describe("withoutHiddenTests", () => {
  it("removes every region, markers included, and keeps every other line", () => {
    expect(withoutHiddenTests(CHECK)).toBe(`${VISIBLE}\ncheckTrue("done", true);`);
    expect(withoutHiddenTests("a\n  // BEGIN HIDDEN TESTS\n  b\n  // END HIDDEN TESTS\nc\n// BEGIN HIDDEN TESTS\nd\n// END HIDDEN TESTS")).toBe("a\nc");
    expect(withoutHiddenTests("no markers\nhere")).toBe("no markers\nhere");
  });

  it("refuses unbalanced markers rather than leak what follows", () => {
    expect(() => withoutHiddenTests(`${VISIBLE}\n// BEGIN HIDDEN TESTS\n${HIDDEN}`, "slope-check")).toThrow(
      "cannot hide the tests of slope-check: line 2: // BEGIN HIDDEN TESTS is never closed by // END HIDDEN TESTS",
    );
    expect(hiddenTestRegions("// END HIDDEN TESTS").problems).toEqual(["line 1: // END HIDDEN TESTS without a // BEGIN HIDDEN TESTS before it"]);
    expect(hiddenTestRegions("x(); // BEGIN HIDDEN TESTS\n// END HIDDEN TESTS").problems).toEqual([
      'line 1: "x(); // BEGIN HIDDEN TESTS" has code next to // BEGIN HIDDEN TESTS; put the marker on its own line',
    ]);
  });
});

describe("validate", () => {
  it("names the notebook and cell of an unterminated hidden-test region", () => {
    const problems = validate(lessonWithHidden(`${VISIBLE}\n// BEGIN HIDDEN TESTS\n${HIDDEN}`), { notebook: "notebooks/x.ipynb" }).map(formatProblem);
    expect(problems).toEqual([
      'notebooks/x.ipynb, cell 5: check cell "slope-check": line 2: // BEGIN HIDDEN TESTS is never closed by // END HIDDEN TESTS [check("slope at 3", slope(3), 14, { tol: 1e-4 });]',
    ]);
  });

  it("hidden tests outside a check cell are a problem (they would be published)", () => {
    const nb = readNotebook(FIXTURE);
    nb.cells[1]!.source = toSourceLines(`${sourceText(nb.cells[1]!)}\n// BEGIN HIDDEN TESTS\nsecret();\n// END HIDDEN TESTS`);
    expect(validate(nb, { notebook: "x.ipynb" }).map((p) => p.message)).toEqual([
      expect.stringMatching(/^has \/\/ BEGIN HIDDEN TESTS\/\/\/ END HIDDEN TESTS markers but is not a check cell/),
    ]);
  });
});

describe("learner copies and grading", () => {
  it("the learner copy has no hidden test; its check cell shows the visible tests", () => {
    const copy = learnerCopy(lessonWithHidden(), "solved");
    const text = serializeNotebook(copy);
    expect(text).not.toContain("HIDDEN");
    expect(text).not.toContain("Math.random");
    expect(sourceText(byId(copy, "slope-check"))).toBe(`${VISIBLE}\ncheckTrue("done", true);`);
    expect(sourceText(stubbedCell(byId(lessonWithHidden(), "slope-check")))).toBe(`${VISIBLE}\ncheckTrue("done", true);`);
  });

  it("grading restores them from the lesson, and an untouched copy is not reported as a changed check", () => {
    const lesson = lessonWithHidden();
    const { notebook, notes } = assembleSubmission(lesson, learnerCopy(lesson, "solved"));
    expect(notes).toEqual([]);
    expect(sourceText(byId(notebook, "slope-check"))).toBe(`${REBIND_HELPERS}\n${CHECK}`);
  });

  it("a submission that deletes the visible tests is still graded with all of them", () => {
    const lesson = lessonWithHidden();
    const sub = learnerCopy(lesson, "solved");
    byId(sub, "slope-check").source = toSourceLines("");
    const { notebook, notes } = assembleSubmission(lesson, sub);
    expect(sourceText(byId(notebook, "slope-check"))).toContain(HIDDEN);
    expect(notes).toEqual(['the check cell "slope-check" was changed in the submission: graded with the lesson\'s check and points']);
  });
});

describe("npm run exercises", () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("writes copies without hidden tests, and fails on an unterminated region naming notebook and cell", () => {
    dir = mkdtempSync(join(tmpdir(), "micrograd-hidden-"));
    const lessons = join(dir, "notebooks");
    const out = join(dir, "exercises");
    mkdirSync(lessons);
    writeFileSync(join(lessons, "01-good.ipynb"), serializeNotebook(lessonWithHidden()));
    writeFileSync(join(lessons, "02-open.ipynb"), serializeNotebook(lessonWithHidden(`${VISIBLE}\n// BEGIN HIDDEN TESTS\n${HIDDEN}`)));
    const results = generateExercises({ lessonsDir: lessons, exercisesDir: out, log: () => {} });
    expect(results.map((r) => r.action)).toEqual(["created", "error"]);
    expect(readFileSync(join(out, "01-good.ipynb"), "utf8")).not.toContain("HIDDEN");
    expect(results[1]!.detail).toContain("02-open.ipynb, cell 5: check cell \"slope-check\": line 2: // BEGIN HIDDEN TESTS is never closed");
    expect(existsSync(join(out, "02-open.ipynb"))).toBe(false);
  });
});
