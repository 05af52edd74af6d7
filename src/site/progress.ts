/**
 * The landing page's lesson cards, filled in with what this browser has done (nothing leaves it):
 * - exercises passed: `micrograd-ts:score:<notebook>` = {"passed": [grade ids], "total": n, "at": ISO
 *   date}, written by the live page each time a check really runs;
 * - practice solved: `micrograd-ts:practice:<notebook>` = {"solved": n};
 * - flashcards due: `micrograd-ts:cards`, the review page's state. A card counts as due when its
 *   `due` time (ms or ISO date) has come; cards naming a lesson (`lesson`: its name or notebook)
 *   count on that lesson's card, the rest in the line above the cards. No state: nothing is shown.
 * Anything unreadable is ignored: the card keeps its plain "3 exercises".
 * Plain script (no modules), so it works from file:// and under the site's Content-Security-Policy.
 */
{
  const read = (key: string): unknown => {
    try {
      const raw = localStorage.getItem(key);
      return raw == null ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      return undefined; // blocked storage or a value that is not JSON
    }
  };
  const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

  interface Card {
    lesson?: string;
    due?: number | string;
  }
  const dueCards = (now: number): { byLesson: Map<string, number>; other: number } | undefined => {
    const state = read("micrograd-ts:cards");
    if (!isRecord(state)) return undefined;
    const cards = Array.isArray(state.cards) ? state.cards : isRecord(state.cards) ? Object.values(state.cards) : undefined;
    if (!cards) return undefined;
    const byLesson = new Map<string, number>();
    let other = 0;
    for (const c of cards as Card[]) {
      if (!isRecord(c) || c.due === undefined) continue;
      const due = typeof c.due === "number" ? c.due : Date.parse(String(c.due));
      if (!(due <= now)) continue;
      const lesson = typeof c.lesson === "string" ? c.lesson.replace(/^notebooks\//, "").replace(/\.ipynb$/, "") : undefined;
      if (lesson) byLesson.set(lesson, (byLesson.get(lesson) ?? 0) + 1);
      else other += 1;
    }
    return { byLesson, other };
  };

  const due = dueCards(Date.now());
  for (const card of document.querySelectorAll<HTMLElement>(".lesson-card[data-notebook]")) {
    const line = card.querySelector<HTMLElement>("[data-progress]");
    if (!line) continue;
    const notebook = card.dataset.notebook!;
    const name = card.dataset.lesson ?? "";
    const parts: string[] = [];
    const score = read(`micrograd-ts:score:${notebook}`);
    const exercises = Number(card.dataset.exercises ?? 0);
    if (isRecord(score) && Array.isArray(score.passed)) {
      const passed = new Set(score.passed.filter((id) => typeof id === "string")).size;
      const total = typeof score.total === "number" && score.total > 0 ? score.total : exercises;
      parts.push(`${passed} of ${count(total, "exercise")} passed`);
      card.dataset.done = String(total > 0 && passed >= total);
    } else if (exercises > 0) {
      parts.push(count(exercises, "exercise"));
    }
    const practice = read(`micrograd-ts:practice:${notebook}`);
    if (isRecord(practice) && typeof practice.solved === "number" && practice.solved > 0) parts.push(`${count(practice.solved, "practice problem")} solved`);
    const cards = due?.byLesson.get(name);
    if (cards) parts.push(`${count(cards, "card")} due`);
    line.textContent = parts.join(" · ");
  }
  const other = document.querySelector<HTMLElement>("[data-cards-due]");
  if (other && due && due.other > 0) {
    other.textContent = `${count(due.other, "flashcard")} due for review.`;
    other.hidden = false;
  }

  // From a file the page is only static: say how to get the live lessons.
  const note = document.querySelector<HTMLElement>("[data-start-note]");
  if (note && location.protocol === "file:") {
    note.textContent = "Opened from a file, the lessons read but don't run: serve the site (npm run serve) and the code cells run in this page.";
  }
}
