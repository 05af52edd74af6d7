/**
 * What each lesson asks of a learner: read time, practice time, difficulty and prerequisites, for
 * the syllabus and the site's index.
 *
 * The times are estimates from the lessons themselves (measured on the notebooks of December 2026):
 * reading is the prose at 150 words a minute (technical text, with formulas) plus the code at 20
 * lines a minute (reading and running it); practice is 6 minutes per graded exercise, 5 for the
 * self-check questions and 5 for backprop on the drawing where the lesson has it, each rounded to
 * 5 minutes. They are a guide, not a promise: a first encounter with the chain rule takes longer.
 */
export type Difficulty = "introductory" | "intermediate" | "advanced";

export interface LessonFacts {
  /** Minutes to read the lesson and run its cells. */
  readMinutes: number;
  /** Minutes for its exercises and practice. */
  practiceMinutes: number;
  difficulty: Difficulty;
  /** Lessons (notebook names) to have done first; empty for the first lesson. */
  prerequisites: string[];
  /** What a learner should bring from outside the course, if anything. */
  background?: string;
}

export const LESSON_FACTS: Record<string, LessonFacts> = {
  "01-derivatives": { readMinutes: 15, practiceMinutes: 25, difficulty: "introductory", prerequisites: [], background: "some programming, and derivatives from school" },
  "02-value-and-graph": { readMinutes: 15, practiceMinutes: 25, difficulty: "introductory", prerequisites: ["01-derivatives"] },
  "03-manual-backprop": { readMinutes: 15, practiceMinutes: 20, difficulty: "introductory", prerequisites: ["02-value-and-graph"] },
  "04-neuron-tanh": { readMinutes: 15, practiceMinutes: 20, difficulty: "intermediate", prerequisites: ["03-manual-backprop"] },
  "05-backward": { readMinutes: 20, practiceMinutes: 20, difficulty: "intermediate", prerequisites: ["04-neuron-tanh"] },
  "06-more-operations": { readMinutes: 30, practiceMinutes: 30, difficulty: "intermediate", prerequisites: ["05-backward"] },
  "07-mlp": { readMinutes: 20, practiceMinutes: 30, difficulty: "intermediate", prerequisites: ["06-more-operations"] },
  "08-moons": { readMinutes: 25, practiceMinutes: 25, difficulty: "advanced", prerequisites: ["07-mlp"] },
  "09-exercises": { readMinutes: 20, practiceMinutes: 50, difficulty: "advanced", prerequisites: ["06-more-operations"] },
  "10-bug-clinic": { readMinutes: 25, practiceMinutes: 45, difficulty: "intermediate", prerequisites: ["05-backward", "07-mlp"] },
};

/** The facts of `lesson`, or undefined for a lesson without them (a new one, say). */
export function lessonFacts(lesson: string): LessonFacts | undefined {
  return LESSON_FACTS[lesson];
}
