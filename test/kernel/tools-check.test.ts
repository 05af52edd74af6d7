import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatReport, gradeNotebook } from "../../src/tools/check";
import { gradingSandbox } from "../../src/tools/confine";
import { readNotebook } from "../../src/ipynb/read";
import { serializeNotebook, toSourceLines } from "../../src/ipynb/notebook";
import { generateExercises } from "../../src/tools/exercises";
import { type RunResult, runNotebook } from "../../src/tools/run";

const ROOT = resolve(__dirname, "..", "..");
const FIXTURES = join(ROOT, "test", "fixtures", "exercises");
const fixture = (name: string) => join(FIXTURES, name);

/** Run the built command (npm test builds first) from the fixtures folder. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, "dist", "tools", "check.js"), ...args], { cwd: FIXTURES });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

describe.concurrent("checking executed notebooks", () => {
  let dir: string;

  beforeAll(() => {
    // Learner copies live outside the repo; a node_modules link lets them import micrograd-ts.
    dir = mkdtempSync(join(tmpdir(), "micrograd-check-"));
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    mkdirSync(join(dir, "notebooks"));
    copyFileSync(fixture("solved.ipynb"), join(dir, "notebooks", "solved.ipynb"));
    generateExercises({ lessonsDir: join(dir, "notebooks"), exercisesDir: join(dir, "exercises"), log: () => {} });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("passes every exercise of the solved fixture, with a green ✓ in the notebook and nothing on stderr", async () => {
    let run: RunResult | undefined;
    const report = await gradeNotebook(fixture("solved.ipynb"), {
      lessonsDir: FIXTURES,
      run: async (file, options) => (run = await runNotebook(file, options)),
    });
    expect(report).toEqual({
      notebook: fixture("solved.ipynb"),
      lesson: "solved",
      sandbox: gradingSandbox(),
      notes: [],
      exercises: [
        { gradeId: "slope-check", points: 2, status: "pass" },
        { gradeId: "build-L-check", points: 3, status: "pass" },
      ],
      earned: 5,
      total: 5,
      ok: true,
    });
    const outputs = run!.executed.cells.flatMap((c: { outputs?: unknown[] }) => c.outputs ?? []);
    expect(outputs.filter((o: { name?: string }) => o.name === "stderr")).toEqual([]);
    const html = outputs.map((o: { data?: Record<string, string> }) => o.data?.["text/html"]).filter(Boolean);
    expect(html).toEqual([
      '<div class="mg-check-pass" style="color:#1a7f37;font-family:monospace">✓ slope at 3</div>',
      '<div class="mg-check-pass" style="color:#1a7f37;font-family:monospace">✓ slope at -2</div>',
      '<div class="mg-check-pass" style="color:#1a7f37;font-family:monospace">✓ L</div>',
      '<div class="mg-check-pass" style="color:#1a7f37;font-family:monospace">✓ dL/da, dL/db</div>',
    ]);
  });

  it("the CLI exits 0 on the solved fixture", async () => {
    const { code, stdout, stderr } = await cli(["--lessons", ".", "solved.ipynb"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe(
      "solved.ipynb (graded against the lesson solved)\n  ✓ slope-check    2/2 pts\n  ✓ build-L-check  3/3 pts\n  5/5 points, 2 of 2 exercises pass\n",
    );
  });

  it("judges exercises after a failed one on their own (tslab's abort window), and lists unsolved copies as ✗", async () => {
    const copy = join(dir, "exercises", "solved.ipynb");
    const { code, stdout, stderr } = await cli(["--lessons", ".", "mixed.ipynb", "no-exercises.ipynb", copy]);
    expect(code).toBe(1);
    // A lesson without exercises is nothing to grade on: an error, never a pass.
    // One progress line per submission as each is done (in whatever order they finish), then the errors.
    const progress = stderr.split("\n").filter((l) => /^\[\d\/3\] /.test(l));
    expect(progress.map((l) => l.replace(/^\[\d\//, "[?/").replace(/ \(\d+\.\d s\)$/, "")).sort()).toEqual(
      [`[?/3] ${copy}: 0/5 points`, "[?/3] mixed.ipynb: 4/6 points", "[?/3] no-exercises.ipynb: could not be graded"].sort(),
    );
    expect(stderr.split("\n").filter((l) => l !== "" && !progress.includes(l))).toEqual(["error: no-exercises.ipynb: the lesson no-exercises has no exercises (no check cells): nothing to grade it on"]);
    expect(stdout).toBe(
      [
        "mixed.ipynb (graded against the lesson mixed)",
        "  ✓ first-check   1/1 pt",
        "  ✗ second-check  0/2 pts",
        "      CheckError: ✗ three: expected 3, got 2, off by 1 (tolerance ±3e-6)",
        "      Hint: count again",
        "  ✓ third-check   3/3 pts",
        "  4/6 points, 2 of 3 exercises pass",
        `${copy} (graded against the lesson solved)`,
        "  ✗ slope-check    0/2 pts",
        "      Error: not implemented: slope",
        "  ✗ build-L-check  0/3 pts",
        "      TSError: Cannot find name 'L'.",
        "      TSError: Cannot find name 'L'.",
        "      TSError: Cannot find name 'a'.",
        "      …",
        "      (the answer cell 7 failed first: Error: not implemented: build-L)",
        "  0/5 points, 0 of 2 exercises pass",
        "total: 4/11 points in 3 notebooks",
        "",
      ].join("\n"),
    );
  });

  it("stops an endless loop at the timeout and reports the exercises after it as not run", async () => {
    const report = await gradeNotebook(fixture("loop.ipynb"), { timeout: 10, lessonsDir: FIXTURES });
    expect(report.exercises).toEqual([
      { gradeId: "quick-check", points: 1, status: "pass" },
      {
        gradeId: "countdown-check",
        points: 2,
        status: "timeout",
        message: 'cell 5 timed out after 10 s: expectEqual("countdown", countdown(3), 0);',
      },
      { gradeId: "after-check", points: 1, status: "not-run", message: "not run: the kernel was stopped after cell 5 timed out" },
    ]);
    expect({ earned: report.earned, total: report.total, ok: report.ok }).toEqual({ earned: 1, total: 4, ok: false });
    expect(formatReport(report).split("\n").slice(1)).toEqual([
      "  ✓ quick-check      1/1 pt",
      "  ✗ countdown-check  0/2 pts  timeout",
      '      cell 5 timed out after 10 s: expectEqual("countdown", countdown(3), 0);',
      "  ✗ after-check      0/1 pt  not run",
      "      not run: the kernel was stopped after cell 5 timed out",
      "  1/4 points, 1 of 3 exercises pass",
    ]);
  });

  it("a copy tampered every way the hostile round tried is graded as the lesson says", async () => {
    const copy = readNotebook(join(dir, "exercises", "solved.ipynb"));
    const cellOf = (id: string) => copy.cells.find((c) => (c.metadata.nbgrader as { grade_id?: string } | undefined)?.grade_id === id)!;
    // Wrong answers, the check silenced from an answer cell, the other check emptied, its points inflated.
    cellOf("slope").source = toSourceLines("var check = (..._a: any[]) => {};\nconst f = (x: number) => 0;\nfunction slope(x: number, h = 1e-6): number { return 0; }");
    cellOf("build-L").source = toSourceLines('// @ts-ignore\ncheckGrads = () => {};\nconst a = new Value(2.0, "a");\nconst b = new Value(-3.0, "b");\nlet L = a.add(b);');
    cellOf("build-L-check").source = [];
    (cellOf("build-L-check").metadata.nbgrader as { points: number }).points = 100;
    const file = join(dir, "tampered.ipynb");
    writeFileSync(file, serializeNotebook(copy));
    const report = await gradeNotebook(file, { lessonsDir: join(dir, "notebooks") });
    expect(report.error).toBeUndefined();
    expect(report.exercises.map((e) => [e.gradeId, e.status, e.points])).toEqual([
      ["slope-check", "fail", 2],
      ["build-L-check", "fail", 3],
    ]);
    expect(report.exercises[0]!.message).toMatch(/CheckError: ✗ slope at 3: expected 14, got 0/);
    expect(report.notes).toEqual([
      "the file is named tampered.ipynb but its metadata says it is a copy of solved: graded against solved",
      'the answer cell "slope" redefines check, which the checks use: the checks call the real ones',
      'the answer cell "build-L" redefines checkGrads, which the checks use: the checks call the real ones',
      'the check cell "build-L-check" was changed in the submission: graded with the lesson\'s check and points',
    ]);
    expect({ earned: report.earned, total: report.total, ok: report.ok }).toEqual({ earned: 0, total: 5, ok: false });
  });
});
