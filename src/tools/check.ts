/**
 * `npm run check -- [--lessons DIR] [--timeout S] NOTEBOOK…`: grade learners' notebooks, exercise
 * by exercise, against their lessons.
 *
 * A submission is graded against its lesson (found by the name \`npm run exercises\` stamps in it,
 * else by its file name, in notebooks/): the lesson's check cells and points are what count, and
 * only the learner's answer cells are taken from the submission (ipynb/submission.ts). An
 * exercise passes when its check cell ran without an error. The notebook runs to the end even
 * after a failure (tools/run waits out tslab's abort window), so a later exercise is judged on its
 * own; a check cell that never ran (aborted, or after a timeout stopped the kernel) is "not run",
 * a failure. Exit code 0 only when every exercise of every notebook passed.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { isStubAdvice } from "../ipynb/stub.js";
import { type GradedCell, formatProblem, gradedCells, isCheckCell, isSolutionCell, validate } from "../ipynb/nbgrader.js";
import { type Notebook, NotebookError, serializeNotebook, sourceText, toSourceLines } from "../ipynb/notebook.js";
import { readNotebook } from "../ipynb/read.js";
import { assembleSubmission, withoutRebindLine } from "../ipynb/submission.js";
import { type Sandbox, libraryDigest, makeGradingKernel } from "./confine.js";
import { packageRoot, writeAtomic } from "./files.js";
import { type ClassFormat, classOutputs } from "./gradebook.js";
import { expandNotebooks } from "./submissions.js";
import { mapLimit } from "./processes.js";
import { type CellReport, type Executor, type RunResult, runNotebook, stopRunningNotebooks } from "./run.js";

export type ExerciseStatus = "pass" | "fail" | "not-run" | "timeout";

export interface ExerciseReport {
  gradeId: string;
  points: number;
  status: ExerciseStatus;
  /** Why it did not pass: the first lines of the error. */
  message?: string;
  /** Said in the notebook's notes too (tampering found). */
  note?: string;
}

export interface NotebookReport {
  notebook: string;
  /** The name of the lesson it was graded against. */
  lesson?: string;
  /** How the submission's kernel was confined (tools/confine.ts). */
  sandbox?: Sandbox;
  /** Set when the notebook could not be checked at all (missing, malformed, no lesson, kernel trouble). */
  error?: string;
  /** What grading ignored or repaired in the submission (changed checks, extra cells, …). */
  notes: string[];
  exercises: ExerciseReport[];
  earned: number;
  total: number;
  ok: boolean;
}

export interface GradeOptions {
  /** Where the lessons are (default <project>/notebooks). */
  lessonsDir?: string;
  /** Seconds a cell may run (default 60). */
  timeout?: number;
  /** The executor (default tools/run's runNotebook); tests pass one that replays or records a run. */
  run?: Executor;
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
    // The kernel's advice under a stub's error names the cell by its In[n]: the report names cells its own way.
    .filter((l) => l.trim() !== "" && !/^\s+at\s/.test(l) && !isStubAdvice(l));
  const start = lines.findIndex((l) => /^\[?([A-Za-z_$][\w$]*)?(Error|Exception)( \[\w+\])?:/.test(l));
  if (start > 0) lines = lines.slice(start);
  if (lines[0]?.startsWith("[")) lines[0] = lines[0].slice(1);
  const shown = lines.slice(0, max);
  if (lines.length > max) shown.push("…");
  return shown.join("\n");
}

/** A lesson's name: a file name in the lessons folder, without ".ipynb" (never a path). */
export const LESSON_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface FoundLesson {
  /** The lesson file, inside the lessons folder. */
  file: string;
  /** Its name (the file name without .ipynb). */
  name: string;
  /** Said when the file name and the stamp disagree (the stamp wins). */
  note?: string;
}

/**
 * The lesson a submission belongs to: the name stamped by `npm run exercises`, else its file name,
 * always a notebook directly inside `lessonsDir`. A stamp that is not a plain name (a path, "..")
 * is refused: it would let a submission pick its own checks.
 */
export function findLesson(submission: Notebook, file: string, lessonsDir: string): FoundLesson {
  const stamp = submission.metadata.micrograd_ts;
  const stamped = typeof stamp === "object" && stamp !== null && !Array.isArray(stamp) ? stamp.lesson : undefined;
  const fileName = path.basename(file).replace(/\.ipynb$/i, "");
  const inside = (name: string) => {
    const lesson = path.join(lessonsDir, `${name}.ipynb`);
    return LESSON_NAME.test(name) && !name.includes("..") && path.dirname(lesson) === path.resolve(lessonsDir) && fs.existsSync(lesson) && fs.statSync(lesson).isFile() ? lesson : undefined;
  };
  if (stamped !== undefined) {
    if (typeof stamped !== "string" || !LESSON_NAME.test(stamped) || stamped.includes("..")) {
      throw new NotebookError(`${file}: its metadata names the lesson ${JSON.stringify(stamped)}, which is not a lesson's name (a lesson is named, never a path): refusing to grade it`);
    }
    const lesson = inside(stamped);
    if (!lesson) {
      throw new NotebookError(`${file}: its metadata names the lesson "${stamped}", and there is no ${stamped}.ipynb in ${lessonsDir} (pass --lessons DIR if the lessons are elsewhere)`);
    }
    const note = fileName !== stamped ? `the file is named ${path.basename(file)} but its metadata says it is a copy of ${stamped}: graded against ${stamped}` : undefined;
    return { file: lesson, name: stamped, note };
  }
  const lesson = inside(fileName);
  if (lesson) return { file: lesson, name: fileName };
  throw new NotebookError(
    `${file}: cannot tell which lesson it belongs to: it has no lesson stamp and no lesson named "${fileName}.ipynb" is in ${lessonsDir} ` +
      "(keep the lesson's file name, or pass --lessons DIR)",
  );
}

/** A submission is read only when it is a plain file: a symbolic link (to /etc/passwd, say) is refused unread. */
export function readSubmission(file: string): Notebook {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    throw new NotebookError(`${file}: no such file`);
  }
  if (stat.isSymbolicLink()) throw new NotebookError(`${file}: is a symbolic link: refusing to grade it (grade the notebook file itself)`);
  if (stat.isDirectory()) throw new NotebookError(`${file}: is a folder, not a notebook`);
  if (!stat.isFile()) throw new NotebookError(`${file}: is not a regular file: refusing to grade it`);
  return readNotebook(file);
}

/** Execute a submission as its lesson says, and judge each exercise. Never throws for a bad notebook. */
export async function gradeNotebook(file: string, options: GradeOptions = {}): Promise<NotebookReport> {
  const report: NotebookReport = { notebook: file, notes: [], exercises: [], earned: 0, total: 0, ok: false };
  const lessonsDir = options.lessonsDir ?? path.join(packageRoot(), "notebooks");
  let lesson: Notebook;
  let submission: Notebook;
  try {
    submission = readSubmission(file);
    const found = findLesson(submission, file, lessonsDir);
    report.lesson = found.name;
    if (found.note) report.notes.push(found.note);
    lesson = readNotebook(found.file);
  } catch (e) {
    return { ...report, error: e instanceof NotebookError ? e.message : String(e) };
  }
  const problems = validate(lesson, { notebook: `${report.lesson}.ipynb`, role: "lesson" });
  if (problems.length > 0) return { ...report, error: problems.map(formatProblem).join("\n") };
  const kernelName = (submission.metadata.kernelspec as { name?: unknown } | undefined)?.name;
  if (kernelName !== undefined && kernelName !== "tslab") report.notes.push(`its kernel is ${JSON.stringify(kernelName)}: graded with the TypeScript kernel (tslab)`);

  const { notebook, notes } = assembleSubmission(lesson, submission);
  report.notes.push(...notes);
  const graded = gradedCells(notebook);
  report.total = graded.reduce((sum, g) => sum + g.points, 0);
  if (graded.length === 0) return { ...report, error: `${file}: the lesson ${report.lesson} has no exercises (no check cells): nothing to grade it on` };

  // Each check cell gets a nonce on its first line; the confined kernel signs its verdict on it.
  const nonces = new Map<string, number>();
  for (const g of graded) {
    const nonce = crypto.randomBytes(16).toString("hex");
    nonces.set(nonce, g.index);
    const cell = notebook.cells[g.index]!;
    const [first, ...rest] = sourceText(cell).split("\n");
    cell.source = toSourceLines([`${first} //@micrograd-check ${nonce}`, ...rest].join("\n"));
  }
  const changed = libraryChanged();
  if (changed) return { ...report, error: `${file}: not graded: ${changed}` };
  const secret = crypto.randomBytes(32);
  const kernel = makeGradingKernel(secret);
  trackRunDir(kernel.runDir);
  report.sandbox = kernel.sandbox;
  const assembled = path.join(kernel.runDir, path.basename(file));
  let run: RunResult;
  let verdicts: Map<number, Verdict>;
  try {
    fs.writeFileSync(assembled, serializeNotebook(notebook));
    const execute = options.run ?? runNotebook;
    run = await execute(assembled, { continueOnError: true, timeout: options.timeout, cwd: kernel.workDir, kernel: kernel.kernelName, env: kernel.env });
    verdicts = readVerdicts(path.join(kernel.gradingDir, "records"), secret, nonces);
  } catch (e) {
    const why = firstLines(e instanceof Error ? e.message : String(e), 1).replace("\n…", " …").replaceAll(assembled, file);
    return { ...report, error: why.includes(file) ? why : `${file}: ${why}` };
  } finally {
    fs.rmSync(kernel.runDir, { recursive: true, force: true });
    untrackRunDir(kernel.runDir);
  }
  const after = libraryChanged();
  if (after) return { ...report, error: `${file}: its grade is void: ${after}` };
  const cells = run.cells.map((c) => (isCheckCell(lesson.cells[c.index]!) && c.message ? { ...c, message: withoutNonce(withoutRebindLine(c.message, sourceText(lesson.cells[c.index]!))) } : c));
  report.exercises = judgeRun(notebook, graded, cells, verdicts);
  for (const e of report.exercises) if (e.note) report.notes.push(e.note);
  report.earned = report.exercises.reduce((sum, e) => sum + (e.status === "pass" ? e.points : 0), 0);
  report.ok = report.exercises.every((e) => e.status === "pass");
  return report;
}

/** A check cell's verdict as the grading kernel signed it (tools/../kernel/grading.ts). */
export interface Verdict {
  verdict: "pass" | "fail" | "tampered";
  detail: string;
}

/** The authentic verdict records, by check cell index: lines whose HMAC matches the run's secret. */
export function readVerdicts(file: string, secret: Buffer, nonces: Map<string, number>): Map<number, Verdict> {
  const verdicts = new Map<number, Verdict>();
  let text = "";
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return verdicts; // no record: nothing passed
  }
  for (const line of text.split("\n")) {
    const m = /^([0-9a-f]{32}) (pass|fail|tampered) ([A-Za-z0-9+/=]*) ([0-9a-f]{64})$/.exec(line);
    if (!m) continue;
    const signed = `${m[1]} ${m[2]} ${m[3]}`;
    const mac = crypto.createHmac("sha256", secret).update(signed).digest();
    const given = Buffer.from(m[4]!, "hex");
    const index = nonces.get(m[1]!);
    if (index === undefined || given.length !== mac.length || !crypto.timingSafeEqual(mac, given)) continue;
    const v: Verdict = { verdict: m[2] as Verdict["verdict"], detail: Buffer.from(m[3]!, "base64").toString("utf8") };
    // A cell is judged by its worst authentic record (it runs once; a second record is suspicious).
    const had = verdicts.get(index);
    if (!had || had.verdict === "pass") verdicts.set(index, v);
  }
  return verdicts;
}

function withoutNonce(message: string): string {
  return message.replace(/ ?\/\/@micrograd-check [0-9a-f]{32}/g, "");
}

/** The library's digest when this process graded its first submission. */
let firstLibrary: string | undefined;
/** Why the library can no longer be trusted (it changed since the first submission), or undefined. */
function libraryChanged(): string | undefined {
  const now = libraryDigest();
  firstLibrary ??= now;
  return now === firstLibrary ? undefined : "the library in dist/ changed since grading began (rebuild it with npm run build, check nothing else writes there, and grade again)";
}

/** Run folders of gradings under way, removed if the command is stopped. */
const runDirs = new Set<string>();
function trackRunDir(dir: string): void {
  runDirs.add(dir);
}
function untrackRunDir(dir: string): void {
  runDirs.delete(dir);
}
/** Remove the run folders of gradings still under way (the command was stopped). */
export function removeRunDirs(): void {
  for (const dir of runDirs) fs.rmSync(dir, { recursive: true, force: true });
  runDirs.clear();
}

/** Each exercise's verdict from the executed cells (pure: the tests feed it synthetic runs). */
/**
 * Each exercise's verdict from the executed cells (pure: the tests feed it synthetic runs). With
 * `verdicts` (a confined grading run) a check passes only with an authentic "pass" record: the
 * executor's "ok" alone could have been forged by an answer cell.
 */
export function judgeRun(nb: Notebook, graded: GradedCell[], cells: CellReport[], verdicts?: Map<number, Verdict>): ExerciseReport[] {
  const byIndex = new Map(cells.map((c) => [c.index, c]));
  const isSolution = (c: CellReport) => isSolutionCell(nb.cells[c.index]!);
  return graded.map((g, i) => {
    const r = judge(g, byIndex, () => rootCause(nb, graded, i, byIndex), isSolution);
    if (!verdicts) return r;
    const v = verdicts.get(g.index);
    if (v?.verdict === "tampered") {
      return { ...r, status: "fail", message: `✗ not graded: ${v.detail}`, note: `"${g.gradeId}" got 0: ${v.detail}` };
    }
    if (r.status !== "pass") return r;
    if (v?.verdict === "pass") return r;
    const why = v?.detail || "the kernel reported success, but the check's own record says it did not pass (an answer cell interfered with the kernel)";
    return { ...r, status: "fail", message: `✗ ${why}`, note: `"${g.gradeId}" got 0: ${why}` };
  });
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
  const lines = [`${r.notebook} (graded against the lesson ${r.lesson})`];
  for (const n of r.notes) lines.push(`  note: ${n}`);
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


const USAGE =
  "usage: npm run check -- [--lessons DIR] [--timeout SECONDS] [--jobs N] [--gradebook DIR] [--format gradescope|junit] [--out FILE] NOTEBOOK.ipynb|FOLDER|'PATTERN'…";

export interface CheckArgs {
  files: string[];
  timeout?: number;
  lessonsDir?: string;
  /** Submissions graded at once; default the number of cores. */
  jobs?: number;
  /** Write gradebook.csv and gradebook.json into this folder. */
  gradebook?: string;
  /** Also write Gradescope's results.json or a JUnit XML report (to `out`). */
  format?: ClassFormat;
  out?: string;
}

/** The command line as options; a string is a usage error to print. */
export function parseCheckArgs(argv: string[]): CheckArgs | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        timeout: { type: "string" },
        lessons: { type: "string" },
        jobs: { type: "string" },
        gradebook: { type: "string" },
        format: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    return `${(e as Error).message}\n${USAGE}`;
  }
  const { values, positionals } = parsed;
  if (values.help) return USAGE;
  let timeout: number | undefined;
  if (values.timeout !== undefined) {
    timeout = Number(values.timeout);
    if (values.timeout === "" || !Number.isInteger(timeout) || timeout < 1) {
      return `--timeout needs a whole number of seconds ≥ 1, got ${JSON.stringify(values.timeout)}`;
    }
  }
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) return `--jobs needs a whole number ≥ 1, got ${JSON.stringify(values.jobs)}`;
  }
  if (values.format !== undefined && values.format !== "gradescope" && values.format !== "junit") return `--format is gradescope or junit, got ${JSON.stringify(values.format)} (the CSV and JSON gradebook: --gradebook DIR)`;
  if (values.out !== undefined && values.format === undefined) return `--out names the file for --format gradescope|junit; the gradebook goes to --gradebook DIR`;
  if (positionals.length === 0) return `which notebook? ${USAGE}`;
  return { files: positionals, timeout, lessonsDir: values.lessons, jobs, gradebook: values.gradebook, format: values.format as ClassFormat | undefined, out: values.out };
}

/** The command. Notebooks run as many at a time as there are cores; reports print in the order given. */
export async function main(argv = process.argv.slice(2)): Promise<number> {
  const args = parseCheckArgs(argv);
  if (typeof args === "string") {
    console.error(args);
    return 2;
  }
  const options = { timeout: args.timeout, lessonsDir: args.lessonsDir && path.resolve(args.lessonsDir) };
  const files = expandNotebooks(args.files);
  const started = performance.now();
  const seconds: number[] = [];
  let done = 0;
  const reports = await mapLimit(files, args.jobs ?? os.cpus().length, async (f, i) => {
    const t0 = performance.now();
    const r = await gradeNotebook(f, options);
    seconds[i] = (performance.now() - t0) / 1000;
    done += 1;
    // A progress line for a class (on stderr, so stdout stays the report).
    if (files.length > 1) console.error(`[${done}/${files.length}] ${f}: ${r.error ? "could not be graded" : `${r.earned}/${r.total} points`} (${seconds[i]!.toFixed(1)} s)`);
    return r;
  });
  for (const r of reports) (r.error ? console.error : console.log)(formatReport(r));
  const elapsed = (performance.now() - started) / 1000;
  const outputs = classOutputs(
    reports.map((r, i) => ({ ...r, seconds: seconds[i] })),
    { gradebook: args.gradebook, format: args.format, out: args.out, seconds: elapsed },
  );
  if (outputs instanceof Error) {
    console.error(`check: ${outputs.message}`);
    return 2;
  }
  for (const [file, content] of outputs) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeAtomic(file, content);
    console.log(`wrote ${file}`);
  }
  if (reports.filter((r) => !r.error).length > 1) {
    const earned = reports.reduce((s, r) => s + r.earned, 0);
    const total = reports.reduce((s, r) => s + r.total, 0);
    console.log(`total: ${earned}/${total} points in ${reports.length} notebooks`);
  }
  return reports.every((r) => r.ok) ? 0 : 1;
}

/** Stopped (Ctrl-C, kill, a closed terminal): stop the runners and their kernels now, remove the run folders, exit. */
function stopOnSignals(): void {
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`check: ${why}: stopping the notebook runners and their kernels`);
    void stopRunningNotebooks(5).then(() => {
      removeRunDirs();
      process.exit(130);
    });
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, () => stop(signal));
  // npm may die without passing its signal on: a process whose parent is gone stops too.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stop("npm stopped"), 1000).unref();
}

if (require.main === module) {
  stopOnSignals();
  main().then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(`check failed: ${e instanceof Error ? e.message : e}`);
      process.exitCode = 1;
    },
  );
}
