/**
 * The bug clinic's hidden tests are what stops a hard-coded answer: with the hidden tests taken
 * out of the check cells, every answer hard-coded to the visible example passes; with them (the
 * lesson as graded, exercises-lessons.test.ts), every one fails. So the visible checks are not
 * enough on their own, and the fresh inputs of the hidden tests matter.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { readNotebook } from "../../src/ipynb/read";
import { isCheckCell, nbgraderMeta } from "../../src/ipynb/nbgrader";
import { sourceText } from "../../src/ipynb/notebook";
import { runNotebook } from "../../src/tools/run";
import { readWrongAnswers, withAnswers } from "../support/wrong-answers";
import { hasJupyter } from "../support/harness";

const ROOT = resolve(__dirname, "..", "..");

describe.skipIf(!hasJupyter())("10-bug-clinic", () => {
  test("without the hidden tests, the answers hard-coded to the visible examples would pass every check", async () => {
    const lesson = readNotebook(join(ROOT, "notebooks", "10-bug-clinic.ipynb"));
    const hardCoded = readWrongAnswers(join(ROOT, "test", "fixtures", "wrong-answers", "10-bug-clinic.txt")).filter((a) => a.why.startsWith("hard-coded:"));
    const solutions = lesson.cells.filter((c) => nbgraderMeta(c)?.solution === true).map((c) => String(nbgraderMeta(c)!.grade_id));
    expect(hardCoded.map((a) => a.gradeId).sort()).toEqual([...solutions].sort()); // one for every exercise
    const nb = withAnswers(lesson, hardCoded);
    let hidden = 0;
    for (const cell of nb.cells) {
      if (!isCheckCell(cell)) continue;
      const lines = sourceText(cell).split("\n");
      const start = lines.findIndex((l) => l.trim() === "// BEGIN HIDDEN TESTS");
      const end = lines.findIndex((l) => l.trim() === "// END HIDDEN TESTS");
      expect(start >= 0 && end > start, `${nbgraderMeta(cell)!.grade_id} has hidden tests`).toBe(true);
      hidden++;
      cell.source = [...lines.slice(0, start), ...lines.slice(end + 1)].join("\n");
    }
    expect(hidden).toBe(6);
    const dir = mkdtempSync(join(tmpdir(), "bug-clinic-"));
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    mkdirSync(join(dir, "nb"));
    const file = join(dir, "nb", "10-bug-clinic.ipynb");
    writeFileSync(file, JSON.stringify(nb, null, 1));
    const run = await runNotebook(file, { continueOnError: true, timeout: 120 });
    expect(run.cells.filter((c) => c.status !== "ok").map((c) => `cell ${c.index}: ${c.message}`)).toEqual([]);
  });
});
