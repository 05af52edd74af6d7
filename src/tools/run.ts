/**
 * The one notebook executor: render, check and the tests all run notebooks through here, so the
 * handling of tslab's quirks and the timeouts live in one place.
 *
 * The notebook is read and validated here (ipynb/), then executed by nbclient (Jupyter's own
 * executor) in run_notebook.py, which sends the cells one at a time and reports every cell's fate.
 * The kernel reports results and errors as Jupyter says (src/kernel/preload.ts): a failed cell's
 * message is the traceback of its execute_reply. What remains of tslab's habits
 * (docs/architecture.md, "tslab"): an "aborted" reply, which nbclient counts as success, is a
 * failure here; and output that arrives after its cell has finished (an un-awaited Promise) is
 * reported as that cell's error, not dropped.
 */
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Notebook, sourceText, validateNotebook } from "../ipynb/notebook.js";
import { readNotebook } from "../ipynb/read.js";
import { packageRoot, readJsonIfValid } from "./files.js";
import { prepareJupyter } from "./jupyter.js";
import { lastLines, spawnCollect } from "./processes.js";

export type CellStatus = "ok" | "error" | "aborted" | "not-run" | "timeout";

export interface CellReport {
  /** 0-based index in nb.cells (markdown cells count too). */
  index: number;
  executionCount: number | null;
  status: CellStatus;
  /** Error text: the kernel's traceback (`ename: evalue`, then the frames: `at Cell In[n]:line:column`). */
  message?: string;
  source: string;
}

export interface RunResult {
  notebook: string;
  /** True when every code cell ran and succeeded. */
  ok: boolean;
  /** Code cells only, in notebook order. */
  cells: CellReport[];
  /** The executed notebook, outputs included. */
  executed: Notebook;
  seconds: number;
}

export interface RunOptions {
  /** Seconds a single cell may run; default 60. */
  timeout?: number;
  /** Keep going after a failed cell (check does); default false: later cells are "not-run". */
  continueOnError?: boolean;
  /** The kernel's working directory; default the notebook's folder, as in Jupyter. */
  cwd?: string;
  /** Seconds the whole notebook may take, kernel start to last output; default 900. */
  limit?: number;
  /** The kernel to run it with (default "tslab"); grading passes its confined kernel (tools/confine.ts). */
  kernel?: string;
  /** Variables added to the runner's environment (grading: where its kernelspec is). */
  env?: NodeJS.ProcessEnv;
  /** Told what the runner is doing as it goes ("running cell 4 of 30"), for progress lines. */
  onPhase?: (phase: string) => void;
}

/** How a notebook is executed: runNotebook, or in tests a stand-in that replays a result. */
export type Executor = (notebook: string, options?: RunOptions) => Promise<RunResult>;

/** What run_notebook.py writes: one report per code cell, or why it could not run at all. */
type DriverResult = { cells: Omit<CellReport, "source">[]; executed: unknown } | { error: string };

const DRIVER = ["src", "tools", "run_notebook.py"];

/** Runners still going, so that a stopped command can stop them (see stopRunningNotebooks). */
const running = new Set<ChildProcess>();

/** Execute a notebook with the tslab kernel and report every code cell. Throws on unreadable input. */
export async function runNotebook(notebook: string, options: RunOptions = {}): Promise<RunResult> {
  const { timeout = 60, continueOnError = false, limit = 900 } = options;
  if (!Number.isInteger(timeout) || timeout < 1) {
    throw new Error(`timeout must be a whole number of seconds ≥ 1, got ${timeout}`);
  }
  if (!(limit > 0)) throw new Error(`limit must be a number of seconds > 0, got ${limit}`);
  const file = path.resolve(notebook);
  const nb = readNotebook(notebook);
  const cwd = path.resolve(options.cwd ?? path.dirname(file));

  const started = performance.now();
  const jupyter = prepareJupyter();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "micrograd-run-"));
  const input = path.join(tmp, "notebook.ipynb");
  const out = path.join(tmp, "result.json");
  try {
    fs.writeFileSync(input, JSON.stringify(nb));
    const args = [path.join(packageRoot(), ...DRIVER), input, "--out", out, "--timeout", String(timeout), "--cwd", cwd];
    if (continueOnError) args.push("--continue-on-error");
    if (options.kernel) args.push("--kernel", options.kernel);
    let phase = "starting the notebook runner";
    let overdue: string | undefined; // the phase the limit caught it in
    let timer: NodeJS.Timeout | undefined;
    const { code, stderr } = await spawnCollect(jupyter.python, args, {
      env: { ...jupyter.env, ...options.env },
      keepStdout: false, // the kernel inherits the runner's stdout
      started: (child) => {
        running.add(child);
        child.on("close", () => running.delete(child));
        // A whole-notebook limit: a cell timeout alone can't stop a notebook that is slow everywhere.
        timer = setTimeout(() => {
          overdue = phase;
          child.kill("SIGTERM"); // the runner shuts its kernel down
        }, limit * 1000);
      },
      onStderrLine: (line) => {
        if (!line.startsWith("@phase ")) return;
        phase = line.slice(7);
        options.onPhase?.(phase);
      },
    }).finally(() => clearTimeout(timer));
    if (overdue !== undefined) {
      throw new Error(`${notebook}: stopped after ${limit} s (the limit for a whole notebook) while ${overdue}`);
    }
    const result = readJsonIfValid(out) as DriverResult | undefined;
    if (!result) {
      const log = stderr.split("\n").filter((l) => !l.startsWith("@phase ")).join("\n");
      throw new Error(`${notebook}: the notebook runner stopped (exit code ${code}) while ${phase}, without a result:\n${lastLines(log)}`);
    }
    if ("error" in result) throw new Error(`${notebook}: ${result.error}`);
    const executed = validateNotebook(result.executed, notebook);
    const cells = result.cells.map((c) => ({ ...c, source: executed.cells[c.index] ? sourceText(executed.cells[c.index]!) : "" }));
    return {
      notebook,
      ok: cells.every((c) => c.status === "ok"),
      cells,
      executed,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Stop every notebook runner this process started: each shuts its kernel down and exits, and its
 * temporary folder is removed. Resolves when all are gone (at most `seconds`, then they are killed).
 */
export async function stopRunningNotebooks(seconds = 10): Promise<void> {
  const children = [...running];
  const closed = children.map((child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("close", () => resolve()))));
  for (const child of children) child.kill("SIGTERM");
  const timer = setTimeout(() => children.forEach((c) => c.kill("SIGKILL")), seconds * 1000);
  await Promise.all(closed);
  clearTimeout(timer);
  await new Promise((resolve) => setImmediate(resolve)); // let runNotebook's cleanup run
}

/** One line per failed cell: "<notebook>, cell <n>: <message>", for people to read. */
export function describeFailures(result: Pick<RunResult, "notebook" | "cells">): string {
  return result.cells
    .filter((c) => c.status !== "ok" && c.status !== "not-run")
    .map((c) => `${result.notebook}, ${cellLabel(c)}: ${c.message ?? c.status}`)
    .join("\n");
}

/** "cell 3 (In [2])": the position among all cells, 1-based, and the prompt Jupyter shows. */
export function cellLabel(cell: Pick<CellReport, "index" | "executionCount">): string {
  const prompt = cell.executionCount == null ? "" : ` (In [${cell.executionCount}])`;
  return `cell ${cell.index + 1}${prompt}`;
}
