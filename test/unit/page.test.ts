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

  it("previous links, next is plain text when that lesson has no page; downloads; the cells kept whole", () => {
    expect(html).toContain('<a rel="prev" href="04-tanh.html">&larr; Lesson 4 — tanh</a>');
    expect(html).toContain('<span class="site-nav-next"><span class="not-rendered">Lesson 6 — more ops &rarr; (not rendered)</span></span>');
    expect(html).toContain('<a href="notebooks/05-backward.ipynb" download>this lesson (.ipynb)</a>');
    expect(cellsOf(html)).toBe(body);
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
