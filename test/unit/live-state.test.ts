/**
 * The live page's notebook state, without a browser (unit tier): saved edits (keys, versions,
 * a refusing storage), what each cell runs, and the score (what counts, what is kept).
 */
import { describe, expect, test } from "vitest";
import type { Notebook } from "../../src/ipynb/notebook";
import { NotebookState, type Role } from "../../src/live/notebook-state";
import { hash, SavedEdits } from "../../src/live/saved-edits";
import { checksOf, Score, scoreKey } from "../../src/live/score";

class MemoryStorage {
  readonly map = new Map<string, string>();
  refuse = false;
  get length() {
    return this.map.size;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.refuse) throw new Error("QuotaExceededError");
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const code = (source: string, nbgrader?: object) => ({ cell_type: "code" as const, source, metadata: nbgrader ? { nbgrader } : {}, outputs: [], execution_count: null });
const md = (source: string) => ({ cell_type: "markdown" as const, source, metadata: {} });
const solution = (id: string, body: string) => code(`function f() {\n  // BEGIN SOLUTION\n  ${body}\n  // END SOLUTION\n}`, { solution: true, grade: false, locked: false, grade_id: id, schema_version: 3 });
const checkCell = (id: string, points = 1) => code(`check("f", f(), 2);`, { grade: true, solution: false, locked: true, points, grade_id: id, schema_version: 3 });

/** Cells: 0 md, 1 setup, 2 answer a, 3 check a, 4 answer b, 5 check b (2 points). */
const lesson = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [md("# L"), code("const x = 1;"), solution("a", "return 2;"), checkCell("a-check"), solution("b", "return 3;"), checkCell("b-check", 2)] } as unknown as Notebook;

function stateWith(exercise: boolean, storage = new MemoryStorage()) {
  const roles = new Map<number, Role>([[1, undefined], [2, "answer"], [3, "check"], [4, "answer"], [5, "check"]]);
  const edits = new SavedEdits(storage, "notebooks/l.ipynb", exercise ? "exercise" : "lesson");
  return { storage, edits, state: new NotebookState(roles, exercise, edits, async () => structuredClone(lesson)) };
}

describe("SavedEdits", () => {
  test("keys are micrograd-ts:{mode}:<notebook>:<cell>, and only this page's keys name a cell", () => {
    const edits = new SavedEdits(new MemoryStorage(), "notebooks/l.ipynb", "exercise");
    expect(edits.key(4)).toBe("micrograd-ts:exercise:notebooks/l.ipynb:4");
    expect(edits.cellOf("micrograd-ts:exercise:notebooks/l.ipynb:12")).toBe(12);
    expect(edits.cellOf("micrograd-ts:lesson:notebooks/l.ipynb:12")).toBeUndefined();
    expect(edits.cellOf("micrograd-ts:exercise:notebooks/l.ipynb2:1")).toBeUndefined();
    expect(edits.cellOf("micrograd-ts:score:notebooks/l.ipynb")).toBeUndefined();
  });

  test("an edit is used only on the version of the cell it was made on; saving the base forgets it", () => {
    const storage = new MemoryStorage();
    const edits = new SavedEdits(storage, "n", "lesson");
    expect(edits.save(2, "old code", "my code")).toBe(true);
    expect(JSON.parse(storage.getItem("micrograd-ts:lesson:n:2")!)).toEqual({ base: hash("old code"), text: "my code" });
    expect(edits.textFor(2, "old code")).toBe("my code");
    expect(edits.textFor(2, "new code")).toBeUndefined();
    expect(edits.get(2)?.text).toBe("my code"); // still there, to be offered
    expect(edits.cells()).toEqual([2]);
    edits.save(2, "old code", "old code");
    expect(edits.cells()).toEqual([]);
  });

  test("a storage that refuses says so (false), and junk in storage is no edit", () => {
    const storage = new MemoryStorage();
    const edits = new SavedEdits(storage, "n", "lesson");
    storage.map.set("micrograd-ts:lesson:n:1", "{not json");
    storage.map.set("micrograd-ts:lesson:n:3", JSON.stringify({ text: 3 }));
    expect(edits.get(1)).toBeUndefined();
    expect(edits.get(3)).toBeUndefined();
    storage.refuse = true;
    expect(edits.save(2, "a", "b")).toBe(false);
    expect(new SavedEdits(undefined, "n", "lesson").save(2, "a", "b")).toBe(false);
  });
});

describe("NotebookState", () => {
  test("exercise mode starts answer cells from the stub; a check cell always runs the lesson's code", async () => {
    const { state, edits } = stateWith(true);
    const texts = await state.load();
    expect(state.initial(texts, 2)).toContain('throw new Error("not implemented: a")');
    expect(state.initial(texts, 1)).toBe("const x = 1;");
    edits.save(3, texts.lesson[3]!, "// nothing to check"); // planted edit of a check cell
    expect(await state.sourceOf(3)).toBe('check("f", f(), 2);');
    expect(state.edit(2, "function f() { return 2; }")).toBe(true);
    expect(await state.sourceOf(2)).toBe("function f() { return 2; }");
    expect(state.kind(2, "function f() { return 2; }")).toBe("edited");
    expect(state.kind(2, texts.lesson[2]!)).toBe("solution");
  });

  test("lesson and exercise mode keep separate edits", async () => {
    const storage = new MemoryStorage();
    const lessonMode = stateWith(false, storage);
    await lessonMode.state.load();
    lessonMode.state.edit(1, "const x = 5;");
    const exerciseMode = stateWith(true, storage);
    expect(await exerciseMode.state.sourceOf(1)).toBe("const x = 1;");
    expect(await stateWith(false, storage).state.sourceOf(1)).toBe("const x = 5;");
  });

  test("isLessons tells the lesson's own solution from the learner's text, before any editor opened too", async () => {
    const { state } = stateWith(false);
    await state.load();
    expect(state.isLessons(2)).toBe(true);
    const exercise = stateWith(true).state;
    await exercise.load();
    expect(exercise.isLessons(2)).toBe(false); // the stub
    state.edit(2, "function f() { return 1 + 1; }");
    expect(state.isLessons(2)).toBe(false);
  });
});

describe("Score", () => {
  test("checksOf pairs each check cell with the answer cells since the previous check", () => {
    expect(checksOf(lesson)).toEqual([
      { cell: 3, gradeId: "a-check", points: 1, answers: [2] },
      { cell: 5, gradeId: "b-check", points: 2, answers: [4] },
    ]);
    // A second check of the same answer (no answer cell between): it grades that answer too, so
    // a run of the lesson's own solution does not count for it either.
    const twice = { ...lesson, cells: [...lesson.cells, checkCell("b-again")] } as Notebook;
    expect(checksOf(twice).at(-1)).toEqual({ cell: 6, gradeId: "b-again", points: 1, answers: [4] });
  });

  test("no score before a check counted; the lesson's own solutions count for nothing; a pass, then a fail, moves it", () => {
    const storage = new MemoryStorage();
    const score = new Score(checksOf(lesson), storage, "n", () => new Date("2026-01-02T03:04:05.000Z"));
    expect(score.text()).toBeUndefined();
    expect(score.record(3, true, true)).toBe(false);
    expect(score.text()).toBeUndefined();
    expect(storage.getItem(scoreKey("n"))).toBeNull();
    expect(score.record(5, false, false)).toBe(true);
    expect(score.text()).toBe("0/3");
    score.record(5, true, false);
    expect(score.text()).toBe("2/3");
    expect(JSON.parse(storage.getItem("micrograd-ts:score:n")!)).toEqual({ passed: ["b-check"], total: 2, at: "2026-01-02T03:04:05.000Z" });
    score.record(5, false, false);
    expect(score.text()).toBe("0/3");
    expect(score.record(1, true, false)).toBe(false); // not a check cell
  });

  test("the score survives a reload (a new Score on the same storage), ignores unknown ids, and Reset forgets it", () => {
    const storage = new MemoryStorage();
    new Score(checksOf(lesson), storage, "n").record(3, true, false);
    storage.setItem(scoreKey("n"), JSON.stringify({ ...JSON.parse(storage.getItem(scoreKey("n"))!), passed: ["a-check", "forged"] }));
    const again = new Score(checksOf(lesson), storage, "n");
    expect(again.text()).toBe("1/3");
    expect(again.passedIds()).toEqual(["a-check"]);
    again.clear();
    expect(again.text()).toBeUndefined();
    expect(storage.getItem(scoreKey("n"))).toBeNull();
  });
});
