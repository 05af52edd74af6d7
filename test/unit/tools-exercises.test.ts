import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Cell, type Notebook, NotebookError, parseNotebook, sourceText } from "../../src/ipynb/notebook";
import { readNotebook } from "../../src/ipynb/read";
import { formatProblem, solutionRegions, stubSolutions, validate } from "../../src/ipynb/nbgrader";
import { type CopyResult, contentHash, generateExercises, learnerCopy } from "../../src/tools/exercises";

const FIXTURES = join(__dirname, "..", "fixtures", "exercises");

describe("stubSolutions", () => {
  it("replaces each region, markers included, keeping every other byte and the marker's indentation", () => {
    const source = [
      "const f = (x: number) => x * x;",
      "function g(x: number): number {",
      "    const y = f(x);   ",
      "    // BEGIN SOLUTION",
      "    return 2 * y;",
      "    // END SOLUTION",
      "}",
      "",
      "\tif (true) {",
      "\t\t// BEGIN SOLUTION",
      "\t\tconsole.log('tabs');",
      "\t\t// END SOLUTION",
      "\t}",
      "// BEGIN SOLUTION",
      "const last = 1;",
      "// END SOLUTION",
    ].join("\n");
    expect(stubSolutions(source, "ex-1")).toBe(
      [
        "const f = (x: number) => x * x;",
        "function g(x: number): number {",
        "    const y = f(x);   ",
        "    // YOUR CODE HERE",
        '    throw new Error("not implemented: ex-1");',
        "}",
        "",
        "\tif (true) {",
        "\t\t// YOUR CODE HERE",
        '\t\tthrow new Error("not implemented: ex-1");',
        "\t}",
        "// YOUR CODE HERE",
        'throw new Error("not implemented: ex-1");',
      ].join("\n"),
    );
  });

  it("keeps a trailing newline and CRLF line ends", () => {
    expect(stubSolutions("a\n// BEGIN SOLUTION\nb\n// END SOLUTION\n", "x")).toBe(
      'a\n// YOUR CODE HERE\nthrow new Error("not implemented: x");\n',
    );
    expect(stubSolutions("a\r\n  // BEGIN SOLUTION\r\n  b\r\n  // END SOLUTION\r\nc", "x")).toBe(
      'a\r\n  // YOUR CODE HERE\r\n  throw new Error("not implemented: x");\r\nc',
    );
  });

  it("refuses unbalanced markers", () => {
    expect(() => stubSolutions("// BEGIN SOLUTION\nx", "ex")).toThrow("cannot stub ex: line 1: // BEGIN SOLUTION is never closed by // END SOLUTION");
  });
});

describe("solutionRegions", () => {
  it("finds regions and reports every kind of unbalanced or crowded marker", () => {
    expect(solutionRegions("a\n// BEGIN SOLUTION\nb\n// END SOLUTION\n  // BEGIN SOLUTION\n  // END SOLUTION")).toEqual({
      regions: [
        { begin: 1, end: 3 },
        { begin: 4, end: 5 },
      ],
      problems: [],
    });
    expect(solutionRegions("// END SOLUTION").problems).toEqual(["line 1: // END SOLUTION without a // BEGIN SOLUTION before it"]);
    expect(solutionRegions("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION").problems).toEqual([
      "line 2: // BEGIN SOLUTION inside the region opened on line 1 (regions cannot nest)",
    ]);
    expect(solutionRegions("x = 1; // BEGIN SOLUTION\n// END SOLUTION").problems).toEqual([
      'line 1: "x = 1; // BEGIN SOLUTION" has code next to // BEGIN SOLUTION; put the marker on its own line',
    ]);
  });
});

/** A notebook built in the test, so each problem is visible next to its expected report. */
function notebook(cells: Partial<Cell>[], language = "typescript"): Notebook {
  return {
    cells: cells.map((c) => ({ cell_type: "code", source: "", metadata: {}, ...c }) as Cell),
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}
const solution = (id: unknown, source: string, extra: object = {}): Partial<Cell> => ({
  source,
  metadata: { nbgrader: { solution: true, grade: false, locked: false, grade_id: id, schema_version: 3, ...extra } },
});
const checkCell = (id: unknown, points: unknown, extra: object = {}): Partial<Cell> => ({
  source: `check("${id}", 1, 1);`,
  metadata: { nbgrader: { solution: false, grade: true, locked: true, grade_id: id, points, schema_version: 3, ...extra } },
});
const answer = "// BEGIN SOLUTION\nconst x = 1;\n// END SOLUTION";

describe("validate", () => {
  it("accepts the fixture lessons", () => {
    for (const name of ["solved.ipynb", "mixed.ipynb", "loop.ipynb", "no-exercises.ipynb"]) {
      const file = join(FIXTURES, name);
      expect(validate(readNotebook(file), { notebook: file })).toEqual([]);
    }
  });

  it("says which notebook, which cell and what is wrong", () => {
    const nb = notebook([
      { cell_type: "markdown", source: "<details open><summary>Hint</summary>x</details>" },
      solution("a", answer),
      checkCell("a-check", 1),
      solution("b", "const y = 2;"), // no markers
      checkCell("a-check", 2), // duplicate id
      solution("bad id!", answer),
      checkCell("c-check", undefined), // no points
      solution("d", "// BEGIN SOLUTION\nconst z = 3;"), // never closed
      checkCell("d-check", 1, { locked: false }),
      { source: answer }, // markers outside a solution cell
      solution("e", answer, { schema_version: 2, extra: 1 }),
    ]);
    expect(validate(nb, { notebook: "nb.ipynb" }).map(formatProblem)).toEqual([
      "nb.ipynb, cell 1: hints must start collapsed: use <details> without the open attribute [<details open><summary>Hint</summary>x</details>]",
      'nb.ipynb, cell 4: solution cell "b" has no // BEGIN SOLUTION … // END SOLUTION region [const y = 2;]',
      'nb.ipynb, cell 5: duplicate grade_id "a-check" (also cell 3): grade_ids must be unique in a notebook [check("a-check", 1, 1);]',
      'nb.ipynb, cell 6: bad grade_id "bad id!": it must be letters, digits, "_" or "-" [// BEGIN SOLUTION]',
      'nb.ipynb, cell 7: check cell "c-check" has no points [check("c-check", 1, 1);]',
      'nb.ipynb, cell 8: solution cell "d": line 1: // BEGIN SOLUTION is never closed by // END SOLUTION [// BEGIN SOLUTION]',
      'nb.ipynb, cell 9: check cell "d-check" must be locked (learners should not edit the check) [check("d-check", 1, 1);]',
      "nb.ipynb, cell 10: has // BEGIN SOLUTION/// END SOLUTION markers but is not a solution cell (the answer would stay in the learner copy) [// BEGIN SOLUTION]",
      'nb.ipynb, cell 11: unknown nbgrader key "extra" [// BEGIN SOLUTION]',
      "nb.ipynb, cell 11: nbgrader schema_version must be 3, got 2 [// BEGIN SOLUTION]",
      'nb.ipynb, cell 11: solution cell "e" has no check cell after it',
    ]);
  });

  it("wants the typescript kernel language, autograded cells only, and numeric points", () => {
    const nb = notebook([solution("a", answer, { grade: true, points: 1 }), checkCell("b", "two")], "python");
    expect(validate(nb, { notebook: "nb.ipynb" }).map(formatProblem)).toEqual([
      'nb.ipynb, cell 1: "a" is both solution and grade (a manually graded answer); exercises here are autograded: use a solution cell and a separate check cell [// BEGIN SOLUTION]',
      'nb.ipynb, cell 2: check cell "b": points must be a number ≥ 0, got "two" [check("b", 1, 1);]',
      'nb.ipynb: metadata.kernelspec.language must be "typescript" (nbgrader picks the code stub by language), got "python"',
    ]);
  });

  it("refuses a check cell tagged raises-exception, in a lesson or a submission", () => {
    const tagged = checkCell("a-check", 1);
    tagged.metadata = { ...tagged.metadata, tags: ["raises-exception"] };
    const nb = notebook([solution("a", answer), tagged]);
    const expected = [
      'nb.ipynb, cell 2: check cell "a-check" must not have the raises-exception tag (its failure would count as a pass) [check("a-check", 1, 1);]',
    ];
    expect(validate(nb, { notebook: "nb.ipynb" }).map(formatProblem)).toEqual(expected);
    expect(validate(nb, { notebook: "nb.ipynb", role: "submission" }).map(formatProblem)).toEqual(expected);
  });

  it("lets a learner copy (role submission) have stubs instead of markers", () => {
    const nb = notebook([solution("a", "// YOUR CODE HERE"), checkCell("a-check", 1, { locked: false })]);
    expect(validate(nb, { notebook: "copy.ipynb", role: "submission" })).toEqual([]);
  });
});

describe("reading notebooks", () => {
  it("gives one-line errors that name the file", () => {
    expect(() => readNotebook(join(FIXTURES, "nope.ipynb"))).toThrow(new NotebookError(`${join(FIXTURES, "nope.ipynb")}: no such file`));
    expect(() => readNotebook(join(FIXTURES, "malformed.ipynb"))).toThrow(/malformed\.ipynb is not a notebook: invalid JSON at line 5, column 1 \(Expected double-quoted property name\)$/);
    expect(() => readNotebook(join(FIXTURES, "not-a-notebook.ipynb"))).toThrow(
      'not-a-notebook.ipynb is not a notebook: a .ipynb file is a JSON object with "cells" and "nbformat"',
    );
    // nbformat 3 (worksheets instead of cells) is a notebook, just an old one: say how to convert it.
    expect(() => parseNotebook('{"worksheets": [], "nbformat": 3}', "old.ipynb")).toThrow(
      "old.ipynb is an nbformat 3 notebook: convert it with `jupyter nbconvert --to notebook --nbformat 4 old.ipynb`",
    );
    expect(() => parseNotebook('{"cells": [], "nbformat": 5}', "new.ipynb")).toThrow(
      "new.ipynb: only nbformat 4 notebooks are supported (this one says 5)",
    );
    expect(() => parseNotebook("PK\u0003\u0004\u0000\u0000", "zipped.ipynb")).toThrow(
      "zipped.ipynb is not a notebook: it is a binary file, not JSON text",
    );
    expect(() => parseNotebook('{"cells": [{"cell_type": "code", "source": 3}], "nbformat": 4}', "x.ipynb")).toThrow(
      'x.ipynb, cell 1: "source" must be a string or a list of strings',
    );
  });
});

describe("learnerCopy", () => {
  it("stubs the solution regions of the fixture and leaves every other cell's source unchanged", () => {
    const lesson = readNotebook(join(FIXTURES, "solved.ipynb"));
    lesson.cells[1].outputs = [{ output_type: "stream", name: "stdout", text: "old output" }];
    lesson.cells[1].execution_count = 7;
    const copy = learnerCopy(lesson, "solved");
    expect(copy.cells.length).toBe(lesson.cells.length);
    const changed = copy.cells.flatMap((c, i) => (sourceText(c) === sourceText(lesson.cells[i]) ? [] : [i]));
    expect(changed).toEqual([3, 6]); // the two solution cells
    expect(sourceText(copy.cells[3])).toBe(
      [
        "const f = (x: number) => 3 * x ** 2 - 4 * x + 5;",
        "",
        "function slope(x: number, h = 1e-6): number {",
        "    // YOUR CODE HERE",
        '    throw new Error("not implemented: slope");',
        "}",
      ].join("\n"),
    );
    expect(sourceText(copy.cells[6])).toBe(
      'const a = new Value(2.0, "a");\nconst b = new Value(-3.0, "b");\nlet L: Value;\n// YOUR CODE HERE\nthrow new Error("not implemented: build-L");\nL.label = "L";',
    );
    for (const cell of copy.cells.filter((c) => c.cell_type === "code")) {
      expect(cell.outputs).toEqual([]);
      expect(cell.execution_count).toBeNull();
    }
    // nbgrader metadata and the kernel travel with the copy; the lesson itself is not modified
    expect(copy.cells.map((c) => c.metadata)).toEqual(lesson.cells.map((c) => c.metadata));
    expect(copy.metadata.kernelspec).toEqual(lesson.metadata.kernelspec);
    expect(lesson.cells[1].execution_count).toBe(7);
    expect((copy.metadata.micrograd_ts as { generated_hash: string }).generated_hash).toBe(contentHash(copy));
  });

  it("hashes the learner's work only: cell kinds and sources, not layout, outputs or ids", () => {
    const copy = learnerCopy(readNotebook(join(FIXTURES, "solved.ipynb")), "solved");
    const resaved = structuredClone(copy);
    for (const cell of resaved.cells) {
      cell.source = sourceText(cell); // one string instead of lines
      cell.id = "new-id";
      cell.metadata.collapsed = false;
      if (cell.cell_type === "code") {
        cell.outputs = [{ output_type: "stream", name: "stdout", text: "ran" }];
        cell.execution_count = 3;
      }
    }
    expect(contentHash(resaved)).toBe(contentHash(copy));
    resaved.cells[3].source += " ";
    expect(contentHash(resaved)).not.toBe(contentHash(copy));
    const swapped = structuredClone(copy);
    [swapped.cells[0], swapped.cells[2]] = [swapped.cells[2], swapped.cells[0]];
    expect(contentHash(swapped)).not.toBe(contentHash(copy));
    expect(contentHash({ ...copy, cells: copy.cells.slice(1) })).not.toBe(contentHash(copy));
  });
});

describe("generateExercises", () => {
  let dir: string;
  let lessons: string;
  let out: string;
  const run = (): CopyResult[] => generateExercises({ lessonsDir: lessons, exercisesDir: out, log: () => {} });
  const actions = (results: CopyResult[]) => Object.fromEntries(results.map((r) => [r.lesson.slice(lessons.length + 1), r.action]));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "micrograd-exercises-"));
    lessons = join(dir, "notebooks");
    out = join(dir, "exercises");
    mkdirSync(lessons);
    for (const name of ["solved.ipynb", "mixed.ipynb"]) copyFileSync(join(FIXTURES, name), join(lessons, name));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("creates copies, then leaves them alone while nothing changed", () => {
    const lines: string[] = [];
    generateExercises({ lessonsDir: lessons, exercisesDir: out, log: (l) => lines.push(l) });
    expect(lines.map((l) => l.replace(out, "<out>"))).toEqual(["created   <out>/mixed.ipynb", "created   <out>/solved.ipynb"]);
    expect(readdirSync(out).sort()).toEqual(["mixed.ipynb", "solved.ipynb"]); // no temporary files left
    const before = readFileSync(join(out, "solved.ipynb"), "utf8");
    expect(before).toContain('throw new Error(\\"not implemented: slope\\");');
    expect(before).not.toContain("BEGIN SOLUTION");
    expect(actions(run())).toEqual({ "mixed.ipynb": "unchanged", "solved.ipynb": "unchanged" });
    expect(readFileSync(join(out, "solved.ipynb"), "utf8")).toBe(before);
  });

  it("keeps a copy the learner edited, byte for byte, and refreshes untouched copies when the lesson changes", () => {
    run();
    const edited = join(out, "solved.ipynb");
    const nb = JSON.parse(readFileSync(edited, "utf8"));
    nb.cells[3].source = nb.cells[3].source.map((l: string) => l.replace('throw new Error("not implemented: slope");', "return 14;"));
    writeFileSync(edited, JSON.stringify(nb, null, 2)); // Jupyter-ish re-save, other layout
    const mine = readFileSync(edited, "utf8");

    // both lessons change
    for (const name of ["solved.ipynb", "mixed.ipynb"]) {
      const lesson = JSON.parse(readFileSync(join(lessons, name), "utf8"));
      lesson.cells[0].source.push("\n// a new line in the lesson");
      writeFileSync(join(lessons, name), JSON.stringify(lesson));
    }
    const results = run();
    expect(actions(results)).toEqual({ "mixed.ipynb": "updated", "solved.ipynb": "kept" });
    expect(results.find((r) => r.action === "kept")!.detail).toBe("edited by you; delete or rename it to get a fresh copy");
    expect(readFileSync(edited, "utf8")).toBe(mine);
    expect(readFileSync(join(out, "mixed.ipynb"), "utf8")).toContain("// a new line in the lesson");
    expect(actions(run())).toEqual({ "mixed.ipynb": "unchanged", "solved.ipynb": "kept" });
  });

  it("treats a copy that was only run (outputs, counts) and re-saved as untouched", () => {
    run();
    const file = join(out, "mixed.ipynb");
    const nb = JSON.parse(readFileSync(file, "utf8"));
    for (const cell of nb.cells) {
      cell.source = cell.source.join("");
      if (cell.cell_type === "code") {
        cell.outputs = [{ output_type: "stream", name: "stderr", text: "Error: not implemented" }];
        cell.execution_count = 1;
      }
    }
    writeFileSync(file, JSON.stringify(nb));
    expect(actions(run())).toEqual({ "mixed.ipynb": "unchanged", "solved.ipynb": "unchanged" });
    expect(JSON.parse(readFileSync(file, "utf8")).cells[1].execution_count).toBe(1); // not rewritten
    // points change in the lesson (metadata only): the untouched copy follows
    const lesson = JSON.parse(readFileSync(join(lessons, "mixed.ipynb"), "utf8"));
    lesson.cells[2].metadata.nbgrader.points = 5;
    writeFileSync(join(lessons, "mixed.ipynb"), JSON.stringify(lesson));
    expect(actions(run())).toEqual({ "mixed.ipynb": "updated", "solved.ipynb": "unchanged" });
    expect(JSON.parse(readFileSync(file, "utf8")).cells[2].metadata.nbgrader.points).toBe(5);
  });

  it("never overwrites a file it did not make, or one it cannot read", () => {
    mkdirSync(out);
    writeFileSync(join(out, "solved.ipynb"), "my notes, not JSON");
    const foreign = readFileSync(join(FIXTURES, "mixed.ipynb"), "utf8"); // a notebook without our stamp
    writeFileSync(join(out, "mixed.ipynb"), foreign);
    const results = run();
    expect(actions(results)).toEqual({ "mixed.ipynb": "kept", "solved.ipynb": "kept" });
    expect(results[0].detail).toBe("it was not made by npm run exercises; move it away to get a fresh copy");
    expect(results[1].detail).toMatch(/^it is not a readable notebook \(.*solved\.ipynb is not a notebook: invalid JSON/);
    expect(readFileSync(join(out, "solved.ipynb"), "utf8")).toBe("my notes, not JSON");
    expect(readFileSync(join(out, "mixed.ipynb"), "utf8")).toBe(foreign);
  });

  it("reports a broken lesson, writes no copy of it, and still does the others", () => {
    const lesson = JSON.parse(readFileSync(join(lessons, "mixed.ipynb"), "utf8"));
    lesson.cells[1].source = ["// BEGIN SOLUTION\n", "const two = 2;\n"];
    writeFileSync(join(lessons, "mixed.ipynb"), JSON.stringify(lesson));
    copyFileSync(join(FIXTURES, "malformed.ipynb"), join(lessons, "broken.ipynb"));
    const results = run();
    expect(actions(results)).toEqual({ "broken.ipynb": "error", "mixed.ipynb": "error", "solved.ipynb": "created" });
    expect(results[0].detail).toMatch(/broken\.ipynb is not a notebook: invalid JSON/);
    expect(results[1].detail).toBe(
      `not copied, fix the lesson first:\n  ${join(lessons, "mixed.ipynb")}, cell 2: solution cell "first": line 1: // BEGIN SOLUTION is never closed by // END SOLUTION [// BEGIN SOLUTION]`,
    );
    expect(existsSync(join(out, "mixed.ipynb"))).toBe(false);
    expect(existsSync(join(out, "broken.ipynb"))).toBe(false);
  });

  it("a copy that cannot be written is named with the cause, and the other lessons are still copied", () => {
    // A folder where the copy's temporary file goes: the write fails whoever we are (root ignores
    // permissions, so EACCES can't be staged here; the error path is the same).
    mkdirSync(join(out, `.mixed.ipynb.${process.pid}.tmp`, "in-the-way"), { recursive: true });
    const results = run();
    expect(actions(results)).toEqual({ "mixed.ipynb": "error", "solved.ipynb": "created" });
    expect(results[0].detail).toMatch(/^cannot write .*mixed\.ipynb: EISDIR \(/);
    expect(existsSync(join(out, "solved.ipynb"))).toBe(true);
    expect(existsSync(join(out, "mixed.ipynb"))).toBe(false);
  });
});
