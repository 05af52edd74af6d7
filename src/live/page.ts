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
 *
 * Grading in the page is the lesson's, as in `npm run check` (ipynb/submission.ts): a check cell
 * (`data-exercise="check"`) always runs the lesson's code and can't be edited, it calls the
 * library's real check helpers whatever an answer cell assigned to them (the worker binds them),
 * and an answer cell that redefines one is told so.
 */
import { isCheckCell } from "../ipynb/nbgrader.js";
import { type Notebook, sourceText } from "../ipynb/notebook.js";
import { reassignedHelpers, stubbedCell } from "../ipynb/submission.js";
import type { FromWorker, ToWorker } from "./protocol.js";

type State = "queued" | "running" | "ok" | "error";

/** What a code cell is to the exercises, as render marked it (data-exercise). */
type Role = "answer" | "check" | undefined;

/** The lesson's code of each cell, and the learner's stub of each answer cell. */
interface Texts {
  lesson: string[];
  stubs: Map<number, string>;
  /** What exercise mode shows of each check cell: the lesson's code without its hidden tests. */
  visible: Map<number, string>;
}

type EditorModule = typeof import("./editor.js");
type MarkdownModule = typeof import("./markdown.js");
type CellEditor = import("./editor.js").CellEditor;

/** A learner's edit, saved per page, mode and cell; `base` is the hash of the cell it was made on. */
interface SavedEdit {
  base: string;
  text: string;
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
  private sources: Promise<Texts> | undefined;
  /** The same, once loaded. */
  private sourcesNow: Texts | undefined;
  private readonly queue: number[] = [];
  private running: number | undefined;
  /** The nonce of the check cell running now (its `done` must carry it), else undefined. */
  private nonce: string | undefined;
  /** Cells run by the current worker (its scope holds what they declared). */
  private readonly ran = new Set<number>();
  private failed = false;
  private count = 0;
  private readonly outputs = new Map<number, HTMLElement>();
  /** Makes an output that overflows sideways reachable by keyboard (watched as it grows or the window resizes). */
  private scrollWatch: ResizeObserver | undefined;
  private readonly status: HTMLElement;
  private readonly score: HTMLElement;
  /** The lesson the page shows (solutions in), fetched on first use: the source of truth for grading. */
  private lesson: Promise<Notebook> | undefined;
  private markdown: Promise<MarkdownModule> | undefined;
  private readonly editors = new Map<number, CellEditor>();
  private editorsLoading: Promise<void> | undefined;
  /** The text each cell runs: the notebook's, or the learner's edit. */
  private readonly texts = new Map<number, string>();
  private readonly results = new Map<number, "ok" | "error">();
  /** The text each cell had when it last ran. */
  private readonly ranText = new Map<number, string>();

  constructor(
    private readonly root: HTMLElement,
    private readonly cells: Map<number, HTMLElement>,
    private readonly exercise: boolean,
  ) {
    [this.status, this.score] = this.toolbar();
    for (const [index, cell] of cells) this.cellBar(index, cell);
    if (exercise) void this.showStubs();
    // An exercise needs an editor; so does a page the learner edited before (show their text).
    if (exercise || this.savedKeys().length > 0) void this.loadEditors();
  }

  /** Run every code cell in order; a failing cell does not stop the others (as `npm run check`). */
  async runAll(): Promise<void> {
    this.enqueue([...this.cells.keys()].sort((a, b) => a - b));
  }

  /** Run a cell, after the cells above it that this kernel has not run yet, or that changed since they ran. */
  runCell(index: number): void {
    const stale = (i: number) => !this.ran.has(i) || (this.ranText.has(i) && this.ranText.get(i) !== this.currentText(i));
    const before = [...this.cells.keys()].filter((i) => i < index && stale(i)).sort((a, b) => a - b);
    this.enqueue([...before, index]);
  }

  private currentText(index: number): string | undefined {
    return this.editors.get(index)?.text() ?? this.texts.get(index);
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
    this.ranText.clear();
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
      source = await this.sourceOf(next);
    } catch (e) {
      this.appendText(next, "stderr", `${(e as Error).message}\n`);
      this.running = undefined;
      this.finishCell(next, "error");
      return this.pump();
    }
    if (this.running !== next) return; // stopped while the notebook loaded
    this.ranText.set(next, source);
    const role = this.role(next);
    if (role === "answer") this.noteReassigned(next, source);
    // A check cell's result counts only with this nonce, which no cell's code sees (worker.ts).
    this.nonce = role === "check" ? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("") : undefined;
    const message: ToWorker = { type: "run", cell: next, source, ...(role === "check" ? { check: true, nonce: this.nonce } : {}) };
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
        if (m.nonce !== this.nonce) return; // posted by a cell's code, not by the worker's kernel
        this.running = undefined;
        this.ran.add(m.cell);
        this.finishCell(m.cell, m.status);
        void this.pump();
        break;
    }
  }

  private finishCell(index: number, status: "ok" | "error"): void {
    if (status === "error") this.failed = true;
    this.results.set(index, status);
    void this.updateScore();
    this.output(index).dataset.liveStatus = status;
    this.setState(index, status);
    const prompt = this.cells.get(index)?.querySelector(".jp-InputPrompt");
    if (prompt) prompt.textContent = `In [${++this.count}]:`;
  }

  private loadLesson(): Promise<Notebook> {
    this.lesson ??= this.fetchNotebook("notebook");
    this.lesson.catch(() => (this.lesson = undefined)); // try again on the next run
    return this.lesson;
  }

  /** The lesson's code and each answer cell's stub (the learner copy `npm run exercises` writes). */
  private loadSources(): Promise<Texts> {
    this.sources ??= this.loadLesson().then((nb) => {
      const stubs = new Map<number, string>();
      const visible = new Map<number, string>();
      for (const i of this.cells.keys()) {
        const cell = nb.cells[i];
        if (cell && this.role(i) === "answer") stubs.set(i, sourceText(stubbedCell(cell)));
        if (cell && this.role(i) === "check") visible.set(i, sourceText(stubbedCell(cell)));
      }
      this.sourcesNow = { lesson: nb.cells.map((c) => sourceText(c)), stubs, visible };
      return this.sourcesNow;
    });
    this.sources.catch(() => (this.sources = undefined));
    return this.sources;
  }

  private role(index: number): Role {
    const role = this.cells.get(index)?.dataset.exercise;
    return role === "answer" || role === "check" ? role : undefined;
  }

  /** The text a cell starts from in this mode: the stub of an answer cell in exercise mode, else the lesson's. */
  private baseOf(texts: Texts, index: number): string {
    return (this.exercise ? texts.stubs.get(index) : undefined) ?? texts.lesson[index] ?? "";
  }

  /** What a cell runs: a check cell always the lesson's code; any other the learner's text if they edited it. */
  private async sourceOf(index: number): Promise<string> {
    const texts = await this.loadSources();
    if (this.role(index) === "check") return texts.lesson[index] ?? "";
    const base = this.baseOf(texts, index);
    return this.editors.get(index)?.text() ?? this.texts.get(index) ?? this.savedText(index, base) ?? base;
  }

  /** An answer cell that assigns to check, checkGrads, … is told that the checks won't use its version. */
  private noteReassigned(index: number, source: string): void {
    const names = reassignedHelpers(source);
    if (names.length === 0) return;
    const note = document.createElement("p");
    note.className = "live-note";
    note.dataset.liveNote = "reassigned";
    note.textContent = `This cell redefines ${names.join(", ")}, which the check cells use: they call the real ${names.length === 1 ? "one" : "ones"} from micrograd-ts, so this changes no grade.`;
    this.output(index).append(note);
  }

  // ---- editing: CodeMirror, loaded on the first edit or run --------------------------------

  private loadEditors(): Promise<void> {
    this.editorsLoading ??= (async () => {
      const [texts, module] = await Promise.all([
        this.loadSources(),
        import(/* @vite-ignore */ new URL("editor.js", here).href) as Promise<EditorModule>,
      ]);
      for (const [index, cell] of this.cells) this.attachEditor(module, index, cell, texts);
    })();
    this.editorsLoading.catch((e: unknown) => {
      this.editorsLoading = undefined;
      this.say(`The editor could not be loaded: ${(e as Error).message}`);
    });
    return this.editorsLoading;
  }

  private attachEditor(module: EditorModule, index: number, cell: HTMLElement, texts: Texts): void {
    const host = cell.querySelector<HTMLElement>(".jp-InputArea-editor");
    if (!host) return;
    const base = this.baseOf(texts, index);
    const check = this.role(index) === "check";
    // A check cell is the lesson's, always: an edit saved for it (by an older page) is not applied.
    const saved = check ? undefined : this.saved(index);
    if (check && this.saved(index)) {
      const note = document.createElement("p");
      note.className = "live-stale";
      note.textContent = "An edit you made to this check cell earlier is kept in this browser, but not used: check cells run the lesson's code, as npm run check does.";
      cell.querySelector(".live-cell-bar")?.after(note);
    }
    let text = base;
    if (saved && saved.base === hash(base)) text = saved.text;
    else if (saved) this.staleNotice(index, cell, saved);
    this.texts.set(index, text);
    host.replaceChildren();
    host.classList.add("live-editor");
    for (const a of ["tabindex", "role", "aria-label"]) host.removeAttribute(a); // the editor itself takes focus now
    const editor = module.createEditor(host, text, {
      label: check ? `Code of check cell ${index} (read-only: checks run the lesson's code)` : `Code of cell ${index}`,
      readOnly: check,
      onChange: (t) => this.edited(index, base, t),
      onRun: () => {
        this.runCell(index);
        this.focusNext(index);
      },
    });
    this.editors.set(index, editor);
    this.markEdited(index, text, base);
  }

  private focusNext(index: number): void {
    const next = [...this.cells.keys()].sort((a, b) => a - b).find((i) => i > index);
    if (next !== undefined) this.editors.get(next)?.focus();
  }

  private edited(index: number, base: string, text: string): void {
    if (this.role(index) === "check") return;
    this.texts.set(index, text);
    const key = this.key(index);
    try {
      if (text === base) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify({ base: hash(base), text } satisfies SavedEdit));
    } catch {
      this.say("Your browser refused to save the edit (storage full or disabled): download the notebook to keep it.");
    }
    this.markEdited(index, text, base);
  }

  /** The edited mark, and on an answer cell the one of "try it yourself" / "show the solution" that applies. */
  private markEdited(index: number, text: string, base: string): void {
    const cell = this.cells.get(index);
    if (!cell) return;
    const edited = text !== base;
    cell.classList.toggle("live-edited", edited);
    const mark = cell.querySelector<HTMLElement>(".live-edited-mark");
    const stub = this.sourcesNow?.stubs.get(index);
    const solution = this.sourcesNow?.lesson[index];
    if (mark) {
      mark.hidden = !edited;
      mark.textContent = text === stub ? "your turn: the stub" : text === solution ? "the solution" : "edited";
    }
    const tryIt = cell.querySelector<HTMLElement>("[data-live-try]");
    const show = cell.querySelector<HTMLElement>("[data-live-solution]");
    if (tryIt && show && solution !== undefined) {
      tryIt.hidden = text !== solution;
      show.hidden = text === solution;
      // The lesson's output of an answer cell would give the answer away to a learner trying it.
      const rendered = cell.querySelector<HTMLElement>(".jp-Cell-outputWrapper");
      if (rendered && text !== solution) rendered.hidden = true;
    }
  }

  /** "Try it yourself": the stub in place of the lesson's answer (the answer is one click away). */
  private async tryIt(index: number): Promise<void> {
    await this.loadEditors();
    const stub = (await this.loadSources()).stubs.get(index);
    const editor = this.editors.get(index);
    if (stub === undefined || !editor) return;
    editor.setText(stub);
    editor.focus();
    this.say(`Cell ${index}: your turn. Fill in the stub, then run the check cell below it.`);
  }

  /** "Show the solution": the lesson's answer back, after asking if the learner typed something. */
  private async showSolution(index: number): Promise<void> {
    await this.loadEditors();
    const texts = await this.loadSources();
    const editor = this.editors.get(index);
    if (!editor) return;
    const now = editor.text();
    const typed = now !== texts.stubs.get(index) && now !== texts.lesson[index];
    if (typed && !confirm(`Replace your answer in cell ${index} with the lesson's solution? (Ctrl-Z in the cell brings your text back.)`)) return;
    editor.setText(texts.lesson[index] ?? "");
    editor.focus();
  }

  /** A saved edit made on another version of this cell: kept, and offered, never applied silently. */
  private staleNotice(index: number, cell: HTMLElement, saved: SavedEdit): void {
    const note = document.createElement("p");
    note.className = "live-stale";
    note.textContent = "You edited this cell on an earlier version of the lesson. Your text is kept in this browser. ";
    const use = document.createElement("button");
    use.type = "button";
    use.textContent = "Use my earlier text";
    use.addEventListener("click", () => {
      this.editors.get(index)?.setText(saved.text);
      note.remove();
    });
    note.append(use);
    cell.querySelector(".live-cell-bar")?.after(note);
  }

  private async resetCell(index: number): Promise<void> {
    if (!confirm(`Reset cell ${index} to the lesson's code? Your changes to it will be lost.`)) return;
    const base = this.baseOf(await this.loadSources(), index);
    localStorage.removeItem(this.key(index));
    this.editors.get(index)?.setText(base);
    this.texts.set(index, base);
    this.markEdited(index, base, base);
  }

  private async resetPage(): Promise<void> {
    if (!confirm("Reset every cell of this page to the lesson's code? All your changes on this page will be lost.")) return;
    const texts = await this.loadSources();
    for (const key of this.savedKeys()) localStorage.removeItem(key);
    for (const [index, editor] of this.editors) editor.setText(this.baseOf(texts, index));
    for (const index of this.cells.keys()) {
      const base = this.baseOf(texts, index);
      this.texts.set(index, base);
      this.markEdited(index, base, base);
    }
  }

  private key(index: number): string {
    return `micrograd-ts:${this.exercise ? "exercise" : "lesson"}:${this.root.dataset.notebook}:${index}`;
  }

  private savedKeys(): string[] {
    const prefix = this.key(0).replace(/0$/, "");
    const keys: string[] = [];
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const k = localStorage.key(i);
        if (k?.startsWith(prefix)) keys.push(k);
      }
    } catch {
      // storage disabled: nothing saved
    }
    return keys;
  }

  private saved(index: number): SavedEdit | undefined {
    try {
      const raw = localStorage.getItem(this.key(index));
      const value = raw ? (JSON.parse(raw) as SavedEdit) : undefined;
      return typeof value?.text === "string" && typeof value.base === "string" ? value : undefined;
    } catch {
      return undefined;
    }
  }

  private savedText(index: number, base: string): string | undefined {
    const saved = this.saved(index);
    return saved && saved.base === hash(base) ? saved.text : undefined;
  }

  // ---- score and download --------------------------------------------------------------

  /** Points of the check cells that passed in this kernel, out of all (as `npm run check` counts). */
  private async updateScore(): Promise<void> {
    let nb: Notebook;
    try {
      nb = await this.loadLesson();
    } catch {
      return;
    }
    let earned = 0;
    let total = 0;
    nb.cells.forEach((c, i) => {
      if (!isCheckCell(c)) return;
      const points = Number((c.metadata.nbgrader as { points?: unknown }).points ?? 0);
      total += points;
      if (this.results.get(i) === "ok") earned += points;
    });
    if (total === 0) return;
    this.score.textContent = `${earned}/${total}`;
    this.score.parentElement!.hidden = false;
  }

  private async download(): Promise<void> {
    // The learner copy in exercise mode (it names its lesson for `npm run check`), else the lesson.
    const nb = structuredClone(await (this.exercise ? this.fetchNotebook("exercises") : this.loadLesson()));
    for (const [i, cell] of nb.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      const text = await this.sourceOf(i);
      cell.source = text === "" ? [] : text.split(/(?<=\n)/);
      cell.outputs = [];
      cell.execution_count = null;
    }
    const name = (this.root.dataset.notebook ?? "lesson.ipynb").split("/").pop()!;
    const url = URL.createObjectURL(new Blob([`${JSON.stringify(nb, null, 1)}\n`], { type: "application/x-ipynb+json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  private async fetchNotebook(which: "notebook" | "exercises"): Promise<Notebook> {
    const url = this.root.dataset[which];
    if (!url) throw new Error(`This page names no ${which} file (data-${which} on <html>).`);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`Could not load ${url}: ${response.status} ${response.statusText}`);
    return (await response.json()) as Notebook;
  }

  /** Exercise mode: each solution cell shows the learner's stub, and no graded cell shows the lesson's output. */
  private async showStubs(): Promise<void> {
    let texts: Texts;
    try {
      texts = await this.loadSources();
    } catch (e) {
      this.say(`Exercise mode is not available: ${(e as Error).message}`);
      return;
    }
    for (const [index, cell] of this.cells) {
      if (!this.role(index)) continue;
      cell.classList.add("live-exercise");
      const wrapper = cell.querySelector<HTMLElement>(".jp-Cell-outputWrapper");
      if (wrapper) wrapper.hidden = true;
      const pre = cell.querySelector<HTMLElement>(".jp-InputArea-editor pre");
      const stub = texts.stubs.get(index);
      if (pre && stub !== undefined && !this.editors.has(index)) pre.textContent = stub;
      // A check cell shows the learner copy's code (hidden tests removed) and still runs the lesson's.
      else if (pre && this.role(index) === "check") pre.textContent = texts.visible.get(index) ?? pre.textContent;
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
      this.scrollWatch ??= new ResizeObserver((entries) => {
        for (const e of entries) keyboardScrollable(e.target as HTMLElement, `Output of cell ${(e.target as HTMLElement).dataset.cell}, scrolls sideways`);
      });
      this.scrollWatch.observe(out);
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
      // Shown as text until the renderer is loaded (it is, the first time, a fetch away).
      const target = el;
      target.classList.add("live-markdown");
      target.textContent = markup;
      this.markdown ??= import(/* @vite-ignore */ new URL("markdown.js", here).href) as Promise<MarkdownModule>;
      this.markdown.then(
        (m) => {
          if (target.textContent === markup) target.innerHTML = m.markdownToHtml(markup);
        },
        () => (this.markdown = undefined), // left as text; try again next time
      );
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

  private toolbar(): [HTMLElement, HTMLElement] {
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
      ? "Exercise mode: each solution is replaced by a stub for you to fill in; check cells run the lesson's code and can't be edited. Runs in your browser."
      : "This lesson runs in your browser: press Run on a cell, or Run all.";
    const scoreLine = document.createElement("span");
    scoreLine.className = "live-score";
    scoreLine.hidden = true;
    scoreLine.textContent = "Score: ";
    const score = document.createElement("span");
    score.dataset.liveScore = "";
    scoreLine.append(score);
    const download = button("⤓ Download .ipynb", "Download this page as a notebook, with your edits", () => void this.download(), "download");
    bar.append(
      button("▶▶ Run all", "Run every code cell, top to bottom", () => void this.runAll(), "run-all"),
      button("■ Stop", "Stop the running cell (this restarts the kernel)", () => this.stop(), "stop"),
      button("↻ Restart", "Start again with a fresh kernel", () => this.restart(), "restart"),
      button("Reset page", "Put back the lesson's code in every cell (asks first)", () => void this.resetPage(), "reset-page"),
      download,
      mode,
      scoreLine,
      status,
    );
    const nav = document.querySelector(".site-nav");
    if (nav) nav.after(bar);
    else document.body.prepend(bar);
    return [status, score];
  }

  private cellBar(index: number, cell: HTMLElement): void {
    const bar = document.createElement("div");
    bar.className = "live-cell-bar";
    const run = document.createElement("button");
    run.type = "button";
    run.textContent = "▶ Run";
    run.dataset.liveRun = "";
    run.setAttribute("aria-label", `Run cell ${index} (and the cells above it not run yet)`);
    run.addEventListener("click", () => {
      void this.loadEditors();
      this.runCell(index);
    });
    const label = document.createElement("span");
    label.className = "live-cell-status";
    const edited = document.createElement("span");
    edited.className = "live-edited-mark";
    edited.textContent = "edited";
    edited.hidden = true;
    bar.append(run, label, edited);
    const role = this.role(index);
    if (role === "answer") {
      const tryIt = document.createElement("button");
      tryIt.type = "button";
      tryIt.textContent = "Try it yourself";
      tryIt.dataset.liveTry = "";
      tryIt.setAttribute("aria-label", `Try it yourself in cell ${index}: the solution is replaced by a stub to fill in`);
      tryIt.hidden = this.exercise;
      tryIt.addEventListener("click", () => void this.tryIt(index));
      const show = document.createElement("button");
      show.type = "button";
      show.textContent = "Show the solution";
      show.dataset.liveSolution = "";
      show.setAttribute("aria-label", `Show the solution in cell ${index} (asks first if you typed an answer)`);
      show.hidden = !this.exercise;
      show.addEventListener("click", () => void this.showSolution(index));
      bar.append(tryIt, show);
    }
    if (role === "check") {
      const note = document.createElement("span");
      note.className = "live-check-mark";
      note.textContent = "check · read-only";
      note.title = "Check cells run the lesson's code, as `npm run check` does: edits to them would not count.";
      bar.append(note);
    } else {
      const reset = document.createElement("button");
      reset.type = "button";
      reset.textContent = "Reset cell";
      reset.dataset.liveReset = "";
      reset.setAttribute("aria-label", `Reset cell ${index} to the lesson's code`);
      reset.addEventListener("click", () => void this.resetCell(index));
      bar.append(reset);
    }
    cell.prepend(bar);
    // Before the editor is loaded, the code is a focusable block: clicking it, or Enter on it, opens the editor.
    const code = cell.querySelector<HTMLElement>(".jp-InputArea-editor");
    if (code) {
      code.tabIndex = 0;
      code.setAttribute("role", "button");
      code.setAttribute("aria-label", `Edit the code of cell ${index}`);
      const open = () => {
        if (this.editors.has(index)) return;
        void this.loadEditors().then(() => this.editors.get(index)?.focus());
      };
      code.addEventListener("click", open);
      code.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !this.editors.has(index)) {
          e.preventDefault();
          open();
        }
      });
    }
  }
}

/**
 * A box that scrolls sideways (a wide chart or stepper) must be reachable by keyboard to be
 * scrolled: focusable, as a named region, while it overflows; left alone otherwise.
 */
function keyboardScrollable(el: HTMLElement, label: string): void {
  const overflows = el.scrollWidth > el.clientWidth + 1;
  if (overflows && !el.hasAttribute("tabindex")) {
    el.tabIndex = 0;
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", label);
  } else if (!overflows && el.hasAttribute("tabindex")) {
    for (const a of ["tabindex", "role", "aria-label"]) el.removeAttribute(a);
  }
}

/** A short hash of a cell's source (cyrb53): says whether a saved edit was made on this version of the cell. */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
