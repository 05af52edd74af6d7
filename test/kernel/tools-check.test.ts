import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkNotebook, firstLines, formatReport, parseArgs } from "../../src/tools/check";
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

describe("firstLines and parseArgs", () => {
  it("keeps the error line on, without Node's source excerpt, frames or brackets", () => {
    const tslab = 'evalmachine.<anonymous>:3\n    throw new Error("not implemented: x");\n    ^\n\nError: not implemented: x\n    at evalmachine.<anonymous>:3:11\n    at Script.runInThisContext (node:vm:137:12)';
    expect(firstLines(tslab)).toBe("Error: not implemented: x");
    expect(firstLines("[CheckError: ✗ a: expected 1, got 2, off by 1 (tolerance ±1e-6)\nHint: look]")).toBe(
      "CheckError: ✗ a: expected 1, got 2, off by 1 (tolerance ±1e-6)\nHint: look",
    );
    expect(firstLines("1:1 - Cannot find name 'a'.\n2:1 - Cannot find name 'b'.\n3:1 - x\n4:1 - y")).toBe(
      "1:1 - Cannot find name 'a'.\n2:1 - Cannot find name 'b'.\n3:1 - x\n…",
    );
  });

  it("reads files and --timeout, and explains bad input", () => {
    expect(parseArgs(["a.ipynb", "--timeout", "5", "b.ipynb"])).toEqual({ files: ["a.ipynb", "b.ipynb"], timeout: 5 });
    expect(parseArgs(["--timeout=2", "a.ipynb"])).toEqual({ files: ["a.ipynb"], timeout: 2 });
    expect(parseArgs([])).toBe("which notebook? usage: npm run check -- [--timeout SECONDS] NOTEBOOK.ipynb…");
    expect(parseArgs(["--timeout", "soon", "a.ipynb"])).toBe('--timeout needs a whole number of seconds ≥ 1, got "soon"');
    expect(parseArgs(["--fast", "a.ipynb"])).toMatch(/^unknown option --fast\n/);
  });
});

describe("bad input gets one clear line and no traceback (no kernel started)", () => {
  it.each([
    ["malformed.ipynb", /^error: malformed\.ipynb is not a notebook: invalid JSON \(.*\)\n$/],
    ["not-a-notebook.ipynb", /^error: not-a-notebook\.ipynb is not a notebook: a \.ipynb file is a JSON object with "cells" and "nbformat"\n$/],
    ["missing.ipynb", /^error: missing\.ipynb: no such file\n$/],
  ])("%s", async (name, message) => {
    const { code, stdout, stderr } = await cli([name]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
  });

  it("says so for a notebook without exercises, and exits 0", async () => {
    const { code, stdout, stderr } = await cli(["no-exercises.ipynb"]);
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: "no-exercises.ipynb\n  no exercises in this notebook (no check cells): nothing to check\n",
      stderr: "",
    });
  });

  it("usage errors exit 2", async () => {
    expect(await cli([])).toMatchObject({ code: 2, stdout: "", stderr: /which notebook\?/ });
  });
});

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
    const report = await checkNotebook(fixture("solved.ipynb"), {
      run: async (file, options) => (run = await runNotebook(file, options)),
    });
    expect(report).toEqual({
      notebook: fixture("solved.ipynb"),
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
      '<div style="color:#1a7f37;font-family:monospace">✓ slope at 3</div>',
      '<div style="color:#1a7f37;font-family:monospace">✓ slope at -2</div>',
      '<div style="color:#1a7f37;font-family:monospace">✓ L</div>',
      '<div style="color:#1a7f37;font-family:monospace">✓ dL/da, dL/db</div>',
    ]);
  });

  it("the CLI exits 0 on the solved fixture", async () => {
    const { code, stdout, stderr } = await cli(["solved.ipynb"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe(
      "solved.ipynb\n  ✓ slope-check    2/2 pts\n  ✓ build-L-check  3/3 pts\n  5/5 points, 2 of 2 exercises pass\n",
    );
  });

  it("judges exercises after a failed one on their own (tslab's abort window), and lists unsolved copies as ✗", async () => {
    const copy = join(dir, "exercises", "solved.ipynb");
    const { code, stdout, stderr } = await cli(["mixed.ipynb", "no-exercises.ipynb", copy]);
    expect(code).toBe(1);
    expect(stderr).toBe("");
    expect(stdout).toBe(
      [
        "mixed.ipynb",
        "  ✓ first-check   1/1 pt",
        "  ✗ second-check  0/2 pts",
        "      CheckError: ✗ three: expected 3, got 2, off by 1 (tolerance ±3e-6)",
        "      Hint: count again",
        "  ✓ third-check   3/3 pts",
        "  4/6 points, 2 of 3 exercises pass",
        "no-exercises.ipynb",
        "  no exercises in this notebook (no check cells): nothing to check",
        copy,
        "  ✗ slope-check    0/2 pts",
        "      Error: not implemented: slope",
        "  ✗ build-L-check  0/3 pts",
        "      1:1 - Cannot find name 'L'.",
        "      2:12 - Cannot find name 'L'.",
        "      3:29 - Cannot find name 'a'.",
        "      …",
        "      (the answer cell 7 failed first: Error: not implemented: build-L)",
        "  0/5 points, 0 of 2 exercises pass",
        "total: 4/11 points in 3 notebooks",
        "",
      ].join("\n"),
    );
  });

  it("stops an endless loop at the timeout and reports the exercises after it as not run", async () => {
    const report = await checkNotebook(fixture("loop.ipynb"), { timeout: 10 });
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
});
