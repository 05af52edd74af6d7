/** Every lesson has its facts, and its prerequisites are earlier lessons that exist. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { LESSON_FACTS } from "../../src/practice/lesson-facts";

test("read and practice time, difficulty and prerequisites for every lesson in notebooks/", () => {
  const lessons = readdirSync(join(__dirname, "..", "..", "notebooks")).filter((f) => f.endsWith(".ipynb")).map((f) => f.replace(/\.ipynb$/, "")).sort();
  expect(Object.keys(LESSON_FACTS).sort()).toEqual(lessons);
  for (const [name, f] of Object.entries(LESSON_FACTS)) {
    expect(f.readMinutes % 5, name).toBe(0);
    expect(f.practiceMinutes, name).toBeGreaterThan(0);
    for (const p of f.prerequisites) {
      expect(lessons, `${name} needs ${p}`).toContain(p);
      expect(p < name, `${name}'s prerequisite ${p} comes before it`).toBe(true);
    }
  }
  expect(LESSON_FACTS["01-derivatives"]!.prerequisites).toEqual([]);
});
