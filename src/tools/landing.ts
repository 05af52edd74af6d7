/**
 * The course site's landing page (index.html): what a newcomer needs in the first screen — that
 * the lessons run right here ("Start lesson 1 — it runs in your browser"), a picture of what they
 * will build (drawings the lessons themselves produced), and the lessons as cards with their
 * time, difficulty and prerequisites, which the page's script (site/progress.ts) fills in with
 * what this browser has done. The rest of the syllabus follows, about the course.
 * Pure: the syllabus and the rendered lessons in, HTML out.
 */
import { marked } from "marked";
import { escapeHtml } from "../format.js";
import { type Lesson, type LessonFacts, type Syllabus, pageFile, withoutExerciseIds } from "./site.js";

export interface LandingLesson extends Lesson {
  rendered: boolean;
  /** The lesson's exercises (graded cells): the cards say "3 exercises" before any progress. */
  exercises: number;
}

/** A drawing taken from a lesson's rendered page, with the words under it. */
export interface Figure {
  svg: string;
  caption: string;
  /** The page it comes from. */
  lesson: string;
  /** "graph" (wide: a row of its own) or "chart" (beside the lead). */
  kind: "graph" | "chart";
}

export interface LandingOptions {
  syllabus: Syllabus;
  lessons: LandingLesson[];
  figures: Figure[];
}

/** The landing page's <main> content. Math is left as $…$ for the render's KaTeX pass. */
export function landingBody(o: LandingOptions): string {
  const first = o.lessons.find((l) => l.rendered);
  const start = first
    ? `<p class="start"><a class="start-link" href="${escapeHtml(`${pageFile(first.name)}#run-all`)}">Start ${escapeHtml(shortTitle(first.title, "the first lesson"))} — it runs in your browser</a>
<span class="start-note" data-start-note>Nothing to install: every code cell runs in this page. Prefer Jupyter? Each lesson is a notebook to download.</span></p>`
    : "";
  const figure = (f: Figure) =>
    `<figure class="hero-figure hero-${f.kind}"><div class="figure-art">${f.svg}</div><figcaption>${inline(f.caption)} <a href="${escapeHtml(pageFile(f.lesson))}">Open the lesson</a></figcaption></figure>`;
  const cards = o.lessons.map((l) => card(l, o.syllabus)).join("\n");
  const about = o.syllabus.about ? `<section class="landing-about" aria-labelledby="about-the-course">\n<h2 id="about-the-course">About the course</h2>\n${block(o.syllabus.about)}\n</section>` : "";
  return `<div class="landing">
<section class="hero${o.figures.some((f) => f.kind === "chart") ? " has-chart" : ""}">
<div class="hero-text">
<h1 id="top">${escapeHtml(o.syllabus.title)}</h1>
${o.syllabus.lead ? `<div class="lead">${block(o.syllabus.lead)}</div>` : ""}
${start}
</div>
${o.figures.map(figure).join("\n")}
</section>
<section class="landing-lessons" aria-labelledby="the-lessons">
<h2 id="the-lessons">The lessons</h2>
<p class="cards-due" data-cards-due hidden></p>
<ol class="lesson-cards">
${cards}
</ol>
</section>
${about}
</div>`;
}

function card(l: LandingLesson, syllabus: Syllabus): string {
  const section = syllabus.lessons.get(l.name);
  const title = l.rendered ? `<a href="${escapeHtml(pageFile(l.name))}">${escapeHtml(l.title)}</a>` : `${escapeHtml(l.title)} <span class="not-rendered">(not rendered)</span>`;
  const items = section?.items ?? [];
  const goal = items.find((i) => /^you will be able to$/i.test(i.label));
  const others = items.filter((i) => i !== goal);
  const details = others.length
    ? `<details><summary>The lecture part and the exercises</summary><ul>${others.map((i) => `<li><strong>${escapeHtml(i.label)}:</strong> ${inline(withoutExerciseIds(i.markdown))}</li>`).join("")}</ul></details>`
    : "";
  const exercises = l.exercises > 0 ? `${l.exercises} exercise${l.exercises === 1 ? "" : "s"}` : "";
  return `<li class="lesson-card" data-lesson="${escapeHtml(l.name)}" data-notebook="${escapeHtml(`notebooks/${l.name}.ipynb`)}" data-exercises="${l.exercises}">
<h3>${title}</h3>
${section?.facts ? factsHtml(section.facts) : ""}
${goal ? `<p class="lesson-goal">You will be able to ${inline(withoutExerciseIds(goal.markdown))}</p>` : ""}
<p class="lesson-progress" data-progress>${exercises}</p>
${details}
</li>`;
}

/** The facts line, on the cards and at the head of each lesson page. */
export function factsHtml(f: LessonFacts): string {
  const dots = f.level ? `<span class="level" aria-hidden="true">${"●".repeat(f.level)}${"○".repeat(3 - f.level)}</span> ` : "";
  const parts = [
    `<span>${f.readMinutes} min read</span>`,
    `<span>${f.practiceMinutes} min practice</span>`,
    f.difficulty ? `<span>${dots}${escapeHtml(f.difficulty)}</span>` : "",
    f.prerequisites ? `<span>before this: ${inline(f.prerequisites)}</span>` : "",
  ].filter(Boolean);
  return `<p class="lesson-facts">${parts.join(" · ")}</p>`;
}

/** "Lesson 1" of "Lesson 1 — Derivatives: …"; `fallback` for a title without that shape. */
export function shortTitle(title: string, fallback: string): string {
  const m = /^(lesson\s+\d+)\b/i.exec(title);
  return m ? `l${m[1]!.slice(1)}` : fallback;
}

// ---- markdown (the syllabus' own, trusted like the lessons) ----

/** TeX between $…$ kept away from markdown (whose `_` and `*` would eat it), put back for KaTeX. */
function protectMath(md: string): { text: string; restore: (html: string) => string } {
  const math: string[] = [];
  const text = md.replace(/\\\$|\$\$[\s\S]+?\$\$|\$(?:\\\$|[^$\n])+?\$/g, (m) => (m === "\\$" ? m : `\u0000${math.push(m) - 1}\u0000`));
  return { text, restore: (html) => html.replace(/\u0000(\d+)\u0000/g, (_, i: string) => escapeHtml(math[Number(i)]!)) };
}

function inline(md: string): string {
  const { text, restore } = protectMath(md);
  return restore(marked.parseInline(text, { async: false, gfm: true }));
}

function block(md: string): string {
  const { text, restore } = protectMath(md);
  // A table wider than a phone scrolls sideways: in a region the keyboard can reach.
  const html = marked.parse(text, { async: false, gfm: true }).replace(/<table>([\s\S]*?)<\/table>/g, '<div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)"><table>$1</table></div>');
  return restore(html);
}

// ---- pictures taken from the lessons' pages ----

/** Every outermost <svg>…</svg> of `html`, in order. */
export function svgElements(html: string): string[] {
  const found: string[] = [];
  const tag = /<(\/?)svg\b[^>]*>/gi;
  let depth = 0;
  let start = 0;
  for (const m of html.matchAll(tag)) {
    if (!m[1]) {
      if (depth++ === 0) start = m.index;
    } else if (depth > 0 && --depth === 0) {
      found.push(html.slice(start, m.index + m[0].length));
    }
  }
  return found;
}

/**
 * The landing's two pictures, from the lessons' pages (bodies by lesson name, in order): the
 * largest Graphviz drawing that shows gradients and still reads small (the first of equals), and the
 * last decision-boundary chart (the trained network's). Either is left out if no lesson draws it.
 */
export function landingFigures(bodies: [string, string][]): Figure[] {
  let graph: (Figure & { nodes: number }) | undefined;
  let boundary: Figure | undefined;
  for (const [lesson, body] of bodies) {
    for (const svg of svgElements(body)) {
      const n = nodes(svg);
      if (/class="graph"/.test(svg) && />grad\s/.test(svg) && n <= MAX_NODES && n > (graph?.nodes ?? 0)) {
        graph = { svg, lesson, nodes: n, kind: "graph", caption: "An expression graph after backpropagation: every value knows its `grad`, how much the output changes when that value does." };
      }
      if (/class="mg-region"/.test(svg)) boundary = { svg, lesson, kind: "chart", caption: "Two moons, separated: the decision boundary of the small network you train at the end." };
    }
  }
  return [boundary, graph && { svg: graph.svg, lesson: graph.lesson, kind: graph.kind, caption: graph.caption }].filter((f): f is Figure => f !== undefined);
}

/** A graph that still reads at the landing's size. */
const MAX_NODES = 20;

function nodes(svg: string): number {
  return svg.match(/class="node"/g)?.length ?? 0;
}
