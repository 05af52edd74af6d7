/**
 * tools/render: the CLI's failure contract and byte-identical output.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { ensureKernelspec, findJupyter } from "../../src/tools/jupyter";
import { packageRoot } from "../../src/tools/files";
import { renderSite } from "../../src/tools/render";
import { hasJupyter } from "../support/harness";
import { processes, runnersAndKernels } from "../support/processes";

const root = packageRoot();
const fixtures = path.join(__dirname, "..", "fixtures", "notebooks");
const siteFixtures = path.join(fixtures, "mini-course");
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** The fixture course in a folder of its own, where the lessons can still import micrograd-ts. */
function copyCourse(prefix: string): string {
  const course = tmp(prefix);
  for (const f of fs.readdirSync(siteFixtures)) fs.copyFileSync(path.join(siteFixtures, f), path.join(course, f));
  fs.symlinkSync(path.join(root, "node_modules"), path.join(course, "node_modules"));
  return course;
}

/** `npm run render` without npm: the built CLI (npm test builds first). */
function renderCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "dist", "tools", "render.js"), ...args], { cwd: root });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!hasJupyter())("render", () => {
  test("a notebook whose second cell throws: exit 1, names notebook, cell and message, leaves no page", async () => {
    const out = tmp("render-fail-");
    const stale = path.join(out, "second-cell-throws.html");
    fs.writeFileSync(stale, "<p>an old page from when the lesson worked</p>");
    const r = await renderCli(["--out", out, "test/fixtures/notebooks/second-cell-throws.ipynb"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("test/fixtures/notebooks/second-cell-throws.ipynb, cell 3 (In [2]):");
    expect(r.stderr).toContain("Error: boom from cell two");
    expect(r.stdout).toContain("[1/1] test/fixtures/notebooks/second-cell-throws.ipynb: FAILED");
    expect(fs.existsSync(stale)).toBe(false);
    // Only the index, the shared assets and the live runtime are there, and no temporary files.
    expect(fs.readdirSync(out).sort()).toEqual(["assets", "index.html", "katex", "live", "review.html"]);
  });

  test("bad arguments and a malformed notebook are reported without a stack trace", async () => {
    const bad = await renderCli(["--timeout", "soon"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--timeout needs a whole number ≥ 1, got "soon"');

    const out = tmp("render-bad-");
    const r = await renderCli(["--out", out, "test/fixtures/notebooks/not-a-notebook.ipynb"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("test/fixtures/notebooks/not-a-notebook.ipynb is not a notebook: invalid JSON at line 1, column 31");
    expect(r.stderr).not.toMatch(/Traceback|at .*\.js:\d+/);
  });

  test("rendering twice gives identical bytes, offline pages, and every lesson linked", async () => {
    const options = { lessonsDir: siteFixtures, syllabus: path.join(siteFixtures, "lessons.md"), log: () => {}, cacheDir: null };
    const [a, b] = [tmp("render-a-"), tmp("render-b-")];
    const first = await renderSite({ ...options, outDir: a });
    const second = await renderSite({ ...options, outDir: b });
    expect(first.ok && second.ok).toBe(true);
    expect(second.executed).toHaveLength(2); // no cache: both really ran again
    const files = fs.readdirSync(a).filter((f) => f.endsWith(".html")).sort();
    expect(files).toEqual(["01-values.html", "02-pictures.html", "index.html", "review.html"]);
    expect(fs.readdirSync(b).filter((f) => f.endsWith(".html")).sort()).toEqual(files);
    for (const f of files) {
      expect(fs.readFileSync(path.join(b, f)).equals(fs.readFileSync(path.join(a, f))), f).toBe(true);
    }

    const page = (f: string) => fs.readFileSync(path.join(a, f), "utf8");
    for (const f of files) {
      // Only the site's own script files, no CDN, no inline script.
      const scripts = [...page(f).matchAll(/<script([^>]*)>/g)].map((m) => m[1]!.trim());
      const live = f === "index.html" ? ['src="assets/progress.js" defer'] : f === "review.html" ? ['src="assets/review.js" defer'] : ['src="assets/practice.js" defer', 'src="live/live.js" defer'];
      expect(scripts, f).toEqual(['src="assets/theme.js"', 'src="assets/enhance.js" defer', ...live]);
      expect(page(f), f).not.toMatch(/cdnjs|mathjax|require\.js|https?:\/\/[^"]*\.(js|css)/i);
    }
    // The syllabus links lesson 1; every lesson has its card, lesson 2 too, which the syllabus does not link.
    expect(page("index.html")).toContain('<a href="01-values.html">Values</a>');
    expect(page("index.html")).toContain('<h3><a href="01-values.html">Values and products</a></h3>');
    expect(page("index.html")).toContain('<h3><a href="02-pictures.html">Pictures</a></h3>');
    expect(page("index.html")).toContain('<a class="start-link" href="01-values.html#run-all">Start the first lesson — it runs in your browser</a>');
    expect(page("01-values.html")).toContain('<a rel="next" href="02-pictures.html">Pictures &rarr;</a>');
    expect(page("02-pictures.html")).toContain('<a rel="prev" href="01-values.html">&larr; Values and products</a>');
    expect(page("02-pictures.html")).toContain('<a href="index.html"><span class="nav-long">Fixture lessons</span><span class="nav-short">All lessons</span></a>');
    // The contents list every lesson and mark the current one.
    expect(page("02-pictures.html")).toContain('<li><a href="02-pictures.html" aria-current="page">Pictures</a></li>');
    // SVG outputs are kept whole (nbconvert's own filter would strip <rect>).
    expect(page("02-pictures.html")).toContain('<rect x="0" y="0" width="240" height="40" fill="steelblue"/>');
    expect(page("01-values.html")).toContain("<title>Values and products · Fixture lessons</title>");
    // Each code cell says which cell of the notebook it is (the live page relies on it).
    expect([...page("01-values.html").matchAll(/class="jp-Cell jp-CodeCell[^"]*" data-cell="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([1, 2]);
    // Math is typeset at render time, against a local copy of KaTeX's stylesheet.
    expect(page("01-values.html")).toContain('<annotation encoding="application/x-tex">x = -4 \\cdot 2 + 1</annotation>');
    expect(page("01-values.html")).not.toContain("$x = -4");
    expect(page("01-values.html")).toContain('<link rel="stylesheet" href="katex/katex.min.css">');
    expect(fs.existsSync(path.join(a, "katex", "fonts", "KaTeX_Main-Regular.woff2"))).toBe(true);
    // Downloads: the solved lesson without outputs, and the learner copy.
    const solved = JSON.parse(fs.readFileSync(path.join(a, "notebooks", "01-values.ipynb"), "utf8"));
    expect(solved.cells.filter((c: { outputs?: unknown[] }) => (c.outputs ?? []).length > 0)).toEqual([]);
    expect(fs.existsSync(path.join(a, "exercises", "01-values.ipynb"))).toBe(true);
  }, 400_000); // two whole renders (live bundle included): slow on a busy 2-core machine

  test("the cache: a second render executes nothing; a changed lesson is the only one executed again", async () => {
    const course = copyCourse("render-course-");
    const options = { lessonsDir: course, syllabus: path.join(course, "lessons.md"), log: () => {}, cacheDir: tmp("render-cache-"), outDir: tmp("render-out-") };
    const first = await renderSite(options);
    expect(first.executed.map((f) => path.basename(f)).sort()).toEqual(["01-values.ipynb", "02-pictures.ipynb"]);
    const page = fs.readFileSync(path.join(options.outDir, "02-pictures.html"));

    const again = await renderSite(options);
    expect(again.executed).toEqual([]);
    expect(fs.readFileSync(path.join(options.outDir, "02-pictures.html")).equals(page)).toBe(true);

    const lesson = path.join(course, "02-pictures.ipynb");
    const nb = JSON.parse(fs.readFileSync(lesson, "utf8"));
    nb.cells.push({ cell_type: "code", execution_count: null, id: "added", metadata: {}, outputs: [], source: ["console.log(6 * 7);"] });
    fs.writeFileSync(lesson, JSON.stringify(nb));
    const changed = await renderSite(options);
    expect(changed.executed.map((f) => path.basename(f))).toEqual(["02-pictures.ipynb"]);
    expect(fs.readFileSync(path.join(options.outDir, "02-pictures.html"), "utf8")).toContain("<pre>42\n</pre>");

    const forced = await renderSite({ ...options, force: true });
    expect(forced.executed).toHaveLength(2);
  });

  test("a failing lesson: render fails naming it, and no page links to a page that does not exist", async () => {
    const course = copyCourse("render-broken-");
    fs.copyFileSync(path.join(fixtures, "second-cell-throws.ipynb"), path.join(course, "015-broken.ipynb"));
    const outDir = tmp("render-broken-out-");
    fs.writeFileSync(path.join(outDir, "015-broken.html"), "<p>an old page from when the lesson worked</p>");
    const r = await renderSite({ lessonsDir: course, syllabus: path.join(course, "lessons.md"), outDir, cacheDir: null, log: () => {} });
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.message)).toEqual([expect.stringMatching(/015-broken\.ipynb, cell 3 \(In \[2\]\): .*boom from cell two/s)]);
    expect(fs.existsSync(path.join(outDir, "015-broken.html"))).toBe(false);
    const pages = fs.readdirSync(outDir).filter((f) => f.endsWith(".html")).sort();
    expect(pages).toEqual(["01-values.html", "02-pictures.html", "index.html", "review.html"]);
    for (const p of pages) {
      const html = fs.readFileSync(path.join(outDir, p), "utf8");
      for (const [, href] of html.matchAll(/href="([^"#]+)/g)) expect(fs.existsSync(path.join(outDir, href!)), `${p} links ${href}`).toBe(true);
      expect(html, p).toContain("(not rendered)");
    }
  });

  test("the kernelspec install is skipped when it is already done", () => {
    const jupyter = findJupyter()!;
    // The log callback is only called when it installs.
    const dir = ensureKernelspec(jupyter, { root, log: (l) => expect.fail(`should not install: ${l}`) });
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8"));
    expect(spec.display_name).toBe("TypeScript");
    expect(spec.argv[0]).toBe(path.join(root, "node_modules", ".bin", "tslab"));
    expect(dir).toBe(path.join(root, ".jupyter", "share", "jupyter", "kernels", "tslab"));
  });

  test.each(["SIGTERM", "SIGINT", "SIGHUP"] as const)("%s to npm run render stops the runner and its busy kernel, and leaves no temporary files", async (signal) => {
    const out = tmp("render-stopped-");
    const child = spawn(process.execPath, [path.join(root, "dist", "tools", "render.js"), "--out", out, "--timeout", "600", path.join(fixtures, "infinite-loop.ipynb")], { cwd: root, stdio: "ignore" });
    // render → its runner (python) → the kernel
    const family = () => {
      const { runners, kernels } = runnersAndKernels(child.pid!);
      return [...runners, ...kernels];
    };
    let pids: number[] = [];
    const deadline = Date.now() + 60_000;
    while (pids.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      pids = family();
    }
    expect(pids.length, "the runner and its kernel started").toBeGreaterThanOrEqual(2);
    // The runner's temporary folder (its notebook and result files), named on its command line.
    const runDir = /(\/\S*micrograd-run-[^/\s]+)\//.exec(processes().find((p) => p.pid === pids[0])!.args)![1]!;
    expect(fs.existsSync(runDir)).toBe(true);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await new Promise((r) => setTimeout(r, 3000)); // the endless cell is running
    child.kill(signal);
    const alive = () => new Set(processes().map((p) => p.pid));
    const end = Date.now() + 15_000;
    while (pids.some((p) => alive().has(p)) && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
    expect(pids.filter((p) => alive().has(p))).toEqual([]);
    expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 15_000))])).toBe(130);
    expect(fs.existsSync(runDir)).toBe(false);
    expect(fs.readdirSync(out, { recursive: true }).map(String).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  test("a notebook that asks for another kernel: the render says it runs with TypeScript (tslab)", async () => {
    const course = tmp("render-python-");
    const nb = JSON.parse(fs.readFileSync(path.join(fixtures, "smoke.ipynb"), "utf8"));
    nb.metadata.kernelspec = { name: "python3", display_name: "Python 3", language: "python" };
    fs.writeFileSync(path.join(course, "01-python.ipynb"), JSON.stringify(nb));
    const lines: string[] = [];
    await renderSite({ lessonsDir: course, outDir: tmp("render-python-out-"), cacheDir: null, log: (l) => lines.push(l), execute: () => Promise.reject(new Error("not run here")) });
    expect(lines).toContainEqual(expect.stringMatching(/^warning: .*01-python\.ipynb asks for the kernel "python3"; it runs with TypeScript \(tslab\), as every lesson does$/));
  });
});
