/**
 * The "▶ m:ss in the lecture" links of every lesson: each says the time it links to (the text and the
 * URL's t= agree), lies inside the part of the lecture its lesson follows (the range lessons.md gives
 * the lesson), and the links of a lesson come in lecture order, as the lesson does.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..", "..");
const VIDEO = "https://www.youtube.com/watch?v=VMj-3S1tku0";

/** "1:02:03" or "2:03" → seconds. */
function seconds(text: string): number {
  return text.split(":").map(Number).reduce((total, part) => total * 60 + part, 0);
}

interface Lesson { notebook: string; start: number; end: number }

function lessonRanges(): Lesson[] {
  const md = readFileSync(join(ROOT, "lessons.md"), "utf8");
  const lessons: Lesson[] = [];
  for (const section of md.split(/^## Lesson /m).slice(1)) {
    const notebook = /\[notebook\]\((notebooks\/[^)]+\.ipynb)\)/.exec(section)?.[1];
    const range = /\[▶ ([0-9:]+) – ([0-9:]+)\]\(([^)]+)\)/.exec(section);
    if (!notebook || !range) continue; // lesson 9 follows the exercises, not a part of the video
    const start = seconds(range[1]);
    expect(range[3], `lessons.md: the range of ${notebook} links its start`).toBe(`${VIDEO}&t=${start}s`);
    lessons.push({ notebook, start, end: seconds(range[2]) });
  }
  return lessons;
}

function links(notebook: string): { text: string; t: number; cell: string }[] {
  const nb = JSON.parse(readFileSync(join(ROOT, notebook), "utf8")) as { cells: { cell_type: string; id: string; source: string | string[] }[] };
  return nb.cells
    .filter((c) => c.cell_type === "markdown")
    .flatMap((c) => {
      const source = Array.isArray(c.source) ? c.source.join("") : c.source;
      return [...source.matchAll(/\[▶ ([0-9:]+) in the lecture\]\(([^)]+)\)/g)].map((m) => {
        const t = /[?&]t=(\d+)s$/.exec(m[2]);
        expect(m[2].startsWith(`${VIDEO}&t=`) && t, `${notebook}, cell ${c.id}: ${m[2]} is not a timed link to the lecture`).toBeTruthy();
        return { text: m[1], t: Number(t![1]), cell: c.id };
      });
    });
}

describe("the lessons' links into the lecture", () => {
  const lessons = lessonRanges();

  it("cover lessons 1 to 8 in lessons.md, whose ranges follow one another", () => {
    expect(lessons.length).toBe(8);
    for (let i = 1; i < lessons.length; i++) expect(lessons[i].start, lessons[i].notebook).toBe(lessons[i - 1].end);
  });

  it.each(lessonRanges().map((l) => [l.notebook, l] as const))("%s: every link says its time, lies in the lesson's range, in lecture order", (_, lesson) => {
    const found = links(lesson.notebook);
    expect(found.length, "a lesson that follows the video links into it").toBeGreaterThan(0);
    let previous = -1;
    for (const link of found) {
      const where = `${lesson.notebook}, cell ${link.cell}, ▶ ${link.text}`;
      expect(seconds(link.text), `${where}: the text and t=${link.t}s differ`).toBe(link.t);
      expect(link.t >= lesson.start && link.t < lesson.end, `${where}: outside the lesson's range`).toBe(true);
      expect(link.t, `${where}: before the link above it`).toBeGreaterThanOrEqual(previous);
      previous = link.t;
    }
  });
});
