/**
 * tools/render: the CLI's failure contract and byte-identical output.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { ensureKernelspec, findJupyter } from "../../src/tools/jupyter";
import { packageRoot } from "../../src/tools/files";
import { renderSite } from "../../src/tools/render";
import { hasJupyter } from "../support/harness";

const root = packageRoot();
const fixtures = path.join(__dirname, "..", "fixtures", "notebooks");
const siteFixtures = path.join(fixtures, "mini-course");
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

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
    // Only the index (and KaTeX's stylesheet) is there, and no temporary files are left behind.
    expect(fs.readdirSync(out).sort()).toEqual(["index.html", "katex"]);
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
    const options = { lessonsDir: siteFixtures, syllabus: path.join(siteFixtures, "lessons.md"), log: () => {} };
    const [a, b] = [tmp("render-a-"), tmp("render-b-")];
    const first = await renderSite({ ...options, outDir: a });
    const second = await renderSite({ ...options, outDir: b });
    expect(first.ok && second.ok).toBe(true);
    const files = fs.readdirSync(a).filter((f) => f.endsWith(".html")).sort();
    expect(files).toEqual(["01-values.html", "02-pictures.html", "index.html"]);
    expect(fs.readdirSync(b).filter((f) => f.endsWith(".html")).sort()).toEqual(files);
    for (const f of files) {
      expect(fs.readFileSync(path.join(b, f)).equals(fs.readFileSync(path.join(a, f))), f).toBe(true);
    }

    const page = (f: string) => fs.readFileSync(path.join(a, f), "utf8");
    for (const f of files) {
      expect(page(f), f).not.toMatch(/<script[^>]+src=|cdnjs|mathjax|require\.js/i);
    }
    // The syllabus links lesson 1; lesson 2 is added because the syllabus does not link it.
    expect(page("index.html")).toContain('<a href="01-values.html">Values</a>');
    expect(page("index.html")).toContain('<a href="02-pictures.html">Pictures</a>');
    expect(page("01-values.html")).toContain('<a rel="next" href="02-pictures.html">Pictures &rarr;</a>');
    expect(page("02-pictures.html")).toContain('<a rel="prev" href="01-values.html">&larr; Values and products</a>');
    expect(page("02-pictures.html")).toContain('<a href="index.html">Fixture lessons</a>');
    // SVG outputs are kept whole (nbconvert's own filter would strip <rect>).
    expect(page("02-pictures.html")).toContain('<rect x="0" y="0" width="240" height="40" fill="steelblue"/>');
    expect(page("01-values.html")).toContain("<title>Values and products</title>");
    // Math is typeset at render time, against a local copy of KaTeX's stylesheet.
    expect(page("01-values.html")).toContain('<annotation encoding="application/x-tex">x = -4 \\cdot 2 + 1</annotation>');
    expect(page("01-values.html")).not.toContain("$x = -4");
    expect(page("01-values.html")).toContain('<link rel="stylesheet" href="katex/katex.min.css">');
    expect(fs.existsSync(path.join(a, "katex", "fonts", "KaTeX_Main-Regular.woff2"))).toBe(true);
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
});
