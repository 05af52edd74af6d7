/**
 * The lessons themselves: every notebook in notebooks/ runs top to bottom in the tslab kernel
 * through the same executor as `npm run render` (one test each, so a broken lesson names
 * itself), and is committed clean: no outputs, the tslab kernelspec.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { describeFailures, runNotebook } from "../src/tools/run";
import { hasJupyter } from "./tools-harness";

const dir = path.join(__dirname, "..", "notebooks");
const lessons = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort() : [];

describe("lessons are committed clean", () => {
  if (lessons.length === 0) test.skip("notebooks/ has no lessons yet", () => {});
  test.each(lessons)("%s has no outputs and uses the tslab kernel", (file) => {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    expect(nb.metadata?.kernelspec?.name, "metadata.kernelspec.name").toBe("tslab");
    const dirty = nb.cells
      .map((c: any, i: number) => ({ c, i }))
      .filter(({ c }: any) => c.cell_type === "code" && ((c.outputs?.length ?? 0) > 0 || c.execution_count != null))
      .map(({ i }: any) => `cell ${i + 1}`);
    expect(dirty, "cells with outputs or an execution count: clear them before committing").toEqual([]);
  });
});

describe.skipIf(!hasJupyter())("lessons run top to bottom", () => {
  if (lessons.length === 0) test.skip("notebooks/ has no lessons yet", () => {});
  // Fast cells are the norm; a cell this slow means a lesson is broken, not thorough.
  test.each(lessons)("%s", async (file) => {
    const r = await runNotebook(path.join(dir, file), { timeout: 120 });
    expect(r.ok, describeFailures(r)).toBe(true);
  });
});
