/**
 * A progress view for a training loop that redraws in place in the notebook (or page): the
 * markup comes from viz/progress.ts, the in-place output from liveDisplay.
 */
import { type ProgressPoint, progressView } from "../viz/progress.js";
import { liveDisplay } from "./display.js";

export type { ProgressPoint } from "../viz/progress.js";

export interface TrainingProgressOptions {
  /** Number of steps the loop will run. */
  total: number;
  /** Redraw every this many steps (default: about 50 redraws in all); the first and last steps are always drawn. */
  every?: number;
  /**
   * At most one redraw per this many milliseconds (default 100): a fast loop is not slowed by
   * drawing its chart, as tqdm's `mininterval`. A redraw skipped for it is made once the loop
   * lets the kernel breathe (at the latest when the cell ends), so the view never stays behind.
   * 0: every `every` steps, whatever the time.
   */
  minInterval?: number;
  /** Where the time comes from, in milliseconds (default `performance.now`); tests pass a fake clock. */
  clock?: () => number;
}

export interface TrainingProgress {
  update(point: ProgressPoint): void;
  /** Draw the current state now (e.g. when training stopped early) and return its markup. */
  done(): string;
  readonly losses: readonly number[];
  readonly markup: string | undefined;
}

/**
 * A progress view for a training loop, updated in place: step n of N, loss, accuracy,
 * a progress bar and the loss so far. Its last state stays in the saved notebook.
 */
export function trainingProgress(options: TrainingProgressOptions): TrainingProgress {
  const { total } = options;
  if (!Number.isInteger(total) || total < 1) {
    throw new RangeError(`trainingProgress: total must be a positive whole number of steps, got ${total}`);
  }
  const every = options.every ?? Math.max(1, Math.round(total / 50));
  const { minInterval = 100, clock = () => performance.now() } = options;
  if (!(minInterval >= 0)) throw new RangeError(`trainingProgress: minInterval must be a number of milliseconds ≥ 0, got ${minInterval}`);
  const live = liveDisplay();
  const losses: number[] = [];
  let latest: ProgressPoint | undefined;
  let drawnAt = -Infinity;
  /** A redraw skipped for minInterval, made when the running code next yields. */
  let trailing: ReturnType<typeof setTimeout> | undefined;
  const draw = (): string => {
    if (trailing !== undefined) clearTimeout(trailing);
    trailing = undefined;
    const markup = progressView(total, latest, losses);
    live.update(markup, "html");
    drawnAt = clock();
    return markup;
  };
  return {
    update(point: ProgressPoint): void {
      const { step, loss } = point;
      if (!Number.isInteger(step) || step < 0 || step >= total) {
        throw new RangeError(`trainingProgress.update: step must be a whole number from 0 to ${total - 1}, got ${step}`);
      }
      if (typeof loss !== "number") throw new TypeError(`trainingProgress.update: loss at step ${step} is not a number (pass loss.data)`);
      losses.push(loss);
      latest = point;
      if (step === 0 || step === total - 1) draw();
      else if ((step + 1) % every !== 0) return;
      else if (clock() - drawnAt >= minInterval) draw();
      else trailing ??= setTimeout(draw, 0);
    },
    done: draw,
    get losses() {
      return losses;
    },
    get markup() {
      return live.last;
    },
  };
}

