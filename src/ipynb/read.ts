/**
 * Reading a notebook file: the file system's errors as one line that names the file, then the one
 * parser/validator (ipynb/notebook.ts). Command-line side only.
 */
import { readFileSync } from "node:fs";
import { type Notebook, NotebookError, parseNotebook } from "./notebook.js";

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
