/**
 * tools/run: the one notebook executor. Real kernels, real notebooks (test/fixtures/notebooks).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { cellLabel, describeFailures, runNotebook, stopRunningNotebooks } from "../../src/tools/run";
import { renderSite } from "../../src/tools/render";
import { joinLines } from "../../src/ipynb/notebook";
import { processes, runnersAndKernels } from "../support/processes";
import { hasJupyter } from "../support/harness";

const fixtures = path.join(__dirname, "..", "fixtures", "notebooks");
const fixture = (name: string) => path.join(fixtures, name);

/** All stdout text of cell `index` in an executed notebook. */
function stdoutOf(executed: any, index: number): string {
  return (executed.cells[index].outputs ?? [])
    .filter((o: any) => o.output_type === "stream" && o.name === "stdout")
    .map((o: any) => (Array.isArray(o.text) ? o.text.join("") : o.text))
    .join("");
}

describe.skipIf(!hasJupyter())("runNotebook", () => {
  test("the smoke notebook imports micrograd-ts in the tslab kernel and computes 2·3 = 6", async () => {
    const r = await runNotebook(fixture("smoke.ipynb"));
    expect(r.ok).toBe(true);
    expect(r.cells.map((c) => [c.index, c.status, c.executionCount])).toEqual([
      [1, "ok", 1],
      [2, "ok", 2],
    ]);
    expect(stdoutOf(r.executed, 1)).toBe("product 6\n");
    expect(stdoutOf(r.executed, 2)).toBe("checked\n");
    expect(r.cells[0]!.source).toContain('import { Value } from "micrograd-ts"');
  });

  test("a throwing second cell is an error with its message; by default later cells are not run", async () => {
    const r = await runNotebook(fixture("second-cell-throws.ipynb"));
    expect(r.ok).toBe(false);
    expect(r.cells.map((c) => c.status)).toEqual(["ok", "error", "not-run", "not-run"]);
    const failed = r.cells[1]!;
    expect(failed.index).toBe(2);
    expect(failed.message).toContain("Error: boom from cell two");
    // Node's and tslab's own stack frames are noise for a learner.
    expect(failed.message).not.toMatch(/node_modules\/tslab|node:vm/);
    expect(r.cells[2]!.message).toBe("not run: cell 3 failed");
    expect(r.executed.cells[3].outputs).toEqual([]);
    expect(cellLabel(failed)).toBe("cell 3 (In [2])");
    expect(describeFailures(r)).toBe(`${r.notebook}, cell 3 (In [2]): ${failed.message}`);
  });

  test("continueOnError really runs the cells after a failure, with no pause (the kernel honours nbclient's stop_on_error=False)", async () => {
    const r = await runNotebook(fixture("second-cell-throws.ipynb"), { continueOnError: true });
    expect(r.ok).toBe(false);
    expect(r.cells.map((c) => c.status)).toEqual(["ok", "error", "ok", "ok"]);
    // State from cell 1 survives the failure: x = 1, then 2, then printed ×10.
    expect(stdoutOf(r.executed, 3)).toBe("third 2\n");
    expect(stdoutOf(r.executed, 4)).toBe("fourth 20\n");
  });

  test("a throwing cell is Jupyter's error output (ename, evalue, a traceback at the cell's line), and the message is that traceback", async () => {
    const r = await runNotebook(fixture("second-cell-throws.ipynb"));
    const cell = r.executed.cells[2]!;
    const errors = cell.cell_type === "code" ? cell.outputs.filter((o) => o.output_type === "error") : [];
    expect(errors).toEqual([
      {
        output_type: "error",
        ename: "Error",
        evalue: "boom from cell two",
        traceback: ["Error: boom from cell two", "    at Cell In[2]:1:7", '      1 | throw new Error("boom from cell two");', "        |       ^"],
      },
    ]);
    // Nothing on stderr: the error is said once, as an error.
    expect(cell.cell_type === "code" && cell.outputs.filter((o) => o.output_type === "stream")).toEqual([]);
    expect(r.cells[1]!.message).toBe("Error: boom from cell two\n    at Cell In[2]:1:7");
  });

  test("a cell tagged raises-exception may fail (Jupyter's convention), and the next cell still runs", async () => {
    const r = await runNotebook(fixture("expected-error.ipynb"));
    expect(r.cells.map((c) => c.status)).toEqual(["ok", "ok"]);
    expect(r.ok).toBe(true);
    expect(stdoutOf(r.executed, 1)).toBe("after the expected error\n");
  });

  test("output a cell shows after it has finished (an un-awaited promise) fails the cell instead of vanishing", async () => {
    const r = await runNotebook(fixture("late-output.ipynb"));
    expect(r.ok).toBe(false);
    expect(r.cells.map((c) => c.status)).toEqual(["error"]);
    expect(r.cells[0]!.message).toBe(
      "cell 1 showed output (stream) after it had finished, so the output lands in another cell or nowhere: " +
        "something in the cell was not awaited (e.g. a display of a Promise); it said: too late",
    );
    expect(stdoutOf(r.executed, 0)).toBe("on time\n");
  });

  test("a cell that runs too long is stopped, named, and the rest is not run", async () => {
    const r = await runNotebook(fixture("infinite-loop.ipynb"), { timeout: 3, continueOnError: true });
    expect(r.ok).toBe(false);
    expect(r.cells.map((c) => c.status)).toEqual(["ok", "timeout", "not-run"]);
    expect(r.cells[1]!.message).toBe("cell 2 timed out after 3 s: while (true) {}");
    expect(r.cells[2]!.message).toBe("not run: the kernel was stopped after cell 2 timed out");
    expect(r.seconds).toBeLessThan(30);
  });

  test("bad input is a clear Error, not a Python traceback", async () => {
    const malformed = fixture("not-a-notebook.ipynb");
    await expect(runNotebook(malformed)).rejects.toThrow(
      `${malformed} is not a notebook: invalid JSON at line 1, column 31 (Expected double-quoted property name)`,
    );
    const error = await runNotebook(malformed).catch((e: Error) => e);
    expect(String((error as Error).message)).not.toContain("Traceback");

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bad-nb-"));
    const notNotebook = path.join(dir, "list.ipynb");
    fs.writeFileSync(notNotebook, "[1, 2, 3]");
    await expect(runNotebook(notNotebook)).rejects.toThrow(`${notNotebook} is not a notebook: a .ipynb file is a JSON object`);
    await expect(runNotebook(path.join(dir, "missing.ipynb"))).rejects.toThrow("missing.ipynb: no such file");
    await expect(runNotebook(fixture("smoke.ipynb"), { timeout: 0 })).rejects.toThrow("timeout must be a whole number");
  });

  test("a cell printing 10,000 lines keeps every line, in order (tslab's one message per write used to lose ~95%)", async () => {
    const r = await runNotebook(fixture("ten-thousand-lines.ipynb"), { timeout: 120 });
    expect(r.ok, describeFailures(r)).toBe(true);
    const code = r.executed.cells[0]!;
    const text = code.cell_type === "code" ? code.outputs.map((o) => (o.output_type === "stream" ? joinLines(o.text) : "")).join("") : "";
    const lines = text.split("\n").filter(Boolean);
    expect(lines).toHaveLength(10_000);
    expect(lines.every((line, i) => line === `line ${i + 1}`)).toBe(true);
    // …and the rendered page shows all of them.
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "ten-thousand-"));
    const rendered = await renderSite({ notebooks: [fixture("ten-thousand-lines.ipynb")], lessonsDir: fixtures, outDir: out, cacheDir: null, log: () => {}, execute: async () => r });
    expect(rendered.failures).toEqual([]);
    const page = fs.readFileSync(path.join(out, "ten-thousand-lines.html"), "utf8");
    expect((page.match(/line \d+/g) ?? []).length).toBe(10_000);
    expect(page).toContain("line 10000");
  });

  test("an awaited show() of a drawing that fails fails its cell (render and check use this run)", async () => {
    const r = await runNotebook(fixture("awaited-show-fails.ipynb"), { timeout: 60, continueOnError: true });
    expect(r.ok).toBe(false);
    expect(r.cells.map((c) => c.status)).toEqual(["ok", "error", "ok"]);
    expect(r.cells[1]!.message).toMatch(/maxNodes/);
  });

  test("an exception thrown by a timer after its cell finished fails the run, naming the error", async () => {
    const r = await runNotebook(fixture("late-throw.ipynb"), { timeout: 30 });
    expect(r.ok).toBe(false);
    // tslab prints it under the cell running when the timer fires: usually the second one, or,
    // when the second request arrives late (a busy machine), the first, after it finished.
    const failed = r.cells.filter((c) => c.status === "error");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toMatch(/UncaughtException: Error: late boom/);
    expect(failed[0]!.message).toMatch(/thrown outside cell 2's own code: by a timer or callback|cell 1 showed output \(stream\) after it had finished/);
  });

  test("stopping the runner (SIGTERM) shuts its busy kernel down: no kernel is left spinning", async () => {
    const run = runNotebook(fixture("infinite-loop.ipynb"), { timeout: 120 });
    const ours = () => runnersAndKernels(process.pid); // this test process's runner and its kernel
    const deadline = Date.now() + 60_000;
    let kernels: number[] = [];
    while (kernels.length === 0 && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 200));
      kernels = ours().kernels;
    }
    expect(kernels).toHaveLength(1);
    await new Promise((res) => setTimeout(res, 3000)); // the endless cell is running now
    const stopped = expect(run).rejects.toThrow(/stopped by a signal: the kernel was shut down/);
    await stopRunningNotebooks();
    await stopped;
    const alive = (pid: number) => processes().some((p) => p.pid === pid);
    const end = Date.now() + 15_000;
    while (alive(kernels[0]!) && Date.now() < end) await new Promise((res) => setTimeout(res, 200));
    expect(alive(kernels[0]!)).toBe(false);
    expect(ours().runners).toEqual([]);
  });

  test("a whole-notebook limit stops a notebook that takes too long, naming what it was doing", async () => {
    await expect(runNotebook(fixture("infinite-loop.ipynb"), { timeout: 120, limit: 8 })).rejects.toThrow(
      /infinite-loop\.ipynb: stopped after 8 s \(the limit for a whole notebook\) while running cell 2 of 3$/,
    );
  });
});
