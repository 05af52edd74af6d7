/**
 * The static site's own parts: lesson titles, previous/index/next links, and lessons.md read for
 * the landing page (its lessons' sections and facts) and each lesson's head.
 */
import * as path from "node:path";
import { notebookTitle, stripMarkdown } from "../ipynb/notebook.js";
import { readNotebook } from "../ipynb/read.js";

export interface Link {
  /** Undefined for a lesson without a page (it failed to render): shown as plain text. */
  href?: string;
  title: string;
}

export interface Nav {
  prev?: Link;
  index?: Link;
  next?: Link;
}

export interface Lesson {
  /** The page name: the notebook's file name without `.ipynb`. */
  name: string;
  title: string;
}

export const INDEX_PAGE = "index.html";

export function pageName(notebook: string): string {
  return path.basename(notebook).replace(/\.ipynb$/i, "");
}

export function pageFile(name: string): string {
  return `${name}.html`;
}

/** A lesson's title: its first markdown heading, else its file name (also when it cannot be read). */
export function lessonTitle(file: string, name: string): string {
  try {
    return notebookTitle(readNotebook(file), name);
  } catch {
    return name; // the render reports the unreadable notebook itself
  }
}

/** Links for lesson `i` of the ordered lesson list. */
export function navFor(lessons: (Lesson & { rendered?: boolean })[], i: number, indexTitle = "All lessons"): Nav {
  const link = (l: (typeof lessons)[number] | undefined): Link | undefined =>
    l && { href: l.rendered === false ? undefined : pageFile(l.name), title: l.title };
  return { prev: link(lessons[i - 1]), index: { href: INDEX_PAGE, title: indexTitle }, next: link(lessons[i + 1]) };
}

/**
 * Point markdown links at the site's pages: `[t](notebooks/02-x.ipynb#h)` becomes
 * `[t](02-x.html#h)`. A link to a notebook or page that is not one of `lessons` would be dead on
 * the site, so it becomes plain text and is returned in `missing` (for a warning).
 */
export function linkPages(markdown: string, lessons: Lesson[]): { markdown: string; missing: string[] } {
  const known = new Set(lessons.map((l) => l.name));
  const missing: string[] = [];
  const out = markdown.replace(/\[([^\]]*)\]\(\s*([^)\s]+)\s*\)/g, (link, text: string, url: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("#")) return link; // external or in-page
    const m = url.match(/^(?:[^#]*\/)?([^/#]+)\.(ipynb|html)(#.*)?$/i);
    if (!m) return link; // an image or another file: not ours to judge
    const [, name, , hash = ""] = m;
    if (known.has(name!) || ((name === "index" || name === "review") && m[2] === "html")) return `[${text}](${pageFile(name!)}${hash})`;
    missing.push(url);
    return text;
  });
  return { markdown: out, missing };
}

/** The syllabus' first heading, for the index page's <title> and the "index" links. */
export function syllabusTitle(syllabus: string | null): string {
  const heading = syllabus?.match(/^#\s+(.+?)\s*#*\s*$/m);
  return heading ? stripMarkdown(heading[1]!) : "micrograd-ts lessons";
}

/** What a lesson asks of the reader, as lessons.md states it on each lesson's "Time" line. */
export interface LessonFacts {
  readMinutes: number;
  practiceMinutes: number;
  /** "introductory", "intermediate" or "challenging" (any other word is shown as written). */
  difficulty: string;
  /** 1–3 for the three known words, for the dots; undefined for another word. */
  level?: number;
  /** As written: "lessons 3 and 4", "none beyond school derivatives". */
  prerequisites: string;
}

const LEVELS = ["introductory", "intermediate", "challenging"];

/**
 * A lesson's facts from its line in lessons.md:
 * `**Time:** ~15 min to read, ~20 min to practice · **Difficulty:** introductory · **Prerequisites:** lesson 1`.
 * Undefined when the line says neither time (a syllabus without facts is fine).
 */
export function parseFacts(text: string): LessonFacts | undefined {
  const read = /(\d+)\s*min(?:utes)?\s+to\s+read/i.exec(text);
  const practice = /(\d+)\s*min(?:utes)?\s+to\s+practi[cs]e/i.exec(text);
  if (!read || !practice) return undefined;
  const field = (label: string) => new RegExp(`\\*\\*${label}:?\\*\\*:?\\s*([^·]+)`, "i").exec(text)?.[1]!.trim();
  const difficulty = stripMarkdown(field("Difficulty") ?? "");
  const level = LEVELS.indexOf(difficulty.toLowerCase());
  return {
    readMinutes: Number(read[1]),
    practiceMinutes: Number(practice[1]),
    difficulty,
    level: level < 0 ? undefined : level + 1,
    prerequisites: field("Prerequisites") ?? "",
  };
}

/** One lesson's section of the syllabus: its heading and its `- **Label:** text` items. */
export interface SyllabusLesson {
  name: string;
  heading: string;
  items: { label: string; markdown: string }[];
  facts?: LessonFacts;
}

/** The syllabus cut into what the landing page shows in different places. */
export interface Syllabus {
  title: string;
  /** The first paragraph after the title: the page's lead. */
  lead: string;
  /** The rest of the text before the first `##` section, then every section that is not a lesson's. */
  about: string;
  /** The sections that are a lesson's (they link its notebook or page), by lesson name. */
  lessons: Map<string, SyllabusLesson>;
}

/**
 * Split lessons.md: a `## ` section that links a lesson's notebook or page is that lesson's (its
 * items become the lesson's card on the landing page); everything else is prose about the course.
 */
export function parseSyllabus(markdown: string | null, lessons: Lesson[]): Syllabus {
  const text = (markdown ?? "").replace(/\r\n/g, "\n");
  const title = syllabusTitle(markdown);
  const [head = "", ...sections] = text.split(/^(?=## )/m);
  const intro = head.replace(/^#\s+.*\n?/m, "").trim();
  const paragraphs = intro.split(/\n\s*\n/);
  const lead = paragraphs[0]?.trim() ?? "";
  const about: string[] = [paragraphs.slice(1).join("\n\n").trim()];
  const found = new Map<string, SyllabusLesson>();
  for (const section of sections) {
    const lesson = lessons.find((l) => !found.has(l.name) && new RegExp(`\\]\\([^)]*\\b${escapeRegExp(l.name)}\\.(?:ipynb|html)\\b`).test(section));
    if (!lesson) {
      about.push(section.trim());
      continue;
    }
    const [first, ...lines] = section.split("\n");
    const items: SyllabusLesson["items"] = [];
    for (const line of lines) {
      const item = /^[-*]\s+\*\*([^*]+?):?\*\*:?\s*(.*)$/.exec(line);
      if (item) items.push({ label: item[1]!.trim(), markdown: item[2]!.trim() });
      else if (items.length > 0 && /^\s{2,}\S/.test(line)) items[items.length - 1]!.markdown += ` ${line.trim()}`;
    }
    const time = items.find((i) => /^time$/i.test(i.label));
    found.set(lesson.name, {
      name: lesson.name,
      heading: first!.replace(/^##\s+/, "").trim(),
      items: items.filter((i) => i !== time),
      facts: time ? parseFacts(`**Time:** ${time.markdown}`) : undefined,
    });
  }
  return { title, lead, about: about.filter(Boolean).join("\n\n"), lessons: found };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Markdown text without the `(`grade_id`)` asides meant for graders: readers see the words. */
export function withoutExerciseIds(markdown: string): string {
  return markdown.replace(/\s*\(`[a-z0-9]+(?:[_-][a-z0-9]+)*`\)/gi, "");
}

/** The syllabus with linkPages applied to all its text; `missing` lists the dead links it dropped. */
export function linkSyllabus(s: Syllabus, linkable: Lesson[]): { syllabus: Syllabus; missing: string[] } {
  const missing: string[] = [];
  const link = (md: string) => {
    const out = linkPages(md, linkable);
    missing.push(...out.missing);
    return out.markdown;
  };
  const lessons = new Map([...s.lessons].map(([name, l]) => [name, { ...l, items: l.items.map((i) => ({ ...i, markdown: link(i.markdown) })) }]));
  return { syllabus: { ...s, lead: link(s.lead), about: link(s.about), lessons }, missing: [...new Set(missing)] };
}
