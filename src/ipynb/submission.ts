/**
 * A learner's submission, graded against its lesson (nbgrader's rule: the source assignment is
 * the truth). The notebook that is executed is the lesson's learner copy with only the learner's
 * answer cells put in, matched by grade_id: check cells, their ids and points, the prose and
 * the setup code all come from the lesson, whatever the submission holds. What the submission
 * changed outside its answers is reported, never trusted.
 *
 * The check helpers are rebound at the top of each check cell (an import, which replaces any
 * `var check = …` an answer cell made), and an answer cell that assigns to one is reported.
 */
import { type Cell, type Notebook, cellPreview, sourceText, toSourceLines } from "./notebook.js";
import { isCheckCell, isSolutionCell, nbgraderMeta, stubSolutions, withoutHiddenTests } from "./nbgrader.js";

/** The helpers a check cell may call; an answer cell must not replace them. */
export const CHECK_HELPERS = ["check", "checkGrads", "checkTrue", "CheckError", "checkFresh", "randomExpression"] as const;

/** The line put before each check cell's own code, so that it calls the real helpers. */
export const REBIND_HELPERS = `import { ${CHECK_HELPERS.join(", ")} } from "micrograd-ts";`;

/**
 * An error message of a check cell that ran with the rebind line before it, as it would read
 * for the cell the learner sees: line numbers one less, and a timeout named by the cell's own
 * first line.
 */
export function withoutRebindLine(message: string, lessonSource: string): string {
  const first = lessonSource.trim().split("\n")[0] ?? "";
  const preview = first.length <= 60 ? first : `${first.slice(0, 57)}...`;
  return message
    .replace(/^(\d+):(\d+) - /gm, (_, line: string, col: string) => `${Number(line) - 1}:${col} - `)
    .replace(/(evalmachine\.<anonymous>:)(\d+)/g, (_, at: string, line: string) => `${at}${Number(line) - 1}`)
    .replace(/(timed out after \d+ s: ).*$/m, `$1${preview}`);
}

export interface Assembled {
  /** What to execute: the lesson with the learner's answers. */
  notebook: Notebook;
  /** Everything the submission did that grading ignored or repaired, one sentence each. */
  notes: string[];
}

/**
 * The learner copy of a lesson's cell: each solution region replaced by its stub, each check
 * cell's hidden tests removed (grading takes check cells from the lesson, so they come back).
 */
export function stubbedCell(cell: Cell): Cell {
  const meta = nbgraderMeta(cell);
  if (meta && isSolutionCell(cell)) return { ...cell, source: toSourceLines(stubSolutions(sourceText(cell), String(meta.grade_id))) };
  if (meta && isCheckCell(cell)) return { ...cell, source: toSourceLines(withoutHiddenTests(sourceText(cell), String(meta.grade_id))) };
  return cell;
}

/**
 * The notebook to grade: `lesson`'s cells, with each solution cell taken from `submission` (the
 * cell with the same grade_id), and each check cell from the lesson with the helpers rebound.
 * A solution cell the submission lacks stays a stub, so its exercise fails.
 */
export function assembleSubmission(lesson: Notebook, submission: Notebook): Assembled {
  const notes: string[] = [];
  const answers = new Map<string, Cell>();
  const submitted = new Map<string, { cell: Cell; index: number }>();
  submission.cells.forEach((cell, index) => {
    const id = nbgraderMeta(cell)?.grade_id;
    if (typeof id !== "string") return;
    submitted.set(id, { cell, index });
    if (isSolutionCell(cell) && cell.cell_type === "code") answers.set(id, cell);
  });

  const cells = lesson.cells.map((cell, index): Cell => {
    const meta = nbgraderMeta(cell);
    const id = typeof meta?.grade_id === "string" ? meta.grade_id : undefined;
    if (id !== undefined && isSolutionCell(cell)) {
      const answer = answers.get(id);
      if (!answer) {
        notes.push(`the answer cell "${id}" is missing from the submission (or lost its nbgrader metadata): graded as not attempted`);
        return stubbedCell(cell);
      }
      const reassigned = reassignedHelpers(sourceText(answer));
      if (reassigned.length > 0) {
        notes.push(`the answer cell "${id}" redefines ${reassigned.join(", ")}, which the checks use: the checks call the real ones`);
      }
      return { ...cell, source: answer.source };
    }
    if (id !== undefined && isCheckCell(cell)) {
      const theirs = submitted.get(id);
      if (!theirs) notes.push(`the check cell "${id}" is missing from the submission: graded with the lesson's check`);
      else if (![sourceText(cell), sourceText(stubbedCell(cell))].includes(sourceText(theirs.cell)) || !isCheckCell(theirs.cell) || pointsOf(theirs.cell) !== pointsOf(cell)) {
        notes.push(`the check cell "${id}" was changed in the submission: graded with the lesson's check and points`);
      }
      // A line of its own; tools/check.ts takes it out of the line numbers in error messages.
      return { ...cell, source: toSourceLines(`${REBIND_HELPERS}\n${sourceText(cell)}`) };
    }
    return stubbedCell(cell);
  });

  const extra = submission.cells.filter((c) => c.cell_type === "code" && typeof nbgraderMeta(c)?.grade_id !== "string" && !lessonHasSource(lesson, c));
  if (extra.length > 0) {
    const first = cellPreview(extra[0]!);
    notes.push(`${extra.length} code cell${extra.length === 1 ? "" : "s"} not in the lesson (first: "${first}") ignored: put your work in the answer cells`);
  }
  return { notebook: { ...lesson, cells }, notes };
}

function pointsOf(cell: Cell): unknown {
  return nbgraderMeta(cell)?.points;
}

function lessonHasSource(lesson: Notebook, cell: Cell): boolean {
  const text = sourceText(cell).trim();
  return text === "" || lesson.cells.some((c) => sourceText(c).trim() === text);
}

/** The check helpers that `source` declares or assigns to (`var check = …`, `x.check = …`, …). */
export function reassignedHelpers(source: string): string[] {
  const code = source.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
  return CHECK_HELPERS.filter((name) => {
    const declared = new RegExp(`\\b(var|let|const|function|class)\\s+${name}\\b`).test(code);
    const assigned = new RegExp(`(^|[^\\w$.])${name}\\s*=(?!=)|\\.${name}\\s*=(?!=)|["'\`]${name}["'\`]\\s*[,\\]]`, "m").test(code);
    return declared || assigned;
  });
}
