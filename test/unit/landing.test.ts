/**
 * The landing page, assembled without Jupyter: the start link, the lesson cards with their facts
 * and progress slots, the pictures taken from the lessons' pages, and hostile titles kept as text.
 */
import { describe, expect, it } from "vitest";
import { landingBody, landingFigures, shortTitle, svgElements } from "../../src/tools/landing";
import { parseSyllabus } from "../../src/tools/site";

const lessons = [
  { name: "01-derivatives", title: "Lesson 1 — Derivatives", rendered: true, exercises: 3 },
  { name: "02-value", title: "Lesson 2 — <b>Value</b>", rendered: false, exercises: 1 },
];
const syllabus = parseSyllabus(
  [
    "# Build *micrograd*",
    "",
    "Learn backprop by writing it.",
    "",
    "**Who:** programmers.",
    "",
    "## Lesson 1 — Derivatives",
    "",
    "[notebook](notebooks/01-derivatives.ipynb)",
    "",
    "- **Time:** ~15 min to read, ~20 min to practise · **Difficulty:** introductory · **Prerequisites:** none",
    "- **You will be able to:** estimate $f'(x)$ by nudging `x`.",
    "- **Exercises:** by hand (`analytic_grad`), numerically (`forward-diff`).",
  ].join("\n"),
  lessons,
);

describe("landingBody(options)", () => {
  const html = landingBody({ syllabus, lessons, figures: [{ svg: "<svg><text>moons</text></svg>", caption: "The `moons`.", lesson: "08-moons", kind: "chart" }] });

  it("leads with the title, the lead and the start link, which runs the first lesson live", () => {
    expect(html).toContain('<h1 id="top">Build micrograd</h1>');
    expect(html).toContain('<div class="lead"><p>Learn backprop by writing it.</p>\n</div>');
    expect(html).toContain('<a class="start-link" href="01-derivatives.html#run-all">Start lesson 1 — it runs in your browser</a>');
    expect(html).toContain('<figure class="hero-figure hero-chart"><div class="figure-art"><svg><text>moons</text></svg></div><figcaption>The <code>moons</code>. <a href="08-moons.html">Open the lesson</a></figcaption></figure>');
  });

  it("a card per lesson: facts, the goal, the exercise count as the progress slot, details without grade ids", () => {
    expect(html).toContain('<li class="lesson-card" data-lesson="01-derivatives" data-notebook="notebooks/01-derivatives.ipynb" data-exercises="3">\n<h3><a href="01-derivatives.html">Lesson 1 — Derivatives</a></h3>');
    expect(html).toContain('<p class="lesson-facts"><span>15 min read</span> · <span>20 min practice</span> · <span><span class="level" aria-hidden="true">●○○</span> introductory</span> · <span>before this: none</span></p>');
    // Math stays as TeX (escaped) for the render's KaTeX pass; markdown around it is rendered.
    expect(html).toContain("<p class=\"lesson-goal\">You will be able to estimate $f&#39;(x)$ by nudging <code>x</code>.</p>");
    expect(html).toContain('<p class="lesson-progress" data-progress>3 exercises</p>');
    expect(html).toContain("<li><strong>Exercises:</strong> by hand, numerically.</li>");
    expect(html).not.toMatch(/analytic_grad|forward-diff/);
  });

  it("a lesson without a page: its card has no link; a hostile title stays text", () => {
    expect(html).toContain('<h3>Lesson 2 — &lt;b&gt;Value&lt;/b&gt; <span class="not-rendered">(not rendered)</span></h3>');
    expect(html).toContain('<p class="lesson-progress" data-progress>1 exercise</p>');
    expect(html).toContain('<section class="landing-about" aria-labelledby="about-the-course">\n<h2 id="about-the-course">About the course</h2>\n<p><strong>Who:</strong> programmers.</p>');
  });

  it("no rendered lesson: no start link", () => {
    expect(landingBody({ syllabus, lessons: lessons.map((l) => ({ ...l, rendered: false })), figures: [] })).not.toContain("start-link");
    expect(shortTitle("Lesson 12 — Far", "x")).toBe("lesson 12");
    expect(shortTitle("Intro", "the first lesson")).toBe("the first lesson");
  });
});

describe("landingFigures(bodies)", () => {
  const graph = (nodes: number, grad: boolean) => `<svg><g class="graph">${'<g class="node"><text>x</text></g>'.repeat(nodes)}${grad ? "<text>grad 0.5</text>" : ""}</g></svg>`;
  const chart = (n: number) => `<svg class="plot-x"><g class="mg-region"><path/></g><text>${n}</text><svg class="legend"></svg></svg>`;

  it("the largest graph with gradients that still reads small, and the last decision boundary", () => {
    const bodies: [string, string][] = [
      ["02-value", `<div>${graph(10, false)}</div>`],
      ["03-backprop", `<div>${graph(10, true)}${graph(30, true)}</div>`],
      ["04-neuron", `<div>${graph(15, true)}</div><div>${chart(1)}</div>`],
      ["05-backward", `${graph(15, true)}`],
      ["08-moons", `${chart(2)}<p>after training</p>${chart(3)}`],
    ];
    const figures = landingFigures(bodies);
    expect(figures.map((f) => [f.kind, f.lesson])).toEqual([
      ["chart", "08-moons"],
      ["graph", "04-neuron"],
    ]);
    expect(figures[0]!.svg).toBe(chart(3));
    expect(landingFigures([["01", "<p>no pictures</p>"]])).toEqual([]);
  });

  it("svgElements finds outermost SVGs, nested ones inside", () => {
    expect(svgElements(`a<svg id="1"><svg id="2"></svg></svg>b<SVG id="3"/></SVG>`)).toEqual(['<svg id="1"><svg id="2"></svg></svg>', '<SVG id="3"/></SVG>']);
  });
});
