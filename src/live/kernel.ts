/**
 * The live page's kernel: runs notebook cells one after another against one shared scope, with
 * tslab's semantics (see compile.ts), and says what each cell printed, showed and threw.
 *
 * It runs wherever it is put: the live page puts it in a Web Worker (worker.ts), so a long cell
 * never freezes the page and an endless loop can be stopped by ending the worker; the unit tests
 * run it in Node. Output goes to `sink`; modules come from `modules` (name → loader), and any
 * other import is an error that names the module.
 */
import { format, inspect } from "node-inspect-extracted";
import { BOUND, CellSyntaxError, compileCell, RUNTIME, SCOPE } from "./compile.js";
import { stubAdvice, stubExercise } from "../ipynb/stub.js";
import { consoleTable } from "./console-table.js";

export type StreamName = "stdout" | "stderr";

export interface KernelSink {
  stream(cell: number, name: StreamName, text: string): void;
  /** The cell's last value, as text (Jupyter's execute_result, text/plain). */
  result(cell: number, text: string): void;
}

export type ModuleLoaders = Record<string, () => Promise<object>>;

/** What went wrong in a cell, in the cell's own terms. */
export interface CellError {
  name: string;
  message: string;
  /** Line (from 1) of the cell where it happened, when known. */
  line?: number;
  /** Column (from 1), for syntax errors. */
  column?: number;
  /**
   * What the learner sees, as Jupyter's error output: "Name: message", then where in the cell
   * (cell N is the notebook's N-th cell, from 1, as `npm run check` counts).
   */
  traceback: string[];
}

export type CellResult = { status: "ok" } | { status: "error"; error: CellError };

export interface RunOptions {
  /**
   * Names the cell must see as `module` exports them, whatever earlier cells assigned to them:
   * for check cells, whose helpers (check, CheckError, …) an answer cell could otherwise replace
   * with `var check = () => {}`. They are looked up before the notebook's scope, in an object
   * made for this run, which no other cell can reach.
   */
  bind?: { module: string; names: readonly string[] };
}

export class Kernel {
  /** Every top-level name the cells declared. A null prototype: `toString` is not a notebook name. */
  readonly scope: Record<string, unknown> = Object.create(null);
  private runs = 0;
  private current = -1;
  private readonly loaded = new Map<string, Promise<object>>();
  /** Every run's code, by the file name it ran as: an error's stack names cells by these. */
  private readonly files: RunFiles = new Map();

  constructor(
    private readonly modules: ModuleLoaders,
    private readonly sink: KernelSink,
  ) {
    // The cells' `console` (found in the scope before the global one): output under the running cell.
    Object.defineProperty(this.scope, "console", { value: this.console(), writable: true, enumerable: false });
  }

  /** The cell whose output is being written (−1 between cells). */
  get cell(): number {
    return this.current;
  }

  /** A console that writes to the running cell, as tslab's does (log/info/debug → stdout, warn/error → stderr). */
  console(): Console {
    const out = (name: StreamName) => (...args: unknown[]): void => {
      this.sink.stream(this.current, name, `${format(...args)}\n`);
    };
    const log = out("stdout");
    const table = (data: unknown, properties?: readonly string[]): void => {
      const text = consoleTable(data, properties);
      if (text === undefined) log(data);
      else this.sink.stream(this.current, "stdout", `${text}\n`);
    };
    return { ...globalThis.console, log, info: log, debug: log, warn: out("stderr"), error: out("stderr"), table };
  }

  /** Run one cell; its last expression's value is printed unless it is null or undefined (as tslab does). */
  async run(cell: number, source: string, options: RunOptions = {}): Promise<CellResult> {
    this.current = cell;
    const file = `cell${cell}-run${++this.runs}.js`;
    this.files.set(file, { cell, source });
    if (this.files.size > 500) this.files.delete(this.files.keys().next().value!);
    try {
      const compiled = compileCell(source);
      const bound = options.bind ? await this.bound(options.bind) : Object.freeze(Object.create(null));
      // Both `with` blocks open on line 1, so the cell's lines stay the compiled code's lines.
      const fn = evaluate(
        `(function (${SCOPE}, ${RUNTIME}, ${BOUND}) { with (${SCOPE}) with (${BOUND}) { return (async () => { ${compiled.body}\n})(); } })\n//# sourceURL=${file}`,
      ) as (scope: object, runtime: object, bound: object) => Promise<unknown>;
      const value = await fn(this.scope, this.runtime(), bound);
      if (value != null) this.sink.result(cell, format(value));
      return { status: "ok" };
    } catch (e) {
      return { status: "error", error: describeError(e, file, cell, source, this.files) };
    } finally {
      this.current = -1;
    }
  }

  /** A frozen object with `names` taken from the module itself (never from the notebook's scope). */
  private async bound(bind: NonNullable<RunOptions["bind"]>): Promise<object> {
    const module = (await this.load(bind.module)) as Record<string, unknown>;
    const bound: Record<string, unknown> = Object.create(null);
    for (const name of bind.names) {
      if (!(name in module)) throw new Error(`"${bind.module}" has no export named ${name}, which this cell must use`);
      bound[name] = module[name];
    }
    return Object.freeze(bound);
  }

  /** What compiled cells call: importing, and declaring their names in the scope. */
  private runtime() {
    return {
      load: (name: string) => this.load(name),
      pick: (module: Record<string, unknown>, name: string) => module[name], // type-only names come out undefined, as in TypeScript
      declare: (scope: Record<string, unknown>, names: string[]) => {
        for (const n of names) if (!(n in scope)) scope[n] = undefined;
      },
    };
  }

  private load(name: string): Promise<object> {
    const loader = this.modules[name];
    if (!loader) {
      const known = Object.keys(this.modules).map((m) => `"${m}"`).join(", ");
      return Promise.reject(new Error(`Cannot find module "${name}": the live page provides ${known}. Run this cell in Jupyter (npm start) to import other modules.`));
    }
    let module = this.loaded.get(name);
    if (!module) {
      module = loader();
      this.loaded.set(name, module);
      module.catch(() => this.loaded.delete(name)); // a failed download can be retried
    }
    return module;
  }
}

/** Global (indirect) eval: the cell's code sees the scope it is given, never this module's variables. */
const evaluate = globalThis.eval;

/** Where a run's code came from: the file name it was evaluated under → its cell and source. */
export type RunFiles = Map<string, { cell: number; source: string }>;

/**
 * An exception as a learner should see it, in Jupyter's shape: its name and message, and the
 * line (and, for syntax errors, column) of the cell it came from, with that line of code. When it
 * was thrown in another cell's code (a stub's `throw` called by a check), the traceback names
 * that cell first, then the line of this cell that called it. Cells are numbered from 1, as
 * `npm run check` counts them (index + 1).
 */
export function describeError(e: unknown, file?: string, cell?: number, source?: string, files: RunFiles = new Map()): CellError {
  if (file && cell !== undefined && source !== undefined && !files.has(file)) files = new Map([...files, [file, { cell, source }]]);
  const at = (line: number | undefined, column?: number, inCell = cell, code = source, lead = "at"): string[] => {
    if (line === undefined) return [];
    const name = inCell === undefined ? "this cell" : `cell ${inCell + 1}`;
    const where = `    ${lead} line ${line}${column === undefined ? "" : `, column ${column}`} of ${name}`;
    const text = code?.split("\n")[line - 1];
    if (text === undefined) return [where];
    const gutter = `  ${line} | `;
    const caret = column === undefined ? [] : [`${" ".repeat(gutter.length - 2)}| ${" ".repeat(Math.max(0, column - 1))}^`];
    return [where, `${gutter}${text}`, ...caret];
  };
  if (e instanceof CellSyntaxError) {
    return { name: "SyntaxError", message: e.message, line: e.line, column: e.column, traceback: [`SyntaxError: ${e.message}`, ...at(e.line, e.column)] };
  }
  if (!(e instanceof Error)) {
    const message = `Uncaught ${inspect(e)}`;
    return { name: "Error", message, traceback: [message] };
  }
  const name = e.name || "Error";
  const frames = cellFrames(e, files);
  const first = frames[0];
  const own = frames.find((f) => f.file === file);
  const head = `${name}: ${e.message}`;
  const stub = stubExercise(e.message);
  if (first && first.file !== file) {
    const origin = files.get(first.file)!;
    // A learner copy's stub, called from a later cell: the exercise to do first, not a stack trace.
    if (stub !== undefined) return { name, message: e.message, ...(own ? { line: own.line } : {}), traceback: [head, stubAdvice(stub, `cell ${origin.cell + 1}`), ...at(first.line, undefined, origin.cell, origin.source)] };
    return {
      name,
      message: e.message,
      ...(own ? { line: own.line } : {}),
      traceback: [head, ...at(first.line, undefined, origin.cell, origin.source), ...(own ? at(own.line, undefined, cell, source, "called from") : [])],
    };
  }
  return { name, message: e.message, ...(own ? { line: own.line } : {}), traceback: [head, ...(stub === undefined ? [] : [stubAdvice(stub)]), ...at(own?.line)] };
}

/**
 * The stack frames in cells' code, innermost first (the cells' lines are the compiled code's
 * lines). Columns are not reported: line 1 also carries the prologue, and rewritten declarations shift.
 */
function cellFrames(e: Error, files: RunFiles): { file: string; line: number }[] {
  let stack: string | undefined;
  try {
    stack = e.stack;
  } catch {
    return [];
  }
  const frames: { file: string; line: number }[] = [];
  for (const m of (stack ?? "").matchAll(/(cell\d+-run\d+\.js):(\d+):\d+/g)) {
    if (files.has(m[1]!)) frames.push({ file: m[1]!, line: Number(m[2]) });
  }
  return frames;
}
