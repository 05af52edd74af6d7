/**
 * `npm run render [-- notebook…] [--timeout N] [--out DIR] [--jobs N]`: execute the lessons and
 * write the static site (one page per lesson, index.html from lessons.md).
 *
 * Notebooks run through tools/run (nbclient, abort-aware) in parallel; pages are made by nbconvert
 * with site-templates/micrograd (no CDN scripts: charts are inline SVG). A notebook that fails
 * leaves no page, and every page is written to a temporary file first and renamed into place,
 * so the site never shows a stale or half-written lesson.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { packageRoot, prepareJupyter } from "./jupyter.js";
import { buildLiveBundle, writeLiveNotebooks } from "./live-bundle.js";
import { KATEX_LINK, katexAssets, typesetMath } from "./math.js";
import { describeFailures, runNotebook, type RunResult } from "./run.js";
import {
  INDEX_PAGE,
  SITE_CSS,
  indexNotebook,
  lessonTitle,
  linkPages,
  navFor,
  pageFile,
  pageName,
  syllabusMarkdown,
  syllabusTitle,
  type Lesson,
  type Nav,
} from "./site.js";

export interface RenderOptions {
  /** Notebooks to render (paths, or names inside lessonsDir); default: every lesson. */
  notebooks?: string[];
  /** Where the lessons live; default `<root>/notebooks`. */
  lessonsDir?: string;
  /** The syllabus for index.html; default `<root>/lessons.md` (may be missing). */
  syllabus?: string;
  /** Where the site goes; default `<root>/site`. */
  outDir?: string;
  /** Seconds per cell; default 60. */
  timeout?: number;
  /** Notebooks executed at once; default the number of cores. */
  jobs?: number;
  log?: (line: string) => void;
  /** How a notebook is executed; default tools/run's runNotebook. Tests pass one that reuses runs. */
  execute?: (notebook: string, options: { timeout?: number }) => Promise<RunResult>;
}

export interface RenderFailure {
  notebook: string;
  message: string;
}

export interface RenderResult {
  ok: boolean;
  /** Files written, absolute paths. */
  written: string[];
  failures: RenderFailure[];
  seconds: number;
}

interface Target {
  /** As the user named it (for messages). */
  display: string;
  file: string;
  name: string;
}

export async function renderSite(options: RenderOptions = {}): Promise<RenderResult> {
  const started = performance.now();
  const root = packageRoot();
  const lessonsDir = path.resolve(options.lessonsDir ?? path.join(root, "notebooks"));
  const outDir = path.resolve(options.outDir ?? path.join(root, "site"));
  const syllabusFile = path.resolve(options.syllabus ?? path.join(root, "lessons.md"));
  const log = options.log ?? ((line: string) => console.log(line));
  const jobs = Math.max(1, options.jobs ?? os.cpus().length);

  const all = listNotebooks(lessonsDir);
  const targets = options.notebooks?.length ? options.notebooks.map((n) => resolveTarget(n, lessonsDir)) : all;
  const lessons = siteLessons(all, targets);
  const syllabus = fs.existsSync(syllabusFile) ? fs.readFileSync(syllabusFile, "utf8") : null;
  const indexTitle = syllabusTitle(syllabus);
  const jupyter = prepareJupyter({ log }); // once, before the parallel runs
  fs.mkdirSync(outDir, { recursive: true });

  const results = await executeAll(targets, { ...options, jobs, log, outDir });

  const failures: RenderFailure[] = [];
  const pages: { target: Target; notebook: any; nav: Nav }[] = [];
  targets.forEach((t, i) => {
    const outcome = results[i]!;
    if (outcome instanceof Error || !outcome.ok) {
      const message = outcome instanceof Error ? outcome.message : failureText(outcome, t.display);
      failures.push({ notebook: t.display, message });
      fs.rmSync(path.join(outDir, pageFile(t.name)), { force: true }); // no stale page for a broken lesson
      return;
    }
    const at = lessons.findIndex((l) => l.name === t.name);
    const nb = stableNotebook(outcome.executed, lessons[at]!.title);
    for (const cell of nb.cells) {
      if (cell.cell_type !== "markdown") continue;
      const linked = linkPages(sourceText(cell.source), lessons);
      cell.source = linked.markdown;
      for (const url of linked.missing) log(`warning: ${t.display} links ${url}, which is not a lesson: shown as plain text`);
    }
    pages.push({ target: t, notebook: nb, nav: navFor(lessons, at, indexTitle) });
  });

  const index = syllabusMarkdown(syllabus, lessons);
  for (const url of index.missing) log(`warning: the syllabus links ${url}, which is not a lesson: shown as plain text`);
  if (syllabus == null) log(`note: ${path.relative(process.cwd(), syllabusFile)} is missing; the index lists the lessons only`);
  const first = lessons[0];
  const jobsForHtml = [
    ...pages.map((p) => ({ name: p.target.name, notebook: p.notebook, nav: p.nav })),
    {
      name: "index",
      notebook: indexNotebook(index.markdown, indexTitle),
      nav: first ? { next: { href: pageFile(first.name), title: first.title } } : null,
    },
  ];
  const html = await toHtml(jupyter.python, jupyter.env, root, jobsForHtml);

  const written = copyKatex(outDir);
  jobsForHtml.forEach((job, i) => {
    const file = path.join(outDir, job.name === "index" ? INDEX_PAGE : pageFile(job.name));
    writeAtomic(file, typesetMath(html[i]!));
    written.push(file);
  });
  // The live page: its runtime and the notebooks it runs (src/tools/live-bundle.ts).
  written.push(...writeLiveNotebooks(outDir, pages.map((p) => ({ name: p.target.name, file: p.target.file }))));
  written.push(...(await buildLiveBundle(outDir)));
  return { ok: failures.length === 0, written, failures, seconds: (performance.now() - started) / 1000 };
}

/** Run the notebooks, `jobs` at a time, with a progress line as each one finishes. */
async function executeAll(
  targets: Target[],
  options: RenderOptions & { jobs: number; log: (line: string) => void; outDir: string },
): Promise<(RunResult | Error)[]> {
  const { jobs, log, execute = runNotebook } = options;
  const where = path.relative(process.cwd(), options.outDir) || ".";
  const plural = targets.length === 1 ? "" : "s";
  log(`rendering ${targets.length} notebook${plural}, ${Math.min(jobs, targets.length)} at a time, into ${where}`);
  let done = 0;
  return mapLimit(targets, jobs, async (t) => {
    const outcome = await execute(t.display, { timeout: options.timeout }).catch((e: Error) => e);
    done += 1;
    const seconds = outcome instanceof Error ? "" : ` in ${outcome.seconds.toFixed(1)} s`;
    const verdict = outcome instanceof Error || !outcome.ok ? "FAILED" : "ok";
    log(`[${done}/${targets.length}] ${t.display}: ${verdict}${seconds}`);
    return outcome;
  });
}

function failureText(result: RunResult, display: string): string {
  return describeFailures({ ...result, notebook: display }) || `${display}: some cells did not run`;
}

function listNotebooks(dir: string): Target[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => ({ display: path.relative(process.cwd(), path.join(dir, f)), file: path.join(dir, f), name: pageName(f) }));
}

/** A named notebook: a path as given, or a name inside the lessons folder ("02-…", "02-….ipynb"). */
function resolveTarget(name: string, lessonsDir: string): Target {
  const candidates = [name, path.join(lessonsDir, name), path.join(lessonsDir, `${name}.ipynb`)];
  const file = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? name;
  return { display: path.relative(process.cwd(), path.resolve(file)) || name, file: path.resolve(file), name: pageName(file) };
}

/** Every lesson in order (for the index and prev/next), including named notebooks from elsewhere. */
function siteLessons(all: Target[], targets: Target[]): Lesson[] {
  const byName = new Map<string, Target>();
  for (const t of [...all, ...targets]) byName.set(t.name, t);
  return [...byName.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((t) => ({ name: t.name, title: lessonTitle(readJson(t.file), t.name) }));
}

function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function sourceText(source: unknown): string {
  return Array.isArray(source) ? source.join("") : String(source ?? "");
}

/** Drop what changes from run to run, so two renders give the same bytes. */
function stableNotebook(executed: any, title: string): any {
  const nb = structuredClone(executed);
  nb.metadata = { ...nb.metadata, title };
  delete nb.metadata.widgets;
  delete nb.metadata.papermill;
  for (const cell of nb.cells ?? []) {
    if (cell.metadata) {
      delete cell.metadata.execution;
      delete cell.metadata.ExecuteTime;
    }
  }
  return nb;
}

/** nbconvert, all pages in one Python process (importing nbconvert is the slow part). */
async function toHtml(python: string, env: NodeJS.ProcessEnv, root: string, pages: unknown[]): Promise<string[]> {
  const driver = path.join(root, "src", "tools", "notebook_html.py");
  const templates = path.join(root, "src", "tools", "site-templates");
  const input = JSON.stringify({ templates, css: SITE_CSS, head: KATEX_LINK, pages });
  const { code, stdout, stderr } = await spawnWithInput(python, [driver], input, env);
  let result: any;
  try {
    result = JSON.parse(stdout);
  } catch {
    throw new Error(`nbconvert failed (exit code ${code}):\n${stderr.trim()}`);
  }
  if (result.error) throw new Error(`nbconvert failed: ${result.error}`);
  return result.pages;
}

function spawnWithInput(command: string, args: string[], input: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr }));
    child.stdin.end(input);
  });
}

/** KaTeX's stylesheet and fonts into `<outDir>/katex/`, rewritten only when they differ. */
function copyKatex(outDir: string): string[] {
  const { dir, files } = katexAssets();
  fs.mkdirSync(path.join(outDir, "katex", "fonts"), { recursive: true });
  return files.map((f) => {
    const from = fs.readFileSync(path.join(dir, f));
    const to = path.join(outDir, "katex", f);
    if (!fs.existsSync(to) || !fs.readFileSync(to).equals(from)) writeAtomic(to, from);
    return to;
  });
}

/** Write next to the target and rename: readers see the old page or the new one, never half. */
export function writeAtomic(file: string, content: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Like Promise.all over items.map(fn), with at most `limit` running at once; keeps order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number ≥ 1, got "${value}"`);
  return n;
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let options: RenderOptions;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { timeout: { type: "string" }, out: { type: "string" }, jobs: { type: "string" } },
    });
    options = {
      notebooks: positionals,
      timeout: positiveInt(values.timeout, "--timeout"),
      jobs: positiveInt(values.jobs, "--jobs"),
      outDir: values.out,
    };
  } catch (e) {
    console.error(`render: ${(e as Error).message}\nusage: npm run render [-- notebook…] [--timeout N] [--out DIR] [--jobs N]`);
    return 2;
  }
  try {
    const result = await renderSite(options);
    if (!result.ok) {
      console.error(`\nrender failed for ${result.failures.length} notebook(s); no page was written for them:`);
      for (const f of result.failures) console.error(`\n${f.message}`);
      return 1;
    }
    const pages = result.written.filter((f) => f.endsWith(".html")).length;
    console.log(`wrote ${pages} pages in ${result.seconds.toFixed(1)} s`);
    return 0;
  } catch (e) {
    console.error(`render: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
