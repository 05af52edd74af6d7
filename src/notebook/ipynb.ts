/**
 * Reading .ipynb files for the exercise tools: the few fields they use, typed, and one-line
 * errors for anything that is not a notebook (so the command-line tools never show a traceback).
 */
import { readFileSync } from "node:fs";

export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  /** Jupyter stores source either as one string or as a list of lines (each ending in "\n"). */
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
  [key: string]: unknown;
}

export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
  [key: string]: unknown;
}

/** Something that stops a tool from using a notebook file. The message is one line and names the file. */
export class NotebookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotebookError";
  }
}

/** Read and parse a notebook file; throws NotebookError with a one-line reason. */
export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new NotebookError(`${file}: no such file`);
    if (code === "EISDIR") throw new NotebookError(`${file}: is a folder, not a notebook`);
    throw new NotebookError(`${file}: cannot read it (${code ?? (e as Error).message})`);
  }
  return parseNotebook(text, file);
}

/** Parse notebook JSON, checking the shape the tools rely on. */
export function parseNotebook(text: string, file: string): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new NotebookError(`${file} is not a notebook: invalid JSON (${(e as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw) || !("cells" in raw) || !("nbformat" in raw)) {
    throw new NotebookError(`${file} is not a notebook: a .ipynb file is a JSON object with "cells" and "nbformat"`);
  }
  const nb = raw as Record<string, unknown>;
  if (nb.nbformat !== 4) {
    throw new NotebookError(`${file}: only nbformat 4 notebooks are supported (this one says ${JSON.stringify(nb.nbformat)})`);
  }
  if (!Array.isArray(nb.cells)) throw new NotebookError(`${file} is not a notebook: "cells" is not a list`);
  nb.cells.forEach((cell: unknown, i: number) => {
    const where = `${file}, cell ${i + 1}`;
    if (typeof cell !== "object" || cell === null) throw new NotebookError(`${where}: a cell must be an object`);
    const c = cell as Record<string, unknown>;
    if (c.cell_type !== "code" && c.cell_type !== "markdown" && c.cell_type !== "raw") {
      throw new NotebookError(`${where}: unknown cell_type ${JSON.stringify(c.cell_type)}`);
    }
    const src = c.source;
    if (typeof src !== "string" && !(Array.isArray(src) && src.every((s) => typeof s === "string"))) {
      throw new NotebookError(`${where}: "source" must be a string or a list of strings`);
    }
    if (c.metadata === undefined) c.metadata = {};
    if (typeof c.metadata !== "object" || c.metadata === null || Array.isArray(c.metadata)) {
      throw new NotebookError(`${where}: "metadata" must be an object`);
    }
  });
  if (typeof nb.metadata !== "object" || nb.metadata === null || Array.isArray(nb.metadata)) nb.metadata = {};
  return nb as unknown as Notebook;
}

/** A cell's source as one string, whichever way the file stores it. */
export function sourceText(cell: Pick<Cell, "source">): string {
  return typeof cell.source === "string" ? cell.source : cell.source.join("");
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
