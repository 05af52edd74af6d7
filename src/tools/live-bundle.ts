/**
 * `npm run live-bundle [-- --out DIR]` (and the end of `npm run render`): the live page's files
 * in `<site>/live/`, bundled with rolldown from src/live/:
 *
 * - practice-gen.js: an ES module that draws new practice expressions in the page, loaded by
 *   assets/practice.js when "New expression" has gone through those the page came with;
 * - live.js: the one script a lesson page loads (page.ts): Run controls, nothing heavy; a
 *   classic script, so that opening the page from file:// stays silent;
 * - worker.js and chunks/: the worker kernel (compiler, inspect) as an ES module, with the
 *   library, Graphviz and TF.js in chunks loaded when a cell first imports them;
 * - kernel-frame.html and kernel-frame.js: the frame that starts the worker in a process of its
 *   own, served under the site's other name (kernel-frame.ts);
 * - editor.js: CodeMirror for editing cells, loaded on the first edit or after the first output;
 * - markdown.js: marked, for the markdown a cell shows, loaded when a cell first shows some;
 * - typecheck-worker.js and typecheck-files.json: TypeScript's compiler and the declarations it
 *   reads, for checking cells' types as tslab does, loaded when a cell needs it;
 * - typed-cells.json: the lessons' cells that need no check when run as written (typed-cells.ts);
 * - live.css.
 *
 * The notebooks the page runs are written by render.ts, which offers them as downloads too:
 * `<site>/notebooks/<name>.ipynb` (outputs cleared) and `<site>/exercises/<name>.ipynb`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { createHash } from "node:crypto";
import { packageRoot, readJsonIfValid, writeAtomic } from "./files.js";
import { sourceText } from "../ipynb/notebook.js";
import { readNotebook } from "../ipynb/read.js";
import { CellChecker } from "../live/typecheck.js";
import { TYPED_CELLS_FILE, type TypedCells, typedKey, typedKeys } from "../live/typed-cells.js";

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
    // TypeScript's compiler asks for these only when it runs in Node.
    ...Object.fromEntries(["fs", "path", "os", "crypto", "inspector", "perf_hooks"].map((m) => [m, [path.join(live, "shims", "unavailable.ts")]])),
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
      // practice-gen.js: new practice expressions drawn in the page (src/practice/generate.ts),
      // sharing the worker's library and Graphviz chunks.
      input: { worker: path.join(live, "worker.ts"), "practice-gen": path.join(root, "src", "practice", "generate.ts") },
      output: { dir: tmp, format: "esm", entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js", minify: true },
    });
    await build({
      ...common,
      input: path.join(live, "page.ts"),
      output: { file: path.join(tmp, "live.js"), format: "iife", minify: true },
    });
    // The kernel's frame: a page with one classic script, which starts worker.js (kernel-frame.ts).
    await build({
      ...common,
      input: path.join(live, "frame.ts"),
      output: { file: path.join(tmp, "kernel-frame.js"), format: "iife", minify: true },
    });
    fs.writeFileSync(path.join(tmp, "kernel-frame.html"), KERNEL_FRAME_HTML);
    // The type checker (TypeScript's compiler), loaded by live.js when a cell needs it, and the
    // declarations it reads (TypeScript's ES2022 lib, the library's and TF.js's types).
    await build({
      ...common,
      input: { "typecheck-worker": path.join(live, "typecheck-worker.ts") },
      output: { dir: tmp, format: "esm", entryFileNames: "[name].js", minify: true, codeSplitting: false },
    });
    const files = typecheckFiles(root);
    fs.writeFileSync(path.join(tmp, "typecheck-files.json"), JSON.stringify(files));
    // The cells the page need not check: each lesson's, run in order as written (typed-cells.ts).
    fs.writeFileSync(path.join(tmp, TYPED_CELLS_FILE), JSON.stringify(await typedCells(outDir, files, root)));
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

/** The kernel's frame: no content, and a policy that lets it run its own scripts and worker only. */
export const KERNEL_FRAME_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; worker-src 'self'">
<title>micrograd-ts: the live kernel</title>
<script src="kernel-frame.js"></script>
</head>
<body></body>
</html>
`;

/**
 * The keys of the cells of `<outDir>/notebooks/*.ipynb` (the lessons the pages run) whose types
 * check when run in order (typed-cells.ts), by the notebook's URL as the page names it. The
 * checking takes ~10 s for all lessons, so the result is kept in .cache/typed-cells/ under a hash of
 * everything it depends on: the checker's files and code, TypeScript's version, the cells.
 */
export async function typedCells(outDir: string, files: Record<string, string>, root = packageRoot()): Promise<TypedCells> {
  const dir = path.join(path.resolve(outDir), "notebooks");
  const notebooks = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort() : [];
  const sources = notebooks.map((f) => {
    const nb = readNotebook(path.join(dir, f));
    return { url: `notebooks/${f}`, cells: nb.cells.filter((c) => c.cell_type === "code").map((c) => sourceText(c)) };
  });
  const ts = (await import("typescript")).default;
  const inputs = createHash("sha256").update(JSON.stringify([ts.version, CellChecker.toString(), typedKey.toString(), typedKeys.toString(), files, sources])).digest("hex");
  const cached = path.join(root, ".cache", "typed-cells", `${inputs}.json`);
  const known = readJsonIfValid(cached);
  if (known !== undefined) return known as TypedCells;
  const checker = new CellChecker(ts, { ...files });
  const result: TypedCells = {};
  for (const { url, cells } of sources) result[url] = typedKeys(cells, (prior, source) => checker.check(prior, source));
  keepInCache(cached, JSON.stringify(result));
  return result;
}

/** Write a cache entry (readers never see half of one) and keep the 20 newest; failing is no error. */
function keepInCache(file: string, text: string): void {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
    writeAtomic(file, text);
    const age = (f: string) => {
      try {
        return fs.statSync(path.join(dir, f)).mtimeMs;
      } catch {
        return Infinity; // removed meanwhile
      }
    };
    const entries = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort((a, b) => age(b) - age(a));
    for (const f of entries.slice(20)) fs.rmSync(path.join(dir, f), { force: true });
  } catch {
    // a read-only checkout, a full disk: the next build checks again
  }
}

/**
 * What the type checker of the live page reads (typecheck.ts), as one JSON file: TypeScript's
 * ES2022 lib files, and the library's declarations (dist/, from npm run build) as the package
 * "micrograd-ts" under /node_modules/.
 */
export function typecheckFiles(root = packageRoot()): Record<string, string> {
  const files: Record<string, string> = {};
  const lib = path.join(root, "node_modules", "typescript", "lib");
  for (const f of fs.readdirSync(lib)) {
    if (/^lib\.(es5|es20(1[5-9]|2[0-2])(\.[\w.]+)?|decorators(\.legacy)?)\.d\.ts$/.test(f)) files[`/lib/${f}`] = fs.readFileSync(path.join(lib, f), "utf8");
  }
  const dist = path.join(root, "dist");
  if (!fs.existsSync(path.join(dist, "index.d.ts"))) throw new Error(`${dist}/index.d.ts is missing: run npm run build first`);
  for (const e of fs.readdirSync(dist, { withFileTypes: true, recursive: true })) {
    const rel = path.relative(dist, path.join(e.parentPath, e.name));
    if (!e.isFile() || !rel.endsWith(".d.ts") || /^(tools|live|site|kernel)\//.test(rel)) continue;
    files[`/node_modules/micrograd-ts/dist/${rel.split(path.sep).join("/")}`] = fs.readFileSync(path.join(e.parentPath, e.name), "utf8");
  }
  files["/node_modules/micrograd-ts/package.json"] = JSON.stringify({ name: "micrograd-ts", types: "dist/index.d.ts" });
  // TF.js's types, which lessons use (tf.Tensor); their own tests' declarations left out.
  for (const pkg of ["@tensorflow/tfjs-core", "@tensorflow/tfjs-backend-cpu"]) {
    const dir = path.join(root, "node_modules", pkg);
    const json = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    files[`/node_modules/${pkg}/package.json`] = JSON.stringify({ name: pkg, types: json.types ?? json.typings });
    for (const e of fs.readdirSync(path.join(dir, "dist"), { withFileTypes: true, recursive: true })) {
      if (!e.isFile() || !e.name.endsWith(".d.ts") || /_test\.d\.ts$|test_util/.test(e.name)) continue;
      const rel = path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/");
      files[`/node_modules/${pkg}/${rel}`] = fs.readFileSync(path.join(e.parentPath, e.name), "utf8");
    }
  }
  return files;
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
