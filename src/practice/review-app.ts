/**
 * The review page in the browser (bundled into site/assets/review.js by render): one card at a
 * time, the due ones first, then a few new ones; the answer on request, then how well you knew it.
 * The schedule (schedule.ts, FSRS) is kept in localStorage under micrograd-ts:cards.
 */
import { CARDS } from "./cards.js";
import { CARDS_KEY, dueCount, parseState, review, reviewQueue, type Answer, type CardsState } from "./schedule.js";

const root = document.getElementById("mg-review");

const style = document.createElement("style");
style.textContent = `
.mg-card{border:1px solid #999;border-radius:6px;padding:10px 14px;margin:8px 0;max-width:40em}
.mg-card-front{font-weight:600;margin:0 0 8px}
.mg-card-back{margin:8px 0}
.mg-card button{font:inherit;padding:3px 12px;margin:2px 6px 2px 0;cursor:pointer}
.mg-card button:focus-visible{outline:2px solid #0072B2;outline-offset:1px}`;
document.head.appendChild(style);

function load(): CardsState {
  try {
    return parseState(localStorage.getItem(CARDS_KEY));
  } catch {
    return parseState(null);
  }
}

function save(state: CardsState): boolean {
  try {
    localStorage.setItem(CARDS_KEY, JSON.stringify(state));
    return true;
  } catch {
    return false;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

const byId = new Map(CARDS.map((c) => [c.id, c]));
const LABELS: [Answer, string][] = [["again", "Again (I did not know)"], ["hard", "Hard"], ["good", "Good"], ["easy", "Easy"]];

function show(state: CardsState, note = ""): void {
  if (!root) return;
  const now = new Date();
  const queue = reviewQueue(state, CARDS.map((c) => c.id), now);
  const due = dueCount(state, now);
  const unseen = CARDS.filter((c) => !state.cards[c.id]).length;
  root.replaceChildren();
  root.appendChild(el("p", `${note}${due} card${due === 1 ? "" : "s"} due, ${unseen} not seen yet.`, "mg-review-counts"));
  const id = queue[0];
  if (!id) {
    const next = Object.values(state.cards).map((c) => Date.parse(c.due)).sort((a, b) => a - b)[0];
    root.appendChild(el("p", next ? `Nothing to review now. The next card is due ${new Date(next).toLocaleString()}.` : "Nothing to review now."));
    return;
  }
  const card = byId.get(id)!;
  const box = el("div", undefined, "mg-card");
  box.appendChild(el("p", card.front, "mg-card-front"));
  const reveal = el("button", "Show the answer");
  reveal.type = "button";
  box.appendChild(reveal);
  root.appendChild(box);
  reveal.addEventListener("click", () => {
    reveal.remove();
    box.appendChild(el("p", card.back, "mg-card-back"));
    const q = el("p", "How well did you know it?");
    box.appendChild(q);
    const row = el("div", undefined, "mg-card-grades");
    for (const [answer, label] of LABELS) {
      const b = el("button", label);
      b.type = "button";
      b.dataset.answer = answer;
      b.addEventListener("click", () => {
        const next = review(load(), id, answer, new Date());
        const kept = save(next);
        show(next, kept ? "" : "(Not saved: this browser refuses storage.) ");
        root.querySelector<HTMLButtonElement>("button")?.focus();
      });
      row.appendChild(b);
    }
    box.appendChild(row);
    row.querySelector<HTMLButtonElement>("button")?.focus();
  });
}

show(load());
