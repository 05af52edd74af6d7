/**
 * assembleSubmission: what is executed when a learner's notebook is graded. The lesson is the
 * truth; only answer cells come from the submission. Each tampering found by the hostile test
 * round is here, graded as the lesson says (the kernel tier runs the same cases for real).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gradedCells } from "../../src/ipynb/nbgrader";
import { type Cell, type Notebook, sourceText, toSourceLines } from "../../src/ipynb/notebook";
import { readNotebook } from "../../src/ipynb/read";
import { REBIND_HELPERS, assembleSubmission, reassignedHelpers, withoutRebindLine } from "../../src/ipynb/submission";
import { learnerCopy } from "../../src/tools/exercises";

const lesson = readNotebook(join(__dirname, "..", "fixtures", "exercises", "solved.ipynb"));
const copy = () => learnerCopy(lesson, "solved");
const byId = (nb: Notebook, id: string): Cell => nb.cells.find((c) => (c.metadata.nbgrader as { grade_id?: string } | undefined)?.grade_id === id)!;
const setSource = (cell: Cell, text: string) => (cell.source = toSourceLines(text));

describe("assembleSubmission(lesson, submission)", () => {
  it("an untouched learner copy: the lesson with stubs, checks rebound, nothing to note", () => {
    const { notebook, notes } = assembleSubmission(lesson, copy());
    expect(notes).toEqual([]);
    expect(sourceText(byId(notebook, "slope"))).toContain('throw new Error("not implemented: slope");');
    expect(sourceText(byId(notebook, "slope-check"))).toBe(`${REBIND_HELPERS}\n${sourceText(byId(lesson, "slope-check"))}`);
    expect(gradedCells(notebook)).toEqual([
      { index: 4, gradeId: "slope-check", points: 2 },
      { index: 7, gradeId: "build-L-check", points: 3 },
    ]);
  });

  it("takes the learner's answer cells, and only those", () => {
    const sub = copy();
    setSource(byId(sub, "slope"), "const f = (x: number) => 0;\nfunction slope(x: number) { return 14; }");
    setSource(sub.cells[1]!, 'import { check } from "micrograd-ts"; // changed setup');
    const { notebook } = assembleSubmission(lesson, sub);
    expect(sourceText(byId(notebook, "slope"))).toBe("const f = (x: number) => 0;\nfunction slope(x: number) { return 14; }");
    expect(sourceText(notebook.cells[1]!)).toBe(sourceText(lesson.cells[1]!));
  });

  it("an emptied or edited check cell is graded with the lesson's, and reported", () => {
    const sub = copy();
    setSource(byId(sub, "slope-check"), "");
    const { notebook, notes } = assembleSubmission(lesson, sub);
    expect(sourceText(byId(notebook, "slope-check"))).toContain('check("slope at 3", slope(3), 14');
    expect(notes).toEqual(['the check cell "slope-check" was changed in the submission: graded with the lesson\'s check and points']);
  });

  it("a deleted check cell still counts, with its points", () => {
    const sub = copy();
    sub.cells = sub.cells.filter((c) => c !== byId(sub, "build-L-check"));
    const { notebook, notes } = assembleSubmission(lesson, sub);
    expect(gradedCells(notebook).map((g) => [g.gradeId, g.points])).toEqual([["slope-check", 2], ["build-L-check", 3]]);
    expect(notes).toEqual(['the check cell "build-L-check" is missing from the submission: graded with the lesson\'s check']);
  });

  it("points: 100 in the submission is graded with the lesson's points", () => {
    const sub = copy();
    (byId(sub, "slope-check").metadata.nbgrader as { points: number }).points = 100;
    const { notebook, notes } = assembleSubmission(lesson, sub);
    expect(gradedCells(notebook).reduce((s, g) => s + g.points, 0)).toBe(5);
    expect(notes[0]).toMatch(/"slope-check" was changed/);
  });

  it("without nbgrader metadata the answers can't be found: every exercise is graded, as not attempted", () => {
    const sub = copy();
    for (const c of sub.cells) delete c.metadata.nbgrader;
    const { notebook, notes } = assembleSubmission(lesson, sub);
    expect(gradedCells(notebook)).toHaveLength(2);
    expect(sourceText(byId(notebook, "build-L"))).toContain("not implemented: build-L");
    expect(notes).toContain('the answer cell "slope" is missing from the submission (or lost its nbgrader metadata): graded as not attempted');
  });

  it("an answer cell that replaces a check helper is reported; the check cell rebinds the real ones", () => {
    const sub = copy();
    setSource(byId(sub, "build-L"), 'var check = (..._a: any[]) => {};\nconst a = new Value(2, "a");');
    const { notebook, notes } = assembleSubmission(lesson, sub);
    expect(notes).toContain('the answer cell "build-L" redefines check, which the checks use: the checks call the real ones');
    expect(sourceText(byId(notebook, "build-L-check")).startsWith(REBIND_HELPERS)).toBe(true);
  });

  it("cells the learner added are not run (they could redefine anything), and that is said", () => {
    const sub = copy();
    sub.cells.splice(4, 0, { cell_type: "code", source: ["globalThis.check = () => {};"], metadata: {}, outputs: [], execution_count: null });
    const { notebook, notes } = assembleSubmission(lesson, sub);
    expect(notebook.cells).toHaveLength(lesson.cells.length);
    expect(notes).toEqual(['1 code cell not in the lesson (first: "globalThis.check = () => {};") ignored: put your work in the answer cells']);
  });
});

describe("reassignedHelpers(source)", () => {
  it.each([
    ["var check = (..._a: any[]) => {};", ["check"]],
    ["// @ts-ignore\ncheck = () => {};", ["check"]],
    ["function checkGrads() {}", ["checkGrads"]],
    ['require("micrograd-ts").checkTrue = () => {};', ["checkTrue"]],
    ['Object.defineProperty(globalThis, "check", { value: 1 });', ["check"]],
    ["class CheckError {}", ["CheckError"]],
  ])("%s", (source, names) => expect(reassignedHelpers(source)).toEqual(names));

  it("calling, comparing or mentioning a helper in a comment is fine", () => {
    expect(reassignedHelpers('check("x", 1, 1);\nif (checkTrue === undefined) {}\n// check = nothing\nconst checked = 1;')).toEqual([]);
  });
});

describe("withoutRebindLine(message, lessonSource)", () => {
  it("gives compile errors, stack lines and timeouts the numbers of the cell the learner sees", () => {
    const source = 'L.backward();\ncheck("L", L, 4);';
    expect(withoutRebindLine("2:1 - Cannot find name 'L'.\n3:12 - Cannot find name 'L'.", source)).toBe("1:1 - Cannot find name 'L'.\n2:12 - Cannot find name 'L'.");
    expect(withoutRebindLine("evalmachine.<anonymous>:3\nReferenceError: L is not defined", source)).toBe("evalmachine.<anonymous>:2\nReferenceError: L is not defined");
    expect(withoutRebindLine(`cell 5 timed out after 10 s: ${REBIND_HELPERS.slice(0, 57)}...`, source)).toBe("cell 5 timed out after 10 s: L.backward();");
  });
});
