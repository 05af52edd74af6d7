/**
 * When each flashcard comes back: spaced repetition by FSRS (the ts-fsrs package, the scheduler
 * Anki uses), on a state that is plain JSON so the browser can keep it in localStorage under
 * `micrograd-ts:cards`. Pure: every function takes `now`, so a test (or the index page's count of
 * cards due) can use any clock.
 *
 * The stored state: { "version": 1, "cards": { "<card id>": { "due": ISO date, "state": 0–3,
 * "reps": n, "lapses": n, "stability", "difficulty", … } } }. A card never reviewed is absent.
 */
import { createEmptyCard, fsrs, Rating, type Card, type Grade } from "ts-fsrs";

export const CARDS_KEY = "micrograd-ts:cards";

export interface StoredCard {
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: number;
  last_review?: string;
}

export interface CardsState {
  version: 1;
  cards: Record<string, StoredCard>;
}

export type Answer = "again" | "hard" | "good" | "easy";
const GRADES: Record<Answer, Grade> = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy };

// No fuzz: the same answers at the same times always give the same schedule.
const scheduler = fsrs({ enable_fuzz: false });

export function emptyState(): CardsState {
  return { version: 1, cards: {} };
}

/** The state from its JSON; anything unreadable (or from another version) starts afresh. */
export function parseState(json: string | null | undefined): CardsState {
  if (!json) return emptyState();
  try {
    const s = JSON.parse(json) as Partial<CardsState>;
    if (s?.version !== 1 || typeof s.cards !== "object" || s.cards === null) return emptyState();
    const cards: Record<string, StoredCard> = {};
    for (const [id, c] of Object.entries(s.cards)) {
      if (c && typeof c === "object" && !Number.isNaN(Date.parse((c as StoredCard).due))) cards[id] = c as StoredCard;
    }
    return { version: 1, cards };
  } catch {
    return emptyState();
  }
}

function toCard(c: StoredCard): Card {
  return { ...c, due: new Date(c.due), last_review: c.last_review ? new Date(c.last_review) : undefined } as Card;
}

function fromCard(c: Card): StoredCard {
  const { due, last_review, ...rest } = c;
  return { ...rest, due: due.toISOString(), ...(last_review ? { last_review: new Date(last_review).toISOString() } : {}) } as StoredCard;
}

/** The state after answering card `id` at `now`: "again" brings it back within minutes, "easy" latest. */
export function review(state: CardsState, id: string, answer: Answer, now: Date): CardsState {
  const grade = GRADES[answer];
  if (grade === undefined) throw new Error(`review: the answer must be again, hard, good or easy, got ${JSON.stringify(answer)}`);
  const known = state.cards[id];
  const card = known ? toCard(known) : createEmptyCard(now);
  const next = scheduler.next(card, now, grade).card;
  return { version: 1, cards: { ...state.cards, [id]: fromCard(next) } };
}

/** When card `id` is due (undefined: never reviewed, so it is new). */
export function dueAt(state: CardsState, id: string): Date | undefined {
  const c = state.cards[id];
  return c ? new Date(c.due) : undefined;
}

/** How many of the cards reviewed before are due at `now` (new cards are not counted). */
export function dueCount(state: CardsState, now: Date): number {
  const t = now.getTime();
  return Object.values(state.cards).filter((c) => Date.parse(c.due) <= t).length;
}

/**
 * What to review at `now`, from the deck `ids`: the cards due, the most overdue first, then up to
 * `newCards` cards never seen, in the deck's order.
 */
export function reviewQueue(state: CardsState, ids: readonly string[], now: Date, newCards = 10): string[] {
  const t = now.getTime();
  const due = ids.filter((id) => state.cards[id] && Date.parse(state.cards[id]!.due) <= t).sort((a, b) => Date.parse(state.cards[a]!.due) - Date.parse(state.cards[b]!.due));
  const fresh = ids.filter((id) => !state.cards[id]).slice(0, newCards);
  return [...due, ...fresh];
}
