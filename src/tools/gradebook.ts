/**
 * A class's grades from `npm run check`'s per-submission results: a gradebook (CSV, a row per
 * learner and a column per exercise; JSON with every verdict), Gradescope's results.json, and a
 * JUnit XML report that CI systems show. Pure: results in, text out; check.ts writes the files.
 *
 * It reads only what every check result has (the notebook, its lesson, an error, the exercises
 * with their points and status), so grading's internals can change under it.
 */
import * as path from "node:path";

export type Verdict = "pass" | "fail" | "not-run" | "timeout";

/** One graded submission, as check reports it. */
export interface GradedSubmission {
  notebook: string;
  /** The lesson's file it was graded against (absent when it could not be told). */
  lesson?: string;
  /** The submission could not be graded at all. */
  error?: string;
  notes?: string[];
  exercises: { gradeId: string; points: number; status: Verdict; message?: string }[];
  earned: number;
  total: number;
  /** Seconds it took, when known. */
  seconds?: number;
}

/** A lesson's name from its file: "notebooks/01-derivatives.ipynb" → "01-derivatives". */
export function lessonName(s: GradedSubmission): string {
  return s.lesson ? path.basename(s.lesson).replace(/\.ipynb$/i, "") : "(unknown lesson)";
}

/**
 * Who handed a submission in. A notebook that keeps its lesson's file name (as `npm run
 * exercises` writes it, one folder per learner: `class/alice/01-derivatives.ipynb`) is named by
 * its folder; any other is named by its file (`class/alice.ipynb`). `lessons` are the lesson
 * names known from the class (so an ungradable `class/carol/01-derivatives.ipynb` is carol's too).
 */
export function learnerOf(s: GradedSubmission, lessons: ReadonlySet<string> = new Set()): string {
  const file = path.basename(s.notebook).replace(/\.ipynb$/i, "");
  const folder = path.basename(path.dirname(path.resolve(s.notebook)));
  const lessonFile = (s.lesson && file === lessonName(s)) || (!s.lesson && lessons.has(file));
  return lessonFile && folder ? folder : file;
}

/** The lesson names the graded submissions of a class were matched to. */
export function knownLessons(results: GradedSubmission[]): Set<string> {
  return new Set(results.filter((r) => r.lesson).map(lessonName));
}

export interface Gradebook {
  /** Each lesson's exercises in order, with their points: the CSV's columns. */
  lessons: { lesson: string; exercises: { gradeId: string; points: number }[] }[];
  learners: {
    learner: string;
    /** By lesson: the points of each exercise, in the lesson's order. */
    lessons: Record<string, { notebook: string; points: Record<string, number>; earned: number; total: number; error?: string; notes: string[] }>;
    earned: number;
    total: number;
    /** Problems with this learner's submissions: ungradable notebooks, a lesson handed in twice. */
    problems: string[];
  }[];
}

/** Group results by learner and lesson (a lesson handed in twice keeps the later file, with a note). */
export function gradebook(results: GradedSubmission[]): Gradebook {
  const columns = new Map<string, Map<string, number>>();
  const learners = new Map<string, Gradebook["learners"][number]>();
  const known = knownLessons(results);
  for (const r of results) {
    const lesson = lessonName(r);
    const name = learnerOf(r, known);
    const learner = learners.get(name) ?? { learner: name, lessons: {}, earned: 0, total: 0, problems: [] };
    learners.set(name, learner);
    if (!columns.has(lesson) && r.lesson) columns.set(lesson, new Map());
    const column = columns.get(lesson);
    for (const e of r.exercises) if (column && !column.has(e.gradeId)) column.set(e.gradeId, e.points);
    const earlier = learner.lessons[lesson];
    if (earlier) learner.problems.push(`${lesson} handed in twice: ${earlier.notebook} and ${r.notebook}; graded ${r.notebook}`);
    if (r.error) learner.problems.push(r.error.split("\n")[0]!);
    learner.lessons[lesson] = {
      notebook: r.notebook,
      points: Object.fromEntries(r.exercises.map((e) => [e.gradeId, e.status === "pass" ? e.points : 0])),
      earned: r.earned,
      total: r.total,
      ...(r.error ? { error: r.error } : {}),
      notes: r.notes ?? [],
    };
  }
  const lessons = [...columns].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([lesson, ex]) => ({ lesson, exercises: [...ex].map(([gradeId, points]) => ({ gradeId, points })) }));
  // A lesson's total counts for every learner, handed in or not: a missing lesson is 0 of its points.
  const possible = lessons.reduce((sum, l) => sum + l.exercises.reduce((s, e) => s + e.points, 0), 0);
  const rows = [...learners.values()].sort((a, b) => (a.learner < b.learner ? -1 : a.learner > b.learner ? 1 : 0));
  for (const l of rows) {
    l.earned = Object.values(l.lessons).reduce((sum, x) => sum + x.earned, 0);
    l.total = possible;
  }
  return { lessons, learners: rows };
}

// ---- CSV ----

/**
 * A spreadsheet cell: quoted when it holds a comma, quote or line break; and a text that a
 * spreadsheet would run as a formula (a learner's folder named "=HYPERLINK(…)") is kept as text.
 */
function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per learner, one column per exercise ("lesson/grade-id (points)"), then the totals. */
export function gradebookCsv(book: Gradebook): string {
  const header = ["learner", ...book.lessons.flatMap((l) => l.exercises.map((e) => `${l.lesson}/${e.gradeId} (${e.points})`)), "earned", "possible", "problems"];
  const rows = book.learners.map((l) => [
    l.learner,
    ...book.lessons.flatMap((lesson) => lesson.exercises.map((e) => (l.lessons[lesson.lesson] && !l.lessons[lesson.lesson]!.error ? (l.lessons[lesson.lesson]!.points[e.gradeId] ?? 0) : ""))),
    l.earned,
    l.total,
    l.problems.join("; "),
  ]);
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** Everything, for scripts: the columns, and per learner each submission's verdicts and messages. */
export function gradebookJson(book: Gradebook, results: GradedSubmission[]): string {
  const byNotebook = new Map(results.map((r) => [r.notebook, r]));
  return `${JSON.stringify(
    {
      lessons: book.lessons,
      learners: book.learners.map((l) => ({
        learner: l.learner,
        earned: l.earned,
        possible: l.total,
        problems: l.problems,
        submissions: Object.entries(l.lessons).map(([lesson, s]) => ({
          lesson,
          notebook: s.notebook,
          earned: s.earned,
          total: s.total,
          ...(s.error ? { error: s.error } : {}),
          notes: s.notes,
          exercises: byNotebook.get(s.notebook)?.exercises ?? [],
        })),
      })),
    },
    null,
    2,
  )}\n`;
}

// ---- Gradescope ----

/**
 * Gradescope's results.json for one learner's submission (Gradescope runs the autograder once per
 * submission): a test per exercise with its score and max_score, named by lesson and exercise;
 * a failure's message as its output. Fields as Gradescope's autograder specification documents them.
 */
export function gradescopeResults(results: GradedSubmission[], seconds?: number): object {
  const known = knownLessons(results);
  const learners = new Set(results.map((r) => learnerOf(r, known)));
  if (learners.size > 1) throw new Error(`Gradescope grades one submission at a time; these notebooks are from ${learners.size} learners (${[...learners].slice(0, 3).join(", ")}…)`);
  const tests: object[] = [];
  const output: string[] = [];
  for (const r of results) {
    const lesson = lessonName(r);
    if (r.error) output.push(`${r.notebook} could not be graded: ${r.error}`);
    for (const n of r.notes ?? []) output.push(`${r.notebook}: ${n}`);
    for (const e of r.exercises) {
      tests.push({
        name: `${lesson}: ${e.gradeId}`,
        score: e.status === "pass" ? e.points : 0,
        max_score: e.points,
        status: e.status === "pass" ? "passed" : "failed",
        output: e.status === "pass" ? "✓ passed" : `${e.status === "fail" ? "✗" : `✗ ${e.status}:`} ${e.message ?? ""}`.trim(),
        output_format: "text",
        visibility: "visible",
      });
    }
  }
  const earned = results.reduce((s, r) => s + r.earned, 0);
  // A notebook that could not be graded has no tests: the score says 0 then, rather than nothing.
  return {
    score: earned,
    ...(seconds !== undefined ? { execution_time: Math.round(seconds) } : {}),
    ...(output.length ? { output: output.join("\n"), output_format: "text" } : {}),
    visibility: "visible",
    stdout_visibility: "hidden",
    tests,
  };
}

// ---- JUnit XML ----

/** Text safe in XML 1.0: escaped, and without the characters XML cannot hold at all (NUL, most controls). */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/**
 * A JUnit report: a testsuite per submission (learner · lesson), a testcase per exercise; a failed
 * or unrun exercise is a <failure> with its message, a notebook that could not be graded an <error>.
 */
export function junitXml(results: GradedSubmission[], seconds?: number): string {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  const known = knownLessons(results);
  const suites = results.map((r) => {
    const name = `${learnerOf(r, known)} · ${lessonName(r)}`;
    const cases = r.exercises.map((e) => {
      const body = e.status === "pass" ? "" : `\n      <failure type="${e.status}" message="${xmlText(firstLine(e.message ?? e.status))}">${xmlText(e.message ?? "")}</failure>\n    `;
      return `    <testcase classname="${xmlText(name)}" name="${xmlText(e.gradeId)}" time="0">${body}</testcase>`;
    });
    if (r.error) cases.push(`    <testcase classname="${xmlText(name)}" name="grading" time="0">\n      <error type="ungradable" message="${xmlText(firstLine(r.error))}">${xmlText(r.error)}</error>\n    </testcase>`);
    const f = r.exercises.filter((e) => e.status !== "pass").length;
    const err = r.error ? 1 : 0;
    tests += cases.length;
    failures += f;
    errors += err;
    const time = r.seconds !== undefined ? ` time="${r.seconds.toFixed(3)}"` : "";
    const props = (r.notes ?? []).length ? `\n    <system-out>${xmlText((r.notes ?? []).join("\n"))}</system-out>` : "";
    return `  <testsuite name="${xmlText(name)}" tests="${cases.length}" failures="${f}" errors="${err}" skipped="0"${time}>\n${cases.join("\n")}${props}\n  </testsuite>`;
  });
  const time = seconds !== undefined ? ` time="${seconds.toFixed(3)}"` : "";
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="npm run check" tests="${tests}" failures="${failures}" errors="${errors}"${time}>\n${suites.join("\n")}\n</testsuites>\n`;
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.slice(0, 300);
}

export type ClassFormat = "gradescope" | "junit";

/** The files a check of a class writes, [path, content]; an Error when the results cannot be put that way. */
export function classOutputs(
  results: GradedSubmission[],
  o: { gradebook?: string; format?: ClassFormat; out?: string; seconds?: number },
): [string, string][] | Error {
  const files: [string, string][] = [];
  if (o.gradebook !== undefined) {
    const book = gradebook(results);
    files.push([path.join(o.gradebook, "gradebook.csv"), gradebookCsv(book)], [path.join(o.gradebook, "gradebook.json"), gradebookJson(book, results)]);
  }
  if (o.format === "gradescope") {
    try {
      files.push([o.out ?? "results.json", `${JSON.stringify(gradescopeResults(results, o.seconds), null, 2)}\n`]);
    } catch (e) {
      return e as Error;
    }
  } else if (o.format === "junit") {
    files.push([o.out ?? "junit.xml", junitXml(results, o.seconds)]);
  }
  return files;
}
