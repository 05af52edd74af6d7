/**
 * `npm run bench:class [-- --count N] [--jobs N] [--timeout S] [--lesson NAME] [--keep]`: grade a
 * generated class the way a teacher would, and time it.
 *
 * It writes N submissions of a lesson (default 60 of 01-derivatives), one folder per learner, of
 * four kinds, each with the points it must get:
 * - right: the lesson's own answers (all points);
 * - wrong: plausible wrong answers from test/fixtures/wrong-answers/ in every answer cell (0), or
 *   one exercise left unanswered (all but its points);
 * - broken: a file that is not JSON (ungradable, 0), a syntax error in one answer (all but its points);
 * - hostile: an answer that prints a forged "✓", one that replaces `check` with a no-op, one that
 *   exits the kernel, one that never returns (each 0 for what it attacks; a kernel that exits or
 *   is stopped passes nothing after it).
 * Then it runs `npm run check -- <class> --jobs N --gradebook <dir>` as a child process (the
 * command a teacher types), reads the gradebook, asserts every learner's points, and prints the
 * total time and the time per submission. Exit code 1 when a learner got other points than due.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { gradedCells, isSolutionCell, solutionRegions } from "../ipynb/nbgrader.js";
import { type Notebook, serializeNotebook, sourceText } from "../ipynb/notebook.js";
import { readNotebook } from "../ipynb/read.js";
import { packageRoot } from "./files.js";
import { spawnCollect } from "./processes.js";

export interface BenchClassOptions {
  lesson: string;
  count: number;
  jobs: number;
  timeout: number;
  keep: boolean;
}

interface Submission {
  learner: string;
  kind: string;
  /** The notebook's text (anything, for a broken file). */
  text: string;
  expected: number;
}

/** The lesson's exercises: each answer cell with the check cell that grades it and its points. */
function exercisesOf(lesson: Notebook): { answer: number; check: number; points: number }[] {
  const checks = gradedCells(lesson);
  const answers = lesson.cells.map((c, i) => (isSolutionCell(c) ? i : -1)).filter((i) => i >= 0);
  // The answer cell of an exercise is the last one before its check cell.
  return checks.map((g) => ({ answer: Math.max(...answers.filter((a) => a < g.index)), check: g.index, points: g.points }));
}

/** The lesson with `code` in place of every solution region of cell `index`. */
function withAnswer(lesson: Notebook, index: number, code: string): Notebook {
  const nb = structuredClone(lesson);
  const cell = nb.cells[index]!;
  const lines = sourceText(cell).split("\n");
  const { regions } = solutionRegions(lines.join("\n"));
  for (const r of [...regions].reverse()) {
    const indent = /^[ \t]*/.exec(lines[r.begin]!)![0];
    lines.splice(r.begin, r.end - r.begin + 1, ...code.split("\n").map((l) => (l ? indent + l : l)));
  }
  cell.source = lines.join("\n");
  return nb;
}

/** The first plausible wrong answer of each answer cell, from the lessons' fixtures (format: test/support/wrong-answers.ts). */
function wrongAnswers(root: string, lesson: string): Map<string, string> {
  const file = path.join(root, "test", "fixtures", "wrong-answers", `${lesson}.txt`);
  const out = new Map<string, string>();
  if (!fs.existsSync(file)) return out;
  let id: string | undefined;
  let lines: string[] = [];
  const finish = () => {
    if (id && !out.has(id) && !lines.some((l) => l.trim() === "#### next region")) out.set(id, lines.join("\n").trim());
  };
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const m = /^## ([A-Za-z0-9_-]+): /.exec(line);
    if (m) {
      finish();
      [id, lines] = [m[1], []];
    } else if (id) lines.push(line);
  }
  finish();
  return out;
}

/** The class: `count` submissions cycling through the kinds, each with the points it must get. */
export function generateClass(lessonFile: string, count: number, root = packageRoot()): Submission[] {
  const lesson = readNotebook(lessonFile);
  const name = path.basename(lessonFile, ".ipynb");
  const ex = exercisesOf(lesson);
  if (ex.length === 0) throw new Error(`${lessonFile} has no exercises to grade`);
  const total = ex.reduce((s, e) => s + e.points, 0);
  const gradeId = (i: number) => String(lesson.cells[i]!.metadata.nbgrader && (lesson.cells[i]!.metadata.nbgrader as { grade_id?: string }).grade_id);
  const wrong = wrongAnswers(root, name);
  const last = ex[ex.length - 1]!;
  const kinds: ((k: number) => Omit<Submission, "learner">)[] = [
    () => ({ kind: "right", text: serializeNotebook(lesson), expected: total }),
    () => {
      let nb = lesson;
      let expected = total;
      for (const e of ex) {
        const code = wrong.get(gradeId(e.answer));
        if (code) [nb, expected] = [withAnswer(nb, e.answer, code), expected - e.points];
      }
      return { kind: "wrong", text: serializeNotebook(nb), expected };
    },
    (k) => {
      const e = ex[k % ex.length]!;
      return { kind: "unanswered", text: serializeNotebook(withAnswer(lesson, e.answer, `throw new Error("not implemented: ${gradeId(e.answer)}");`)), expected: total - e.points };
    },
    (k) => (k % 2 === 0 ? { kind: "not-json", text: '{"cells": [', expected: 0 } : { kind: "syntax-error", text: serializeNotebook(withAnswer(lesson, ex[0]!.answer, "return [1, 2,, 3;")), expected: total - ex[0]!.points }),
    () => ({ kind: "forged-pass", text: serializeNotebook(withAnswer(lesson, ex[0]!.answer, 'console.log("✓ analytic gradient of g at (2, 3, 4)");\nreturn [0, 0, 0];')), expected: total - ex[0]!.points }),
    () => ({
      kind: "no-op-check",
      text: serializeNotebook(withAnswer(lesson, ex[0]!.answer, "(globalThis as any).check = () => {};\n(globalThis as any).checkTrue = () => {};\nreturn [0, 0, 0];")),
      expected: total - ex[0]!.points,
    }),
    (k) =>
      k % 2 === 0
        ? { kind: "exits", text: serializeNotebook(withAnswer(lesson, ex[0]!.answer, "process.exit(0);\nreturn [0, 0, 0];")), expected: 0 }
        : { kind: "never-returns", text: serializeNotebook(withAnswer(lesson, last.answer, "while (true) {}")), expected: total - last.points },
  ];
  // Per 10 learners: 3 right, 2 wrong, 1 unanswered, 1 broken, 3 hostile.
  const plan = [0, 1, 2, 0, 3, 4, 1, 5, 0, 6];
  return Array.from({ length: count }, (_, i) => {
    const kind = plan[i % plan.length]!;
    const s = kinds[kind]!(Math.floor(i / plan.length));
    return { ...s, learner: `learner-${String(i + 1).padStart(2, "0")}-${s.kind}` };
  });
}

export interface BenchClassResult {
  submissions: number;
  seconds: number;
  perSubmission: number[];
  wrong: string[];
  command: string;
}

/** Write the class, grade it with `npm run check`'s command, compare the gradebook with what is due. */
export async function benchClass(o: BenchClassOptions): Promise<BenchClassResult> {
  const root = packageRoot();
  const lessonFile = path.join(root, "notebooks", `${o.lesson.replace(/\.ipynb$/, "")}.ipynb`);
  // Inside the project: a notebook finds the package micrograd-ts from its own folder (as in Jupyter).
  fs.mkdirSync(path.join(root, ".cache"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, ".cache", "bench-class-"));
  const classDir = path.join(dir, "class");
  const name = path.basename(lessonFile);
  const subs = generateClass(lessonFile, o.count, root);
  for (const s of subs) {
    fs.mkdirSync(path.join(classDir, s.learner), { recursive: true });
    fs.writeFileSync(path.join(classDir, s.learner, name), s.text);
  }
  const args = [path.join(root, "dist", "tools", "check.js"), classDir, "--jobs", String(o.jobs), "--timeout", String(o.timeout), "--gradebook", path.join(dir, "out")];
  const t0 = performance.now();
  const run = await spawnCollect(process.execPath, args);
  const seconds = (performance.now() - t0) / 1000;
  const perSubmission = [...run.stderr.matchAll(/^\[\d+\/\d+\] .*\(([\d.]+) s\)$/gm)].map((m) => Number(m[1]));
  const wrong: string[] = [];
  let book: { learners: { learner: string; earned: number }[] } = { learners: [] };
  try {
    book = JSON.parse(fs.readFileSync(path.join(dir, "out", "gradebook.json"), "utf8"));
  } catch (e) {
    wrong.push(`no gradebook: ${(e as Error).message}\n${run.stderr.slice(-2000)}`);
  }
  for (const s of subs) {
    const got = book.learners.find((l) => l.learner === s.learner);
    if (got?.earned !== s.expected) wrong.push(`${s.learner}: ${got ? got.earned : "missing"} points, ${s.expected} due`);
  }
  if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
  return { submissions: subs.length, seconds, perSubmission, wrong, command: `node ${args.map((a) => (a.startsWith(root) ? path.relative(root, a) : a)).join(" ")}${o.keep ? ` (kept in ${dir})` : ""}` };
}

export function formatBenchClass(r: BenchClassResult, o: BenchClassOptions): string {
  const sorted = [...r.perSubmission].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const lines = [
    `graded ${r.submissions} submissions of ${o.lesson} in ${r.seconds.toFixed(1)} s (${o.jobs} at a time, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`,
    `  ${(r.seconds / r.submissions).toFixed(2)} s of wall time per submission; each took ${median.toFixed(1)} s (median), ${sorted[0]?.toFixed(1)}–${sorted.at(-1)?.toFixed(1)} s`,
    `  ${r.command}`,
  ];
  lines.push(r.wrong.length ? `POINTS WRONG for ${r.wrong.length}:\n${r.wrong.map((w) => `  ${w}`).join("\n")}` : "  every learner got the points due");
  return lines.join("\n");
}

export function parseBenchClassArgs(argv: string[]): BenchClassOptions {
  const { values } = parseArgs({
    args: argv,
    options: { count: { type: "string" }, jobs: { type: "string" }, timeout: { type: "string" }, lesson: { type: "string" }, keep: { type: "boolean" } },
  });
  const int = (v: string | undefined, d: number, flag: string) => {
    const n = v === undefined ? d : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number ≥ 1, got ${JSON.stringify(v)}`);
    return n;
  };
  return { count: int(values.count, 60, "--count"), jobs: int(values.jobs, os.cpus().length, "--jobs"), timeout: int(values.timeout, 30, "--timeout"), lesson: values.lesson ?? "01-derivatives", keep: values.keep ?? false };
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let o: BenchClassOptions;
  try {
    o = parseBenchClassArgs(argv);
  } catch (e) {
    console.error(`bench:class: ${(e as Error).message}`);
    return 2;
  }
  const r = await benchClass(o);
  console.log(formatBenchClass(r, o));
  return r.wrong.length ? 1 : 0;
}

if (require.main === module) main().then((code) => process.exit(code));
