/**
 * The one model of a Jupyter notebook (nbformat 4) that every tool uses: its types, the one
 * parser/validator, and the helpers that read a cell's source. Pure (no file system), so the
 * live page can use it too; reading a file is ipynb/read.ts.
 *
 * Validation is about what our tools rely on, with one readable sentence per problem that names
 * the notebook and the cell. Code cells are normalised (outputs and execution_count present), so
 * Jupyter's executor accepts what we hand it without validating again.
 */

/** Jupyter's JSON: what may stand in metadata and outputs. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The outputs Jupyter writes under a code cell (nbformat 4). */
export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string | string[] }
  | { output_type: "display_data"; data: MimeBundle; metadata?: JsonObject; transient?: JsonObject }
  | { output_type: "execute_result"; data: MimeBundle; metadata?: JsonObject; execution_count: number | null }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** mime type → content: a string, or a list of lines (Jupyter stores text either way). */
export type MimeBundle = { [mime: string]: string | string[] | Json };

interface CellBase {
  id?: string;
  /** Jupyter stores source either as one string or as a list of lines (each ending in "\n"). */
  source: string | string[];
  metadata: JsonObject;
}

export interface CodeCell extends CellBase {
  cell_type: "code";
  outputs: Output[];
  execution_count: number | null;
}

export interface MarkdownCell extends CellBase {
  cell_type: "markdown" | "raw";
  attachments?: JsonObject;
}

export type Cell = CodeCell | MarkdownCell;

export interface Notebook {
  cells: Cell[];
  metadata: JsonObject;
  nbformat: 4;
  nbformat_minor: number;
}

/** Something that stops a tool from using a notebook. The message is one line and names the file. */
export class NotebookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotebookError";
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** Parse notebook JSON, checking the shape the tools rely on. `file` names it in errors. */
export function parseNotebook(text: string, file: string): Notebook {
  if (text.includes("\u0000")) throw new NotebookError(`${file} is not a notebook: it is a binary file, not JSON text`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new NotebookError(`${file} is not a notebook: invalid JSON${jsonErrorPlace(text, (e as Error).message)}`);
  }
  return validateNotebook(raw, file);
}

/** " at line L, column C (what)" from JSON.parse's "… at position N …" message. */
function jsonErrorPlace(text: string, message: string): string {
  const what = message.replace(/\s*in JSON at position \d+.*$/, "").replace(/ \(line \d+ column \d+\)$/, "");
  const at = /position (\d+)/.exec(message);
  if (!at) return ` (${what})`;
  const before = text.slice(0, Number(at[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return ` at line ${line}, column ${column} (${what})`;
}

/** Check an already-parsed object; returns it typed (code cells normalised), or throws NotebookError. */
export function validateNotebook(raw: unknown, file: string): Notebook {
  if (!isObject(raw) || !("nbformat" in raw)) {
    throw new NotebookError(`${file} is not a notebook: a .ipynb file is a JSON object with "cells" and "nbformat"`);
  }
  if (raw.nbformat === 3 || (raw.nbformat !== 4 && "worksheets" in raw)) {
    throw new NotebookError(`${file} is an nbformat ${String(raw.nbformat)} notebook: convert it with \`jupyter nbconvert --to notebook --nbformat 4 ${file}\``);
  }
  if (raw.nbformat !== 4) {
    throw new NotebookError(`${file}: only nbformat 4 notebooks are supported (this one says ${JSON.stringify(raw.nbformat)})`);
  }
  if (!Array.isArray(raw.cells)) throw new NotebookError(`${file} is not a notebook: "cells" is not a list`);
  const cells = raw.cells.map((cell: unknown, i: number) => validateCell(cell, `${file}, cell ${i + 1}`));
  return {
    ...raw,
    cells,
    metadata: isObject(raw.metadata) ? (raw.metadata as JsonObject) : {},
    nbformat: 4,
    nbformat_minor: typeof raw.nbformat_minor === "number" ? raw.nbformat_minor : 5,
  };
}

function validateCell(cell: unknown, where: string): Cell {
  if (!isObject(cell)) throw new NotebookError(`${where}: a cell must be an object`);
  const type = cell.cell_type;
  if (type !== "code" && type !== "markdown" && type !== "raw") {
    throw new NotebookError(`${where}: unknown cell_type ${JSON.stringify(type)}`);
  }
  const src = cell.source;
  if (typeof src !== "string" && !(Array.isArray(src) && src.every((s) => typeof s === "string"))) {
    throw new NotebookError(`${where}: "source" must be a string or a list of strings`);
  }
  const metadata = cell.metadata ?? {};
  if (!isObject(metadata)) throw new NotebookError(`${where}: "metadata" must be an object`);
  if (type !== "code") return { ...cell, cell_type: type, source: src, metadata: metadata as JsonObject };
  const outputs = cell.outputs ?? [];
  if (!Array.isArray(outputs) || !outputs.every((o) => isObject(o) && typeof o.output_type === "string")) {
    throw new NotebookError(`${where}: "outputs" must be a list of outputs`);
  }
  const count = typeof cell.execution_count === "number" ? cell.execution_count : null;
  return { ...cell, cell_type: "code", source: src, metadata: metadata as JsonObject, outputs: outputs as Output[], execution_count: count };
}

/** A cell's source (or a multi-line output text) as one string, whichever way the file stores it. */
export function sourceText(cell: Pick<Cell, "source">): string {
  return joinLines(cell.source);
}

/** Jupyter's "string or list of lines" as one string. */
export function joinLines(text: string | string[] | Json | undefined): string {
  if (typeof text === "string") return text;
  return Array.isArray(text) ? text.join("") : "";
}

/** Store `text` the way Jupyter does: a list of lines, each but the last ending in "\n". */
export function toSourceLines(text: string): string[] {
  return text.length === 0 ? [] : (text.match(/[^\n]*\n|[^\n]+$/g) ?? []);
}

/** The first non-blank line of a cell, shortened: how people recognise a cell in a message. */
export function cellPreview(cell: Pick<Cell, "source">, max = 50): string {
  const line = sourceText(cell).split("\n").find((l) => l.trim() !== "")?.trim() ?? "(empty)";
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** A notebook's title: its first markdown heading, else `fallback`. */
export function notebookTitle(nb: Notebook, fallback: string): string {
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const heading = sourceText(cell).match(/^#{1,6}\s+(.+?)\s*#*\s*$/m);
    if (heading) return stripMarkdown(heading[1]!);
  }
  return fallback;
}

/** Markdown inline text as plain text: links become their words, emphasis marks go. */
export function stripMarkdown(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`]/g, "")
    .trim();
}

/** The notebook with outputs and execution counts cleared, as committed or downloaded. */
export function clearOutputs(nb: Notebook): Notebook {
  return {
    ...nb,
    cells: nb.cells.map((c) => (c.cell_type === "code" ? { ...c, outputs: [], execution_count: null } : c)),
  };
}

/** Jupyter's own layout (indent 1, sorted keys), so re-saving in Jupyter changes little. */
export function serializeNotebook(nb: Notebook): string {
  return `${JSON.stringify(sortKeys(nb), null, 1)}\n`;
}

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (!isObject(x)) return x;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(x).sort()) sorted[key] = sortKeys(x[key]);
  return sorted;
}
