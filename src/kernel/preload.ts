/**
 * Loaded into the tslab kernel's Node before tslab itself (the kernelspec's NODE_OPTIONS has
 * `--require` this file). It patches tslab 1.0.22 where it departs from Jupyter's protocol, so that
 * Jupyter, nbclient, VS Code and our own executor see what they see from ipykernel:
 *
 * 1. Every line a cell prints reaches Jupyter, in order. tslab publishes each write as its own
 *    message and does not wait for the send; ZeroMQ drops what is over its high-water mark, so a
 *    cell printing 10,000 lines showed about 500. A cell's writes are coalesced (consecutive writes
 *    to one stream go out as one message, at the latest 50 ms after the first, or at 64 kB, and
 *    always before any other message of the cell), and sends on the publisher wait for each other.
 * 2. A cell's last value is an `execute_result` with the execution count (tslab printed it to
 *    stdout); a thrown error, a type error and a syntax error each publish one `error` message with
 *    ename, evalue and a traceback, and the execute_reply carries the same fields (tslab printed the
 *    error to stderr and replied a bare `status: "error"`). Tracebacks point at the cell's own line
 *    and column: cells are compiled with source maps and each runs under the name `Cell In[n]`.
 * 3. kernel_info_reply has a status and honest versions; comm_info and shutdown replies too;
 *    `execute_input` is published; an execute_request with `stop_on_error: false` (what nbclient
 *    sends when errors are allowed) does not abort the requests after it; an aborted request's
 *    status is `aborted`, as the protocol spells it.
 *
 * Why a preload and not a patch of tslab's files: the fixes must hold wherever `npm ci` puts tslab,
 * with no step that edits node_modules (and nothing to re-apply or to go stale silently); each fix
 * here checks what it patches and, if tslab changed, says so on stderr and leaves tslab as it is.
 * The protocol's content (messages, tracebacks) is built in ./protocol.ts, which is pure and unit-tested.
 */
import * as path from "node:path";
import * as util from "node:util";
import * as vm from "node:vm";
import { type Diagnostic, type KernelError, cellCount, cellName, errorFromDiagnostics, errorFromThrown, executeResult, kernelFailure, kernelInfo } from "./protocol.js";
import { type SourceMap, parseSourceMap, takeInlineMap, throughMaps, withoutMapComment } from "./source-map.js";

interface Message {
  header: { msg_type: string };
  content: Record<string, unknown>;
  createReply(): Message;
  signAndSend(key: string, socket: unknown): void;
}
type WriteStream = (name: string, text: string) => void;
type WriteDisplay = (data: unknown, update: boolean) => void;
interface ExecuteRequest {
  code: string;
  stop_on_error?: boolean;
}
interface Count {
  count: number;
}
interface Executor {
  execute(src: string): Promise<boolean>;
}
interface Handler {
  execCount: number;
  executor: Executor;
  execQueue: { add<T>(fn: () => Promise<T>): Promise<T>; reset(delay?: number): void };
  createWriteToIopub(name: string, write: WriteStream): typeof process.stdout.write;
  handleKernel(): Record<string, unknown>;
  handleShutdown(req: { restart?: boolean }): Record<string, unknown>;
  handleExecute(req: ExecuteRequest, writeStream: WriteStream, writeDisplay: WriteDisplay, run?: CellRun): Promise<Record<string, unknown>>;
  handleExecuteImpl(req: ExecuteRequest, writeStream: WriteStream, writeDisplay: WriteDisplay, run?: CellRun): Promise<Count>;
}
interface Server {
  connInfo: { key: string };
  iopub: unknown;
  handler: Handler;
}
interface Converter {
  convert(prevDecl: string, src: string): { diagnostics?: Diagnostic[] };
}
interface ConverterSet {
  readonly node: Converter;
  readonly browser: Converter;
  close(): void;
}
interface Publisher {
  send(message: unknown): Promise<void>;
  sendHighWaterMark: number;
}

/** Flush a stream's text this soon after its first unsent write. */
const FLUSH_MS = 50;
/** …or as soon as this much is waiting. */
const FLUSH_BYTES = 64 * 1024;

const tslabDir = () => path.dirname(require.resolve("tslab/package.json"));
const tslab = <T>(file: string): T => require(path.join(tslabDir(), "dist", file)) as T;

/** One execute_request while it runs: where its messages go, and what its code reported. */
class CellRun {
  count = 0;
  source = "";
  /** What tslab's executor printed as an error: a thrown value, or diagnostics (then a format string). */
  errors: unknown[][] = [];
  diagnostics: Diagnostic[] = [];
  error?: KernelError;

  constructor(
    readonly publish: (type: string, content: unknown) => void,
    readonly writeStream: WriteStream,
  ) {}

  /** The error to report for a cell tslab's executor said failed. */
  failure(): KernelError {
    const thrown = this.errors.find((args) => args[0] !== DIAGNOSTIC_FORMAT);
    if (thrown) return errorFromThrown(thrown[0], { sourceOf: (n) => sources.get(n), cwd: process.cwd() });
    if (this.diagnostics.length > 0) return errorFromDiagnostics(this.diagnostics, this.source, this.count);
    return { ename: "Error", evalue: "the cell failed and tslab said nothing more", traceback: ["Error: the cell failed and tslab said nothing more"] };
  }
}

/** tslab's executor prints each diagnostic with this format (executor.js, printDiagnostics). */
const DIAGNOSTIC_FORMAT = "%s%d:%d - %s";

/** The cell whose code is running now (execute requests run one at a time, in tslab's queue). */
let current: CellRun | undefined;
/** Each executed cell's source, by execution count, for the line under a traceback's frame. */
const sources = new Map<number, string>();

function coalesceStreams(): void {
  const { ZmqServer } = tslab<{ ZmqServer: { prototype: Server & { handleExecute(sock: unknown, msg: Message): Promise<void> } } }>("jupyter.js");
  ZmqServer.prototype.handleExecute = async function (this: Server, sock: unknown, msg: Message): Promise<void> {
    let name = "";
    let text = "";
    let timer: NodeJS.Timeout | undefined;
    const send = (type: string, content: unknown) => {
      const m = msg.createReply();
      m.header.msg_type = type;
      m.content = content as Record<string, unknown>;
      m.signAndSend(this.connInfo.key, this.iopub);
    };
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (text !== "") send("stream", { name, text });
      text = "";
    };
    const writeStream = (stream: string, chunk: string) => {
      if (stream !== name) flush(); // stdout and stderr keep their order
      name = stream;
      text += chunk;
      if (text.length >= FLUSH_BYTES) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
    };
    // What was printed before anything else the cell sends appears before it.
    const publish = (type: string, content: unknown) => {
      flush();
      send(type, content);
    };
    const writeDisplayData = (data: unknown, update: boolean) => publish(update ? "update_display_data" : "display_data", data);
    const run = new CellRun(publish, writeStream);
    const content = await this.handler.handleExecute(msg.content as unknown as ExecuteRequest, writeStream, writeDisplayData, run);
    flush();
    const reply = msg.createReply();
    reply.header.msg_type = "execute_reply";
    reply.content = content;
    reply.signAndSend(this.connInfo.key, sock);
  };
}

function sendInOrder(): void {
  const zmq = require(require.resolve("zeromq", { paths: [tslabDir()] })) as { Publisher: { prototype: Publisher } };
  const proto = zmq.Publisher.prototype;
  const send = proto.send;
  const queues = new WeakMap<Publisher, Promise<void>>();
  function inOrder(this: Publisher, message: unknown): Promise<void> {
    if (!queues.has(this)) this.sendHighWaterMark = 0; // 0: no limit, queue rather than drop
    const sent = (queues.get(this) ?? Promise.resolve()).then(() => send.call(this, message));
    // The queue goes on after a failed send; the caller still sees the failure.
    queues.set(this, sent.catch(() => {}));
    return sent;
  }
  // `send` is a read-only property of a base class: give Publisher its own.
  Object.defineProperty(proto, "send", { value: inOrder, writable: true, configurable: true });
}

/**
 * Results and errors as messages. tslab's executor prints a cell's last value with the `log` of
 * the console it is given, and a thrown error or each diagnostic with its `error` (and uses that
 * console for nothing else): give it one that tells the running cell instead. Its converter's
 * diagnostics are kept whole (code, position) for the traceback.
 */
function reportResults(): void {
  const executor = tslab<{ createExecutor: (root: string, convs: ConverterSet, console: { log: Console["log"]; error: Console["error"] }) => unknown }>("executor.js");
  const create = executor.createExecutor;
  if (typeof create !== "function") throw new Error("tslab's executor.js has no createExecutor");
  executor.createExecutor = (root, convs, console) =>
    create(root, keepDiagnostics(convs), {
      log: (...args: unknown[]) => {
        const run = current;
        if (!run) return console.log(...args);
        let result;
        try {
          result = executeResult(args[0], run.count);
        } catch (e) {
          run.writeStream("stderr", `the cell's value could not be printed: ${(e as Error)?.message ?? e}\n`);
          return;
        }
        run.publish("execute_result", result);
      },
      error: (...args: unknown[]) => (current ? current.errors.push(args) : console.error(...args)),
    });
}

function keepDiagnostics(convs: ConverterSet): ConverterSet {
  const wrapped = new Map<Converter, Converter>();
  const wrap = (conv: Converter): Converter => {
    let w = wrapped.get(conv);
    if (!w) {
      w = Object.assign(Object.create(conv) as Converter, {
        convert(prevDecl: string, src: string) {
          const converted = conv.convert(prevDecl, src);
          if (current) current.diagnostics = converted.diagnostics ?? [];
          return converted;
        },
      });
      wrapped.set(conv, w);
    }
    return w;
  };
  return {
    get node() {
      return wrap(convs.node);
    },
    get browser() {
      return wrap(convs.browser);
    },
    close: () => convs.close(),
  };
}

/** tslab's handler, with its execute path redone to the protocol (see 2 and 3 at the top). */
function conformingHandler(): void {
  const jupyter = tslab<{ JupyterHandlerImpl: { prototype: Handler }; lastWriteDisplayData: unknown }>("jupyter.js");
  const { TaskCanceledError } = tslab<{ TaskCanceledError: new (...a: unknown[]) => Error }>("util.js");
  const proto = jupyter.JupyterHandlerImpl.prototype;
  for (const method of ["handleExecute", "handleExecuteImpl", "handleKernel", "handleShutdown", "createWriteToIopub"] as const) {
    if (typeof proto[method] !== "function") throw new Error(`tslab's JupyterHandlerImpl has no ${method}`);
  }
  const isCount = (e: unknown): e is Count => typeof e === "object" && e !== null && typeof (e as Count).count === "number" && !(e instanceof Error);

  proto.handleExecuteImpl = async function (this: Handler, req, writeStream, writeDisplayData, run) {
    // Output that arrives after the cell finished still goes to its cell, as in IPython.
    process.stdout.write = this.createWriteToIopub("stdout", writeStream);
    process.stderr.write = this.createWriteToIopub("stderr", writeStream);
    jupyter.lastWriteDisplayData = writeDisplayData;
    const count: Count = { count: ++this.execCount };
    if (!run) return (await this.executor.execute(req.code)) ? count : Promise.reject(count);
    run.count = count.count;
    run.source = req.code;
    sources.set(count.count, req.code);
    run.publish("execute_input", { code: req.code, execution_count: count.count });
    current = run;
    let ok: boolean;
    try {
      ok = await this.executor.execute(req.code);
    } finally {
      current = undefined;
    }
    if (!ok) {
      run.error = run.failure();
      run.publish("error", run.error);
      throw count;
    }
    // A module cell (`//@module`) runs even with diagnostics: they stay printed, as tslab did.
    for (const args of run.errors) run.writeStream("stderr", util.format(...args) + "\n");
    return count;
  };

  proto.handleExecute = async function (this: Handler, req, writeStream, writeDisplayData, run) {
    const stopOnError = req.stop_on_error !== false;
    try {
      const done = await this.execQueue.add(async () => {
        try {
          return await this.handleExecuteImpl(req, writeStream, writeDisplayData, run);
        } catch (e) {
          // A failure only aborts the requests queued after it when the request asked for that.
          if (!stopOnError && isCount(e)) return { count: e.count, failed: true };
          throw e;
        }
      });
      if ("failed" in done) return { status: "error", execution_count: done.count, ...run?.error };
      return { status: "ok", execution_count: done.count };
    } catch (e) {
      if (e instanceof TaskCanceledError) return { status: "aborted" };
      // tslab's abort window: requests arriving in the next 200 ms are aborted, then the queue
      // runs again (https://github.com/yunabe/tslab/issues/19).
      this.execQueue.reset(200);
      if (isCount(e)) return { status: "error", execution_count: e.count, ...run?.error };
      console.error("unexpected error:", e);
      const error = kernelFailure(e);
      run?.publish("error", error);
      return { status: "error", execution_count: this.execCount, ...error };
    }
  };

  const handleKernel = proto.handleKernel;
  const versions = {
    typescript: (require(require.resolve("@tslab/typescript-for-tslab", { paths: [tslabDir()] })) as { version: string }).version,
    tslab: (require(path.join(tslabDir(), "package.json")) as { version: string }).version,
    node: process.version,
  };
  proto.handleKernel = function (this: Handler) {
    return kernelInfo(handleKernel.call(this), versions);
  };
  const handleShutdown = proto.handleShutdown;
  proto.handleShutdown = function (this: Handler, req) {
    return { ...handleShutdown.call(this, req), status: "ok", restart: req?.restart === true };
  };

  const { ZmqServer } = tslab<{ ZmqServer: { prototype: { handleCommInfoRequest(sock: unknown, msg: Message): void } & Server } }>("jupyter.js");
  // tslab answers comm_info_request with a "complete_reply" and no status.
  ZmqServer.prototype.handleCommInfoRequest = function (this: Server, sock: unknown, msg: Message) {
    const reply = msg.createReply();
    reply.header.msg_type = "comm_info_reply";
    reply.content = { status: "ok", comms: {} };
    reply.signAndSend(this.connInfo.key, sock);
  };
}

/** Each compiled cell's chain of source maps, by the JavaScript tslab runs (the latest few). */
const compiled = new Map<string, SourceMap[]>();
/** The cells that ran, by the file name their code ran under (`Cell In[n]`). */
const scripts = new Map<string, { maps: SourceMap[] | null; prefix: number }>();

/**
 * Compile cells with source maps. tslab compiles a cell twice (TypeScript to an ES module, then
 * that to CommonJS) and keeps no map. The TypeScript it loads is given to it through a wrapper
 * that turns on an inline map for the first step and a map for the second, and remembers both.
 */
function compileWithSourceMaps(): void {
  const file = require.resolve("@tslab/typescript-for-tslab", { paths: [tslabDir()] });
  type TS = Record<string, unknown> & {
    createWatchCompilerHost: (...args: unknown[]) => unknown;
    transpileModule: (input: string, options: { compilerOptions?: Record<string, unknown> }) => { outputText: string; sourceMapText?: string };
  };
  const ts = require(file) as TS;
  const cached = require.cache[file];
  if (!cached || typeof ts.createWatchCompilerHost !== "function" || typeof ts.transpileModule !== "function") {
    throw new Error("tslab's TypeScript is not as expected");
  }
  const wrapper: Record<string, unknown> = {};
  for (const key of Object.keys(ts)) {
    if (key !== "createWatchCompilerHost" && key !== "transpileModule") Object.defineProperty(wrapper, key, { get: () => ts[key], enumerable: true });
  }
  Object.defineProperty(wrapper, "createWatchCompilerHost", {
    enumerable: true,
    value: (rootFiles: unknown, options: unknown, ...rest: unknown[]) =>
      ts.createWatchCompilerHost(rootFiles, Array.isArray(rootFiles) && typeof options === "object" && options ? { ...options, inlineSourceMap: true } : options, ...rest),
  });
  Object.defineProperty(wrapper, "transpileModule", {
    enumerable: true,
    value: (input: string, options: { compilerOptions?: Record<string, unknown> }) => {
      const { code, map: first } = takeInlineMap(input);
      const out = ts.transpileModule(code, { ...options, compilerOptions: { ...options?.compilerOptions, sourceMap: true } });
      const outputText = withoutMapComment(out.outputText);
      if (first && out.sourceMapText) {
        compiled.set(outputText, [parseSourceMap(out.sourceMapText), first]);
        while (compiled.size > 16) compiled.delete(compiled.keys().next().value!);
      }
      return { ...out, outputText, sourceMapText: undefined };
    },
  });
  cached.exports = wrapper;
}

/** tslab runs a cell as `(function(exports, require) { <code>\n})(__tslab__.exports, __tslab__.require)`. */
const CELL_PREFIX = /^\((?:async )?function\(exports, require\) \{ /;
const CELL_SUFFIX = "\n})(__tslab__.exports, __tslab__.require)";

/** Run each cell's code under the name `Cell In[n]`, and map its stack frames to the cell's lines. */
function nameCellsInStacks(): void {
  // The module object itself (an `import * as` would be a copy): tslab's executor looks it up on each call.
  const vmModule = require("node:vm") as { runInThisContext: typeof vm.runInThisContext };
  const run = vmModule.runInThisContext;
  vmModule.runInThisContext = function (this: unknown, code: string, options?: vm.RunningScriptOptions | string) {
    const cell = current;
    const prefix = typeof code === "string" ? CELL_PREFIX.exec(code) : null;
    if (cell && prefix && code.endsWith(CELL_SUFFIX) && (options === undefined || typeof options === "object")) {
      const name = cellName(cell.count);
      scripts.set(name, { maps: compiled.get(code.slice(prefix[0].length, -CELL_SUFFIX.length)) ?? null, prefix: prefix[0].length });
      return run.call(this, code, { ...options, filename: name });
    }
    return run.call(this, code, options as vm.RunningScriptOptions);
  } as typeof vm.runInThisContext;

  // Node's own format (lib/internal/errors.js), with cells' frames at their cell's line and column.
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
    let head: string;
    try {
      head = Error.prototype.toString.call(error);
    } catch {
      head = "Error";
    }
    return frames.length === 0 ? head : `${head}\n    at ${frames.map(frameText).join("\n    at ")}`;
  };
}

function frameText(frame: NodeJS.CallSite): string {
  const text = String(frame);
  const file = frame.getFileName();
  const script = file ? scripts.get(file) : undefined;
  const line = frame.getLineNumber();
  const column = frame.getColumnNumber();
  if (!file || !script || line === null || column === null || cellCount(file) === null) return text;
  // The cell's code starts on the wrapper's first line, after its prefix; the maps' original is
  // the cell after tslab's one-line prefix (`export {};`).
  const at = script.maps ? throughMaps(script.maps, { line: line - 1, column: column - 1 - (line === 1 ? script.prefix : 0) }) : null;
  // Unmapped: code tslab added around the cell's (the call of its wrapper), said as such.
  const where = at && at.line >= 1 ? `${file}:${at.line}:${at.column + 1}` : `${file} (compiled):${line}:${column}`;
  // A function of an earlier cell is called through tslab's exports Proxy: V8 names it `Proxy.f`.
  const own = frame.getTypeName() === "Proxy" ? text.replace(/^(async )?Proxy\./, "$1") : text;
  return own.replace(`${file}:${line}:${column}`, where);
}

// compileWithSourceMaps first: it must come before anything loads tslab's converter.
for (const fix of [compileWithSourceMaps, coalesceStreams, sendInOrder, conformingHandler, reportResults, nameCellsInStacks]) {
  try {
    fix();
  } catch (e) {
    // Never stop the kernel from starting: without a fix, tslab behaves as it always did there.
    process.stderr.write(`micrograd-ts kernel preload (${fix.name}): ${(e as Error).message}\n`);
  }
}
