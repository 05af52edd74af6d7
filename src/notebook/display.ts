/**
 * Showing markup in a notebook.
 *
 * Inside a tslab kernel, `show` hands SVG, HTML or markdown to Jupyter. Anywhere else
 * (plain Node, vitest, scripts) it returns the markup instead, so the same code runs in
 * both places. tslab's own `display` throws "Not ready" outside a kernel, and loading
 * tslab pulls in a whole TypeScript compiler, so tslab is only touched when the kernel
 * has already loaded it.
 */
import { lossCurve } from "../viz/loss-curve.js";

export type Kind = "html" | "svg" | "markdown";

/** The part of tslab's `Display` used here. */
export interface DisplaySink {
  html(s: string): void;
  svg(s: string): void;
  markdown(s: string): void;
}

/** What `show` and `liveDisplay` talk to: tslab's `display` and `newDisplay`. */
export interface DisplayBackend {
  display: DisplaySink;
  newDisplay(): DisplaySink;
}

/** undefined: look for tslab; null: act as outside a kernel; else: use this backend. */
let override: DisplayBackend | null | undefined;

/**
 * Replace the display backend (tests, other front-ends). `null` forces "outside a
 * kernel"; `undefined` goes back to detecting tslab.
 */
export function useDisplayBackend(backend: DisplayBackend | null | undefined): void {
  override = backend;
}

/** tslab's display functions if this process is a running tslab kernel, else undefined. */
function kernel(): DisplayBackend | undefined {
  if (override !== undefined) return override ?? undefined;
  // Under ESM (vitest) there is no `require`, and no kernel either.
  if (typeof require !== "function" || require.cache === undefined) return undefined;
  const running = Object.keys(require.cache).some((k) => /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(k));
  if (!running) return undefined;
  try {
    return require("tslab") as DisplayBackend;
  } catch {
    return undefined;
  }
}

/**
 * How to send markup when the caller does not say: HTML if it starts with a tag, markdown
 * otherwise. SVG goes out as HTML too: nbconvert's HTML export sanitizes image/svg+xml
 * outputs down to their bare text, while inline <svg> inside text/html survives, and
 * Jupyter draws both the same. Ask for "svg" explicitly to get image/svg+xml.
 */
export function kindOf(markup: string): Kind {
  return markup.trimStart().startsWith("<") ? "html" : "markdown";
}

/** Hand markup to a display; false if there is no kernel to show it in. */
function send(sink: DisplaySink, markup: string, kind: Kind): boolean {
  try {
    sink[kind](markup);
    return true;
  } catch (e) {
    if (e instanceof Error && e.message === "Not ready") return false;
    throw e;
  }
}

function checkMarkup(x: unknown, where: string): string {
  if (typeof x === "string") return x;
  throw new TypeError(`${where}: expected markup (a string) or a Promise of one, got ${x === null ? "null" : typeof x}`);
}

/**
 * Display SVG, HTML or markdown. In a kernel the output appears under the cell and
 * nothing is returned (so tslab does not also print the markup as text); outside a
 * kernel the markup is returned.
 *
 * A Promise is accepted too. Write `show(await drawGraph(L))` (or `await show(drawGraph(L))`):
 * then the cell waits for the drawing, and its output stays in that cell. Without the
 * `await` the cell ends first; tslab prints what `show` returned, which says so.
 * Outside a kernel it returns a Promise of the markup.
 */
export function show(x: string, kind?: Kind): string | undefined;
export function show(x: Promise<string>, kind?: Kind): Promise<string | undefined>;
export function show(x: string | Promise<string>, kind?: Kind): string | Promise<string | undefined> | undefined;
export function show(x: string | Promise<string>, kind?: Kind): string | Promise<string | undefined> | undefined {
  if (!(x instanceof Promise)) return showNow(checkMarkup(x, "show"), kind);
  const shown = x.then((markup) => showNow(checkMarkup(markup, "show"), kind));
  if (!kernel()) return shown;
  // In a kernel, report a failure (e.g. a graph over maxNodes) on stderr, where tslab shows
  // errors, even when nobody awaits; `await show(…)` still waits and still sees the error.
  shown.catch((e: unknown) => console.error(e));
  const waited = shown.then(() => undefined, () => undefined);
  // tslab prints a cell's last value; for a forgotten await, make that print a hint.
  Object.defineProperty(waited, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => "(drawing… it appears when ready; write show(await …) so the cell waits for it)",
  });
  return waited;
}

function showNow(markup: string, kind: Kind = kindOf(markup)): string | undefined {
  const k = kernel();
  return k && send(k.display, markup, kind) ? undefined : markup;
}

/** One output that can be replaced in place (for progress views). */
export interface LiveDisplay {
  /** Replace what the output shows. */
  update(markup: string, kind?: Kind): void;
  /** The markup shown last (also outside a kernel, where nothing is displayed). */
  readonly last: string | undefined;
}

/** An output area that `update` overwrites instead of appending to (tslab's `newDisplay`). */
export function liveDisplay(): LiveDisplay {
  let sink: DisplaySink | undefined;
  let last: string | undefined;
  return {
    update(markup: string, kind?: Kind): void {
      last = checkMarkup(markup, "liveDisplay.update");
      const k = kernel();
      if (!k) return;
      // Created on first use, so an output only appears once there is something in it.
      sink ??= k.newDisplay();
      send(sink, last, kind ?? kindOf(last));
    },
    get last() {
      return last;
    },
  };
}

export interface TrainingProgressOptions {
  /** Number of steps the loop will run. */
  total: number;
  /** Redraw every this many steps (default: about 50 redraws in all); the last step is always drawn. */
  every?: number;
}

export interface ProgressPoint {
  /** The loop index, from 0 to total − 1. */
  step: number;
  loss: number;
  /** Fraction of correct predictions, 0 to 1. */
  accuracy?: number;
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
  const live = liveDisplay();
  const losses: number[] = [];
  let latest: ProgressPoint | undefined;
  const draw = (): string => {
    const markup = progressHtml(total, latest, losses);
    live.update(markup, "html");
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
      if (step === 0 || (step + 1) % every === 0 || step === total - 1) draw();
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

function progressHtml(total: number, p: ProgressPoint | undefined, losses: number[]): string {
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
    `<div style="background:#e8e8e8;border-radius:3px;height:6px;margin:3px 0 6px" role="progressbar" aria-valuemin="0" aria-valuemax="${total}" aria-valuenow="${done}">`,
    `<div style="background:#0072B2;border-radius:3px;height:6px;width:${percent}%"></div></div>`,
    chart,
    `</div>`,
  ].join("\n");
}
