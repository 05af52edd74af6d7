/**
 * `npm run live-bundle [-- --out DIR]` (and the end of `npm run render`): the live page's files
 * in `<site>/live/`, bundled with rolldown from src/live/:
 *
 * - live.js: the one script a lesson page loads (page.ts): Run controls, nothing heavy; a
 *   classic script, so that opening the page from file:// stays silent;
 * - worker.js and chunks/: the worker kernel (compiler, inspect) as an ES module, with the
 *   library, Graphviz and TF.js in chunks loaded when a cell first imports them;
 * - editor.js: CodeMirror for editing cells, loaded on the first edit or run;
 * - markdown.js: marked, for the markdown a cell shows, loaded when a cell first shows some;
 * - live.css.
 *
 * The notebooks the page runs are written by render.ts, which offers them as downloads too:
 * `<site>/notebooks/<name>.ipynb` (outputs cleared) and `<site>/exercises/<name>.ipynb`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { packageRoot } from "./files.js";

/** Bundle the live runtime into `<outDir>/live/`; returns the files written. */
export async function buildLiveBundle(outDir: string): Promise<string[]> {
  const { build } = await import("rolldown");
  const root = packageRoot();
  const live = path.join(root, "src", "live");
  const target = path.join(path.resolve(outDir), "live");
  const tmp = `${target}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const shims = {
    "node:crypto": [path.join(live, "shims", "crypto.ts")],
    "node:fs": [path.join(live, "shims", "unavailable.ts")],
    tslab: [path.join(live, "shims", "unavailable.ts")],
  };
  // Graphviz is 0.47 MB gzipped (WebAssembly inside): its own chunk, fetched once the library
  // is loaded, instead of a part of the library every lesson waits for.
  const lazyGraphviz = {
    name: "lazy-graphviz",
    resolveId(source: string, importer: string | undefined) {
      if (source === "@viz-js/viz" && importer && path.resolve(importer) === path.join(root, "src", "viz", "graphviz.ts")) {
        return path.join(live, "shims", "viz.ts");
      }
      return null;
    },
  };
  const common = {
    plugins: [lazyGraphviz],
    platform: "browser" as const,
    logLevel: "silent" as const,
    tsconfig: path.join(root, "tsconfig.json"),
    // The library's sources import "./engine.js" for ./engine.ts (TypeScript's nodenext style).
    resolve: { alias: shims, extensionAlias: { ".js": [".ts", ".js"] } },
  };
  try {
    await build({
      ...common,
      input: { worker: path.join(live, "worker.ts") },
      output: { dir: tmp, format: "esm", entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js", minify: true },
    });
    await build({
      ...common,
      input: path.join(live, "page.ts"),
      output: { file: path.join(tmp, "live.js"), format: "iife", minify: true },
    });
    // The editor (CodeMirror), loaded by live.js on the first edit or run: one ES module.
    await build({
      ...common,
      input: path.join(live, "editor.ts"),
      output: { file: path.join(tmp, "editor.js"), format: "esm", minify: true, codeSplitting: false },
    });
    // Markdown that a cell shows, rendered by live.js when a cell first shows some.
    await build({
      ...common,
      input: path.join(live, "markdown.ts"),
      output: { file: path.join(tmp, "markdown.js"), format: "esm", minify: true, codeSplitting: false },
    });
    fs.copyFileSync(path.join(live, "live.css"), path.join(tmp, "live.css"));
    // Swap the whole folder: a page never loads a worker from one build and chunks from another.
    const old = `${target}.old-${process.pid}`;
    if (fs.existsSync(target)) fs.renameSync(target, old);
    fs.renameSync(tmp, target);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return listFiles(target);
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let out: string;
  try {
    const { values } = parseArgs({ args: argv, options: { out: { type: "string" } } });
    out = values.out ?? path.join(packageRoot(), "site");
  } catch (e) {
    console.error(`live-bundle: ${(e as Error).message}\nusage: npm run live-bundle [-- --out DIR]`);
    return 2;
  }
  try {
    const files = await buildLiveBundle(out);
    console.log(`wrote ${files.length} files into ${path.relative(process.cwd(), path.join(out, "live")) || "."}`);
    return 0;
  } catch (e) {
    console.error(`live-bundle: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
