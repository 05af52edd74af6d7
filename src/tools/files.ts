/**
 * Files the command-line tools write and find: the package's own folder, atomic writes, and
 * paths as people read them.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The folder holding package.json of micrograd-ts: works from src/ (vitest) and dist/ (node). */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === "micrograd-ts") return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the micrograd-ts package.json above ${from}`);
    dir = parent;
  }
}

/** Temporary files we are writing right now, removed if the process is stopped half-way. */
const pending = new Set<string>();

/** Write next to the target and rename: readers see the old file or the new one, never half. */
export function writeAtomic(file: string, content: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  pending.add(tmp);
  let written = false;
  try {
    fs.writeFileSync(tmp, content);
    written = true;
    fs.renameSync(tmp, file);
    written = false;
  } finally {
    if (written) fs.rmSync(tmp, { force: true });
    pending.delete(tmp);
  }
}

/** Remove half-written files (for a signal handler: the process is about to exit). */
export function removePendingWrites(): void {
  for (const tmp of pending) fs.rmSync(tmp, { force: true });
  pending.clear();
}

/** A path relative to the working folder when it is inside it, else as given. */
export function shortPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file;
}

/** The file's JSON, or undefined when it is missing or not JSON. */
export function readJsonIfValid(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}
