/**
 * The training-progress picture: step n of N, loss, accuracy, a progress bar and the loss so far.
 * Pure markup; notebook/training-progress.ts shows it in place as training goes.
 */
import { lossCurve } from "./loss-curve.js";

export interface ProgressPoint {
  /** The loop index, from 0 to total − 1. */
  step: number;
  loss: number;
  /** Fraction of correct predictions, 0 to 1. */
  accuracy?: number;
}

/** The progress of `total` steps at `p` (undefined: not started), with the losses seen so far. */
export function progressView(total: number, p: ProgressPoint | undefined, losses: readonly number[]): string {
  const done = p ? p.step + 1 : 0;
  const parts = [`<b>step ${done} of ${total}</b>`];
  if (p) parts.push(`loss ${p.loss.toFixed(4)}`);
  if (p?.accuracy !== undefined) parts.push(`accuracy ${(100 * p.accuracy).toFixed(1)}%`);
  const percent = ((100 * done) / total).toFixed(1);
  const finite = losses.filter(Number.isFinite);
  const chart = finite.length > 0 ? lossCurve(finite, { width: 420, height: 180 }) : "";
  return [
    `<div class="mg-progress" style="font:13px/1.5 system-ui,sans-serif;color:#222;max-width:420px">`,
    `<div>${parts.join(" · ")}</div>`,
    `<div style="background:#e8e8e8;border-radius:3px;height:6px;margin:3px 0 6px" role="progressbar" aria-label="training steps done" aria-valuemin="0" aria-valuemax="${total}" aria-valuenow="${done}">`,
    `<div style="background:#0072B2;border-radius:3px;height:6px;width:${percent}%"></div></div>`,
    chart,
    `</div>`,
  ].join("\n");
}
