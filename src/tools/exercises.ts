/**
 * `npm run exercises`: a learner copy of every lesson, in exercises/<same name>.ipynb.
 *
 * Each solution region becomes a stub (see nbgrader.ts), outputs and execution counts are cleared.
 * A copy the learner changed is never overwritten. To know, every copy remembers in its metadata
 * (metadata.micrograd_ts) a hash of what we generated:
 *
 * - `generated_hash` covers only the kind and source of each cell, in order. That is the learner's
 *   work: editing, adding, removing or reordering cells changes it. Running cells (outputs,
 *   execution counts), Jupyter re-saving the file (other JSON layout, sources as one string or as
 *   lines, new cell ids or metadata) does not.
 * - `lesson_hash` covers the whole generated notebook, so an untouched copy is refreshed when
 *   anything in the lesson changed, points and metadata included.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { formatProblem, validate } from "../ipynb/nbgrader.js";
import { type Notebook, NotebookError, parseNotebook, serializeNotebook as serialize, sourceText, toSourceLines } from "../ipynb/notebook.js";
import { readNotebook } from "../ipynb/read.js";
import { stubbedCell } from "../ipynb/submission.js";
import { packageRoot, shortPath, writeAtomic } from "./files.js";


export type CopyAction = "created" | "updated" | "unchanged" | "kept" | "error";

export interface CopyResult {
  lesson: string;
  copy: string;
  action: CopyAction;
  /** Why it was kept, or what was wrong with the lesson. */
  detail?: string;
}

export interface ExercisesOptions {
  /** Where the solved lessons are (default <project>/notebooks). */
  lessonsDir?: string;
  /** Where the learner copies go (default <project>/exercises). */
  exercisesDir?: string;
  /** Receives one line per notebook (default console.log); pass () => {} for silence. */
  log?: (line: string) => void;
}

interface Stamp {
  generated_hash: string;
  lesson_hash: string;
  /** The lesson's name (its file name without .ipynb): `npm run check` grades against it. */
  lesson?: string;
}

/** Hash of the learner's part of a notebook: each cell's kind and source, in order. */
export function contentHash(nb: Notebook): string {
  return sha256(JSON.stringify(nb.cells.map((c) => [c.cell_type, sourceText(c)])));
}

/** The learner copy of a (valid) lesson named `name`, with its stamp. Throws on unbalanced markers. */
export function learnerCopy(lesson: Notebook, name: string): Notebook {
  const copy = structuredClone(lesson);
  copy.cells = copy.cells.map((lessonCell) => {
    const cell = stubbedCell(lessonCell);
    cell.source = toSourceLines(sourceText(cell));
    delete cell.metadata.execution; // timings from the last run of the lesson
    return cell.cell_type === "code" ? { ...cell, outputs: [], execution_count: null } : cell;
  });
  const metadata = { ...copy.metadata };
  delete metadata.micrograd_ts;
  copy.metadata = metadata;
  const stamp: Stamp = { generated_hash: contentHash(copy), lesson_hash: sha256(serialize(copy)), lesson: name };
  copy.metadata = { ...metadata, micrograd_ts: { ...stamp } };
  return copy;
}

/** Write (or refresh, or keep) the learner copy of every lesson. Never throws for one bad notebook. */
export function generateExercises(options: ExercisesOptions = {}): CopyResult[] {
  const lessonsDir = options.lessonsDir ?? join(packageRoot(), "notebooks");
  const exercisesDir = options.exercisesDir ?? join(packageRoot(), "exercises");
  const log = options.log ?? ((line: string) => console.log(line));
  if (!existsSync(lessonsDir)) throw new NotebookError(`${lessonsDir}: no such folder (where are the lessons?)`);
  const lessons = readdirSync(lessonsDir).filter((f) => f.endsWith(".ipynb")).sort();
  mkdirSync(exercisesDir, { recursive: true });
  const results = lessons.map((name) => {
    const result = refreshCopy(join(lessonsDir, name), join(exercisesDir, name));
    log(formatResult(result));
    return result;
  });
  if (lessons.length === 0) log(`no lessons in ${shortPath(lessonsDir)}: nothing to do`);
  return results;
}

/** One line for a result, e.g. "created   exercises/01-derivatives.ipynb". */
export function formatResult(r: CopyResult): string {
  const what = r.action === "error" ? shortPath(r.lesson) : shortPath(r.copy);
  return `${r.action.padEnd(9)} ${what}${r.detail ? `: ${r.detail}` : ""}`;
}

function refreshCopy(lessonFile: string, copyFile: string): CopyResult {
  const result = (action: CopyAction, detail?: string): CopyResult => ({ lesson: lessonFile, copy: copyFile, action, detail });
  let fresh: Notebook;
  try {
    const lesson = readNotebook(lessonFile);
    const problems = validate(lesson, { notebook: shortPath(lessonFile), role: "lesson" });
    if (problems.length > 0) return result("error", `not copied, fix the lesson first:\n  ${problems.map(formatProblem).join("\n  ")}`);
    fresh = learnerCopy(lesson, basename(lessonFile).replace(/\.ipynb$/, ""));
  } catch (e) {
    return result("error", e instanceof NotebookError ? e.message : String(e));
  }
  const write = (action: "created" | "updated", detail?: string): CopyResult => {
    try {
      writeAtomic(copyFile, serialize(fresh));
      return result(action, detail);
    } catch (e) {
      const { code, message } = e as NodeJS.ErrnoException;
      return result("error", `cannot write ${shortPath(copyFile)}: ${code ? `${code} (${WRITE_ERRORS[code] ?? message})` : message}`);
    }
  };
  if (!existsSync(copyFile)) return write("created");
  const existing = readCopy(copyFile);
  if (typeof existing === "string") return result("kept", existing);
  if (existing.lesson_hash === (fresh.metadata.micrograd_ts as unknown as Stamp).lesson_hash) return result("unchanged");
  return write("updated", "the lesson changed");
}

/** What the usual write errors mean, in words. */
const WRITE_ERRORS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "not permitted",
  ENOSPC: "the disk is full",
  EROFS: "the file system is read-only",
  EDQUOT: "over the disk quota",
};

/** The stamp of a copy exactly as we generated it (outputs aside); otherwise why to keep the file. */
function readCopy(copyFile: string): Stamp | string {
  let copy: Notebook;
  try {
    copy = parseNotebook(readFileSync(copyFile, "utf8"), copyFile);
  } catch (e) {
    return `it is not a readable notebook (${e instanceof Error ? e.message : e}); move it away to get a fresh copy`;
  }
  const stamp = copy.metadata.micrograd_ts as Partial<Stamp> | undefined;
  if (typeof stamp?.generated_hash !== "string" || typeof stamp.lesson_hash !== "string") {
    return "it was not made by npm run exercises; move it away to get a fresh copy";
  }
  if (contentHash(copy) !== stamp.generated_hash) return "edited by you; delete or rename it to get a fresh copy";
  return stamp as Stamp;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The command (no options): exit code 1 when a lesson could not be copied. */
export function main(): number {
  try {
    const results = generateExercises();
    return results.some((r) => r.action === "error") ? 1 : 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return 1;
  }
}

if (require.main === module) process.exitCode = main();
