/**
 * The flashcards' schedule on a fixed clock: a card answered wrong comes back sooner than one
 * answered right, intervals grow with each right answer, a lapse brings a card back within
 * minutes, and dueCount counts exactly the cards whose time has come.
 */
import { describe, expect, test } from "vitest";
import { CARDS } from "../../src/practice/cards";
import { dueAt, dueCount, emptyState, parseState, review, reviewQueue, type CardsState } from "../../src/practice/schedule";
import { QUESTIONS } from "../../src/practice/questions";

const T0 = new Date("2026-03-02T09:00:00Z");
const minutes = (d: Date | undefined, from: Date) => (d!.getTime() - from.getTime()) / 60_000;
const days = (d: Date | undefined, from: Date) => minutes(d, from) / 1440;
const at = (from: Date, m: number) => new Date(from.getTime() + m * 60_000);

describe("the flashcards' schedule (FSRS, no fuzz)", () => {
  test("wrong comes back sooner than right: again in a minute, good in ten (the learning steps)", () => {
    let s = review(emptyState(), "local-mul", "again", T0);
    s = review(s, "local-add", "good", T0);
    expect(minutes(dueAt(s, "local-mul"), T0)).toBe(1);
    expect(minutes(dueAt(s, "local-add"), T0)).toBe(10);
    expect(dueAt(s, "chain-rule")).toBeUndefined(); // never seen: new, not due
    expect(dueCount(s, T0)).toBe(0);
    expect(dueCount(s, at(T0, 1))).toBe(1);
    expect(dueCount(s, at(T0, 10))).toBe(2);
    expect(reviewQueue(s, ["local-add", "local-mul", "chain-rule"], at(T0, 10))).toEqual(["local-mul", "local-add", "chain-rule"]);
  });

  test("each right answer spaces the card out further; a lapse brings it back within minutes and counts", () => {
    let s: CardsState = emptyState();
    let now = T0;
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      s = review(s, "local-tanh", "good", now);
      const due = dueAt(s, "local-tanh")!;
      gaps.push(days(due, now));
      now = due;
    }
    // Two learning steps (10 minutes, then a day or more), then growing intervals in days.
    expect(gaps[0]).toBeCloseTo(10 / 1440, 9);
    for (let i = 2; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
    expect(gaps[4]!).toBeGreaterThan(7);
    expect(Number.isInteger(gaps[4])).toBe(true); // review intervals are whole days
    s = review(s, "local-tanh", "again", now);
    expect(minutes(dueAt(s, "local-tanh"), now)).toBeLessThanOrEqual(10);
    expect(s.cards["local-tanh"]!.lapses).toBe(1);
    // Answered "easy" from new, a card waits longer than "good" does.
    const e = review(emptyState(), "x", "easy", T0), g = review(emptyState(), "x", "good", T0);
    expect(dueAt(e, "x")!.getTime()).toBeGreaterThan(dueAt(g, "x")!.getTime());
  });

  test("the state survives JSON (localStorage) and a broken one starts afresh", () => {
    const s = review(review(emptyState(), "a", "good", T0), "b", "again", T0);
    const back = parseState(JSON.stringify(s));
    expect(back).toEqual(s);
    expect(dueCount(back, at(T0, 5))).toBe(1);
    expect(review(back, "a", "good", at(T0, 10))).toEqual(review(s, "a", "good", at(T0, 10)));
    for (const bad of [null, "", "{", "[]", '{"version":2,"cards":{}}', '{"version":1,"cards":{"a":{"due":"soon"}}}']) {
      expect(parseState(bad).cards).toEqual({});
    }
    expect(() => review(s, "a", "maybe" as never, T0)).toThrow(/again, hard, good or easy, got "maybe"/);
  });

  test("the deck: unique ids, every card tied to a lesson that has questions too", () => {
    expect(new Set(CARDS.map((c) => c.id)).size).toBe(CARDS.length);
    for (const c of CARDS) expect(Object.keys(QUESTIONS)).toContain(c.lesson);
    for (const [lesson, qs] of Object.entries(QUESTIONS)) {
      expect(qs.length, lesson).toBeGreaterThanOrEqual(4);
      expect(qs.length, lesson).toBeLessThanOrEqual(8);
      expect(qs.some((q) => q.kind !== "open"), `${lesson} has a checked question`).toBe(true);
      for (const q of qs) if (q.kind === "choice") expect(q.correct).toBeLessThan(q.choices.length);
    }
  });
});
