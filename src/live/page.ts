/**
 * The live page: makes a lesson page runnable. This is the only script a lesson page loads; it
 * adds Run controls and nothing else until a cell is run. Then it starts the worker kernel
 * (worker.ts, with the compiler and the library), fetches the notebook for the cells' exact
 * sources, and shows each cell's output in place of the pre-rendered one.
 *
 * Reading stays as it was: without JavaScript, and from file:// (where browsers refuse workers
 * and fetch), this script changes nothing.
 *
 * This module wires the parts together, as JupyterLab separates them:
 * - kernel-client.ts: the worker, the run queue, Stop and Restart;
 * - notebook-state.ts (with saved-edits.ts): the cells' sources, the learner's edits;
 * - score.ts: which check grades which answer, and the score;
 * - the views, which never talk to the kernel: cell-controls.ts, outputs.ts, toolbar.ts, and
 *   the editor (editor.ts, CodeMirror, loaded on the first edit).
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
import type { Notebook } from "../ipynb/notebook.js";
import { reassignedHelpers } from "../ipynb/submission.js";
import { CellControls, cellNumber } from "./cell-controls.js";
import { type Finish, KernelClient, type WorkerLike } from "./kernel-client.js";
import { FramedWorker, frameOriginFor } from "./kernel-frame.js";
import { NotebookState, type Role } from "./notebook-state.js";
import { Outputs } from "./outputs.js";
import type { CellError } from "./kernel.js";
import type { FromChecker, FromWorker, ToChecker } from "./protocol.js";
import type { TypeProblem } from "./typecheck.js";
import { TYPED_CELLS_FILE, type TypedCells, typedKey } from "./typed-cells.js";
import { sanitize } from "./sanitize.js";
import { parseEdit, SavedEdits } from "./saved-edits.js";
import { checksOf, Score, scoreKey } from "./score.js";
import { Toolbar } from "./toolbar.js";

type EditorModule = typeof import("./editor.js");
type MarkdownModule = typeof import("./markdown.js");
type CellEditor = import("./editor.js").CellEditor;

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
  prepareKernel(); // the kernel's frame, now: its process starts while the reader reads
  const page = new LivePage(root, cells, flags.has("exercise"));
  window.addEventListener("hashchange", () => {
    const now = new Set(location.hash.replace(/^#/, "").split("&"));
    if (now.has("exercise") !== flags.has("exercise")) location.reload(); // another notebook: start clean
    else if (now.has("run-all")) page.runAll();
  });
  if (flags.has("run-all")) page.runAll();
}

/**
 * The worker kernel: in a frame of the site's other name when there is one (kernel-frame.ts),
 * so a cell that runs out of memory ends that frame's process and not the tab; else in this page.
 * The first frame is made once the page has loaded (its process takes a moment to start), so the
 * first Run does not wait for it; its worker starts with that Run. A frame that never loads
 * (the other name blocked, say): from then on the worker is the page's own.
 */
let spareFrame: FramedWorker | undefined;
let framesFail = false;

function pageWorker(): WorkerLike {
  return new Worker(new URL("worker.js", here), { type: "module", name: "micrograd-ts kernel" }) as unknown as WorkerLike;
}

function newFrame(): FramedWorker | undefined {
  const frameOrigin = frameOriginFor(location);
  if (frameOrigin === undefined || framesFail) return undefined;
  return new FramedWorker(document, new URL(new URL("kernel-frame.html", here).pathname, frameOrigin), {
    fallback: () => {
      framesFail = true; // one frame that could not load is enough to know
      return pageWorker();
    },
  });
}

function prepareKernel(): void {
  if (!spareFrame || spareFrame.ended) spareFrame = newFrame();
}

function kernelWorker(): WorkerLike {
  const spare = spareFrame;
  spareFrame = undefined;
  const frame = spare && !spare.ended ? spare : newFrame();
  if (!frame) return pageWorker();
  frame.start();
  return frame;
}

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

class LivePage {
  private readonly state: NotebookState;
  private readonly client: KernelClient;
  private readonly outputs: Outputs;
  private readonly controls: CellControls;
  private readonly toolbar: Toolbar;
  private score: Promise<Score> | undefined;
  private markdown: Promise<MarkdownModule> | undefined;
  private readonly editors = new Map<number, CellEditor>();
  private editorsLoading: Promise<void> | undefined;
  /** Execution count, as Jupyter's In [n]. */
  private count = 0;
  /**
   * The type checker's worker (typecheck-worker.ts), started when a cell needs it: one the site's
   * build did not check (an edit), a first edit, or after the first output when edits are expected.
   */
  private checker: Worker | undefined;
  /** The keys of the cells the build checked (typed-cells.ts), fetched with the first run's source. */
  private typed: Promise<Set<string>> | undefined;
  /** Resolves once the checker has loaded (true) or failed to (false). */
  private checkerLoad: Promise<boolean> | undefined;
  /** Why the checker failed, once it did. */
  private checkerFailed: string | undefined;
  /** Cells about to run unchecked (the checker failed): their output says so. */
  private readonly unchecked = new Set<number>();
  private checks = new Map<number, (m: FromChecker) => void>();
  private checkIds = 0;
  /** The cells this kernel ran without error, latest run last, with the code they ran: what a cell's types see. */
  private readonly ranOk = new Map<number, string>();
  private runningSource: string | undefined;
  /** Type errors of the cells refused, to mark in their editors. */
  private readonly refused = new Map<number, TypeProblem[]>();
  private readonly notebook: string;

  constructor(
    private readonly root: HTMLElement,
    private readonly cells: Map<number, HTMLElement>,
    private readonly exercise: boolean,
  ) {
    this.notebook = root.dataset.notebook!;
    const roles = new Map<number, Role>();
    for (const [i, el] of cells) {
      const role = el.dataset.exercise;
      roles.set(i, role === "answer" || role === "check" ? role : undefined);
    }
    const edits = new SavedEdits(storage(), this.notebook, exercise ? "exercise" : "lesson");
    this.state = new NotebookState(roles, exercise, edits, (which) => this.fetchNotebook(which));
    this.toolbar = new Toolbar(document, exercise, {
      runAll: () => this.runAll(),
      stop: () => this.stop(),
      restart: () => this.restart(),
      resetPage: () => void this.resetPage(),
      download: () => void this.download(),
    });
    this.controls = new CellControls(document, cells, roles, exercise, {
      // The editor comes after the first output (see finished): on Run it competed with the kernel's start.
      run: (i) => this.runCell(i),
      edit: (i) => {
        if (this.editors.has(i)) this.editors.get(i)!.focus();
        else void this.loadEditors().then(() => this.editors.get(i)?.focus());
      },
      tryIt: (i) => void this.tryIt(i),
      showSolution: (i) => void this.showSolution(i),
      reset: (i) => void this.resetCell(i),
    });
    this.outputs = new Outputs(document, cells, {
      sanitize: (markup) => sanitize(markup),
      markdown: () => {
        this.markdown ??= import(/* @vite-ignore */ new URL("markdown.js", here).href) as Promise<MarkdownModule>;
        this.markdown.catch(() => (this.markdown = undefined));
        return this.markdown.then((m) => m.markdownToHtml);
      },
    });
    this.client = new KernelClient(
      () => kernelWorker(),
      async (i) => {
        const source = await this.state.sourceOf(i);
        const problems = await this.typeProblems(source);
        this.unchecked.delete(i);
        if (problems === undefined) this.unchecked.add(i);
        if (problems && problems.length > 0) {
          this.refused.set(i, problems);
          throw Object.assign(new Error("type error"), { cellError: typeError(i, source, problems) });
        }
        return { source, check: this.state.role(i) === "check" };
      },
      {
        queued: (i) => this.controls.setState(i, "queued"),
        dropped: (i) => this.controls.setState(i, undefined),
        started: (i, source) => this.started(i, source),
        output: (m) => this.output(m),
        finished: (i, f) => this.finished(i, f),
        idle: (failed) => {
          this.root.dataset.live = failed ? "failed" : "done";
          this.toolbar.say(failed ? "Finished, with errors: see the cells marked error." : "All cells ran.");
        },
      },
    );
    if (exercise) void this.showStubs();
    // An exercise needs an editor; so does a page the learner edited before (show their text).
    if (exercise || edits.cells().length > 0) void this.loadEditors();
    if (this.state.edits.cells().length > 0 || storage()?.getItem(scoreKey(this.notebook))) void this.updateScore();
    window.addEventListener("storage", (e) => this.otherTab(e));
    this.crashedBefore();
  }

  /** Run every code cell in order; a failing cell does not stop the others (as `npm run check`). */
  runAll(): void {
    this.root.dataset.live = "running";
    this.client.enqueue(this.state.cells);
  }

  /**
   * Run a cell, after the cells above it that this kernel has not run yet, or that changed since
   * they ran. When those include the cell Stop ended (an endless loop, say), ask first.
   */
  runCell(index: number, alone = false): void {
    const stale = (i: number) => !this.client.ranWith(i, this.state.current(i));
    const before = alone ? [] : this.state.cells.filter((i) => i < index && stale(i));
    const stopped = this.client.stopped;
    if (stopped !== undefined && before.includes(stopped)) {
      this.offerAlone(index, stopped, before.length);
      return;
    }
    this.root.dataset.live = "running";
    this.client.enqueue([...before, index]);
  }

  private offerAlone(index: number, stopped: number, count: number): void {
    this.outputs.clear(index);
    const button = (label: string, data: string, run: () => void) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.setAttribute(`data-live-${data}`, "");
      b.addEventListener("click", () => {
        note.remove();
        run();
      });
      return b;
    };
    const note = this.outputs.note(
      index,
      "stopped-above",
      `Not run yet: the kernel was restarted by Stop, so the ${count} cell${count === 1 ? "" : "s"} above this one would run first, cell ${cellNumber(stopped)} (the one you stopped) among them.`,
      button("Run just this cell", "run-alone", () => this.runCell(index, true)),
      button("Run the cells above too", "run-above", () => {
        this.client.stopped = undefined;
        this.runCell(index);
      }),
    );
    this.toolbar.say(`Cell ${cellNumber(index)}: the cells above it would run first, the stopped cell ${cellNumber(stopped)} among them: choose under the cell.`);
    (note.querySelector("button") as HTMLElement).focus();
  }

  stop(): void {
    if (!this.client.busy) return;
    this.ranOk.clear();
    this.client.stop();
    this.count = 0; // a fresh kernel counts from 1 again, as Jupyter's does after a restart
    prepareKernel();
    this.root.dataset.live = "failed";
    this.toolbar.say("Stopped: the kernel was restarted.");
  }

  restart(): void {
    this.ranOk.clear();
    this.client.restart();
    this.count = 0;
    prepareKernel();
    for (const i of this.cells.keys()) this.controls.setState(i, undefined);
    delete this.root.dataset.live;
    this.toolbar.say("Restarted: a fresh kernel starts with the next run.");
  }

  /**
   * The running cell, noted for this tab: where the kernel can't have a frame of its own
   * (kernel-frame.ts), a worker that runs out of memory takes the whole tab with it (Chromium
   * gives a page no way to cap or read a worker's heap), and the reloaded page then says which
   * cell it was.
   */
  private noteRunning(index: number | undefined): void {
    const key = `micrograd-ts:running:${this.notebook}`;
    try {
      if (index === undefined) sessionStorage.removeItem(key);
      else sessionStorage.setItem(key, String(index));
    } catch {
      // storage disabled
    }
  }

  private crashedBefore(): void {
    let cell: string | null = null;
    try {
      cell = sessionStorage.getItem(`micrograd-ts:running:${this.notebook}`);
    } catch {
      return;
    }
    if (cell === null || !/^\d+$/.test(cell)) return;
    this.noteRunning(undefined);
    this.toolbar.say(`This page closed while cell ${cellNumber(Number(cell))} was running: it probably ran out of memory. Your edits are kept; the kernel starts fresh.`);
  }

  private started(index: number, source: string): void {
    this.runningSource = source;
    this.noteRunning(index);
    this.controls.setState(index, "running");
    this.toolbar.say(`Running cell ${cellNumber(index)}…`);
    this.outputs.clear(index);
    if (this.unchecked.delete(index)) {
      this.outputs.note(index, "unchecked", `This cell ran without a type check: the type checker failed (${this.checkerFailed ?? "it could not be loaded"}). Run it again to try the checker once more.`);
    }
    if (this.state.role(index) === "answer") {
      const names = reassignedHelpers(source);
      if (names.length > 0) {
        this.outputs.note(index, "reassigned", `This cell redefines ${names.join(", ")}, which the check cells use: they call the real ${names.length === 1 ? "one" : "ones"} from micrograd-ts, so this changes no grade.`);
      }
    }
  }

  private output(m: Exclude<FromWorker, { type: "done" }>): void {
    if (m.cell < 0) return;
    switch (m.type) {
      case "stream":
        this.outputs.stream(m.cell, m.name, m.text);
        break;
      case "tail":
        this.outputs.tail(m.cell, m.text, m.droppedLines, m.droppedChars);
        break;
      case "full":
        this.outputs.offerFull(m.cell, m.file);
        break;
      case "display":
        this.outputs.display(m.cell, m.kind, m.markup, m.id);
        break;
      case "result":
        this.outputs.result(m.cell, m.text, this.count + 1);
        break;
    }
  }

  private finished(index: number, f: Finish): void {
    this.noteRunning(undefined);
    // What later cells' types see: the cells whose declarations are in the kernel's scope now,
    // those that threw at run time included (a stub that throws still defined its function: its
    // check should fail on the stub's error, not on a missing name).
    const declaredSomething = f.status === "ok" || (f.error !== undefined && f.error.name !== "SyntaxError" && f.error.name !== "TSError");
    if (declaredSomething && this.runningSource !== undefined) {
      this.ranOk.delete(index);
      this.ranOk.set(index, this.runningSource);
    } else if (f.status === "error" && (f.reason === "stopped" || f.reason === "crashed")) this.ranOk.clear();
    this.runningSource = undefined;
    const problems = this.refused.get(index);
    this.refused.delete(index);
    if (problems) {
      this.outputs.clear(index); // refused before it started: the last run's output goes, as Jupyter clears it on every run
      this.editors.get(index)?.markProblems(problems);
    }
    // Edits are expected (exercise mode, or edits saved before): the checker starts now, so that it is
    // ready when an edited cell runs. Else it starts when a cell the build did not check comes.
    if ((this.exercise || this.state.edits.cells().length > 0) && this.checkerFailed === undefined) this.startChecker();
    void this.loadEditors(); // the same: CodeMirror's parse would delay the first output
    if (f.status === "error") {
      if (f.reason === "stopped") {
        this.outputs.note(index, "stopped", "Stopped. The kernel was restarted, so the lesson's variables are gone: run a cell to start again (the cells above it run first).");
      } else if (f.reason === "crashed") {
        this.outputs.note(index, "crashed", `The live kernel failed: ${f.message}. The lesson's variables are gone: run a cell to start a fresh kernel (the cells above it run first).`);
      } else if (f.reason === "source") {
        this.outputs.note(index, "source", f.message ?? "The cell's code could not be loaded.");
      } else if (f.error) {
        this.outputs.error(index, f.error);
      }
    }
    this.outputs.finish(index, f.status);
    this.controls.setState(index, f.status);
    this.controls.prompt(index, ++this.count);
    if (f.status === "error" && f.reason === "crashed") {
      this.count = 0; // the next run starts a fresh kernel
      prepareKernel();
    }
    if (this.state.role(index) === "check") void this.recordCheck(index, f.status === "ok");
  }

  // ---- types: checked as tslab checks them ------------------------------------------------

  /**
   * Start the type checker (see `checker` for when). It warms up on an empty cell: loading the
   * compiler and the declarations takes a few seconds, which a cell that needs a check waits for.
   * Ready: <html data-live-types="ready">.
   */
  private startChecker(): void {
    if (this.checker) return;
    const worker = new Worker(new URL("typecheck-worker.js", here), { type: "module", name: "micrograd-ts type checker" });
    worker.addEventListener("message", (e: MessageEvent<FromChecker>) => {
      const done = this.checks.get(e.data.id);
      this.checks.delete(e.data.id);
      done?.(e.data);
    });
    worker.addEventListener("error", (e) => {
      e.preventDefault();
      for (const done of this.checks.values()) done({ id: -1, failed: e.message || "it could not be loaded" });
      this.checks.clear();
    });
    this.checker = worker;
    this.checkerLoad = this.ask(worker, [], "").then((problems) => {
      if (problems === undefined || this.checker !== worker) return false;
      this.root.dataset.liveTypes = "ready";
      this.checkerFailed = undefined;
      return true;
    });
  }

  /**
   * The cell's type errors, given the cells this kernel ran before it: none for a cell the build
   * checked after the same cells (typed-cells.ts). Any other cell waits for the checker, as tslab
   * never runs a cell unchecked; undefined (the cell runs unchecked, and its output says why) only
   * when the checker failed.
   */
  private async typeProblems(source: string): Promise<TypeProblem[] | undefined> {
    const prior = [...this.ranOk.values()];
    if ((await this.typedCells()).has(typedKey(prior, source))) return [];
    this.startChecker();
    if (this.root.dataset.liveTypes !== "ready") this.toolbar.say("Loading TypeScript's compiler to check the cell's types (once per page)…");
    if (!(await this.checkerLoad) || !this.checker) return undefined;
    return this.ask(this.checker, prior, source);
  }

  /** The build's keys for this notebook; none when the file cannot be had (every cell is then checked). */
  private typedCells(): Promise<Set<string>> {
    this.typed ??= fetch(new URL(TYPED_CELLS_FILE, here))
      .then((r) => (r.ok ? (r.json() as Promise<TypedCells>) : ({} as TypedCells)))
      .then((all) => new Set(Array.isArray(all[this.notebook]) ? all[this.notebook] : []))
      .catch(() => new Set<string>());
    return this.typed;
  }

  private ask(checker: Worker, prior: string[], source: string): Promise<TypeProblem[] | undefined> {
    const id = ++this.checkIds;
    const message: ToChecker = { id, prior, source };
    return new Promise((resolve) => {
      this.checks.set(id, (m) => {
        if (m.failed !== undefined) {
          this.toolbar.say(`Types are not checked in this page: the type checker failed (${m.failed}).`);
          this.checker = undefined; // tried again for the next cell that needs it
          this.checkerFailed = m.failed;
          this.checkerLoad = undefined;
          delete this.root.dataset.liveTypes;
          resolve(undefined);
        } else resolve(m.problems);
      });
      checker.postMessage(message);
    });
  }

  // ---- score ---------------------------------------------------------------------------

  private scoreKeeper(): Promise<Score> {
    this.score ??= this.state.lesson().then((nb) => new Score(checksOf(nb), storage(), this.notebook));
    this.score.catch(() => (this.score = undefined));
    return this.score;
  }

  private async recordCheck(index: number, passed: boolean): Promise<void> {
    const score = await this.scoreKeeper().catch(() => undefined);
    const check = score?.check(index);
    if (!score || !check) return;
    // A check that grades no answer cell at all proves nothing about the learner either.
    const lessonsOwn = check.answers.every((a) => this.state.isLessons(a));
    const counted = score.record(index, passed, lessonsOwn);
    if (!counted) {
      this.outputs.note(index, "not-scored", "This check ran on the lesson's own solution: it shows the check works, and does not count for your score. Press “Try it yourself” on the answer cell to earn it.");
    }
    this.toolbar.showScore(score.text());
  }

  private async updateScore(): Promise<void> {
    const score = await this.scoreKeeper().catch(() => undefined);
    if (score) this.toolbar.showScore(score.text());
  }

  // ---- editing: CodeMirror, loaded on the first edit, or once a cell has run --------------------------------

  private loadEditors(): Promise<void> {
    this.editorsLoading ??= (async () => {
      const [texts, module] = await Promise.all([
        this.state.load(),
        import(/* @vite-ignore */ new URL("editor.js", here).href) as Promise<EditorModule>,
      ]);
      for (const index of this.state.cells) this.attachEditor(module, index, texts);
    })();
    this.editorsLoading.catch((e: unknown) => {
      this.editorsLoading = undefined;
      this.toolbar.say(`The editor could not be loaded: ${(e as Error).message}`);
    });
    return this.editorsLoading;
  }

  private attachEditor(module: EditorModule, index: number, texts: import("./notebook-state.js").Texts): void {
    const cell = this.cells.get(index)!;
    const host = cell.querySelector<HTMLElement>(".jp-InputArea-editor");
    if (!host) return;
    const base = this.state.baseOf(texts, index);
    const check = this.state.role(index) === "check";
    const saved = this.state.edits.get(index);
    if (check && saved) {
      // A check cell is the lesson's, always: an edit saved for it (by an older page) is not applied.
      this.cellNote(cell, "An edit you made to this check cell earlier is kept in this browser, but not used: check cells run the lesson's code, as npm run check does.");
    } else if (saved && this.state.edits.textFor(index, base) === undefined) {
      this.staleNotice(index, cell, saved.text);
    }
    const text = this.state.initial(texts, index);
    host.replaceChildren();
    host.classList.add("live-editor");
    for (const a of ["tabindex", "role", "aria-label"]) host.removeAttribute(a); // the editor itself takes focus now
    const n = cellNumber(index);
    const editor = module.createEditor(host, text, {
      label: check ? `Code of check cell ${n} (read-only: checks run the lesson's code)` : `Code of cell ${n}`,
      readOnly: check,
      onChange: (t) => this.edited(index, t),
      onRun: () => {
        this.runCell(index);
        this.focusNext(index);
      },
      onRunStay: () => this.runCell(index),
    });
    this.editors.set(index, editor);
    this.controls.editorOpen(index);
    this.mark(index, text);
  }

  private focusNext(index: number): void {
    const next = this.state.cells.find((i) => i > index);
    if (next === undefined) return;
    this.editors.get(next)?.focus();
    this.cells.get(next)?.scrollIntoView({ block: "nearest" });
  }

  private edited(index: number, text: string): void {
    if (this.state.role(index) === "check") return;
    // An edited cell is checked when it runs: load the compiler while the learner types (once it
    // failed, only a run tries again, not every keystroke).
    if (this.checkerFailed === undefined) this.startChecker();
    if (!this.state.edit(index, text)) this.toolbar.say("Your browser refused to save the edit (storage full or disabled): download the notebook to keep it.");
    this.mark(index, text);
  }

  private mark(index: number, text: string): void {
    const lesson = this.state.loaded?.lesson[index];
    const isSolution = this.state.role(index) === "answer" && lesson !== undefined ? text === lesson : undefined;
    this.controls.mark(index, this.state.kind(index, text), isSolution);
  }

  /**
   * Another tab of this lesson saved or removed an edit. This tab takes a new text when it still
   * showed the one the other tab replaced (the tabs stay in step). When the other tab reset the
   * cell, or replaced a text this tab no longer shows, this tab keeps its own text and says so,
   * with the choice: nothing is dropped silently.
   */
  private otherTab(e: StorageEvent): void {
    if (e.key === null || !this.state.loaded) return; // storage cleared elsewhere: the editors still hold every text
    const index = this.state.edits.cellOf(e.key);
    if (index === undefined || this.state.role(index) === "check") return;
    const editor = this.editors.get(index);
    const base = this.state.baseOf(this.state.loaded, index);
    const theirs = e.newValue === null ? base : parseEdit(e.newValue)?.text;
    if (theirs === undefined) return;
    const mine = editor?.text() ?? this.state.current(index) ?? base;
    const before = e.oldValue === null ? base : parseEdit(e.oldValue)?.text;
    const n = cellNumber(index);
    if (mine === theirs) return;
    if (e.newValue !== null && mine === before) {
      this.state.adopt(index, theirs);
      editor?.setText(theirs, { silent: true });
      this.mark(index, theirs);
      this.toolbar.say(`Cell ${n} was changed in another tab of this lesson: it shows that text here too.`);
      return;
    }
    const cell = this.cells.get(index)!;
    cell.querySelector('[data-live-note="other-tab"]')?.remove();
    const reset = e.newValue === null;
    const note = this.cellNote(cell, reset ? `Another tab reset cell ${n} to the lesson's code. This tab still shows your text, no longer saved. ` : `Another tab of this lesson changed cell ${n} too. This tab's text is kept (and saved). `);
    note.dataset.liveNote = "other-tab";
    if (!reset) this.state.edit(index, mine);
    const button = (label: string, data: string, act: () => void) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.setAttribute(`data-live-${data}`, "");
      b.addEventListener("click", () => {
        act();
        note.remove();
      });
      return b;
    };
    note.append(
      button("Keep this tab's text", "keep-mine", () => this.state.edit(index, editor?.text() ?? mine)),
      " ",
      button(reset ? "Reset it here too" : "Use the other tab's text", "use-theirs", () => editor?.setText(theirs)),
    );
  }

  /** "Try it yourself": the stub in place of the lesson's answer (the answer is one click away). */
  private async tryIt(index: number): Promise<void> {
    await this.loadEditors();
    const stub = (await this.state.load()).stubs.get(index);
    const editor = this.editors.get(index);
    if (stub === undefined || !editor) return;
    editor.setText(stub);
    editor.focus();
    this.controls.hideAnswerOutputs(index);
    this.toolbar.say(`Cell ${cellNumber(index)}: your turn. Fill in the stub, then run the check cell below it.`);
  }

  /** "Show the solution": the lesson's answer back, after asking if the learner typed something. */
  private async showSolution(index: number): Promise<void> {
    await this.loadEditors();
    const texts = await this.state.load();
    const editor = this.editors.get(index);
    if (!editor) return;
    const now = editor.text();
    const typed = now !== texts.stubs.get(index) && now !== texts.lesson[index];
    if (typed && !confirm(`Replace your answer in cell ${cellNumber(index)} with the lesson's solution? (Ctrl-Z in the cell brings your text back.)`)) return;
    editor.setText(texts.lesson[index] ?? "");
    editor.focus();
  }

  private cellNote(cell: HTMLElement, text: string): HTMLElement {
    const note = document.createElement("p");
    note.className = "live-stale";
    note.textContent = text;
    cell.querySelector(".live-cell-bar")?.after(note);
    return note;
  }

  /** A saved edit made on another version of this cell: kept, and offered, never applied silently. */
  private staleNotice(index: number, cell: HTMLElement, text: string): void {
    const note = this.cellNote(cell, "You edited this cell on an earlier version of the lesson. Your text is kept in this browser. ");
    const use = document.createElement("button");
    use.type = "button";
    use.textContent = "Use my earlier text";
    use.addEventListener("click", () => {
      this.editors.get(index)?.setText(text);
      note.remove();
    });
    note.append(use);
  }

  private async resetCell(index: number): Promise<void> {
    if (!confirm(`Reset cell ${cellNumber(index)} to the lesson's code? Your changes to it will be lost.`)) return;
    const base = this.state.baseOf(await this.state.load(), index);
    this.editors.get(index)?.setText(base);
    this.state.edit(index, base);
    this.mark(index, base);
  }

  private async resetPage(): Promise<void> {
    if (!confirm("Reset every cell of this page to the lesson's code, and forget its score? All your changes on this page will be lost.")) return;
    const texts = await this.state.load();
    for (const index of this.state.cells) {
      const base = this.state.baseOf(texts, index);
      this.editors.get(index)?.setText(base);
      this.state.edit(index, base);
      this.mark(index, base);
    }
    for (const index of this.state.edits.cells()) this.state.edits.remove(index);
    (await this.scoreKeeper().catch(() => undefined))?.clear();
    this.toolbar.showScore(undefined);
  }

  // ---- notebook files --------------------------------------------------------------------

  private async download(): Promise<void> {
    // The learner copy in exercise mode (it names its lesson for `npm run check`), else the lesson.
    const nb = structuredClone(await (this.exercise ? this.fetchNotebook("exercises") : this.state.lesson()));
    for (const [i, cell] of nb.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      const text = await this.state.sourceOf(i);
      cell.source = text === "" ? [] : text.split(/(?<=\n)/);
      cell.outputs = [];
      cell.execution_count = null;
    }
    const name = this.notebook.split("/").pop()!;
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
    let texts: import("./notebook-state.js").Texts;
    try {
      texts = await this.state.load();
    } catch (e) {
      this.toolbar.say(`Exercise mode is not available: ${(e as Error).message}`);
      return;
    }
    for (const [index, cell] of this.cells) {
      if (!this.state.role(index)) continue;
      cell.classList.add("live-exercise");
      const wrapper = cell.querySelector<HTMLElement>(".jp-Cell-outputWrapper");
      if (wrapper) wrapper.hidden = true;
      const pre = cell.querySelector<HTMLElement>(".jp-InputArea-editor pre");
      const stub = texts.stubs.get(index);
      if (pre && stub !== undefined && !this.editors.has(index)) pre.textContent = stub;
      // A check cell shows the learner copy's code (hidden tests removed) and still runs the lesson's.
      else if (pre && this.state.role(index) === "check") pre.textContent = texts.visible.get(index) ?? pre.textContent;
    }
  }
}

/** A cell refused for its types, as tslab says it (`line:column - message`), with the first line marked. */
function typeError(cell: number, source: string, problems: TypeProblem[]): CellError {
  const first = problems[0]!;
  const code = source.split("\n")[first.line - 1];
  const gutter = `  ${first.line} | `;
  return {
    name: "TSError",
    message: first.message,
    line: first.line,
    column: first.column,
    traceback: [
      ...problems.map((p) => `${p.line}:${p.column} - ${p.message}`),
      `    in cell ${cellNumber(cell)}: it did not run (as in Jupyter, a cell with a type error is refused)`,
      ...(code === undefined ? [] : [`${gutter}${code}`, `${" ".repeat(gutter.length - 2)}| ${" ".repeat(first.column - 1)}^`]),
    ],
  };
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
