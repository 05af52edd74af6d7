/**
 * npm run check, without a kernel: the command line, error lines, the verdicts from a run's cell
 * reports (synthetic runs, so every status and root cause is pinned), and the report people read.
 * test/kernel/tools-check.test.ts grades real notebooks in real kernels.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { gradedCells } from "../../src/ipynb/nbgrader";
import { readNotebook } from "../../src/ipynb/read";
import { type NotebookReport, firstLines, formatReport, judgeRun, main, parseCheckArgs } from "../../src/tools/check";
import type { CellReport } from "../../src/tools/run";

const FIXTURES = join(__dirname, "..", "fixtures", "exercises");
const solved = readNotebook(join(FIXTURES, "solved.ipynb"));
const graded = gradedCells(solved); // slope-check at 4 (2 points), build-L-check at 7 (3 points)

const cell = (index: number, status: CellReport["status"], message?: string): CellReport => ({ index, executionCount: index, status, message, source: "" });
const allOk = [1, 3, 4, 6, 7].map((i) => cell(i, "ok"));

describe("firstLines(text)", () => {
  it("keeps the error line on, without Node's source excerpt, frames or brackets", () => {
    const tslab = 'evalmachine.<anonymous>:3\n    throw new Error("not implemented: x");\n    ^\n\nError: not implemented: x\n    at evalmachine.<anonymous>:3:11\n    at Script.runInThisContext (node:vm:137:12)';
    expect(firstLines(tslab)).toBe("Error: not implemented: x");
    expect(firstLines("[CheckError: ✗ a: expected 1, got 2, off by 1 (tolerance ±1e-6)\nHint: look]")).toBe("CheckError: ✗ a: expected 1, got 2, off by 1 (tolerance ±1e-6)\nHint: look");
    expect(firstLines("1:1 - Cannot find name 'a'.\n2:1 - Cannot find name 'b'.\n3:1 - x\n4:1 - y")).toBe("1:1 - Cannot find name 'a'.\n2:1 - Cannot find name 'b'.\n3:1 - x\n…");
    // The kernel's advice under a stub's error numbers cells by In[n]; the report numbers them its own way.
    const stub = 'Error: not implemented: slope\nExercise "slope" is not done yet: write your code in place of its stub (Cell In[2]), run that cell, then run this one again.\n      3 |   throw new Error("not implemented: slope");';
    expect(firstLines(stub)).toBe('Error: not implemented: slope\n      3 |   throw new Error("not implemented: slope");');
  });
});

describe("parseCheckArgs(argv)", () => {
  it("reads files, --timeout and --lessons", () => {
    expect(parseCheckArgs(["a.ipynb", "--timeout", "5", "b.ipynb"])).toEqual({ files: ["a.ipynb", "b.ipynb"], timeout: 5, lessonsDir: undefined });
    expect(parseCheckArgs(["--timeout=2", "--lessons", "course", "a.ipynb"])).toEqual({ files: ["a.ipynb"], timeout: 2, lessonsDir: "course" });
  });

  it("explains bad input", () => {
    expect(parseCheckArgs([])).toMatch(/^which notebook\? usage: npm run check -- \[--lessons DIR\] \[--timeout SECONDS\] .*NOTEBOOK\.ipynb/);
    expect(parseCheckArgs(["--timeout", "soon", "a.ipynb"])).toBe('--timeout needs a whole number of seconds ≥ 1, got "soon"');
    expect(parseCheckArgs(["--fast", "a.ipynb"])).toMatch(/^Unknown option '--fast'.*\nusage: npm run check/);
  });
});

describe("judgeRun(notebook, graded, cells)", () => {
  it("every check cell ok: every exercise passes", () => {
    expect(judgeRun(solved, graded, allOk)).toEqual([
      { gradeId: "slope-check", points: 2, status: "pass" },
      { gradeId: "build-L-check", points: 3, status: "pass" },
    ]);
  });

  it("a failed check names the answer cell of its exercise that failed first", () => {
    const cells = [cell(1, "ok"), cell(3, "ok"), cell(4, "ok"), cell(6, "error", "Error: not implemented: build-L"), cell(7, "error", "1:1 - Cannot find name 'L'.")];
    expect(judgeRun(solved, graded, cells)[1]).toEqual({
      gradeId: "build-L-check",
      points: 3,
      status: "fail",
      message: "1:1 - Cannot find name 'L'.\n(the answer cell 7 failed first: Error: not implemented: build-L)",
    });
  });

  it("a failed setup cell explains every later failure; a failed earlier check does not", () => {
    const cells = [cell(1, "error", "Cannot find module 'micrograd-ts'"), cell(3, "ok"), cell(4, "error", "CheckError: ✗ slope"), cell(6, "ok"), cell(7, "error", "ReferenceError: check is not defined")];
    const [first, second] = judgeRun(solved, graded, cells);
    expect(first!.message).toBe("CheckError: ✗ slope\n(cell 2 failed first: Cannot find module 'micrograd-ts')");
    expect(second!.message).toBe("ReferenceError: check is not defined\n(cell 2 failed first: Cannot find module 'micrograd-ts')");
  });

  it("timeout, aborted, not run and unreported check cells never pass", () => {
    const statuses = (s4: CellReport | undefined, s7: CellReport | undefined) => judgeRun(solved, graded, [cell(1, "ok"), ...(s4 ? [s4] : []), ...(s7 ? [s7] : [])]).map((e) => e.status);
    expect(statuses(cell(4, "timeout", "cell 5 timed out"), cell(7, "not-run", "not run"))).toEqual(["timeout", "not-run"]);
    expect(statuses(cell(4, "aborted", "aborted"), undefined)).toEqual(["not-run", "not-run"]);
  });
});

describe("formatReport(report)", () => {
  const report: NotebookReport = {
    notebook: "mine.ipynb",
    lesson: "solved",
    notes: ['the check cell "slope-check" was changed in the submission: graded with the lesson\'s check and points'],
    exercises: [
      { gradeId: "slope-check", points: 2, status: "pass" },
      { gradeId: "build-L-check", points: 3, status: "fail", message: "CheckError: ✗ L: expected 4, got 5\nHint: a·b + 10" },
    ],
    earned: 2,
    total: 5,
    ok: false,
  };

  it("one line per exercise, notes first, then the total", () => {
    expect(formatReport(report)).toBe(
      [
        "mine.ipynb (graded against the lesson solved)",
        '  note: the check cell "slope-check" was changed in the submission: graded with the lesson\'s check and points',
        "  ✓ slope-check    2/2 pts",
        "  ✗ build-L-check  0/3 pts",
        "      CheckError: ✗ L: expected 4, got 5",
        "      Hint: a·b + 10",
        "  2/5 points, 1 of 2 exercises pass",
      ].join("\n"),
    );
  });

  it("an error is the whole report", () => {
    expect(formatReport({ ...report, error: "x.ipynb: no such file\nsecond line" })).toBe("error: x.ipynb: no such file\nerror: second line");
  });
});

describe("main(argv): bad input gets one clear line, no traceback, and no kernel", () => {
  const printed = { out: [] as string[], err: [] as string[] };
  afterEach(() => {
    vi.restoreAllMocks();
    printed.out = [];
    printed.err = [];
  });
  const run = async (argv: string[]) => {
    vi.spyOn(console, "log").mockImplementation((s: string) => void printed.out.push(s));
    vi.spyOn(console, "error").mockImplementation((s: string) => void printed.err.push(s));
    return main(argv);
  };

  it.each([
    ["malformed.ipynb", /^error: .*malformed\.ipynb is not a notebook: invalid JSON at line \d+, column \d+ \(.*\)$/],
    ["not-a-notebook.ipynb", /^error: .*not-a-notebook\.ipynb is not a notebook: a \.ipynb file is a JSON object with "cells" and "nbformat"$/],
    ["missing.ipynb", /^error: .*missing\.ipynb: no such file$/],
  ])("%s", async (name, message) => {
    expect(await run([join(FIXTURES, name)])).toBe(1);
    expect(printed.out).toEqual([]);
    expect(printed.err.join("\n")).toMatch(message);
  });

  it("a notebook that belongs to no lesson says so and how to fix it", async () => {
    expect(await run([join(FIXTURES, "solved.ipynb")])).toBe(1);
    expect(printed.err.join("\n")).toMatch(/solved\.ipynb: cannot tell which lesson it belongs to: it has no lesson stamp and no lesson named "solved\.ipynb" is in .*notebooks \(keep the lesson's file name, or pass --lessons DIR\)/);
  });

  it("a lesson without exercises is an error, not a pass (a stamp naming one must not earn an exit 0)", async () => {
    expect(await run(["--lessons", FIXTURES, join(FIXTURES, "no-exercises.ipynb")])).toBe(1);
    expect(printed.err.join("\n")).toMatch(/no-exercises\.ipynb: the lesson no-exercises has no exercises \(no check cells\): nothing to grade it on$/);
  });

  it("usage errors exit 2", async () => {
    expect(await run([])).toBe(2);
    expect(printed.err.join("\n")).toMatch(/which notebook\?/);
  });
});
