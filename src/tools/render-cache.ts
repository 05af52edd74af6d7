/**
 * What `npm run render` keeps between runs (in .cache/render/, git-ignored), so that a render
 * with nothing changed executes no kernel and starts no Python:
 *
 * - a run, keyed by everything its outputs can depend on: the notebook's bytes, the built
 *   library (every file in dist/), the lockfile (the exact dependencies), the executor itself
 *   (run_notebook.py). Change any of them and the key changes, so a stale
 *   entry can never be used for a page: it is simply never looked up again.
 * - the cells' HTML, keyed by the notebook nbconvert is given and the templates.
 *
 * Entries are whole files written atomically; an unreadable entry counts as missing.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { type Notebook, validateNotebook } from "../ipynb/notebook.js";
import { readJsonIfValid, writeAtomic } from "./files.js";
import type { CellReport, RunResult } from "./run.js";

const sha256 = (...parts: (string | Uint8Array)[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex");
};

/** Every file below `dir`, in a stable order, with its bytes: one hash for a whole folder. */
function hashTree(dir: string): string {
  const h = createHash("sha256");
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && !entry.name.endsWith(".tsbuildinfo")) h.update(path.relative(dir, full)).update("\0").update(fs.readFileSync(full)).update("\0");
    }
  };
  walk(dir);
  return h.digest("hex");
}

export class RenderCache {
  private readonly environment: string;

  /** `dir` null: remember nothing (every lookup misses). */
  constructor(
    private readonly dir: string | null,
    root: string,
  ) {
    const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file) : "");
    this.environment = dir === null ? "" : sha256(hashTree(path.join(root, "dist")), read(path.join(root, "package-lock.json")), read(path.join(root, "src", "tools", "run_notebook.py")));
  }

  /** Only successful runs are kept, and a run that succeeded means the same whatever its timeout was. */
  runKey(notebook: string): string {
    return sha256("run", this.environment, fs.existsSync(notebook) ? fs.readFileSync(notebook) : `missing ${notebook}`);
  }

  getRun(key: string, notebook: string): RunResult | undefined {
    const entry = this.read(`run-${key}.json`) as { cells: CellReport[]; executed: unknown; seconds: number } | undefined;
    if (!entry) return undefined;
    try {
      return { notebook, ok: true, cells: entry.cells, executed: validateNotebook(entry.executed, notebook), seconds: 0 };
    } catch {
      return undefined;
    }
  }

  putRun(key: string, run: RunResult): void {
    this.write(`run-${key}.json`, JSON.stringify({ cells: run.cells, executed: run.executed, seconds: run.seconds }));
  }

  htmlKey(notebook: Notebook, templates: string): string {
    return sha256("html", JSON.stringify(notebook), hashTree(templates));
  }

  getHtml(key: string): string | undefined {
    if (this.dir === null) return undefined;
    const file = path.join(this.dir, `html-${key}.html`);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
  }

  putHtml(key: string, html: string): void {
    this.write(`html-${key}.html`, html);
  }

  private read(name: string): unknown {
    return this.dir === null ? undefined : readJsonIfValid(path.join(this.dir, name));
  }

  private write(name: string, content: string): void {
    if (this.dir === null) return;
    fs.mkdirSync(this.dir, { recursive: true });
    writeAtomic(path.join(this.dir, name), content);
  }
}
