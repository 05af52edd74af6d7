import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceText } from "../../src/ipynb/notebook";
import { stubSolutions } from "../../src/ipynb/nbgrader";
import { readWrongAnswers, rounds, solveCopy } from "../support/wrong-answers";

const write = (text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), "wrong-answers-")), "x.txt");
  writeFileSync(file, text);
  return file;
};

describe("the exercise fixtures' format", () => {
  it("reads wrong, copied and correct entries, and the checks a wrong answer must fail", () => {
    const answers = readWrongAnswers(write([
      "comments",
      "## steps [wrong: mul-check, tanh-check]: two bugs",
      "a = 1;",
      "#### next region",
      "b = 2;",
      "## steps [copied]: the printed numbers",
      "a = 3;",
      "#### next region",
      "b = 4;",
      "## steps [correct]: another way",
      "a = 5;",
      "#### next region",
      "b = 6;",
      "## other: a plain wrong answer",
      "return 0;",
    ].join("\n")));
    expect(answers.map((a) => [a.gradeId, a.kind, a.fails])).toEqual([
      ["steps", "wrong", ["mul-check", "tanh-check"]],
      ["steps", "copied", undefined],
      ["steps", "correct", undefined],
      ["other", "wrong", undefined],
    ]);
    expect(answers[1].regions).toEqual(["a = 3;", "b = 4;"]);
    expect(rounds(answers).map((r) => r.map((a) => `${a.gradeId}/${a.kind}`))).toEqual([["steps/wrong", "other/wrong"], ["steps/copied"], ["steps/correct"]]);
  });

  it("refuses a correct answer that claims to fail a check, and an unknown kind", () => {
    expect(() => readWrongAnswers(write("## a [correct: a-check]: nonsense\nx"))).toThrow(/a correct answer fails no check/);
    expect(() => readWrongAnswers(write("## a [maybe]: nonsense\nx"))).toThrow(/an entry starts/);
  });

  it("solves a learner copy: each stub replaced by its region, indented like the stub", () => {
    const lesson = "function f() {\n  // BEGIN SOLUTION\n  return 1;\n  // END SOLUTION\n}\nconst g = () => {\n    // BEGIN SOLUTION\n    return 2;\n    // END SOLUTION\n};";
    const copy = {
      cells: [{ cell_type: "code", id: "c", metadata: { nbgrader: { solution: true, grade: false, locked: false, grade_id: "f", schema_version: 3 } }, source: stubSolutions(lesson, "f"), outputs: [], execution_count: null }],
      metadata: {}, nbformat: 4, nbformat_minor: 5,
    } as any;
    const solved = solveCopy(copy, [{ gradeId: "f", why: "", kind: "correct", regions: ["return 10;", "const x = 20;\nreturn x;"] }]);
    expect(sourceText(solved.cells[0])).toBe("function f() {\n  return 10;\n}\nconst g = () => {\n    const x = 20;\n    return x;\n};");
    expect(() => solveCopy(copy, [{ gradeId: "f", why: "", kind: "correct", regions: ["only one"] }])).toThrow(/1 region\(s\), the copy's cell has 2 stub\(s\)/);
  });
});
