/**
 * Loaded (`--require`) into the kernel that grades a submission, after preload.js and before tslab
 * and any cell: what makes a verdict something an answer cell cannot forge.
 *
 * - The grader (tools/check.ts) leaves a per-run secret in `$MICROGRAD_GRADING_DIR/secret`; we read
 *   it into a KeyObject (its bytes live outside the JavaScript heap), delete the file and the
 *   variable. No cell can read it afterwards.
 * - Each check cell the grader composes starts with `//@micrograd-check <nonce>` on its first line.
 *   Around such a cell we count the real check helpers' verdicts (onCheckVerdict: passes, and
 *   failures even when caught) and look for tampering. The cell passes only when the kernel's own
 *   handler (taken here, before any cell) says "ok", at least one check passed if the cell calls
 *   one, none failed, and nothing the checks rely on was changed. We then append
 *   `<nonce> <verdict> <detail> <hmac>` to `$MICROGRAD_GRADING_DIR/records`; the grader counts
 *   only records whose HMAC matches, so printing, a patched handler or a forged line do not count.
 * - The library is loaded now, so its check helpers take pristine intrinsics; its module objects,
 *   Node's module loader, tslab's handler and the kernel's `__tslab__` are made read-only; JSON,
 *   Math and Reflect are frozen (a patched JSON.stringify would break the kernel's protocol).
 * - Tampering: every own property of the intrinsics the checks and the kernel use is remembered
 *   now and compared after each check cell (any change counts); the library's classes may gain
 *   methods (a lesson may extend them) but not have one replaced or removed.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

const apply = Reflect.apply;
const { update, digest } = crypto.Hmac.prototype;
const createHmac = crypto.createHmac;
const writeSync = fs.writeSync;
const getOwnPropertyDescriptors = Object.getOwnPropertyDescriptors;
const ownKeys = Reflect.ownKeys;
const defineProperty = Object.defineProperty;
const freeze = Object.freeze;
const is = Object.is;
const SafeMap = Map;
const mapGet = Map.prototype.get;
const mapSet = Map.prototype.set;
const arrayPush = Array.prototype.push;
const arrayJoin = Array.prototype.join;
const regexpExec = RegExp.prototype.exec;
const bufferFrom = Buffer.from;
const toBase64 = (s: string) => apply(Buffer.prototype.toString, apply(bufferFrom, Buffer, [s, "utf8"]), ["base64"]) as string;

/** The first line of a composed check cell. Kept in sync with tools/check.ts. */
export const NONCE_LINE = /\/\/@micrograd-check ([0-9a-f]{32})\s*$/m;

type Watch = { name: string; target: object; any: boolean; snapshot: Map<PropertyKey, PropertyDescriptor> };

function startGrading(dir: string): void {
  const root = path.resolve(__dirname, "..", "..");
  const secretFile = path.join(dir, "secret");
  const key = crypto.createSecretKey(fs.readFileSync(secretFile));
  fs.rmSync(secretFile, { force: true });
  delete process.env.MICROGRAD_GRADING_DIR;
  const records = fs.openSync(path.join(dir, "records"), "a", 0o600);

  const sign = (line: string): string => {
    const h = createHmac("sha256", key);
    apply(update, h, [line]);
    return apply(digest, h, ["hex"]) as string;
  };
  const record = (nonce: string, verdict: string, detail: string) => {
    const line = `${nonce} ${verdict} ${toBase64(detail)}`;
    writeSync(records, `${line} ${sign(line)}\n`);
  };

  // The library, loaded now: its checks take pristine intrinsics, and we tell its verdicts.
  const lib = require(path.join(root, "dist", "index.js")) as Record<string, unknown>;
  const checkModule = require(path.join(root, "dist", "notebook", "check.js")) as {
    onCheckVerdict(l: (name: string, passed: boolean) => void): void;
  };
  let passes = 0;
  let failures: string[] = [];
  checkModule.onCheckVerdict((name, passed) => {
    if (passed) passes++;
    else apply(arrayPush, failures, [name]);
  });

  // What the checks and the kernel rely on.
  const watches: Watch[] = [];
  const watch = (name: string, target: unknown, any: boolean) => {
    if ((typeof target !== "object" && typeof target !== "function") || target === null) return;
    const snapshot = new SafeMap<PropertyKey, PropertyDescriptor>();
    const descriptors = getOwnPropertyDescriptors(target);
    for (const k of ownKeys(descriptors)) apply(mapSet, snapshot, [k, descriptors[k as string]]);
    apply(arrayPush, watches, [{ name, target, any, snapshot }]);
  };
  const intrinsics: [string, unknown][] = [
    ["Object", Object], ["Object.prototype", Object.prototype], ["Function.prototype", Function.prototype],
    ["Array", Array], ["Array.prototype", Array.prototype], ["Number", Number], ["Number.prototype", Number.prototype],
    ["String", String], ["String.prototype", String.prototype], ["Boolean.prototype", Boolean.prototype],
    ["Math", Math], ["JSON", JSON], ["Reflect", Reflect], ["Map.prototype", Map.prototype], ["Set.prototype", Set.prototype],
    ["WeakMap.prototype", WeakMap.prototype], ["Promise", Promise], ["Promise.prototype", Promise.prototype],
    ["Symbol", Symbol], ["RegExp.prototype", RegExp.prototype], ["Error.prototype", Error.prototype],
  ];
  for (const [name, target] of intrinsics) watch(name, target, true);
  for (const name of ownKeys(lib)) {
    const value = lib[name as string];
    if (typeof value !== "function") continue;
    // A class's statics may not change at all (Symbol.hasInstance would make fakes pass instanceof);
    // its prototype may gain methods (a lesson may extend the library's classes).
    watch(String(name), value, true);
    watch(`${String(name)}.prototype`, (value as { prototype?: unknown }).prototype, false);
  }
  const changes = (): string[] => {
    const found: string[] = [];
    for (const w of watches) {
      const now = getOwnPropertyDescriptors(w.target);
      const seen = new SafeMap<PropertyKey, boolean>();
      for (const k of ownKeys(now)) {
        apply(mapSet, seen, [k, true]);
        const before = apply(mapGet, w.snapshot, [k]) as PropertyDescriptor | undefined;
        const after = now[k as string]!;
        if (!before) {
          if (w.any) apply(arrayPush, found, [`${w.name}.${String(k)} was added`]);
          continue;
        }
        if (!is(before.value, after.value) || before.get !== after.get || before.set !== after.set) {
          apply(arrayPush, found, [`${w.name}.${String(k)} was replaced`]);
        }
      }
      w.snapshot.forEach((_, k) => {
        if (!apply(mapGet, seen, [k])) apply(arrayPush, found, [`${w.name}.${String(k)} was removed`]);
      });
    }
    return found;
  };

  // Read-only from here on: the library's modules, Node's loader, the intrinsics the kernel's
  // protocol needs, and (once tslab sets it) __tslab__.
  const Module = require("node:module") as unknown as Record<string, unknown> & { _cache: Record<string, object>; prototype: object };
  for (const id of Object.keys(Module._cache)) {
    if (!id.startsWith(path.join(root, "dist") + path.sep) || id.startsWith(path.join(root, "dist", "kernel") + path.sep)) continue;
    const mod = Module._cache[id]!;
    freeze((mod as { exports: object }).exports);
    freeze(mod);
    defineProperty(Module._cache, id, { value: mod, writable: false, configurable: false, enumerable: true });
  }
  const pin = (target: object, keys: string[]) => {
    for (const k of keys) {
      const d = Object.getOwnPropertyDescriptor(target, k);
      if (!d?.configurable) continue;
      defineProperty(target, k, "value" in d ? { value: d.value, writable: false, configurable: false } : { get: d.get, configurable: false });
    }
  };
  pin(Module, ["_load", "_resolveFilename", "_extensions", "_findPath", "_nodeModulePaths", "wrap", "wrapper", "_compile", "_cache"]);
  freeze(Module._extensions as object);
  pin(Module.prototype, ["require", "_compile", "load"]);
  freeze(require("node:vm"));
  freeze(JSON);
  freeze(Math);
  freeze(Reflect);
  let tslabGlobal: unknown;
  defineProperty(globalThis, "__tslab__", {
    configurable: false,
    get: () => tslabGlobal,
    set: (x: { exports: unknown; require: unknown }) => {
      if (tslabGlobal === undefined) tslabGlobal = freeze({ exports: x.exports, require: x.require });
    },
  });

  // The verdict of each composed check cell, decided outside the cell's code.
  const tslab = path.dirname(require.resolve("tslab/package.json"));
  const jupyter = require(path.join(tslab, "dist", "jupyter.js")) as {
    JupyterHandlerImpl: { prototype: { handleExecute(content: { code?: unknown }, ...rest: unknown[]): Promise<{ status?: string }> } };
    ZmqServer: { prototype: object };
  };
  const handler = jupyter.JupyterHandlerImpl.prototype;
  const handleExecute = handler.handleExecute;
  // tslab compiles each cell with its own TypeScript, whose namespace objects (ts.factory, ts.sys,
  // …) hold functions the compiler calls through them: replacing `ts.factory.updateSourceFile`
  // from an answer cell rewrote every later check cell into one passing check. Those functions,
  // and tslab's own modules' exports (called the same way), are made read-only before the first
  // cell runs. Not earlier: tslab sets up its compiler host (Object.create(ts.sys), then assigns
  // its own methods) when the kernel starts, and a read-only ts.sys would refuse those assignments.
  let compilerLocked = false;
  const lockCompiler = () => {
    compilerLocked = true;
    const ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [tslab] })) as Record<string, unknown> & {
      Debug: Record<string, unknown> & { shouldAssert(level: number): boolean };
      noop: () => void;
    };
    // The one place TypeScript replaces its own functions: at the default assertion level each of
    // these node assertions turns itself into `noop` on its first call. Done now, as TypeScript would.
    for (const name of ["assertEachNode", "assertMissingNode", "assertNode", "assertNotNode", "assertOptionalNode", "assertOptionalToken"]) {
      if (!ts.Debug.shouldAssert(1)) ts.Debug[name] = ts.noop;
    }
    for (const k of Object.keys(ts)) {
      const v = ts[k];
      if (typeof v !== "object" || v === null || Array.isArray(v)) continue;
      pin(v, Object.keys(getOwnPropertyDescriptors(v)).filter((n) => typeof Object.getOwnPropertyDescriptor(v, n)?.value === "function"));
    }
    for (const file of ["converter", "executor", "metadata", "tspath", "util", "inspect"]) freeze(require(path.join(tslab, "dist", `${file}.js`)));
  };
  const callsHelper = /\b(check|checkGrads|checkTrue|checkFresh)\s*\(/;
  handler.handleExecute = async function (this: unknown, content: { code?: unknown }, ...rest: unknown[]) {
    const writeStream = rest[0] as (name: string, text: string) => void;
    if (!compilerLocked) lockCompiler();
    const code = typeof content?.code === "string" ? content.code : "";
    const firstLine = code.slice(0, code.indexOf("\n") >>> 0);
    const match = apply(regexpExec, NONCE_LINE, [firstLine]) as RegExpExecArray | null;
    if (!match) return apply(handleExecute, this, [content, ...rest]);
    const nonce = match[1]!;
    passes = 0;
    failures = [];
    // Before and after: a change an earlier cell made (or a timer it left makes) cannot hide.
    const before = changes();
    const reply = (await apply(handleExecute, this, [content, ...rest])) as { status?: string };
    const tampered = before.length > 0 ? before : changes();
    let verdict = "pass";
    let detail = "";
    if (tampered.length > 0) {
      verdict = "tampered";
      detail = `something an earlier cell ran changed what the checks rely on: ${apply(arrayJoin, tampered.slice(0, 3), ["; "])}${tampered.length > 3 ? "; …" : ""}`;
    } else if (failures.length > 0) {
      verdict = "fail";
      detail = failures[0]!;
    } else if (reply?.status !== "ok") {
      verdict = "fail";
    } else if (passes === 0 && apply(regexpExec, callsHelper, [code])) {
      verdict = "fail";
      detail = "the check cell finished without any of its checks passing (something interfered with how it ran)";
    }
    record(nonce, verdict, detail);
    if (verdict === "tampered") {
      writeStream("stderr", `GradingError: ${detail}\n`);
      return { ...reply, status: "error" };
    }
    return reply;
  };
  freeze(handler);
  freeze(jupyter.JupyterHandlerImpl);
  freeze(jupyter.ZmqServer.prototype);
  freeze(jupyter.ZmqServer);
  for (const k of ["JupyterHandlerImpl", "ZmqServer"]) defineProperty(jupyter, k, { writable: false, configurable: false });
}

const dir = process.env.MICROGRAD_GRADING_DIR;
if (dir) {
  try {
    startGrading(dir);
  } catch (e) {
    // A grading kernel that cannot guard its verdicts must not grade: stop now, the grader says why.
    process.stderr.write(`micrograd-ts grading kernel: ${(e as Error).stack ?? e}\n`);
    process.exit(70);
  }
}
