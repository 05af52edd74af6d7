/**
 * The one notebook executor: render, check and the tests all run notebooks through here, so the
 * handling of tslab's quirks and the timeouts live in one place.
 *
 * The work is done by nbclient (Jupyter's own executor) in src/tools/run_notebook.py, which
 * sends the cells one at a time and reports every cell's fate. Two tslab habits make that
 * necessary (see DEVELOPERS.md): it reports errors on stderr with an execute_reply status of
 * "error" rather than as `error` outputs, and it answers requests arriving within ~200 ms of a
 * failure with "abort" and no output, which nbclient counts as success. Output that arrives after
 * its cell has finished (an un-awaited Promise) is reported as that cell's error, not dropped.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot, prepareJupyter } from "./jupyter.js";

export type CellStatus = "ok" | "error" | "aborted" | "not-run" | "timeout";

export interface CellReport {
  /** 0-based index in nb.cells (markdown cells count too). */
  index: number;
  executionCount: number | null;
  status: CellStatus;
  /** Error text: tslab's stderr or an error output, trimmed of Node/tslab internals. */
  message?: string;
  source: string;
}

export interface RunResult {
  notebook: string;
  /** True when every code cell ran and succeeded. */
  ok: boolean;
  /** Code cells only, in notebook order. */
  cells: CellReport[];
  /** The executed notebook JSON, outputs included. */
  executed: any;
  seconds: number;
}

export interface RunOptions {
  /** Seconds a single cell may run; default 60. */
  timeout?: number;
  /** Keep going after a failed cell (check does); default false: later cells are "not-run". */
  continueOnError?: boolean;
  /** The kernel's working directory; default the notebook's folder, as in Jupyter. */
  cwd?: string;
}

const DRIVER = ["src", "tools", "run_notebook.py"];

/** Execute a notebook with the tslab kernel and report every code cell. Throws on unreadable input. */
export async function runNotebook(notebook: string, options: RunOptions = {}): Promise<RunResult> {
  const { timeout = 60, continueOnError = false } = options;
  if (!Number.isInteger(timeout) || timeout < 1) {
    throw new Error(`timeout must be a whole number of seconds ≥ 1, got ${timeout}`);
  }
  const file = path.resolve(notebook);
  if (!fs.existsSync(file)) throw new Error(`${notebook}: no such notebook`);
  if (!fs.statSync(file).isFile()) throw new Error(`${notebook}: is a folder, not a notebook`);
  const cwd = path.resolve(options.cwd ?? path.dirname(file));

  const started = performance.now();
  const jupyter = prepareJupyter();
  const root = packageRoot();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "micrograd-run-"));
  const out = path.join(tmp, "result.json");
  try {
    const args = [path.join(root, ...DRIVER), notebook, "--out", out, "--timeout", String(timeout), "--cwd", cwd];
    if (continueOnError) args.push("--continue-on-error");
    const { code, stderr } = await spawnCollect(jupyter.python, args, jupyter.env);
    const result = readResult(out);
    if (!result) {
      throw new Error(`${notebook}: the notebook runner stopped (exit code ${code}) without a result:\n${tail(stderr)}`);
    }
    if (result.error) throw new Error(result.error);
    const executed = result.executed;
    const cells: CellReport[] = result.cells.map((c: Omit<CellReport, "source">) => ({
      ...c,
      source: joinSource(executed.cells[c.index]?.source),
    }));
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

/** One line per failed cell: "<notebook>, cell <n>: <message>", for people to read. */
export function describeFailures(result: RunResult): string {
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

function joinSource(source: unknown): string {
  return Array.isArray(source) ? source.join("") : typeof source === "string" ? source : "";
}

function readResult(file: string): any | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function tail(text: string, lines = 15): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/** Spawn and collect stderr (the kernel's logs, for diagnostics); stdout is the kernel's too. */
function spawnCollect(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stdout.on("data", () => {});
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 100_000) stderr = stderr.slice(-50_000);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}
