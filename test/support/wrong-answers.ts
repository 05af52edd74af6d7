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
 */
import { readFileSync } from "node:fs";
import type { Notebook } from "../../src/ipynb/notebook";
import { sourceText, toSourceLines } from "../../src/ipynb/notebook";
import { nbgraderMeta, solutionRegions } from "../../src/ipynb/nbgrader";

export interface WrongAnswer {
  gradeId: string;
  why: string;
  /** The code for each solution region of the cell, in order. */
  regions: string[];
}

export function readWrongAnswers(file: string): WrongAnswer[] {
  const answers: WrongAnswer[] = [];
  let current: { gradeId: string; why: string; regions: string[][] } | undefined;
  const finish = () => {
    if (current) answers.push({ gradeId: current.gradeId, why: current.why, regions: current.regions.map((r) => r.join("\n").trim()) });
  };
  readFileSync(file, "utf8").split("\n").forEach((line, i) => {
    if (line.startsWith("## ")) {
      finish();
      const m = /^## ([A-Za-z0-9_-]+): (.+)$/.exec(line);
      if (!m) throw new Error(`${file}, line ${i + 1}: an entry starts "## <grade_id>: <why it is wrong>", got ${JSON.stringify(line)}`);
      current = { gradeId: m[1], why: m[2], regions: [[]] };
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
