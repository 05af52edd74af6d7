/**
 * The live page: makes a lesson page runnable. This is the only script a lesson page loads; it
 * adds Run controls and nothing else until a cell is run. Then it starts the worker kernel
 * (worker.ts, with the compiler and the library), fetches the notebook for the cells' exact
 * sources, and shows each cell's output in place of the pre-rendered one.
 *
 * Reading stays as it was: without JavaScript, and from file:// (where browsers refuse workers
 * and fetch), this script changes nothing.
 *
 * The contract scripts and tests rely on (see docs):
 * - `#run-all` runs every code cell on load; `#exercise` swaps each solution for the learner's
 *   stub (the copy `npm run exercises` writes); `#exercise&run-all` does both;
 * - <html data-live> is "running", then "done" (no cell failed) or "failed";
 * - each code cell (`.jp-CodeCell[data-cell]`) gets an output element with `data-live-output`,
 *   `data-cell` and, once it ran, `data-live-status` "ok" or "error"; its Run button carries
 *   `data-live-run`.
 */
import type { FromWorker, ToWorker } from "./protocol.js";

type State = "queued" | "running" | "ok" | "error";

interface NotebookJson {
  cells: { cell_type: string; source: string | string[]; metadata?: { nbgrader?: { solution?: boolean; grade?: boolean } } }[];
}

const here = (document.currentScript as HTMLScriptElement | null)?.src ?? location.href;

function start(): void {
  const root = document.documentElement;
  const notebook = root.dataset.notebook;
  if (!notebook || location.protocol === "file:" || typeof Worker === "undefined") return;
  const cells = new Map<number, HTMLElement>();
  for (const el of Array.from(document.querySelectorAll<HTMLElement>(".jp-CodeCell[data-cell]"))) cells.set(Number(el.dataset.cell), el);
  if (cells.size === 0) return;
  const flags = new Set(location.hash.replace(/^#/, "").split("&"));
  const stylesheet = document.createElement("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = new URL("live.css", here).href;
  document.head.append(stylesheet);
  const page = new LivePage(root, cells, flags.has("exercise"));
  window.addEventListener("hashchange", () => {
    const now = new Set(location.hash.replace(/^#/, "").split("&"));
    if (now.has("exercise") !== flags.has("exercise")) location.reload(); // another notebook: start clean
    else if (now.has("run-all")) void page.runAll();
  });
  if (flags.has("run-all")) void page.runAll();
}

class LivePage {
  private worker: Worker | undefined;
  private sources: Promise<string[]> | undefined;
  private readonly queue: number[] = [];
  private running: number | undefined;
  /** Cells run by the current worker (its scope holds what they declared). */
  private readonly ran = new Set<number>();
  private failed = false;
  private count = 0;
  private readonly outputs = new Map<number, HTMLElement>();
  private readonly status: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly cells: Map<number, HTMLElement>,
    private readonly exercise: boolean,
  ) {
    this.status = this.toolbar();
    for (const [index, cell] of cells) this.cellBar(index, cell);
    if (exercise) void this.showStubs();
  }

  /** Run every code cell in order; a failing cell does not stop the others (as `npm run check`). */
  async runAll(): Promise<void> {
    this.enqueue([...this.cells.keys()].sort((a, b) => a - b));
  }

  /** Run a cell, after the cells above it that this kernel has not run yet. */
  runCell(index: number): void {
    const before = [...this.cells.keys()].filter((i) => i < index && !this.ran.has(i)).sort((a, b) => a - b);
    this.enqueue([...before, index]);
  }

  stop(): void {
    if (!this.worker) return;
    const running = this.running;
    this.reset();
    if (running !== undefined) {
      this.appendText(running, "stderr", "Stopped. The kernel was restarted, so the lesson's variables are gone: run a cell to start again (the cells above it run first).\n");
      this.finishCell(running, "error");
    }
    this.root.dataset.live = "failed";
    this.say("Stopped: the kernel was restarted.");
  }

  restart(): void {
    this.reset();
    for (const [index] of this.cells) this.setState(index, undefined);
    delete this.root.dataset.live;
    this.say("Restarted: a fresh kernel starts with the next run.");
  }

  private reset(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.running = undefined;
    for (const i of this.queue.splice(0)) this.setState(i, undefined);
    this.ran.clear();
  }

  private enqueue(indices: number[]): void {
    if (this.running === undefined && this.queue.length === 0) this.failed = false;
    for (const i of indices) {
      if (this.queue.includes(i) || this.running === i) continue;
      this.queue.push(i);
      this.setState(i, "queued");
    }
    this.root.dataset.live = "running";
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running !== undefined) return;
    const next = this.queue.shift();
    if (next === undefined) {
      this.root.dataset.live = this.failed ? "failed" : "done";
      this.say(this.failed ? "Finished, with errors: see the cells marked error." : "All cells ran.");
      return;
    }
    this.running = next;
    this.setState(next, "running");
    this.say(`Running cell ${next}…`);
    this.clearOutput(next);
    let source: string;
    try {
      source = (await this.loadSources())[next] ?? "";
    } catch (e) {
      this.appendText(next, "stderr", `${(e as Error).message}\n`);
      this.running = undefined;
      this.finishCell(next, "error");
      return this.pump();
    }
    if (this.running !== next) return; // stopped while the notebook loaded
    const message: ToWorker = { type: "run", cell: next, source };
    this.kernel().postMessage(message);
  }

  private kernel(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("worker.js", here), { type: "module", name: "micrograd-ts kernel" });
    worker.addEventListener("message", (e: MessageEvent<FromWorker>) => this.receive(e.data));
    worker.addEventListener("error", (e) => {
      e.preventDefault();
      const cell = this.running;
      if (cell === undefined) return;
      this.appendText(cell, "stderr", `The live kernel failed: ${e.message || "it could not be loaded"}\n`);
      this.reset();
      this.finishCell(cell, "error");
      void this.pump();
    });
    this.worker = worker;
    return worker;
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case "stream":
        if (m.cell >= 0) this.appendText(m.cell, m.name, m.text);
        break;
      case "display":
        this.display(m.cell, m.kind, m.markup, m.id);
        break;
      case "done":
        if (m.cell !== this.running) return;
        this.running = undefined;
        this.ran.add(m.cell);
        this.finishCell(m.cell, m.status);
        void this.pump();
        break;
    }
  }

  private finishCell(index: number, status: "ok" | "error"): void {
    if (status === "error") this.failed = true;
    this.output(index).dataset.liveStatus = status;
    this.setState(index, status);
    const prompt = this.cells.get(index)?.querySelector(".jp-InputPrompt");
    if (prompt) prompt.textContent = `In [${++this.count}]:`;
  }

  private loadSources(): Promise<string[]> {
    this.sources ??= this.fetchNotebook(this.exercise ? "exercises" : "notebook").then((nb) =>
      nb.cells.map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source)),
    );
    this.sources.catch(() => (this.sources = undefined)); // try again on the next run
    return this.sources;
  }

  private async fetchNotebook(which: "notebook" | "exercises"): Promise<NotebookJson> {
    const url = this.root.dataset[which];
    if (!url) throw new Error(`This page names no ${which} file (data-${which} on <html>).`);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`Could not load ${url}: ${response.status} ${response.statusText}`);
    return (await response.json()) as NotebookJson;
  }

  /** Exercise mode: each solution cell shows the learner's stub, and no graded cell shows the lesson's output. */
  private async showStubs(): Promise<void> {
    let stubs: string[];
    let lesson: NotebookJson;
    try {
      stubs = await this.loadSources();
      lesson = await this.fetchNotebook("notebook");
    } catch (e) {
      this.say(`Exercise mode is not available: ${(e as Error).message}`);
      return;
    }
    for (const [index, cell] of this.cells) {
      const grader = lesson.cells[index]?.metadata?.nbgrader;
      if (!grader?.solution && !grader?.grade) continue;
      cell.classList.add("live-exercise");
      const wrapper = cell.querySelector<HTMLElement>(".jp-Cell-outputWrapper");
      if (wrapper) wrapper.hidden = true;
      const pre = cell.querySelector<HTMLElement>(".jp-InputArea-editor pre");
      if (grader.solution && pre && stubs[index] !== undefined) pre.textContent = stubs[index];
    }
  }

  private output(index: number): HTMLElement {
    let out = this.outputs.get(index);
    if (!out) {
      out = document.createElement("div");
      out.className = "live-output";
      out.dataset.liveOutput = "";
      out.dataset.cell = String(index);
      this.cells.get(index)!.append(out);
      this.outputs.set(index, out);
    }
    return out;
  }

  private clearOutput(index: number): void {
    const out = this.output(index);
    out.replaceChildren();
    delete out.dataset.liveStatus;
    const wrapper = this.cells.get(index)?.querySelector<HTMLElement>(".jp-Cell-outputWrapper");
    if (wrapper) wrapper.hidden = true; // the live output replaces the one rendered with the page
  }

  private appendText(index: number, name: "stdout" | "stderr", text: string): void {
    const out = this.output(index);
    const last = out.lastElementChild as HTMLElement | null;
    if (last?.tagName === "PRE" && last.dataset.stream === name) {
      last.textContent += text;
      return;
    }
    const pre = document.createElement("pre");
    pre.className = `live-stream live-${name}`;
    pre.dataset.stream = name;
    pre.textContent = text;
    out.append(pre);
  }

  private display(index: number, kind: "html" | "svg" | "markdown", markup: string, id?: string): void {
    const out = this.output(index);
    let el = id ? out.querySelector<HTMLElement>(`[data-display-id="${id}"]`) : null;
    if (!el) {
      el = document.createElement("div");
      el.className = "live-display";
      if (id) el.dataset.displayId = id;
      out.append(el);
    }
    if (kind === "markdown") {
      const pre = document.createElement("pre");
      pre.textContent = markup;
      el.replaceChildren(pre);
    } else {
      el.innerHTML = markup; // the lesson's own charts and ✓ lines; the page's CSP runs no script in them
    }
  }

  private setState(index: number, state: State | undefined): void {
    const cell = this.cells.get(index);
    if (!cell) return;
    if (state) cell.dataset.liveState = state;
    else delete cell.dataset.liveState;
    const label = cell.querySelector(".live-cell-status");
    if (label) label.textContent = state ? { queued: "queued", running: "running…", ok: "done", error: "error" }[state] : "";
  }

  private say(text: string): void {
    this.status.textContent = text;
  }

  private toolbar(): HTMLElement {
    const bar = document.createElement("div");
    bar.className = "live-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Run this lesson");
    const button = (label: string, title: string, action: () => void, data: string) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.title = title;
      b.setAttribute(`data-live-${data}`, "");
      b.addEventListener("click", action);
      return b;
    };
    const mode = document.createElement("a");
    mode.href = this.exercise ? "#" : "#exercise";
    mode.textContent = this.exercise ? "Show the solutions" : "Try the exercises";
    mode.className = "live-mode";
    const status = document.createElement("span");
    status.className = "live-status";
    status.setAttribute("role", "status");
    status.textContent = this.exercise
      ? "Exercise mode: each solution is replaced by a stub for you to fill in. Runs in your browser."
      : "This lesson runs in your browser: press Run on a cell, or Run all.";
    bar.append(
      button("▶▶ Run all", "Run every code cell, top to bottom", () => void this.runAll(), "run-all"),
      button("■ Stop", "Stop the running cell (this restarts the kernel)", () => this.stop(), "stop"),
      button("↻ Restart", "Start again with a fresh kernel", () => this.restart(), "restart"),
      mode,
      status,
    );
    const nav = document.querySelector(".site-nav");
    if (nav) nav.after(bar);
    else document.body.prepend(bar);
    return status;
  }

  private cellBar(index: number, cell: HTMLElement): void {
    const bar = document.createElement("div");
    bar.className = "live-cell-bar";
    const run = document.createElement("button");
    run.type = "button";
    run.textContent = "▶ Run";
    run.dataset.liveRun = "";
    run.setAttribute("aria-label", `Run cell ${index} (and the cells above it not run yet)`);
    run.addEventListener("click", () => this.runCell(index));
    const label = document.createElement("span");
    label.className = "live-cell-status";
    bar.append(run, label);
    cell.prepend(bar);
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
