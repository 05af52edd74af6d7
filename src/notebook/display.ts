/**
 * Showing markup in a notebook.
 *
 * Inside a tslab kernel, `show` hands SVG, HTML or markdown to Jupyter. Anywhere else
 * (plain Node, vitest, scripts) it returns the markup instead, so the same code runs in
 * both places. tslab's own `display` throws "Not ready" outside a kernel, and loading
 * tslab pulls in a whole TypeScript compiler, so tslab is only touched when the kernel
 * has already loaded it.
 */
export type Kind = "html" | "svg" | "markdown";

/** The part of tslab's `Display` used here. */
export interface DisplaySink {
  html(s: string): void;
  svg(s: string): void;
  markdown(s: string): void;
  /** Any mime type (tslab has it; a page that loads its own scripts may not). */
  raw?(contentType: string, s: string): void;
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
  return awaitable(shown);
}

/**
 * In a kernel: a Promise that fails the cell when it is awaited and the drawing failed (e.g. a
 * graph over maxNodes). When nobody awaits it, the failure is printed on stderr instead, where
 * tslab shows errors (and the runner fails the cell whose output came late), never swallowed.
 */
function awaitable(shown: Promise<string | undefined>): Promise<undefined> {
  let awaited = false;
  const done = shown.then(() => undefined);
  done.catch((e: unknown) => {
    if (!awaited) console.error(e);
  });
  const waited = {
    then<A = undefined, B = never>(ok?: ((v: undefined) => A | PromiseLike<A>) | null, fail?: ((e: unknown) => B | PromiseLike<B>) | null) {
      awaited = true;
      return done.then(ok, fail);
    },
  };
  const result = Object.setPrototypeOf(waited, Promise.prototype) as Promise<undefined>;
  // tslab prints a cell's last value; for a forgotten await, make that print a hint.
  Object.defineProperty(result, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => "(drawing… it appears when ready; write show(await …) so the cell waits for it)",
  });
  return result;
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

/**
 * Show an interactive widget: its markup, then the script that brings it to life, as a separate
 * application/javascript output, which Jupyter runs and the course site's template drops (the site
 * loads the same script as one of its own files, since its pages run no inline script). Where the
 * display has no javascript (the live page, which loads the site's scripts), only the markup goes.
 * Outside a kernel the markup is returned.
 */
export function showWidget(markup: string, script: () => string): string | undefined {
  const k = kernel();
  if (!k || !send(k.display, markup, "html")) return markup;
  // application/javascript, the standard type (tslab's own javascript() says text/javascript).
  // The script is read only then: where there is no file system (the live page) it is not needed.
  if (typeof k.display.raw === "function") k.display.raw("application/javascript", script());
  return undefined;
}
