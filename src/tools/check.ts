/**
 * `npm run check -- <notebook…>`: run each notebook headless and report every exercise.
 *
 * An exercise is a check cell (nbgrader `grade: true`): it passes when that cell ran without an
 * error. The notebook runs to the end even after a failure (tools/run waits out tslab's abort
 * window), so a later exercise is judged on its own. A check cell that never ran (aborted, or
 * after a timeout stopped the kernel) is "not run", which is a failure, never a pass.
 * Exit code 0 only when every exercise of every notebook passed.
 */
import { type Notebook, NotebookError, readNotebook } from "../notebook/ipynb.js";
import { type GradedCell, formatProblem, gradedCells, isCheckCell, isSolutionCell, validate } from "../notebook/nbgrader.js";
import { type CellReport, type RunResult, runNotebook } from "./run.js";

export type ExerciseStatus = "pass" | "fail" | "not-run" | "timeout";

export interface ExerciseReport {
  gradeId: string;
  points: number;
  status: ExerciseStatus;
  /** Why it did not pass: the first lines of the error. */
  message?: string;
}

export interface NotebookReport {
  notebook: string;
  /** Set when the notebook could not be checked at all (missing, malformed, kernel trouble). */
  error?: string;
  exercises: ExerciseReport[];
  earned: number;
  total: number;
  ok: boolean;
}

export interface CheckOptions {
  /** Seconds a cell may run (default 60). */
  timeout?: number;
  /** Folder the kernel starts in (default: the notebook's folder, as Jupyter does). */
  cwd?: string;
  /** The executor (default tools/run's runNotebook); tests pass a wrapper to look at the run. */
  run?: typeof runNotebook;
}

/**
 * The lines of an error worth showing, at most `max`: from the "SomethingError: …" line on when
 * there is one (Node may put the source line that threw, with a ^ under it, before it), without
 * stack frames, blank lines, or the [brackets] Node puts around an error that has no frames.
 */
export function firstLines(text: string, max = 3): string {
  let body = text.trim();
  if (body.startsWith("[") && body.endsWith("]")) body = body.slice(1, -1);
  let lines = body
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "" && !/^\s+at\s/.test(l));
  const start = lines.findIndex((l) => /^\[?([A-Za-z_$][\w$]*)?(Error|Exception)( \[\w+\])?:/.test(l));
  if (start > 0) lines = lines.slice(start);
  if (lines[0]?.startsWith("[")) lines[0] = lines[0].slice(1);
  const shown = lines.slice(0, max);
  if (lines.length > max) shown.push("…");
  return shown.join("\n");
}

/** Execute one notebook and judge each of its exercises. Never throws for a bad notebook. */
export async function checkNotebook(file: string, options: CheckOptions = {}): Promise<NotebookReport> {
  const report: NotebookReport = { notebook: file, exercises: [], earned: 0, total: 0, ok: false };
  let nb: Notebook;
  try {
    nb = readNotebook(file);
  } catch (e) {
    return { ...report, error: e instanceof NotebookError ? e.message : String(e) };
  }
  // A learner copy has stubs instead of markers: only problems with the exercise cells matter here.
  const problems = validate(nb, { notebook: file, role: "submission" });
  if (problems.length > 0) return { ...report, error: problems.map(formatProblem).join("\n") };

  const graded = gradedCells(nb);
  report.total = graded.reduce((sum, g) => sum + g.points, 0);
  if (graded.length === 0) return { ...report, ok: true };

  let run: RunResult;
  try {
    const execute = options.run ?? runNotebook;
    run = await execute(file, { continueOnError: true, timeout: options.timeout, cwd: options.cwd });
  } catch (e) {
    const why = firstLines(e instanceof Error ? e.message : String(e), 1).replace("\n…", " …");
    return { ...report, error: why.includes(file) ? why : `${file}: ${why}` };
  }
  const byIndex = new Map(run.cells.map((c) => [c.index, c]));
  const isSolution = (c: CellReport) => isSolutionCell(nb.cells[c.index]);
  report.exercises = graded.map((g, i) => judge(g, byIndex, () => rootCause(nb, graded, i, byIndex), isSolution));
  report.earned = report.exercises.reduce((sum, e) => sum + (e.status === "pass" ? e.points : 0), 0);
  report.ok = report.exercises.every((e) => e.status === "pass");
  return report;
}

/**
 * The cell whose failure most likely explains why the i-th check failed: a failed answer cell of
 * this exercise (since the previous check), else the first failed cell before it that is not a check
 * (say the import cell). Check cells define nothing later cells need, so their failures are skipped.
 */
function rootCause(nb: Notebook, graded: GradedCell[], i: number, byIndex: Map<number, CellReport>): CellReport | undefined {
  const failed = (k: number) => {
    const r = byIndex.get(k);
    return r && r.status !== "ok" && r.status !== "not-run" && !isCheckCell(nb.cells[k]) ? r : undefined;
  };
  const from = i === 0 ? 0 : graded[i - 1].index + 1;
  for (let k = from; k < graded[i].index; k++) if (isSolutionCell(nb.cells[k]) && failed(k)) return failed(k);
  for (let k = 0; k < graded[i].index; k++) if (failed(k)) return failed(k);
  return undefined;
}

function judge(
  g: GradedCell,
  byIndex: Map<number, CellReport>,
  cause: () => CellReport | undefined,
  isSolution: (c: CellReport) => boolean,
): ExerciseReport {
  const base = { gradeId: g.gradeId, points: g.points };
  const cell = byIndex.get(g.index);
  if (!cell) return { ...base, status: "not-run", message: "not run: the executor did not report this cell" };
  switch (cell.status) {
    case "ok":
      return { ...base, status: "pass" };
    case "timeout":
      return { ...base, status: "timeout", message: firstLines(cell.message ?? "timed out") };
    case "aborted":
    case "not-run":
      return { ...base, status: "not-run", message: firstLines(cell.message ?? "not run") };
    default: {
      // The check's own error is often a consequence ("Cannot find name 'x'"): name the cause too.
      const own = firstLines(cell.message ?? "failed with no message");
      const earlier = cause();
      if (!earlier) return { ...base, status: "fail", message: own };
      const kind = isSolution(earlier) ? "the answer cell" : "cell";
      const why = firstLines(earlier.message ?? earlier.status, 1).replace("\n…", " …");
      return { ...base, status: "fail", message: `${own}\n(${kind} ${earlier.index + 1} failed first: ${why})` };
    }
  }
}

const MARK: Record<ExerciseStatus, string> = { pass: "✓", fail: "✗", "not-run": "✗", timeout: "✗" };

/** The human report of one notebook. Errors already name the notebook (and the cell). */
export function formatReport(r: NotebookReport): string {
  if (r.error) return r.error.split("\n").map((l) => `error: ${l}`).join("\n");
  if (r.exercises.length === 0) return `${r.notebook}\n  no exercises in this notebook (no check cells): nothing to check`;
  const width = Math.max(...r.exercises.map((e) => e.gradeId.length));
  const lines = [r.notebook];
  for (const e of r.exercises) {
    const pts = `${e.status === "pass" ? e.points : 0}/${e.points} pt${e.points === 1 ? "" : "s"}`;
    const label = e.status === "not-run" ? "  not run" : e.status === "timeout" ? "  timeout" : "";
    lines.push(`  ${MARK[e.status]} ${e.gradeId.padEnd(width)}  ${pts}${label}`);
    if (e.message && e.status !== "pass") {
      for (const l of e.message.split("\n")) lines.push(`      ${l}`);
    }
  }
  const passed = r.exercises.filter((e) => e.status === "pass").length;
  lines.push(`  ${r.earned}/${r.total} points, ${passed} of ${r.exercises.length} exercises pass`);
  return lines.join("\n");
}

const USAGE = "usage: npm run check -- [--timeout SECONDS] NOTEBOOK.ipynb…";

/** Parse the command line; a string is a usage error. */
export function parseArgs(argv: string[]): { files: string[]; timeout?: number } | string {
  const files: string[] = [];
  let timeout: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--timeout" || arg.startsWith("--timeout=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++i];
      timeout = Number(value);
      if (value === undefined || value === "" || !Number.isInteger(timeout) || timeout < 1) {
        return `--timeout needs a whole number of seconds ≥ 1, got ${JSON.stringify(value ?? "")}`;
      }
    } else if (arg === "--help" || arg === "-h") {
      return USAGE;
    } else if (arg.startsWith("-")) {
      return `unknown option ${arg}\n${USAGE}`;
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) return `which notebook? ${USAGE}`;
  return { files, timeout };
}

/** The command. Notebooks run two at a time; reports print in the order given. */
export async function main(argv = process.argv.slice(2)): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    console.error(args);
    return 2;
  }
  const reports = await mapLimit(args.files, 2, (f) => checkNotebook(f, { timeout: args.timeout }));
  for (const r of reports) (r.error ? console.error : console.log)(formatReport(r));
  if (reports.filter((r) => !r.error).length > 1) {
    const earned = reports.reduce((s, r) => s + r.earned, 0);
    const total = reports.reduce((s, r) => s + r.total, 0);
    console.log(`total: ${earned}/${total} points in ${reports.length} notebooks`);
  }
  return reports.every((r) => r.ok) ? 0 : 1;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error(`check failed: ${e instanceof Error ? e.message : e}`);
      process.exitCode = 1;
    },
  );
}
