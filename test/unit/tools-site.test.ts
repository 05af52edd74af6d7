/**
 * tools/site and tools/jupyter: the pure parts (no Jupyter needed), pinned exactly.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { findJupyter, installAdvice, jupyterEnv, localJupyterDir } from "../../src/tools/jupyter";
import { packageRoot } from "../../src/tools/files";
import { katexAssets, typesetMath, typesetTex } from "../../src/tools/math";
import { notebookTitle, validateNotebook } from "../../src/ipynb/notebook";
import { lessonTitle, linkPages, linkSyllabus, navFor, pageName, parseFacts, parseSyllabus, syllabusTitle, withoutExerciseIds } from "../../src/tools/site";

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

  test("parseSyllabus: the lead, the lessons' sections with their items and facts, the rest as prose", () => {
    const syllabus = [
      "# Build micrograd",
      "",
      "The lead paragraph,",
      "on two lines.",
      "",
      "**Who:** anyone.",
      "",
      "## Names",
      "",
      "| a | b |",
      "",
      "## Lesson 1 — Derivatives",
      "",
      "[notebook](notebooks/01-derivatives.ipynb) · [page](01-derivatives.html)",
      "",
      "- **Time:** ~15 min to read, ~20 min to practise · **Difficulty:** introductory · **Prerequisites:** none",
      "- **You will be able to:** nudge an input;",
      "  read the slope.",
      "- **Exercises** (for $f(a_1, b_2)$): the gradient (`analytic-grad`).",
      "",
      "## Lesson 3 — Backprop",
      "",
      "See [it](notebooks/03-backprop.ipynb).",
    ].join("\n");
    const s = parseSyllabus(syllabus, lessons);
    expect(s.title).toBe("Build micrograd");
    expect(s.lead).toBe("The lead paragraph,\non two lines.");
    expect(s.about).toBe("**Who:** anyone.\n\n## Names\n\n| a | b |");
    expect([...s.lessons.keys()]).toEqual(["01-derivatives", "03-backprop"]);
    expect(s.lessons.get("01-derivatives")).toEqual({
      name: "01-derivatives",
      heading: "Lesson 1 — Derivatives",
      items: [
        { label: "You will be able to", markdown: "nudge an input; read the slope." },
        { label: "Exercises", markdown: "(for $f(a_1, b_2)$): the gradient (`analytic-grad`)." },
      ],
      facts: { readMinutes: 15, practiceMinutes: 20, difficulty: "introductory", level: 1, prerequisites: "none" },
    });
    expect(s.lessons.get("03-backprop")).toEqual({ name: "03-backprop", heading: "Lesson 3 — Backprop", items: [], facts: undefined });
    // No syllabus at all: a title, nothing else.
    expect(parseSyllabus(null, lessons)).toEqual({ title: "micrograd-ts lessons", lead: "", about: "", lessons: new Map() });
    expect(syllabusTitle(syllabus)).toBe("Build micrograd");
  });

  test("linkSyllabus points every part at the pages and drops links to lessons without one", () => {
    const s = parseSyllabus("# T\n\nSee [one](notebooks/01-derivatives.ipynb).\n\n## L1\n\n[n](notebooks/01-derivatives.ipynb)\n\n- **Next:** [two](notebooks/02-value.ipynb)\n", lessons);
    const { syllabus, missing } = linkSyllabus(s, lessons.slice(0, 1));
    expect(syllabus.lead).toBe("See [one](01-derivatives.html).");
    expect(syllabus.lessons.get("01-derivatives")!.items).toEqual([{ label: "Next", markdown: "two" }]);
    expect(missing).toEqual(["notebooks/02-value.ipynb"]);
  });

  test("parseFacts reads the Time line; an unknown difficulty is kept as written, without dots", () => {
    expect(parseFacts("**Time:** ~25 min to read, ~30 min to practice · **Difficulty:** challenging · **Prerequisites:** lessons 5 and 6")).toEqual({
      readMinutes: 25,
      practiceMinutes: 30,
      difficulty: "challenging",
      level: 3,
      prerequisites: "lessons 5 and 6",
    });
    expect(parseFacts("**Time:** 5 minutes to read, 10 minutes to practise · **Difficulty:** *tough*")).toEqual({
      readMinutes: 5,
      practiceMinutes: 10,
      difficulty: "tough",
      level: undefined,
      prerequisites: "",
    });
    expect(parseFacts("**Time:** about a day")).toBeUndefined();
  });

  test("withoutExerciseIds drops the (`grade-id`) asides and keeps other code", () => {
    expect(withoutExerciseIds("by hand (`analytic_grad`), by difference (`forward-diff`); `Value` stays (`mul`, `div`)")).toBe(
      "by hand, by difference; `Value` stays (`mul`, `div`)",
    );
  });

  test("every lesson in lessons.md states its facts, and its read time fits the lesson's length", () => {
    const root = packageRoot();
    const names = fs.readdirSync(path.join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
    const s = parseSyllabus(fs.readFileSync(path.join(root, "lessons.md"), "utf8"), names.map((f) => ({ name: pageName(f), title: f })));
    for (const f of names) {
      const facts = s.lessons.get(pageName(f))?.facts;
      expect(facts, `lessons.md: ${f} has no "**Time:** ~N min to read, ~M min to practise" line`).toBeDefined();
      expect(facts!.level, `${f}: difficulty`).toBeDefined();
      expect(facts!.prerequisites, `${f}: prerequisites`).not.toBe("");
      // Reading speed for a technical text with code: ~200 words of prose a minute, ~12 lines of code.
      const nb = JSON.parse(fs.readFileSync(path.join(root, "notebooks", f), "utf8"));
      const text = (c: { source: string | string[] }) => [c.source].flat().join("");
      const words = nb.cells.filter((c: any) => c.cell_type === "markdown").reduce((n: number, c: any) => n + text(c).split(/\s+/).filter(Boolean).length, 0);
      const lines = nb.cells.filter((c: any) => c.cell_type === "code").reduce((n: number, c: any) => n + text(c).split("\n").length, 0);
      const estimate = words / 200 + lines / 12;
      expect(facts!.readMinutes, `${f}: stated ${facts!.readMinutes} min to read, estimated ${estimate.toFixed(0)}`).toBeGreaterThanOrEqual(estimate / 2);
      expect(facts!.readMinutes, `${f}: stated ${facts!.readMinutes} min to read, estimated ${estimate.toFixed(0)}`).toBeLessThanOrEqual(estimate * 2);
    }
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
