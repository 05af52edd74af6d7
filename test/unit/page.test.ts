/**
 * The course site's pages, assembled without Jupyter: pageHtml around synthetic cells, the
 * sidebar's sections, links to lessons without a page, and the search documents.
 */
import { describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY, cellsOf, pageHtml, sectionsOf, unlinkPages } from "../../src/tools/page";
import { sectionDocs } from "../../src/tools/search";
import { navFor } from "../../src/tools/site";

const body = [
  '<div class="jp-Cell jp-MarkdownCell"><h1 id="Lesson-5">Lesson 5<a class="anchor-link" href="#Lesson-5">¶</a></h1><p>Intro about <code>backward()</code>.</p></div>',
  '<div class="jp-Cell jp-MarkdownCell"><h2 id="The-topological-sort">The topological sort<a class="anchor-link" href="#The-topological-sort">¶</a></h2><p>Order the nodes &amp; walk them.</p></div>',
  '<div class="jp-Cell jp-CodeCell" data-cell="2"><div class="jp-Cell-inputWrapper"><pre>topologicalOrder(L)</pre></div><div class="jp-Cell-outputWrapper"><pre>[Value(data=-8)]</pre><svg><text>noise</text></svg></div></div>',
  '<div class="jp-Cell jp-MarkdownCell"><h2 id="Reused-nodes">Reused nodes<a class="anchor-link" href="#Reused-nodes">¶</a></h2><p>See <a href="06-more.html#x">the next lesson</a> and <a href="04-tanh.html">the last</a>.</p></div>',
].join("\n");

const lessons = [
  { name: "04-tanh", title: "Lesson 4 — tanh", rendered: true },
  { name: "05-backward", title: "Lesson 5 — backward", rendered: true },
  { name: "06-more", title: "Lesson 6 — more ops", rendered: false },
];

describe("pageHtml(options)", () => {
  const html = pageHtml({
    title: "Lesson 5 — backward · Course",
    siteTitle: "Course",
    body,
    lessons,
    current: "05-backward",
    sections: sectionsOf(body),
    nav: navFor(lessons, 1, "Course"),
    downloads: { solved: "notebooks/05-backward.ipynb", exercises: "exercises/05-backward.ipynb" },
    facts: { readMinutes: 20, practiceMinutes: 15, difficulty: "intermediate", level: 2, prerequisites: "lessons 3 & <4>" },
    htmlAttributes: { "data-notebook": "notebooks/05-backward.ipynb" },
    scripts: ["live/live.js"],
  });

  it("links the shared stylesheet and only script files, under the Content-Security-Policy", () => {
    expect(html).toContain('<link rel="stylesheet" href="assets/site.css">');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`);
    // Scripts: the site's own files (and WebAssembly for Graphviz), never inline code or eval in the page.
    expect(/script-src ([^;]*)/.exec(CONTENT_SECURITY_POLICY)![1]).toBe("'self' 'wasm-unsafe-eval'");
    expect([...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!.trim())).toEqual(['src="assets/theme.js"', 'src="assets/enhance.js" defer', 'src="live/live.js" defer']);
    expect(html).toContain('<html lang="en" data-notebook="notebooks/05-backward.ipynb">');
  });

  it("the contents: every lesson, the current one marked with its sections, the unrendered one as text", () => {
    expect(html).toContain('<li><a href="04-tanh.html">Lesson 4 — tanh</a></li>');
    expect(html).toContain('<li><a href="05-backward.html" aria-current="page">Lesson 5 — backward</a>\n<ol><li><a href="#The-topological-sort">The topological sort</a></li><li><a href="#Reused-nodes">Reused nodes</a></li></ol></li>');
    expect(html).toContain('<li><span class="not-rendered">Lesson 6 — more ops (not rendered)</span></li>');
  });

  it("previous links, next is plain text when that lesson has no page; on a phone the short names", () => {
    expect(html).toContain('<a rel="prev" href="04-tanh.html">&larr; <span class="nav-long">Lesson 4 — tanh</span><span class="nav-short">Lesson 4</span></a>');
    expect(html).toContain('<span class="site-nav-next"><span class="not-rendered"><span class="nav-long">Lesson 6 — more ops</span><span class="nav-short">Lesson 6</span> &rarr; (not rendered)</span></span>');
    expect(html).toContain('<a href="index.html"><span class="nav-long">Course</span><span class="nav-short">All lessons</span></a>');
  });

  it("under the title: the facts (escaped) and the downloads, which say Download; the cells come back without them", () => {
    const head =
      '<!-- lesson-head --><div class="lesson-head"><p class="lesson-facts"><span>20 min read</span> · <span>15 min practice</span> · ' +
      '<span><span class="level" aria-hidden="true">●●○</span> intermediate</span> · <span>before this: lessons 3 &amp; &lt;4&gt;</span></p>' +
      '<p class="downloads">Download for Jupyter: <a href="notebooks/05-backward.ipynb" download>this lesson (.ipynb)</a> <a href="exercises/05-backward.ipynb" download>your exercise copy (.ipynb)</a></p></div><!-- /lesson-head -->';
    expect(html).toContain(`<h1 id="Lesson-5">Lesson 5<a class="anchor-link" href="#Lesson-5">¶</a></h1>${head}<p>Intro about`);
    expect(html).not.toContain("Open in Jupyter");
    expect(cellsOf(html)).toBe(body);
  });

  it("a favicon, and the lesson's sections again beside it, on this page", () => {
    expect(html).toContain('<link rel="icon" href="assets/favicon.svg" type="image/svg+xml">');
    expect(html).toContain('<nav class="page-toc" aria-label="On this page">\n<p class="toc-heading">On this page</p>\n<ol><li><a href="#The-topological-sort">The topological sort</a></li><li><a href="#Reused-nodes">Reused nodes</a></li></ol>\n</nav>');
  });

  it("the landing layout: no contents sidebar, no on-this-page list", () => {
    const landing = pageHtml({ title: "Course", siteTitle: "Course", body: "<p>cards</p>", lessons, layout: "landing" });
    expect(landing).toContain('<body class="layout-landing">');
    expect(landing).not.toContain("site-toc");
    expect(landing).not.toContain("page-toc");
    expect(cellsOf(landing)).toBe("<p>cards</p>");
  });
});

describe("sectionsOf(body), unlinkPages(body, names)", () => {
  it("the h2 sections with nbconvert's ids and their text", () => {
    expect(sectionsOf(body)).toEqual([
      { id: "The-topological-sort", title: "The topological sort", level: 2 },
      { id: "Reused-nodes", title: "Reused nodes", level: 2 },
    ]);
  });

  it("a link to a lesson without a page becomes its text; other links stay", () => {
    const out = unlinkPages(body, ["06-more"]);
    expect(out).toContain("See the next lesson and <a href=\"04-tanh.html\">the last</a>.");
    expect(unlinkPages(body, [])).toBe(body);
  });
});

describe("sectionDocs(page, lesson, body)", () => {
  it("one document per section, with prose and code but no outputs, each with its anchor", () => {
    const docs = sectionDocs("05-backward.html", "Lesson 5 — backward", body);
    expect(docs.map((d) => [d.anchor, d.section])).toEqual([
      ["", "Lesson 5 — backward"],
      ["The-topological-sort", "The topological sort"],
      ["Reused-nodes", "Reused nodes"],
    ]);
    expect(docs[1]!.text).toContain("Order the nodes & walk them.");
    expect(docs[1]!.text).toContain("topologicalOrder(L)");
    expect(docs[1]!.text).not.toContain("Value(data=-8)");
    expect(docs[1]!.text).not.toContain("noise");
  });
});
