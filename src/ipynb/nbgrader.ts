/**
 * Exercise cells, in nbgrader's format (cell metadata schema version 3), so a teacher can hand the
 * lessons out with nbgrader unchanged, and our own tools read the same cells:
 *
 * - a solution cell: `{ solution: true, grade: false, locked: false, grade_id, schema_version: 3 }`,
 *   its answer between lines containing `// BEGIN SOLUTION` and `// END SOLUTION`;
 * - a check cell: `{ grade: true, solution: false, locked: true, points, grade_id, schema_version: 3 }`;
 * - grade_ids unique within a notebook, matching [A-Za-z0-9_-]+.
 *
 * This module finds those cells, validates them (every problem says which notebook, which cell
 * and what is wrong) and replaces solution regions by stubs the way nbgrader's ClearSolutions does.
 */
import { type Cell, type Notebook, cellPreview, sourceText } from "./notebook.js";
import { stubLines } from "./stub.js";

export const BEGIN_SOLUTION = "// BEGIN SOLUTION";
export const END_SOLUTION = "// END SOLUTION";
/** Hidden tests (nbgrader's AUTOGRADER TESTS idea): lines of a check cell learners never see. */
export const BEGIN_HIDDEN_TESTS = "// BEGIN HIDDEN TESTS";
export const END_HIDDEN_TESTS = "// END HIDDEN TESTS";
export const GRADE_ID = /^[A-Za-z0-9_-]+$/;

/** The keys nbgrader's v3 schema allows (it rejects any other). */
const KNOWN_KEYS = new Set(["schema_version", "grade", "locked", "solution", "task", "grade_id", "points", "checksum", "cell_type"]);

export interface NbgraderMeta {
  grade: boolean;
  solution: boolean;
  locked: boolean;
  grade_id?: string;
  points?: number;
  schema_version?: number;
  task?: boolean;
}

/** A check cell: what `npm run check` reports on. */
export interface GradedCell {
  /** 0-based index in nb.cells. */
  index: number;
  gradeId: string;
  points: number;
}

/** One thing wrong with a notebook's exercises. `cell` is 1-based, as people count. */
export interface Problem {
  notebook: string;
  cell?: number;
  message: string;
}

export function formatProblem(p: Problem): string {
  return p.cell === undefined ? `${p.notebook}: ${p.message}` : `${p.notebook}, cell ${p.cell}: ${p.message}`;
}

/** The cell's nbgrader metadata, or undefined when it has none (or it is not an object). */
export function nbgraderMeta(cell: Cell): NbgraderMeta | undefined {
  const m = cell.metadata?.nbgrader;
  if (typeof m !== "object" || m === null || Array.isArray(m)) return undefined;
  return m as unknown as NbgraderMeta;
}

export function isSolutionCell(cell: Cell): boolean {
  return nbgraderMeta(cell)?.solution === true;
}

export function isCheckCell(cell: Cell): boolean {
  const m = nbgraderMeta(cell);
  return m?.grade === true && m.solution !== true;
}

/** The check cells, in order. Call validate() first: this trusts grade_id and points. */
export function gradedCells(nb: Notebook): GradedCell[] {
  const graded: GradedCell[] = [];
  nb.cells.forEach((cell, index) => {
    const m = nbgraderMeta(cell);
    if (m && isCheckCell(cell)) graded.push({ index, gradeId: String(m.grade_id), points: Number(m.points ?? 0) });
  });
  return graded;
}

/** A solution region: 0-based line numbers of its marker lines within the cell source. */
export interface SolutionRegion {
  begin: number;
  end: number;
}

/** Find the marker regions of a source; unbalanced markers are reported as problems (messages only). */
export function solutionRegions(source: string): { regions: SolutionRegion[]; problems: string[] } {
  return markerRegions(source, BEGIN_SOLUTION, END_SOLUTION);
}

/** The hidden-test regions of a check cell's source, as solutionRegions finds solution regions. */
export function hiddenTestRegions(source: string): { regions: SolutionRegion[]; problems: string[] } {
  return markerRegions(source, BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS);
}

function markerRegions(source: string, BEGIN: string, END: string): { regions: SolutionRegion[]; problems: string[] } {
  const lines = source.split("\n");
  const regions: SolutionRegion[] = [];
  const problems: string[] = [];
  let open: number | undefined;
  lines.forEach((line, i) => {
    const isBegin = line.includes(BEGIN);
    const isEnd = line.includes(END);
    if (!isBegin && !isEnd) return;
    const marker = isBegin ? BEGIN : END;
    if (isBegin && isEnd) {
      problems.push(`line ${i + 1} has both ${BEGIN} and ${END}; put each marker on its own line`);
      return;
    }
    if (line.trim() !== marker) {
      // The marker line is replaced whole, so anything else on it would vanish from the learner copy.
      problems.push(`line ${i + 1}: "${line.trim()}" has code next to ${marker}; put the marker on its own line`);
    }
    if (isBegin) {
      if (open !== undefined) problems.push(`line ${i + 1}: ${BEGIN} inside the region opened on line ${open + 1} (regions cannot nest)`);
      else open = i;
    } else if (open === undefined) {
      problems.push(`line ${i + 1}: ${END} without a ${BEGIN} before it`);
    } else {
      regions.push({ begin: open, end: i });
      open = undefined;
    }
  });
  if (open !== undefined) problems.push(`line ${open + 1}: ${BEGIN} is never closed by ${END}`);
  return { regions, problems };
}

/**
 * A check cell's source as learners see it: every hidden-test region, marker lines included,
 * removed (nbgrader removes them the same way). Throws if the markers are unbalanced, so that an
 * unclosed region never leaks the tests after it.
 */
export function withoutHiddenTests(source: string, gradeId = "?"): string {
  const { regions, problems } = hiddenTestRegions(source);
  if (problems.length > 0) throw new Error(`cannot hide the tests of ${gradeId}: ${problems[0]}`);
  const lines = source.split("\n");
  for (const { begin, end } of [...regions].reverse()) lines.splice(begin, end - begin + 1);
  return lines.join("\n");
}

export { stubLines } from "./stub.js";

/**
 * Replace every solution region (marker lines included) with the stub, indented like the
 * BEGIN marker. Every other byte of the source is kept. Throws if the markers are unbalanced.
 */
export function stubSolutions(source: string, gradeId: string): string {
  const { regions, problems } = solutionRegions(source);
  if (problems.length > 0) throw new Error(`cannot stub ${gradeId}: ${problems[0]}`);
  const lines = source.split("\n");
  for (const { begin, end } of [...regions].reverse()) {
    const indent = /^[ \t]*/.exec(lines[begin])![0];
    const cr = lines[begin].endsWith("\r") ? "\r" : ""; // keep CRLF sources CRLF
    lines.splice(begin, end - begin + 1, ...stubLines(gradeId).map((l) => indent + l + cr));
  }
  return lines.join("\n");
}

export interface ValidateOptions {
  /** Path shown in problems. */
  notebook: string;
  /**
   * "lesson": a solved lesson in notebooks/ (solution cells need markers, hints collapsed, …).
   * "submission": any copy being checked (a learner's copy has stubs instead of markers).
   */
  role?: "lesson" | "submission";
}

/** Everything wrong with a notebook's exercise cells; an empty list means it is fine. */
export function validate(nb: Notebook, options: ValidateOptions): Problem[] {
  const { notebook, role = "lesson" } = options;
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  // Solution cells not yet followed by any check cell: their answer would never be graded.
  let unchecked: { cell: number; gradeId: string }[] = [];
  let hasExercises = false;

  nb.cells.forEach((cell, index) => {
    const at = (message: string) => problems.push({ notebook, cell: index + 1, message: `${message} [${cellPreview(cell)}]` });
    const source = sourceText(cell);
    const raw = cell.metadata?.nbgrader;
    const meta = nbgraderMeta(cell);

    if (cell.cell_type === "markdown" && role === "lesson" && /<details\b[^>]*\bopen\b/i.test(source)) {
      at("hints must start collapsed: use <details> without the open attribute");
    }
    if (raw !== undefined && meta === undefined) at("metadata.nbgrader must be an object");

    const hasMarkers = source.includes(BEGIN_SOLUTION) || source.includes(END_SOLUTION);
    if (hasMarkers && !meta?.solution) {
      at(`has ${BEGIN_SOLUTION}/${END_SOLUTION} markers but is not a solution cell (the answer would stay in the learner copy)`);
    }
    const hasHidden = source.includes(BEGIN_HIDDEN_TESTS) || source.includes(END_HIDDEN_TESTS);
    if (hasHidden && !(meta && isCheckCell(cell))) {
      at(`has ${BEGIN_HIDDEN_TESTS}/${END_HIDDEN_TESTS} markers but is not a check cell (only check cells have hidden tests)`);
    }
    if (!meta) return;

    for (const key of Object.keys(meta)) if (!KNOWN_KEYS.has(key)) at(`unknown nbgrader key "${key}"`);
    if (meta.schema_version !== 3) at(`nbgrader schema_version must be 3, got ${JSON.stringify(meta.schema_version)}`);
    for (const key of ["grade", "solution", "locked"] as const) {
      if (typeof meta[key] !== "boolean") at(`nbgrader "${key}" must be true or false, got ${JSON.stringify(meta[key])}`);
    }
    if (!meta.grade && !meta.solution && !meta.locked) return; // nbgrader ignores such cells

    const gradeId = meta.grade_id;
    if (typeof gradeId !== "string" || !GRADE_ID.test(gradeId)) {
      at(`bad grade_id ${JSON.stringify(gradeId)}: it must be letters, digits, "_" or "-"`);
    } else if (seen.has(gradeId)) {
      at(`duplicate grade_id "${gradeId}" (also cell ${seen.get(gradeId)! + 1}): grade_ids must be unique in a notebook`);
    } else {
      seen.set(gradeId, index);
    }
    const id = typeof gradeId === "string" ? gradeId : "?";

    if (meta.solution && meta.grade) {
      at(`"${id}" is both solution and grade (a manually graded answer); exercises here are autograded: use a solution cell and a separate check cell`);
    } else if (meta.solution) {
      hasExercises = true;
      if (cell.cell_type !== "code") at(`solution cell "${id}" must be a code cell`);
      if (meta.locked) at(`solution cell "${id}" must not be locked (the learner writes in it)`);
      const { regions, problems: markerProblems } = solutionRegions(source);
      for (const p of markerProblems) at(`solution cell "${id}": ${p}`);
      if (role === "lesson" && regions.length === 0 && markerProblems.length === 0) {
        at(`solution cell "${id}" has no ${BEGIN_SOLUTION} … ${END_SOLUTION} region`);
      }
      unchecked.push({ cell: index + 1, gradeId: id });
    } else if (meta.grade) {
      hasExercises = true;
      unchecked = [];
      if (cell.cell_type !== "code") at(`check cell "${id}" must be a code cell`);
      if (meta.points === undefined) at(`check cell "${id}" has no points`);
      else if (typeof meta.points !== "number" || !(meta.points >= 0) || !Number.isFinite(meta.points)) {
        at(`check cell "${id}": points must be a number ≥ 0, got ${JSON.stringify(meta.points)}`);
      }
      for (const p of hiddenTestRegions(source).problems) at(`check cell "${id}": ${p}`);
      if (role === "lesson" && meta.locked !== true) at(`check cell "${id}" must be locked (learners should not edit the check)`);
      const tags = cell.metadata.tags;
      if (Array.isArray(tags) && tags.includes("raises-exception")) {
        // The executor treats an error in such a cell as expected, so a wrong answer would pass.
        at(`check cell "${id}" must not have the raises-exception tag (its failure would count as a pass)`);
      }
    }
  });

  if (role === "lesson") {
    for (const s of unchecked) problems.push({ notebook, cell: s.cell, message: `solution cell "${s.gradeId}" has no check cell after it` });
  }
  const kernelspec = nb.metadata?.kernelspec as { language?: unknown } | undefined;
  if (role === "lesson" && hasExercises && kernelspec?.language !== "typescript") {
    problems.push({
      notebook,
      message: `metadata.kernelspec.language must be "typescript" (nbgrader picks the code stub by language), got ${JSON.stringify(kernelspec?.language)}`,
    });
  }
  return problems;
}
