/**
 * `npm run render [-- notebook…] [--timeout N] [--out DIR] [--jobs N] [--force]`: execute the
 * lessons and write the static course site.
 *
 * The steps, each cached on what it depends on (render-cache.ts), so a render with nothing
 * changed runs no kernel and no Python:
 * 1. execute each lesson (tools/run, in parallel): keyed by the notebook, the built library,
 *    the lockfile and the executor;
 * 2. turn its cells into HTML (nbconvert, notebook_html.py): keyed by the executed notebook;
 * 3. assemble the pages (page.ts: contents, navigation, downloads), typeset math (KaTeX), build
 *    the search index (search.ts), copy the shared assets and the downloadable notebooks;
 * 4. bundle the live runtime (live-bundle.ts), which runs those notebooks in the page.
 * A lesson that fails is named (notebook, cell, message), the render exits non-zero, and the
 * lesson is shown as "not rendered" everywhere: no page of the site links to a missing page.
 * Every file is written to a temporary name and renamed, so the site is never half-written.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { formatProblem, gradedCells, isCheckCell, isSolutionCell, validate } from "../ipynb/nbgrader.js";
import { type Notebook, clearOutputs, serializeNotebook, sourceText } from "../ipynb/notebook.js";
import { readNotebook } from "../ipynb/read.js";
import { REVIEW_PAGE, reviewBody } from "../practice/review-body.js";
import { learnerCopy } from "./exercises.js";
import { buildLiveBundle } from "./live-bundle.js";
import { packageRoot, removePendingWrites, shortPath, writeAtomic } from "./files.js";
import { prepareJupyter } from "./jupyter.js";
import { landingBody, landingFigures } from "./landing.js";
import { katexAssets, typesetMath } from "./math.js";
import { cellsOf, pageHtml, sectionsOf, unlinkPages } from "./page.js";
import { mapLimit, spawnCollect } from "./processes.js";
import { RenderCache } from "./render-cache.js";
import { buildReviewScript } from "./review-bundle.js";
import { describeFailures, type Executor, runNotebook, type RunResult, stopRunningNotebooks } from "./run.js";
import { searchIndexScript, sectionDocs, type SearchDoc } from "./search.js";
import { INDEX_PAGE, type Lesson, lessonTitle, linkPages, linkSyllabus, navFor, pageFile, pageName, parseSyllabus, syllabusTitle } from "./site.js";

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
  /** Re-execute every notebook even when the cache has it. */
  force?: boolean;
  /** Where executed notebooks are kept between renders; default `<root>/.cache/render`; null: no cache. */
  cacheDir?: string | null;
  log?: (line: string) => void;
  /** How a notebook is executed; default tools/run's runNotebook. Tests pass one that reuses runs. */
  execute?: Executor;
  /** Aborted when the command is stopped: nothing more is written after the notebooks are stopped. */
  signal?: AbortSignal;
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
  /** Notebooks that were executed (not taken from the cache). */
  executed: string[];
  seconds: number;
}

interface Target {
  /** As the user named it (for messages). */
  display: string;
  file: string;
  name: string;
}

const TEMPLATES = ["src", "tools", "site-templates"];

export async function renderSite(options: RenderOptions = {}): Promise<RenderResult> {
  const started = performance.now();
  const root = packageRoot();
  const lessonsDir = path.resolve(options.lessonsDir ?? path.join(root, "notebooks"));
  const outDir = path.resolve(options.outDir ?? path.join(root, "site"));
  const syllabusFile = path.resolve(options.syllabus ?? path.join(root, "lessons.md"));
  const log = options.log ?? ((line: string) => console.log(line));
  const jobs = Math.max(1, options.jobs ?? os.cpus().length);
  const cache = new RenderCache(options.cacheDir === null ? null : path.resolve(options.cacheDir ?? path.join(root, ".cache", "render")), root);

  const all = listNotebooks(lessonsDir);
  const targets = options.notebooks?.length ? options.notebooks.map((n) => resolveTarget(n, lessonsDir)) : all;
  for (const t of targets) {
    const kernel = kernelOf(t.file);
    if (kernel !== undefined && kernel !== "tslab") log(`warning: ${t.display} asks for the kernel ${JSON.stringify(kernel)}; it runs with TypeScript (tslab), as every lesson does`);
  }
  const lessons = siteLessons(all, targets);
  const syllabus = fs.existsSync(syllabusFile) ? fs.readFileSync(syllabusFile, "utf8") : null;
  const siteTitle = syllabusTitle(syllabus);
  fs.mkdirSync(outDir, { recursive: true });

  // 1. Execute what the cache does not have.
  const executed: string[] = [];
  const runs = await executeAll(targets, { ...options, jobs, log, outDir, cache, executed });
  options.signal?.throwIfAborted();

  const failures: RenderFailure[] = [];
  const good = new Map<string, { target: Target; notebook: Notebook }>();
  targets.forEach((t, i) => {
    const outcome = runs[i]!;
    if (outcome instanceof Error || !outcome.ok) {
      failures.push({ notebook: t.display, message: outcome instanceof Error ? outcome.message : failureText(outcome, t.display) });
    } else {
      good.set(t.name, { target: t, notebook: outcome.executed });
    }
  });
  const failed = new Set(targets.filter((t) => !good.has(t.name)).map((t) => t.name));
  // A lesson has a page when it rendered now, or (not rendered this time) its page is already there.
  const rendered = lessons.map((l) => ({ ...l, rendered: good.has(l.name) || (!failed.has(l.name) && fs.existsSync(path.join(outDir, pageFile(l.name)))) }));
  const linkable = rendered.filter((l) => l.rendered);

  // 2. Cells to HTML, through nbconvert for those not in the cache.
  const index = linkSyllabus(parseSyllabus(syllabus, lessons), linkable);
  for (const url of index.missing) log(`warning: the syllabus links ${url}, which is not a rendered lesson: shown as plain text`);
  if (syllabus == null) log(`note: ${shortPath(syllabusFile)} is missing; the index lists the lessons only`);
  const sources = [...good.values()].map(({ target, notebook }) => {
    const nb = pageNotebook(notebook, lessons.find((l) => l.name === target.name)!.title);
    for (const cell of nb.cells) {
      if (cell.cell_type !== "markdown") continue;
      const linked = linkPages(sourceText(cell), linkable);
      cell.source = linked.markdown; // nbconvert wants sources as one string
      for (const url of linked.missing) log(`warning: ${target.display} links ${url}, which is not a rendered lesson: shown as plain text`);
    }
    return { name: target.name, notebook: nb };
  });
  const templates = path.join(root, ...TEMPLATES);
  const bodies = await cellsToHtml(sources, cache, templates);

  // 3. Pages, search, downloads, assets. Lessons this render did not execute keep the cells of
  // their existing page, re-wrapped, so every page's contents and links agree with this render.
  const written: string[] = [];
  const write = (file: string, content: string | Uint8Array) => {
    const to = path.join(outDir, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (!fs.existsSync(to) || !fs.readFileSync(to).equals(Buffer.from(content))) writeAtomic(to, content);
    written.push(to);
  };
  for (const name of failed) {
    // No stale page of a broken lesson: every link to it becomes plain text below.
    for (const file of [pageFile(name), `notebooks/${name}.ipynb`, `exercises/${name}.ipynb`]) fs.rmSync(path.join(outDir, file), { force: true });
  }
  const bodyOf = new Map(sources.map(({ name }, i) => [name, focusableCode(typesetMath(bodies[i]!))]));
  for (const l of linkable) {
    if (!bodyOf.has(l.name)) bodyOf.set(l.name, cellsOf(fs.readFileSync(path.join(outDir, pageFile(l.name)), "utf8")) ?? "");
  }
  const notRendered = rendered.filter((l) => !l.rendered).map((l) => l.name);
  const docs: SearchDoc[] = [];
  // The landing page: the syllabus as cards, with pictures the lessons drew.
  const cards = rendered.map((l) => ({ ...l, exercises: exerciseCount(targetFile(l.name, targets, all)) }));
  const figures = landingFigures(linkable.map((l) => [l.name, bodyOf.get(l.name)!]));
  const landing = typesetMath(landingBody({ syllabus: index.syllabus, lessons: cards, figures }));
  write(INDEX_PAGE, pageHtml({ title: siteTitle, siteTitle, body: unlinkPages(landing, notRendered), lessons: rendered, layout: "landing", scripts: ["assets/progress.js"] }));
  rendered.forEach((lesson, at) => {
    if (!lesson.rendered) return;
    const name = lesson.name;
    const body = unlinkPages(bodyOf.get(name)!, notRendered);
    const target = good.get(name)?.target;
    if (target) {
      write(`notebooks/${name}.ipynb`, serializeNotebook(clearOutputs(readNotebook(target.file))));
      const copy = exerciseCopy(target);
      if (typeof copy === "string") write(`exercises/${name}.ipynb`, copy);
      else {
        // Never a learner copy with an answer or hidden test left in: none, and the render fails.
        fs.rmSync(path.join(outDir, `exercises/${name}.ipynb`), { force: true });
        failures.push({ notebook: target.display, message: copy.problems });
      }
    }
    docs.push(...sectionDocs(pageFile(name), lesson.title, body));
    write(
      pageFile(name),
      pageHtml({
        title: `${lesson.title} · ${siteTitle}`,
        siteTitle,
        body,
        lessons: rendered,
        current: name,
        sections: sectionsOf(body),
        nav: navFor(rendered, at, siteTitle),
        downloads: { solved: `notebooks/${name}.ipynb`, exercises: `exercises/${name}.ipynb` },
        facts: index.syllabus.lessons.get(name)?.facts,
        // The live page (src/live) runs these notebooks; live.js only adds Run controls until used.
        htmlAttributes: { "data-notebook": `notebooks/${name}.ipynb`, "data-exercises": `exercises/${name}.ipynb` },
        // practice.js: the practice widgets (src/practice) in the page, also those the live page adds.
        scripts: ["assets/practice.js", "live/live.js"],
      }),
    );
  });
  // The flashcards' review page (src/practice): the deck readable as it is, a review session with its script.
  write(REVIEW_PAGE, pageHtml({ title: `Review · ${siteTitle}`, siteTitle, body: reviewBody(), lessons: rendered, scripts: ["assets/review.js"] }));
  write("assets/review.js", await buildReviewScript());
  write("assets/search-index.js", searchIndexScript(docs));
  for (const [file, content] of siteAssets(root)) write(file, content);
  written.push(...(await buildLiveBundle(outDir)));
  return { ok: failures.length === 0, written, failures, executed, seconds: (performance.now() - started) / 1000 };
}

/** Run the notebooks the cache lacks, `jobs` at a time, with a progress line as each one finishes. */
async function executeAll(
  targets: Target[],
  o: RenderOptions & { jobs: number; log: (line: string) => void; outDir: string; cache: RenderCache; executed: string[] },
): Promise<(RunResult | Error)[]> {
  const { jobs, log, cache, execute = runNotebook } = o;
  const keys = targets.map((t) => cache.runKey(t.file));
  const todo = targets.filter((t, i) => o.force || !cache.getRun(keys[i]!, t.display));
  const plural = (n: number) => (n === 1 ? "" : "s");
  if (todo.length === 0) log(`rendering ${targets.length} notebook${plural(targets.length)} into ${shortPath(o.outDir)}: nothing changed since the last render`);
  else log(`rendering ${targets.length} notebook${plural(targets.length)} into ${shortPath(o.outDir)}: executing ${todo.length} (${Math.min(jobs, todo.length)} at a time), the rest from the cache`);
  if (todo.length > 0 && !o.execute) prepareJupyter({ log }); // once, before the parallel runs
  let done = 0;
  // A progress line every 30 s for a notebook still running, saying what it is doing.
  const busy = new Map<string, { since: number; phase: string }>();
  const ticker = setInterval(() => {
    for (const [name, { since, phase }] of busy) log(`… ${name}: ${phase} (${Math.round((Date.now() - since) / 1000)} s so far)`);
  }, 30_000);
  ticker.unref();
  const outcomes = await mapLimit(targets, jobs, async (t, i) => {
    const cached = o.force ? undefined : cache.getRun(keys[i]!, t.display);
    if (cached) return cached;
    busy.set(t.display, { since: Date.now(), phase: "starting" });
    const onPhase = (phase: string) => busy.set(t.display, { since: busy.get(t.display)?.since ?? Date.now(), phase });
    const outcome = await execute(t.display, { timeout: o.timeout, onPhase }).catch((e: Error) => e);
    busy.delete(t.display);
    done += 1;
    o.executed.push(t.display);
    if (!(outcome instanceof Error) && outcome.ok) cache.putRun(keys[i]!, outcome);
    const seconds = outcome instanceof Error ? "" : ` in ${outcome.seconds.toFixed(1)} s`;
    log(`[${done}/${todo.length}] ${t.display}: ${outcome instanceof Error || !outcome.ok ? "FAILED" : "ok"}${seconds}`);
    return outcome;
  });
  clearInterval(ticker);
  return outcomes;
}

/** The learner copy offered for download; a lesson whose exercises are broken gets none, and says why. */
function exerciseCopy(target: Target): string | { problems: string } {
  const lesson = readNotebook(target.file);
  const problems = validate(lesson, { notebook: target.display, role: "lesson" });
  if (problems.length > 0) return { problems: `no learner copy: ${problems.map(formatProblem).join("\n")}` };
  return serializeNotebook(learnerCopy(lesson, target.name));
}

/** The kernel a notebook asks for (metadata.kernelspec.name), when it can be read. */
function kernelOf(file: string): unknown {
  try {
    return (readNotebook(file).metadata.kernelspec as { name?: unknown } | undefined)?.name;
  } catch {
    return undefined; // the run reports an unreadable notebook
  }
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

/** Every lesson in order (for the contents and prev/next), including named notebooks from elsewhere. */
function siteLessons(all: Target[], targets: Target[]): Lesson[] {
  const byName = new Map<string, Target>();
  for (const t of [...all, ...targets]) byName.set(t.name, t);
  return [...byName.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((t) => ({ name: t.name, title: lessonTitle(t.file, t.name) }));
}

/**
 * The executed notebook as the page shows it: a title, each code cell's index and exercise role
 * (the live page offers "try it yourself" on answer cells and keeps check cells read-only),
 * nothing that varies run to run.
 */
function pageNotebook(executed: Notebook, title: string): Notebook {
  const nb = structuredClone(executed);
  nb.metadata = { ...nb.metadata, title };
  delete nb.metadata.widgets;
  delete nb.metadata.papermill;
  nb.cells.forEach((cell, i) => {
    delete cell.metadata.execution;
    delete cell.metadata.ExecuteTime;
    if (cell.cell_type !== "code") return;
    cell.metadata.site_cell = i;
    if (isSolutionCell(cell)) {
      cell.metadata.site_role = "answer";
      // The markers are for the exercise tools; a reader sees the answer without them.
      cell.source = sourceText(cell).split("\n").filter((line) => !SOLUTION_MARKER.test(line)).join("\n");
    }
    else if (isCheckCell(cell)) cell.metadata.site_role = "check";
  });
  return nb;
}

const SOLUTION_MARKER = /^\s*\/\/\s*(?:BEGIN|END) SOLUTION\s*$/;

/** How many exercises (check cells) a lesson has; 0 when it cannot be read (render reports that). */
function exerciseCount(file: string | undefined): number {
  try {
    return file ? gradedCells(readNotebook(file)).length : 0;
  } catch {
    return 0;
  }
}

function targetFile(name: string, targets: Target[], all: Target[]): string | undefined {
  return (targets.find((t) => t.name === name) ?? all.find((t) => t.name === name))?.file;
}

/** The cells of each notebook as HTML: from the cache, or nbconvert (one Python process for all). */
async function cellsToHtml(sources: { name: string; notebook: Notebook }[], cache: RenderCache, templates: string): Promise<string[]> {
  const keys = sources.map((s) => cache.htmlKey(s.notebook, templates));
  const bodies = keys.map((k) => cache.getHtml(k));
  const missing = sources.map((s, i) => ({ ...s, i })).filter(({ i }) => bodies[i] === undefined);
  if (missing.length > 0) {
    const jupyter = prepareJupyter();
    const driver = path.join(packageRoot(), "src", "tools", "notebook_html.py");
    const input = JSON.stringify({ templates, pages: missing.map(({ name, notebook }) => ({ name, notebook })) });
    // nbconvert on huge outputs can take very long: give up with a message that says where.
    let timer: NodeJS.Timeout | undefined;
    const limit = 300;
    const { code, stdout, stderr } = await spawnCollect(jupyter.python, [driver], {
      env: jupyter.env,
      input,
      started: (child) => (timer = setTimeout(() => child.kill("SIGTERM"), limit * 1000)),
    }).finally(() => clearTimeout(timer));
    if (code === null || code === 143) {
      const mb = (Buffer.byteLength(input) / 1048576).toFixed(1);
      throw new Error(`converting ${missing.map((m) => m.name).join(", ")} to HTML took more than ${limit} s (${mb} MB of notebooks with their outputs): look for very large outputs`);
    }
    let result: { pages: string[] } | { error: string };
    try {
      result = JSON.parse(stdout) as typeof result;
    } catch {
      throw new Error(`nbconvert failed (exit code ${code}):\n${stderr.trim()}`);
    }
    if ("error" in result) throw new Error(`nbconvert failed: ${result.error}`);
    missing.forEach(({ i }, k) => {
      bodies[i] = result.pages[k]!;
      cache.putHtml(keys[i]!, result.pages[k]!);
    });
  }
  return bodies as string[];
}

/** The files every page shares: stylesheet, scripts, the search library, KaTeX's stylesheet and fonts. */
function siteAssets(root: string): [string, Uint8Array][] {
  const dist = path.join(root, "dist", "site");
  const read = (file: string) => fs.readFileSync(file);
  const { dir: katexDir, files: katexFiles } = katexAssets();
  return [
    ["assets/site.css", read(path.join(root, "src", "site", "site.css"))],
    ["assets/theme.js", read(path.join(dist, "theme.js"))],
    ["assets/enhance.js", read(path.join(dist, "enhance.js"))],
    ["assets/progress.js", read(path.join(dist, "progress.js"))],
    ["assets/favicon.svg", read(path.join(root, "src", "site", "favicon.svg"))],
    ["assets/practice.js", read(path.join(dist, "practice.js"))],
    ["assets/minisearch.js", read(path.join(path.dirname(require.resolve("minisearch")), "..", "umd", "index.js"))],
    ...katexFiles.map((f): [string, Uint8Array] => [`katex/${f}`, read(path.join(katexDir, f))]),
  ];
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number ≥ 1, got "${value}"`);
  return n;
}

const USAGE = "usage: npm run render [-- notebook…] [--timeout N] [--out DIR] [--jobs N] [--force]";

export function parseRenderArgs(argv: string[]): RenderOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { timeout: { type: "string" }, out: { type: "string" }, jobs: { type: "string" }, force: { type: "boolean" } },
  });
  return {
    notebooks: positionals,
    timeout: positiveInt(values.timeout, "--timeout"),
    jobs: positiveInt(values.jobs, "--jobs"),
    outDir: values.out,
    force: values.force,
  };
}

/** The result for people: what failed, and where (every failure names notebook, cell and message). */
export function formatRenderResult(result: RenderResult): string {
  if (!result.ok) {
    const list = result.failures.map((f) => `\n${f.message}`).join("\n");
    return `\nrender failed for ${result.failures.length} notebook(s); they are shown as "not rendered" on the site:\n${list}`;
  }
  const pages = result.written.filter((f) => f.endsWith(".html")).length;
  return `wrote ${pages} pages in ${result.seconds.toFixed(1)} s (${result.executed.length} notebook(s) executed)`;
}

export async function main(argv = process.argv.slice(2), signal?: AbortSignal): Promise<number> {
  let options: RenderOptions;
  try {
    options = parseRenderArgs(argv);
  } catch (e) {
    console.error(`render: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const result = await renderSite({ ...options, signal });
    (result.ok ? console.log : console.error)(formatRenderResult(result));
    return result.ok ? 0 : 1;
  } catch (e) {
    if (signal?.aborted) return 130;
    console.error(`render: ${(e as Error).message}`);
    return 1;
  }
}

/** Stopped (Ctrl-C, kill, a closed terminal): stop the kernels, remove half-written files, exit. */
function stopOnSignals(): AbortSignal {
  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`render: ${signal}: stopping the notebook runners and their kernels`);
      stop.abort(signal);
      removePendingWrites();
      void stopRunningNotebooks().then(() => process.exit(130));
    });
  }
  return stop.signal;
}

if (require.main === module) {
  main(process.argv.slice(2), stopOnSignals()).then((code) => process.exit(code));
}

/**
 * A code block in a markdown cell can be wider than the column and scroll: it must be reachable
 * by keyboard (axe: scrollable-region-focusable), as code cells' blocks already are (the template).
 */
export function focusableCode(html: string): string {
  return html.replace(/<div class="highlight"><pre>/g, '<div class="highlight"><pre tabindex="0">');
}
