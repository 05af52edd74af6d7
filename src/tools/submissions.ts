/**
 * Which notebooks a teacher named: `npm run check -- class/**\/*.ipynb` may reach us unexpanded
 * (npm runs scripts with sh, which has no `**`; a quoted pattern is never expanded), and a folder
 * means every notebook in it. Patterns: `*` (within a folder), `**` (any depth), `?`.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Every notebook the arguments name, in order, each once; an argument that names nothing is kept (check reports it). */
export function expandNotebooks(args: string[]): string[] {
  const out: string[] = [];
  const add = (f: string) => {
    if (!out.includes(f)) out.push(f);
  };
  for (const arg of args) {
    if (fs.existsSync(arg) && fs.statSync(arg).isDirectory()) {
      walk(arg).filter((f) => f.endsWith(".ipynb")).forEach(add);
    } else if (!fs.existsSync(arg) && /[*?]/.test(arg)) {
      const found = glob(arg);
      (found.length ? found : [arg]).forEach(add);
    } else {
      add(arg);
    }
  }
  return out;
}

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue; // .ipynb_checkpoints, .git
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/** The files matching a pattern, searched from its last folder without wildcards. */
export function glob(pattern: string): string[] {
  const parts = pattern.split(/[\\/]/);
  const fixed = parts.findIndex((p) => /[*?]/.test(p));
  const base = parts.slice(0, fixed).join("/") || ".";
  if (!fs.existsSync(base) || !fs.statSync(base).isDirectory()) return [];
  const rest = parts.slice(fixed).join("/");
  const source = rest
    .split("/")
    .map((p) => (p === "**" ? "\u0000" : p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")))
    .join("/")
    .replace(/\u0000\//g, "(?:[^/]+/)*")
    .replace(/\/\u0000$/, "(?:/[^/]+)*")
    .replace(/^\u0000$/, ".*");
  const re = new RegExp(`^${source}$`);
  return walk(base)
    .map((f) => path.relative(base, f).split(path.sep).join("/"))
    .filter((rel) => re.test(rel))
    .map((rel) => (base === "." && !pattern.startsWith("./") ? rel : `${base}/${rel}`));
}
