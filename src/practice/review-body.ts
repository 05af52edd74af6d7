/**
 * The review page's content, as render writes it: every card of the deck, readable without any
 * script (each answer behind a <details>); the page script (review-app.ts, bundled as
 * assets/review.js) turns it into a spaced-repetition session.
 */
import { escapeHtml } from "../format.js";
import { CARDS } from "./cards.js";

export const REVIEW_PAGE = "review.html";

export function reviewBody(): string {
  const deck = CARDS.map(
    (c) => `<li data-card="${escapeHtml(c.id)}"><details><summary>${escapeHtml(c.front)}</summary><p>${escapeHtml(c.back)}</p></details></li>`,
  );
  return [
    `<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedMarkdown">`,
    `<h1 id="review">Review: flashcards</h1>`,
    `<p>The ideas worth knowing by heart, from every lesson: the local derivatives, the chain rule, the training loop, and the lecture's names for ours. ` +
      `Say the answer to yourself, then look. Cards you get wrong come back within minutes, cards you know come back after days, then weeks. ` +
      `What you answered is kept in this browser only.</p>`,
    `<div id="mg-review" class="mg-review" aria-live="polite"></div>`,
    `<h2 id="deck">The whole deck</h2>`,
    `<ol class="mg-deck">`,
    ...deck,
    `</ol>`,
    `</div></div>`,
  ].join("\n");
}
