/**
 * What the kernel says, in Jupyter's messaging protocol (v5.3): a cell's last value as an
 * `execute_result`, an error as an `error` (ename, evalue, traceback) for a thrown value, a type
 * error and a syntax error alike, and an honest `kernel_info_reply`. Pure: src/kernel/preload.ts
 * wires these into tslab's server, and the unit tests call them directly.
 *
 * Tracebacks name cells the way IPython does, `Cell In[3]`, with the cell's own line and column
 * (`Cell In[3]:2:9`), never the compiled JavaScript's; Node's and tslab's own frames are dropped.
 */
import * as path from "node:path";
import * as util from "node:util";
import { stubAdvice, stubExercise } from "../ipynb/stub.js";

/** A TypeScript diagnostic as tslab's converter reports it (positions 0-based, in the cell). */
export interface Diagnostic {
  start: { offset?: number; line: number; character: number };
  end: { offset?: number; line: number; character: number };
  messageText: string;
  category?: number;
  code?: number;
  /** Set when the diagnostic is in another file (a module the cell imports), relative to the kernel's folder. */
  fileName?: string;
}

/** The fields of an `error` message, which the execute_reply carries too. */
export interface KernelError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface ExecuteResult {
  execution_count: number;
  data: Record<string, string>;
  metadata: Record<string, unknown>;
}

/** The name a cell's code has in stack frames and tracebacks: `Cell In[3]`, as in IPython. */
export function cellName(count: number): string {
  return `Cell In[${count}]`;
}

/** The execution count in a name made by cellName, or null. */
export function cellCount(name: string): number | null {
  const m = /^Cell In\[(\d+)\]$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** A cell's last value, printed as tslab has always printed it (console.log's formatting). */
export function executeResult(value: unknown, count: number): ExecuteResult {
  return { execution_count: count, data: { "text/plain": util.format(value) }, metadata: {} };
}

/** Two lines under a frame: the cell's line, and a caret under the column (`width` characters). */
export function sourceExcerpt(source: string, line: number, column: number, width = 1): string[] {
  const text = source.split(/\r?\n/)[line - 1];
  if (text === undefined) return [];
  const number = String(line);
  const pad = " ".repeat(number.length);
  const room = Math.max(1, Math.min(width, text.length - (column - 1)));
  return [`      ${number} | ${text}`, `      ${pad} | ${" ".repeat(Math.max(0, column - 1))}${"^".repeat(room)}`];
}

/** TypeScript's syntax errors are codes 1000–1999 (`';' expected.`); the rest are type errors. */
function isSyntaxCode(code: number | undefined): boolean {
  return code !== undefined && code >= 1000 && code < 2000;
}

/**
 * One error for a cell tslab refused to run: every diagnostic, each with its place in the cell
 * (or in the file it is in) and the line it is about. tslab flattens a chain of messages ("Type
 * 'A' is not assignable to type 'B'." then why) into entries sharing one position: they stay one
 * diagnostic here, its first message the headline and the rest indented under it.
 */
export function errorFromDiagnostics(diagnostics: Diagnostic[], source: string, count: number): KernelError {
  const groups: Diagnostic[][] = [];
  for (const d of diagnostics) {
    const last = groups.at(-1);
    if (last && d.fileName === undefined && d.start === last[0]!.start && d.end === last[0]!.end) last.push(d);
    else groups.push([d]);
  }
  if (groups.length === 0) return { ename: "TSError", evalue: "the cell did not compile", traceback: ["TSError: the cell did not compile"] };
  const nameOf = (g: Diagnostic[]) => (isSyntaxCode(g[0]!.code) ? "SyntaxError" : "TSError");
  const traceback: string[] = [];
  for (const g of groups) {
    const [head, ...rest] = g;
    const line = head!.start.line + 1;
    const column = head!.start.character + 1;
    traceback.push(`${nameOf(g)}: ${head!.messageText}${rest.map((d) => `\n  ${d.messageText}`).join("")}`);
    const where = head!.fileName ?? cellName(count);
    traceback.push(`    at ${where}:${line}:${column}${head!.code !== undefined ? ` (TS${head!.code})` : ""}`);
    if (head!.fileName === undefined) {
      const width = head!.end.line === head!.start.line ? head!.end.character - head!.start.character : 1;
      traceback.push(...sourceExcerpt(source, line, column, width));
    }
  }
  const first = groups[0]!;
  return { ename: nameOf(first), evalue: first[0]!.messageText, traceback };
}

/**
 * Frames that say nothing about the lesson: code tslab wraps a cell in (a frame preload.ts could
 * not map to a cell line), Node's internals, tslab's machinery, this kernel's preload.
 */
const INTERNAL_FRAME = [/\(compiled\):\d+:\d+\)?$/, /[( ]node:/, /[\\/]node_modules[\\/]tslab[\\/]/, /[\\/]dist[\\/]kernel[\\/]/, /^\s+at (?:async )?Promise\.\w+ \(index \d+\)$/];
const CELL_FRAME = /Cell In\[(\d+)\]:(\d+):(\d+)/;
const FILE_IN_FRAME = /(\(|at )(?:file:\/\/)?(\/[^():]+)(:\d+:\d+\)?$)/;

export interface ThrownOptions {
  /** A cell's source by its execution count, for the line under the frame. */
  sourceOf?: (count: number) => string | undefined;
  /** Library files are shown relative to this folder (the kernel's: the notebook's). */
  cwd?: string;
}

/**
 * The error for a value a cell threw (or a Promise it awaited rejected with). An Error keeps its
 * name and message, and its stack frames (already mapped to cells, see preload.ts) minus Node's
 * and tslab's; anything else thrown is named `Uncaught` with the value as console.log shows it.
 */
export function errorFromThrown(thrown: unknown, options: ThrownOptions = {}): KernelError {
  const error = asError(thrown);
  if (!error) {
    const evalue = util.inspect(thrown);
    return { ename: "Uncaught", evalue, traceback: [`Uncaught ${evalue}`] };
  }
  const ename = safeString(() => error.name) || "Error";
  const evalue = safeString(() => error.message);
  const traceback = [evalue ? `${ename}: ${evalue}` : ename];
  const stack = safeString(() => error.stack);
  const stub = stubExercise(evalue);
  if (stub !== undefined) return { ename, evalue, traceback: [...traceback, ...stubTrace(stub, stack, options)] };
  let excerpted = false;
  for (const line of stack.split("\n")) {
    if (!/^\s+at /.test(line) || INTERNAL_FRAME.some((r) => r.test(line))) continue;
    traceback.push(options.cwd ? relativeFrame(line, options.cwd) : line);
    const cell = CELL_FRAME.exec(line);
    if (cell && !excerpted) {
      excerpted = true;
      const source = options.sourceOf?.(Number(cell[1]));
      if (source !== undefined) traceback.push(...sourceExcerpt(source, Number(cell[2]), Number(cell[3])));
    }
  }
  return { ename, evalue, traceback };
}

/**
 * A learner copy's stub ran (its exercise is not done yet): no stack trace, but the exercise to do
 * first, the cell its stub is in when that is another cell, and the stub's line.
 */
function stubTrace(gradeId: string, stack: string, options: ThrownOptions): string[] {
  const cells = stack.split("\n").flatMap((line) => {
    const m = /^\s+at /.test(line) ? CELL_FRAME.exec(line) : null;
    return m ? [{ count: Number(m[1]), line: Number(m[2]), column: Number(m[3]) }] : [];
  });
  const thrown = cells[0];
  const running = cells[cells.length - 1];
  const elsewhere = thrown !== undefined && running !== undefined && thrown.count !== running.count;
  const source = thrown === undefined ? undefined : options.sourceOf?.(thrown.count);
  return [
    stubAdvice(gradeId, elsewhere ? cellName(thrown.count) : undefined),
    ...(thrown && source !== undefined ? sourceExcerpt(source, thrown.line, thrown.column) : []),
  ];
}

/** The error's own fields when it looks like an Error (a realm's Error, or an object with a name and stack). */
function asError(value: unknown): Error | null {
  if (value instanceof Error) return value;
  if (typeof value === "object" && value !== null && typeof (value as Error).message === "string" && typeof (value as Error).stack === "string") {
    return value as Error;
  }
  return null;
}

function safeString(get: () => unknown): string {
  try {
    const v = get();
    return v === undefined || v === null ? "" : String(v);
  } catch {
    return "";
  }
}

/** `at f (/abs/dir/dist/engine.js:1:2)` → `at f (../dist/engine.js:1:2)`, relative to `cwd`. */
function relativeFrame(line: string, cwd: string): string {
  return line.replace(FILE_IN_FRAME, (_all, before: string, file: string, after: string) => `${before}${path.relative(cwd, file) || file}${after}`);
}

/** The error message for a failure inside the kernel itself (not the cell's code). */
export function kernelFailure(e: unknown): KernelError {
  const inner = errorFromThrown(e);
  return { ename: "KernelError", evalue: `tslab failed: ${inner.ename}: ${inner.evalue}`, traceback: [`KernelError: tslab failed`, ...inner.traceback] };
}

export interface Versions {
  typescript: string;
  tslab: string;
  node: string;
}

/** tslab's kernel_info_reply content, made honest: status, the TypeScript it compiles with, tslab's and Node's versions. */
export function kernelInfo(base: Record<string, unknown>, versions: Versions): Record<string, unknown> {
  const language = { ...(base.language_info as Record<string, unknown> | undefined) };
  const js = language.name === "javascript";
  language.version = js ? versions.node.replace(/^v/, "") : versions.typescript;
  return {
    ...base,
    status: "ok",
    implementation_version: versions.tslab,
    language_info: language,
    banner: `${js ? "JavaScript" : `TypeScript ${versions.typescript}`} (tslab ${versions.tslab}, Node.js ${versions.node})`,
    help_links: [
      { text: "tslab", url: "https://github.com/yunabe/tslab" },
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
    ],
  };
}
