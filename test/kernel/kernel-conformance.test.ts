/**
 * The kernel the project installs (tslab + src/kernel/preload.ts) against Jupyter's own clients:
 * its conformance suite (jupyter_kernel_test, with our protocol checks: test/kernel/tslab_conformance.py),
 * the terminal client (jupyter console) running a lesson cell, and plain `jupyter nbconvert --execute`
 * on a lesson with a planted throwing cell, which must fail with the error's name and message.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/tools/files";
import { prepareJupyter } from "../../src/tools/jupyter";
import { renderSite } from "../../src/tools/render";
import { hasJupyter, hasJupyterConsole, hasKernelTestSuite } from "../support/harness";

const root = packageRoot();

/** Run a command to its end, with stdin given; stdout and stderr kept. */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** A lesson's code cell by what its source ends with; fails clearly if the lesson changed. */
function lessonCell(lesson: string, endsWith: string): string {
  const nb = JSON.parse(fs.readFileSync(path.join(root, "notebooks", lesson), "utf8"));
  const cell = nb.cells.map((c: { source: string | string[] }) => [c.source].flat().join("")).find((s: string) => s.trimEnd().endsWith(endsWith));
  if (!cell) throw new Error(`${lesson} has no code cell ending with ${endsWith}: pick another lesson cell for this test`);
  return cell;
}

describe.skipIf(!hasJupyter())("the installed kernel and Jupyter's clients", () => {
  let env: NodeJS.ProcessEnv;
  let python: string;
  beforeAll(() => {
    const jupyter = prepareJupyter({ install: false });
    env = jupyter.env;
    python = jupyter.python;
  });

  test.skipIf(!hasKernelTestSuite())("jupyter_kernel_test passes every test that applies to TypeScript, and our protocol checks", async () => {
    const r = await run(python, ["-m", "unittest", "-v", "tslab_conformance"], { cwd: __dirname, env });
    const results = new Map([...r.stderr.matchAll(/^(test_\w+) \([\w.]+\) \.\.\. (ok|FAIL|ERROR|skipped.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(r.code, r.stderr).toBe(0);
    // The suite's own tests, each run (not skipped)…
    for (const name of ["test_kernel_info", "test_execute_stdout", "test_execute_stderr", "test_completion", "test_is_complete", "test_error", "test_execute_result", "test_display_data", "test_inspect"]) {
      expect(results.get(name), `${name}\n${r.stderr}`).toBe("ok");
    }
    // …except what tslab has no such thing for (no pager, no clear_output).
    expect(results.get("test_pager")).toMatch(/^skipped/);
    expect(results.get("test_clear_output")).toMatch(/^skipped/);
    // Ours: results, errors of every kind, kernel info, abort semantics.
    const ours = [...results.keys()].filter((n) => /^test_(a_|execute_result_has|kernel_info_is|stop_on|without_stop|comm_info)/.test(n));
    expect(ours.length).toBe(9);
    for (const name of ours) expect(results.get(name), `${name}\n${r.stderr}`).toBe("ok");
  });

  test.skipIf(!hasJupyterConsole())("jupyter console runs a lesson cell and shows its Out[n] and an error with the cell's line", async () => {
    // Lesson 6's TF.js set-up cell, line by line as a person types it, then a line that throws.
    const cell = lessonCell("06-more-operations.ipynb", "tf.getBackend()");
    const lines = cell.split("\n");
    const input = [...lines, 'throw new RangeError("typed in the console")', ""].join("\n");
    const r = await run(python, ["-m", "jupyter_console", "--kernel", "tslab", "--simple-prompt", "--ZMQTerminalInteractiveShell.kernel_timeout=120"], {
      cwd: path.join(root, "notebooks"),
      env,
      input,
    });
    const out = r.stdout.replace(/\r/g, "");
    expect(out, r.stderr).toMatch(/^TypeScript 5\.\d+\.\d+ \(tslab/m);
    expect(out, r.stderr).toContain(`Out[${lines.length}]: cpu`);
    // jupyter console prints an error message's traceback on stderr.
    expect(r.stderr, out).toContain(`RangeError: typed in the console\n    at Cell In[${lines.length + 1}]:1:7\n`);
    expect(r.stderr).not.toContain("evalmachine");
  });

  test("plain jupyter nbconvert --execute fails a lesson with a planted throwing cell by the error's name and message; render names notebook, cell and message", async () => {
    fs.mkdirSync(path.join(root, ".cache"), { recursive: true }); // a fresh clone has none yet
    const dir = fs.mkdtempSync(path.join(root, ".cache", "planted-"));
    try {
      const lesson = JSON.parse(fs.readFileSync(path.join(root, "notebooks", "01-derivatives.ipynb"), "utf8"));
      const firstCode = lesson.cells.findIndex((c: { cell_type: string }) => c.cell_type === "code");
      const planted = { cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: ["const planted = 2;\n", 'throw new RangeError("planted in lesson 1: " + planted);'] };
      lesson.cells.splice(firstCode + 1, 0, planted);
      const file = path.join(dir, "01-planted.ipynb");
      fs.writeFileSync(file, JSON.stringify(lesson));

      const r = await run(python, ["-m", "nbconvert", "--to", "notebook", "--execute", "--output", "executed.ipynb", file], { cwd: dir, env });
      expect(r.code).not.toBe(0);
      // nbclient's CellExecutionError: the cell, the kernel's traceback, then "ename: evalue".
      expect(r.stderr).toContain("CellExecutionError");
      expect(r.stderr).toMatch(/^RangeError: planted in lesson 1: 2$/m);
      expect(r.stderr).toContain("    at Cell In[2]:2:7");
      expect(r.stderr).not.toContain("<Error>");

      fs.mkdirSync(path.join(dir, "site"));
      const rendered = await renderSite({ notebooks: [file], lessonsDir: dir, outDir: path.join(dir, "site"), cacheDir: null, log: () => {} });
      expect(rendered.failures).toHaveLength(1);
      const message = rendered.failures[0]!.message;
      expect(message).toContain("01-planted.ipynb");
      expect(message).toContain(`cell ${firstCode + 2} (In [2])`);
      expect(message).toContain("RangeError: planted in lesson 1: 2");
      expect(message).toContain("at Cell In[2]:2:7");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
