/**
 * Plausible wrong answers to the lessons' exercises, kept in test/fixtures/wrong-answers/<lesson>.txt,
 * and the lesson with them put in place of the solutions.
 *
 * The format is plain code, so a wrong answer reads like what a learner would type:
 *
 *     Lines before the first entry are comments.
 *     ## forward-diff: the exact gradient, which does not depend on h
 *     return gradG(a, b, c);
 *     ## rsub-rdiv: …
 *     return new Value(k - v.data);
 *     #### next region
 *     return new Value(k / v.data);
 *
 * An entry starts with "## <grade_id of the solution cell>: <why it is wrong>" and holds the code
 * for each of the cell's `// BEGIN SOLUTION … // END SOLUTION` regions, separated by "#### next region".
 * A grade_id may have several entries: the n-th entry of every cell makes up the n-th round.
 *
 * A kind in brackets after the grade_id says what the entry must do; without one it is a wrong answer:
 *
 *     ## analytic-grad [copied]: the printed gradient at (2, 3, 4), hard-coded   (must fail)
 *     ## analytic-grad [correct]: the same derivatives, written with Math.pow    (must pass)
 *     ## value-steps [wrong: mul-step-check]: …   (must fail that check; the cell's other checks pass)
 *
 * A wrong or copied answer fails every check of its cell unless the entry names the ones it fails.
 */
import { readFileSync } from "node:fs";
import type { Notebook } from "../../src/ipynb/notebook";
import { sourceText, toSourceLines } from "../../src/ipynb/notebook";
import { nbgraderMeta, solutionRegions, stubLines } from "../../src/ipynb/nbgrader";

export type AnswerKind = "wrong" | "copied" | "correct";

export interface WrongAnswer {
  gradeId: string;
  why: string;
  /** wrong: a plausible mistake; copied: the visible expected values hard-coded; correct: a right answer written differently. */
  kind: AnswerKind;
  /** The check cells it must fail (wrong and copied answers); undefined: all of the cell's checks. */
  fails?: string[];
  /** The code for each solution region of the cell, in order. */
  regions: string[];
}

export function readWrongAnswers(file: string): WrongAnswer[] {
  const answers: WrongAnswer[] = [];
  let current: (Omit<WrongAnswer, "regions"> & { regions: string[][] }) | undefined;
  const finish = () => {
    if (current) answers.push({ ...current, regions: current.regions.map((r) => r.join("\n").trim()) });
  };
  readFileSync(file, "utf8").split("\n").forEach((line, i) => {
    if (line.startsWith("## ")) {
      finish();
      const m = /^## ([A-Za-z0-9_-]+)(?: \[(wrong|copied|correct)(?:: ([A-Za-z0-9_, -]+))?\])?: (.+)$/.exec(line);
      if (!m) {
        throw new Error(`${file}, line ${i + 1}: an entry starts "## <grade_id>: <why it is wrong>" or "## <grade_id> [wrong|copied|correct]: <why>", got ${JSON.stringify(line)}`);
      }
      const kind = (m[2] ?? "wrong") as AnswerKind;
      const fails = m[3]?.split(",").map((f) => f.trim()).filter(Boolean);
      if (kind === "correct" && fails) throw new Error(`${file}, line ${i + 1}: a correct answer fails no check`);
      current = { gradeId: m[1], why: m[4], kind, fails, regions: [[]] };
    } else if (line.trim() === "#### next region") {
      if (!current) throw new Error(`${file}, line ${i + 1}: "#### next region" before any entry`);
      current.regions.push([]);
    } else if (current) {
      current.regions[current.regions.length - 1].push(line);
    }
  });
  finish();
  return answers;
}

/** The rounds: round n holds the n-th wrong answer of every solution cell that has one. */
export function rounds(answers: WrongAnswer[]): WrongAnswer[][] {
  const seen = new Map<string, number>();
  const out: WrongAnswer[][] = [];
  for (const a of answers) {
    const n = seen.get(a.gradeId) ?? 0;
    seen.set(a.gradeId, n + 1);
    (out[n] ??= []).push(a);
  }
  return out;
}

/** A copy of the lesson with each given solution cell's regions replaced by the wrong code (indented like the marker). */
export function withAnswers(lesson: Notebook, answers: WrongAnswer[]): Notebook {
  const nb = structuredClone(lesson);
  for (const answer of answers) {
    const cell = nb.cells.find((c) => nbgraderMeta(c)?.solution === true && nbgraderMeta(c)?.grade_id === answer.gradeId);
    if (!cell) throw new Error(`wrong answer for "${answer.gradeId}": the lesson has no solution cell with that grade_id`);
    const source = sourceText(cell);
    const { regions, problems } = solutionRegions(source);
    if (problems.length > 0) throw new Error(`"${answer.gradeId}": ${problems[0]}`);
    if (regions.length !== answer.regions.length) {
      throw new Error(`wrong answer for "${answer.gradeId}" has ${answer.regions.length} region(s), the cell has ${regions.length}`);
    }
    const lines = source.split("\n");
    [...regions].reverse().forEach((region, k) => {
      const code = answer.regions[regions.length - 1 - k];
      const indent = /^[ \t]*/.exec(lines[region.begin])![0];
      lines.splice(region.begin, region.end - region.begin + 1, ...code.split("\n").map((l) => (l === "" ? l : indent + l)));
    });
    cell.source = toSourceLines(lines.join("\n"));
  }
  return nb;
}

/**
 * A learner's copy (stubs where the lesson has solutions) with each given cell's stubs replaced by the
 * answer's regions, in order: what a learner who solved the copy hands in.
 */
export function solveCopy(copy: Notebook, answers: WrongAnswer[]): Notebook {
  const nb = structuredClone(copy);
  for (const answer of answers) {
    const cell = nb.cells.find((c) => nbgraderMeta(c)?.solution === true && nbgraderMeta(c)?.grade_id === answer.gradeId);
    if (!cell) throw new Error(`answer for "${answer.gradeId}": the copy has no solution cell with that grade_id`);
    const lines = sourceText(cell).split("\n");
    const stub = stubLines(answer.gradeId); // what npm run exercises puts in place of each region
    const stubs = lines.flatMap((_, i) => (stub.every((s, k) => lines[i + k]?.trim() === s.trim()) ? [i] : []));
    if (stubs.length !== answer.regions.length) {
      throw new Error(`answer for "${answer.gradeId}" has ${answer.regions.length} region(s), the copy's cell has ${stubs.length} stub(s)`);
    }
    [...stubs].reverse().forEach((at, k) => {
      const code = answer.regions[stubs.length - 1 - k];
      const indent = /^[ \t]*/.exec(lines[at])![0];
      lines.splice(at, stub.length, ...code.split("\n").map((l) => (l === "" ? l : indent + l)));
    });
    cell.source = toSourceLines(lines.join("\n"));
  }
  return nb;
}
