/**
 * The lessons themselves: every notebook in notebooks/ runs top to bottom in the tslab kernel
 * through the same executor as `npm run render` (one test each, so a broken lesson names
 * itself), passes every one of its exercises, and is committed clean (no outputs, the tslab
 * kernelspec). Then the site is rendered
 * from those same runs and opened in Chromium, so the lessons execute only once here.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/tools/files";
import { renderSite } from "../../src/tools/render";
import { describeFailures, runNotebook, type RunResult } from "../../src/tools/run";
import { judgeRun } from "../../src/tools/check";
import { gradedCells } from "../../src/ipynb/nbgrader";
import { checkCourseSite, checkSite, launchBrowser } from "../support/browser";
import { lessonTitle } from "../../src/tools/site";
import { hasChromium, hasJupyter } from "../support/harness";

const root = packageRoot();
const dir = path.join(root, "notebooks");
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
  const runs = new Map<string, Promise<RunResult>>();
  const run = (file: string) => {
    const key = path.resolve(file);
    if (!runs.has(key)) runs.set(key, runNotebook(key, { timeout: 120 }));
    return runs.get(key)!;
  };

  if (lessons.length === 0) test.skip("notebooks/ has no lessons yet", () => {});
  test.each(lessons)("%s", async (file) => {
    const r = await run(path.join(dir, file));
    expect(r.ok, describeFailures(r)).toBe(true);
    // Judged from the same run as npm run check judges: every exercise of the solved lesson passes.
    // (exercises-lessons.test.ts grades the learner copies and expects every one to fail.)
    const exercises = judgeRun(r.executed, gradedCells(r.executed), r.cells);
    expect(exercises.filter((e) => e.status !== "pass")).toEqual([]);
  });

  // The real site, from the runs above: every page clean in Chromium, a screenshot kept.
  describe.skipIf(lessons.length === 0 || !hasChromium())("the lessons' site", () => {
    let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
    afterAll(async () => {
      await browser?.close();
    });
    test("renders and shows in Chromium without errors, with visible charts and working links; the course-site features hold", async () => {
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "lessons-site-"));
      const rendered = await renderSite({ outDir, log: () => {}, execute: (file) => run(file) });
      expect(rendered.failures.map((f) => f.notebook)).toEqual([]);
      browser = await launchBrowser();
      const first = `${lessons[0]!.replace(/\.ipynb$/, "")}.html`;
      const report = await checkSite(browser, outDir, { page: first, file: path.join(root, "test-results", `lessons-${first}.png`) });
      expect(report.problems).toEqual([]);
      expect(report.pages).toContain("index.html");
      // The course-site features, on the real lessons.
      const titles = lessons.map((f) => ({ name: f.replace(/\.ipynb$/, ""), title: lessonTitle(path.join(dir, f), f) }));
      const course = await checkCourseSite(browser, outDir, titles);
      expect(course.problems).toEqual([]);
      // "topological" finds the lesson that builds the topological sort first.
      const mentions = (f: string) => (fs.readFileSync(path.join(dir, f), "utf8").match(/topological/gi) ?? []).length;
      const sortLesson = [...lessons].sort((a, b) => mentions(b) - mentions(a))[0]!;
      expect(course.search[0]?.[1]).toMatch(new RegExp(`^${sortLesson.replace(/\.ipynb$/, "")}\\.html`));
    }, 900_000);
  });
});
