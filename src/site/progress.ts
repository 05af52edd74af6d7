/**
 * The landing page's lesson cards, filled in with what this browser has done (nothing leaves it):
 * - exercises passed: `micrograd-ts:score:<notebook>` = {"passed": [grade ids], "total": n, "at": ISO
 *   date}, written by the live page each time a check really runs;
 * - practice solved: `micrograd-ts:practice:<lesson>` = {"solved": n} (the lesson's name, as the
 *   practice widget keeps it; `<notebook>` is read too);
 * - flashcards due: `micrograd-ts:cards`, the review page's state ({"version": 1, "cards": {id:
 *   {"due": ISO date, …}}}). A card counts as due when its `due` time has come; a card whose lesson
 *   is known (its own `lesson`, or the page's `data-card-lessons` map of card id → lesson) counts
 *   on that lesson's card, the rest in the line above the cards. No state: nothing is shown.
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
    let lessonOf: Record<string, string> = {};
    try {
      lessonOf = JSON.parse(document.querySelector<HTMLElement>("[data-card-lessons]")?.dataset.cardLessons ?? "{}") as Record<string, string>;
    } catch {
      // no map: every due card counts in the line above the cards
    }
    const ids = isRecord(state.cards) ? Object.keys(state.cards) : [];
    for (const [i, c] of (cards as Card[]).entries()) {
      if (!isRecord(c) || c.due === undefined) continue;
      const due = typeof c.due === "number" ? c.due : Date.parse(String(c.due));
      if (!(due <= now)) continue;
      const named = typeof c.lesson === "string" ? c.lesson : lessonOf[ids[i] ?? ""];
      const lesson = typeof named === "string" ? named.replace(/^notebooks\//, "").replace(/\.ipynb$/, "") : undefined;
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
    // The practice widget names its lesson ("03-manual-backprop"); a notebook path is read too.
    const practice = read(`micrograd-ts:practice:${name}`) ?? read(`micrograd-ts:practice:${notebook}`);
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
