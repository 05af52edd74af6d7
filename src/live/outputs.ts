/**
 * The outputs view of the live page: under each code cell, what its last run printed, showed,
 * returned (Out[n], Jupyter's execute_result) and threw (Jupyter's error output), in place of
 * the output rendered with the page. It only draws what it is told; it never talks to the kernel.
 *
 * Every piece of markup a cell shows goes through `sanitize` (sanitize.ts) first: the page's CSP
 * already refuses scripts, the sanitizer removes what a CSP lets through (a <meta> refresh, a
 * <style> that restyles the page, a link laid over it).
 */
import type { CellError, StreamName } from "./kernel.js";

export type Sanitize = (markup: string) => DocumentFragment;
export type MarkdownToHtml = (text: string) => string;

export interface OutputOptions {
  sanitize: Sanitize;
  /** The markdown renderer, loaded on first use (a fetch away): text is shown until it is there. */
  markdown: () => Promise<MarkdownToHtml>;
  /** A page-wide unique prefix for the ids inside each display (several SVGs on one page use clip-path ids). */
  uniqueIds?: (root: Element) => void;
}

export class Outputs {
  private readonly areas = new Map<number, HTMLElement>();
  /** Makes an output that overflows sideways reachable by keyboard (watched as it grows or the window resizes). */
  private scrollWatch: ResizeObserver | undefined;

  constructor(
    private readonly doc: Document,
    private readonly cells: Map<number, HTMLElement>,
    private readonly options: OutputOptions,
  ) {}

  area(cell: number): HTMLElement {
    let out = this.areas.get(cell);
    if (!out) {
      out = this.doc.createElement("div");
      out.className = "live-output";
      out.dataset.liveOutput = "";
      out.dataset.cell = String(cell);
      this.cells.get(cell)!.append(out);
      this.areas.set(cell, out);
      if (typeof ResizeObserver !== "undefined") {
        this.scrollWatch ??= new ResizeObserver((entries) => {
          for (const e of entries) keyboardScrollable(e.target as HTMLElement, `Output of cell ${Number((e.target as HTMLElement).dataset.cell) + 1}, scrolls sideways`);
        });
        this.scrollWatch.observe(out);
      }
    }
    return out;
  }

  /** A new run: nothing shown yet, and the output rendered with the page hidden. */
  clear(cell: number): void {
    const out = this.area(cell);
    out.replaceChildren();
    delete out.dataset.liveStatus;
    const wrapper = this.cells.get(cell)?.querySelector<HTMLElement>(".jp-Cell-outputWrapper");
    if (wrapper) wrapper.hidden = true;
  }

  finish(cell: number, status: "ok" | "error"): void {
    this.area(cell).dataset.liveStatus = status;
  }

  stream(cell: number, name: StreamName, text: string): void {
    const out = this.area(cell);
    const tail = out.querySelector(":scope > .live-dropped");
    const last = (tail ? tail.previousElementSibling : out.lastElementChild) as HTMLElement | null;
    if (last?.tagName === "PRE" && last.dataset.stream === name) {
      last.append(text); // a text node: no re-layout of what is there already
      return;
    }
    const pre = this.pre(name, text);
    if (tail) tail.before(pre);
    else out.append(pre);
  }

  /** The capped part of a long output: how much was left out, and the last lines. */
  tail(cell: number, text: string, droppedLines: number, droppedChars: number): void {
    const out = this.area(cell);
    let note = out.querySelector<HTMLElement>(":scope > .live-dropped");
    if (!note) {
      note = this.doc.createElement("p");
      note.className = "live-note live-dropped";
      note.dataset.liveNote = "dropped";
      out.append(note);
      out.append(this.pre("stdout", "", "tail"));
    }
    const lines = droppedLines === 1 ? "1 line" : `${droppedLines.toLocaleString("en-US")} lines`;
    note.firstChild?.remove();
    note.prepend(`… ${lines} (${droppedChars.toLocaleString("en-US")} characters) not shown: only the first and last lines are kept on the page.`);
    (note.nextElementSibling as HTMLElement).textContent = text;
  }

  /** The whole output of a capped cell, offered as a file. */
  offerFull(cell: number, file: Blob): void {
    const note = this.area(cell).querySelector<HTMLElement>(":scope > .live-dropped");
    if (!note || note.querySelector("button")) return;
    const button = this.doc.createElement("button");
    button.type = "button";
    button.textContent = "Download the whole output";
    button.dataset.liveFullOutput = "";
    button.addEventListener("click", () => {
      const url = URL.createObjectURL(file);
      const a = this.doc.createElement("a");
      a.href = url;
      a.download = `cell-${cell + 1}-output.txt`;
      this.doc.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
    note.append(" ", button);
  }

  /** Jupyter's execute_result: the cell's last value, with its Out[n] prompt. */
  result(cell: number, text: string, count: number | undefined): void {
    const box = this.doc.createElement("div");
    box.className = "live-result";
    box.dataset.liveResult = "";
    const prompt = this.doc.createElement("div");
    prompt.className = "live-out-prompt";
    prompt.textContent = count === undefined ? "Out:" : `Out[${count}]:`;
    const pre = this.doc.createElement("pre");
    pre.className = "live-stream";
    pre.textContent = text;
    box.append(prompt, pre);
    this.area(cell).append(box);
  }

  /** Jupyter's error output: `ename: evalue`, then the traceback lines. */
  error(cell: number, error: Pick<CellError, "name" | "message" | "traceback">): void {
    const pre = this.doc.createElement("pre");
    pre.className = "live-stream live-stderr live-error";
    pre.dataset.liveError = error.name;
    pre.textContent = error.traceback.join("\n");
    this.area(cell).append(pre);
  }

  /** A sentence from the page about this cell (not output of the cell's code). */
  note(cell: number, kind: string, text: string, ...actions: HTMLElement[]): HTMLElement {
    const note = this.doc.createElement("p");
    note.className = "live-note";
    note.dataset.liveNote = kind;
    note.textContent = text;
    for (const a of actions) note.append(" ", a);
    this.area(cell).append(note);
    return note;
  }

  display(cell: number, kind: "html" | "svg" | "markdown", markup: string, id?: string): void {
    const out = this.area(cell);
    let el = id ? [...out.querySelectorAll<HTMLElement>("[data-display-id]")].find((e) => e.dataset.displayId === id) : undefined;
    if (!el) {
      el = this.doc.createElement("div");
      el.className = "live-display";
      if (id) el.dataset.displayId = id;
      const tail = out.querySelector(":scope > .live-dropped");
      if (tail) tail.before(el);
      else out.append(el);
    }
    const target = el;
    if (kind === "markdown") {
      // Shown as text until the renderer is loaded (it is, the first time, a fetch away).
      target.classList.add("live-markdown");
      target.textContent = markup;
      this.options.markdown().then(
        (toHtml) => {
          if (target.textContent === markup) this.fill(target, toHtml(markup));
        },
        () => {}, // left as text
      );
    } else {
      this.fill(target, markup);
    }
  }

  private fill(target: HTMLElement, markup: string): void {
    const fragment = this.options.sanitize(markup);
    this.options.uniqueIds?.(fragment as unknown as Element);
    target.replaceChildren(fragment);
  }

  private pre(name: StreamName, text: string, role?: "tail"): HTMLElement {
    const pre = this.doc.createElement("pre");
    pre.className = `live-stream live-${name}`;
    pre.dataset.stream = role ?? name;
    pre.textContent = text;
    return pre;
  }
}

/**
 * A box that scrolls sideways (a wide chart or stepper) must be reachable by keyboard to be
 * scrolled: focusable, as a named region, while it overflows; left alone otherwise.
 */
export function keyboardScrollable(el: HTMLElement, label: string): void {
  const overflows = el.scrollWidth > el.clientWidth + 1;
  if (overflows && !el.hasAttribute("tabindex")) {
    el.tabIndex = 0;
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", label);
  } else if (!overflows && el.hasAttribute("tabindex")) {
    for (const a of ["tabindex", "role", "aria-label"]) el.removeAttribute(a);
  }
}
