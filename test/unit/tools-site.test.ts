/**
 * tools/site and tools/jupyter: the pure parts (no Jupyter needed), pinned exactly.
 */
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { findJupyter, installAdvice, jupyterEnv, localJupyterDir } from "../../src/tools/jupyter";
import { packageRoot } from "../../src/tools/files";
import { katexAssets, typesetMath, typesetTex } from "../../src/tools/math";
import { notebookTitle, validateNotebook } from "../../src/ipynb/notebook";
import { indexNotebook, lessonTitle, linkPages, navFor, pageName, syllabusMarkdown, syllabusTitle } from "../../src/tools/site";

const lessons = [
  { name: "01-derivatives", title: "Derivatives" },
  { name: "02-value", title: "The Value class" },
  { name: "03-backprop", title: "Backpropagation" },
];

describe("site", () => {
  test("page names and lesson titles", () => {
    expect(pageName("notebooks/02-value.ipynb")).toBe("02-value");
    const nb = { cells: [{ cell_type: "code", source: "# not markdown" }, { cell_type: "markdown", source: ["Intro\n", "## The *Value* class ##\n"] }] };
    expect(notebookTitle(validateNotebook({ nbformat: 4, ...nb }, "nb"), "02-value")).toBe("The Value class");
    expect(notebookTitle(validateNotebook({ nbformat: 4, cells: [] }, "nb"), "02-value")).toBe("02-value");
    expect(lessonTitle("/nonexistent/x.ipynb", "x")).toBe("x");
  });

  test("prev / index / next links", () => {
    expect(navFor(lessons, 0, "Lessons")).toEqual({
      prev: undefined,
      index: { href: "index.html", title: "Lessons" },
      next: { href: "02-value.html", title: "The Value class" },
    });
    expect(navFor(lessons, 2).prev).toEqual({ href: "02-value.html", title: "The Value class" });
    expect(navFor(lessons, 2).next).toBeUndefined();
  });

  test("the syllabus links pages instead of notebooks, and lists lessons it does not link", () => {
    const syllabus = "# Build micrograd\n\n1. [Derivatives](notebooks/01-derivatives.ipynb)\n2. [Value](./notebooks/02-value.ipynb#top)\n";
    expect(syllabusMarkdown(syllabus, lessons)).toEqual({
      markdown:
        "# Build micrograd\n\n1. [Derivatives](01-derivatives.html)\n2. [Value](02-value.html#top)\n\n## All lessons\n\n- [Backpropagation](03-backprop.html)\n",
      missing: [],
    });
    expect(syllabusMarkdown(null, lessons.slice(0, 1)).markdown).toBe("# micrograd-ts lessons\n\n## Lessons\n\n- [Derivatives](01-derivatives.html)\n");
    expect(syllabusTitle(syllabus)).toBe("Build micrograd");
    expect(syllabusTitle(null)).toBe("micrograd-ts lessons");
    expect(indexNotebook("# x", "T").cells).toEqual([{ cell_type: "markdown", id: "syllabus", metadata: {}, source: "# x" }]);
  });

  test("links to lessons that do not exist become plain text instead of dead links", () => {
    const md =
      "[a](notebooks/01-derivatives.ipynb) · [b](01-derivatives.html#x) · [c](09-future.ipynb) · [d](09-future.html) · " +
      "[e](https://example.org/x.html) · [f](#top) · [g](img/plot.png) · [h](index.html)";
    expect(linkPages(md, lessons)).toEqual({
      markdown: "[a](01-derivatives.html) · [b](01-derivatives.html#x) · c · d · [e](https://example.org/x.html) · [f](#top) · [g](img/plot.png) · [h](index.html)",
      missing: ["09-future.ipynb", "09-future.html"],
    });
  });
});

describe("jupyter paths", () => {
  test("the package root is the micrograd-ts checkout, the Jupyter dir is private to it", () => {
    const root = packageRoot();
    expect(root).toBe(path.resolve(__dirname, "..", ".."));
    expect(localJupyterDir(root)).toBe(path.join(root, ".jupyter"));
    const env = jupyterEnv(root, { JUPYTER_PATH: "/elsewhere", HOME: "/home/x" });
    expect(env.JUPYTER_PATH).toBe(`${path.join(root, ".jupyter", "share", "jupyter")}${path.delimiter}/elsewhere`);
    expect(env.JUPYTER_DATA_DIR).toBe(path.join(root, ".jupyter", "data"));
    expect(env.JUPYTER_RUNTIME_DIR).toBe(path.join(root, ".jupyter", "runtime"));
    expect(env.HOME).toBe("/home/x");
  });

  test("a Python without Jupyter is passed over, and the advice names exactly what to install", () => {
    expect(findJupyter(["/nonexistent/python3"])).toBeNull();
    expect(installAdvice()).toContain("sudo apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel");
    expect(installAdvice()).toContain("python3 -m pip install --user notebook nbconvert");
  });
});

describe("math", () => {
  test("$…$ and $$…$$ in text become KaTeX; code, outputs, SVG and escaped dollars stay as they are", () => {
    const html =
      "<head><title>$x$</title></head><body><p>For $x &lt; y$ and</p>\n$$\nL = a \\cdot b\n$$<p><code>$keep$</code> costs \\$5</p>" +
      "<pre>$out$</pre><svg><text>$svg$</text></svg></body>";
    const out = typesetMath(html);
    expect(out).toBe(
      "<head><title>$x$</title></head><body><p>For " + typesetTex("x &lt; y", false) + " and</p>\n" + typesetTex("L = a \\cdot b", true) +
        "<p><code>$keep$</code> costs $5</p><pre>$out$</pre><svg><text>$svg$</text></svg></body>",
    );
    // The entity is decoded before typesetting: KaTeX sees "x < y".
    expect(typesetTex("x &lt; y", false)).toContain('<annotation encoding="application/x-tex">x &lt; y</annotation>');
    expect(typesetTex("L", true)).toContain('class="katex-display"');
    // A TeX mistake is shown, not thrown.
    expect(typesetTex("\\frac{1}", false)).toContain("katex-error");
  });

  test("the KaTeX stylesheet comes with its fonts", () => {
    const { files } = katexAssets();
    expect(files[0]).toBe("katex.min.css");
    expect(files.some((f) => f.endsWith("KaTeX_Main-Regular.woff2"))).toBe(true);
  });
});
