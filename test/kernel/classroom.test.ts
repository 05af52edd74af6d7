/**
 * The GitHub Actions workflow template for a learner's repository (docs/classroom/grade.yml),
 * its grading step run here the way the workflow runs it: `bash course/docs/classroom/grade.sh
 * submission results` from the folder above both checkouts, with GITHUB_STEP_SUMMARY set. A
 * learner's repository with lesson 01 answered (one answer wrong) must get its points, a failing
 * exit code, the summary, the gradebook and a JUnit report.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/tools/files";
import { gradedCells } from "../../src/ipynb/nbgrader";
import { readNotebook } from "../../src/ipynb/read";
import { hasJupyter } from "../support/harness";

const root = packageRoot();

describe("docs/classroom/grade.yml", () => {
  const workflow = fs.readFileSync(path.join(root, "docs", "classroom", "grade.yml"), "utf8");

  test("checks out the learner's repository as submission/ and the course as course/, installs, and runs grade.sh", () => {
    expect(workflow).toMatch(/uses: actions\/checkout@v4\n\s+with:\n\s+path: submission/);
    expect(workflow).toMatch(/repository: \$\{\{ env\.COURSE_REPO \}\}[\s\S]*path: course/);
    expect(workflow).toMatch(/working-directory: course\n\s+run: npm ci/);
    expect(workflow).toContain("run: bash course/docs/classroom/grade.sh submission results");
    expect(workflow).toMatch(/apt-get install [^\n]*python3-nbclient/);
  });

  test.skipIf(!hasJupyter())("its grading step, run the way the workflow runs it, reports the points", () => {
    // The runner's workspace: submission/ (the learner's push) and course/ (this project) side by side.
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "classroom-"));
    fs.symlinkSync(root, path.join(workspace, "course"));
    const lessonFile = path.join(root, "notebooks", "01-derivatives.ipynb");
    const lesson = JSON.parse(fs.readFileSync(lessonFile, "utf8"));
    const total = gradedCells(readNotebook(lessonFile)).reduce((s, g) => s + g.points, 0);
    // One answer wrong: the first answer cell returns zeros.
    const first = lesson.cells.findIndex((c: any) => c.metadata?.nbgrader?.solution);
    const src = [lesson.cells[first].source].flat().join("");
    lesson.cells[first].source = src.replace(/\/\/ BEGIN SOLUTION[\s\S]*?\/\/ END SOLUTION/, "return [0, 0, 0];");
    fs.mkdirSync(path.join(workspace, "submission", ".ipynb_checkpoints"), { recursive: true });
    fs.writeFileSync(path.join(workspace, "submission", "01-derivatives.ipynb"), JSON.stringify(lesson));
    fs.writeFileSync(path.join(workspace, "submission", ".ipynb_checkpoints", "01-derivatives-checkpoint.ipynb"), "not graded");
    const summary = path.join(workspace, "summary.md");
    const r = spawnSync("bash", ["course/docs/classroom/grade.sh", "submission", "results"], {
      cwd: workspace,
      encoding: "utf8",
      env: { ...process.env, GITHUB_STEP_SUMMARY: summary, JOBS: "1" },
      timeout: 600_000,
    });
    const points = `${total - 1}/${total}`;
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain(`points: ${points}`);
    expect(r.stdout).toContain(`::notice title=micrograd-ts::${points} points`);
    expect(r.stdout).toMatch(/✗ \S+ +0\/1 pt/);
    expect(r.stdout).not.toContain(".cache/classroom"); // paths as the learner knows them
    expect(fs.readFileSync(summary, "utf8")).toContain(`## micrograd-ts: ${points} points`);
    const results = path.join(workspace, "results");
    expect(fs.readdirSync(results).sort()).toEqual(["gradebook.csv", "gradebook.json", "junit.xml", "progress.txt", "report.txt"]);
    expect(fs.readFileSync(path.join(results, "junit.xml"), "utf8")).toMatch(new RegExp(`<testsuites name="npm run check" tests="${total}" failures="1" errors="0"`));
    // The copy grade.sh made inside the course is gone.
    expect(fs.readdirSync(path.join(root, ".cache", "classroom")).filter((d) => d.startsWith("submission-"))).toEqual([]);
  }, 600_000);
});
