/**
 * Cheating answers and a hostile submission, graded for real (a confined kernel per submission)
 * from a folder outside the project, the way a teacher grades downloaded notebooks.
 *
 * Every cheat sits in an answer cell next to a wrong answer; each must earn 0 of 5. Some were
 * found by a hostile round (they earned full marks before), the others are of the same families:
 * patched intrinsics, patched or replaced library exports, a swapped module loader, a patched
 * kernel handler, a patched compiler (tslab's TypeScript), repatched library classes, forged output and records, a broken kernel.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Notebook, serializeNotebook, sourceText, toSourceLines } from "../../src/ipynb/notebook";
import { readNotebook } from "../../src/ipynb/read";
import { type NotebookReport, gradeNotebook } from "../../src/tools/check";
import { gradingSandbox } from "../../src/tools/confine";
import { learnerCopy } from "../../src/tools/exercises";
import { mapLimit } from "../../src/tools/processes";
import { type RunResult, runNotebook } from "../../src/tools/run";

const ROOT = resolve(__dirname, "..", "..");
const LESSONS = join(ROOT, "test", "fixtures", "exercises");
const lesson = readNotebook(join(LESSONS, "solved.ipynb"));
const byId = (nb: Notebook, id: string) => nb.cells.find((c) => (c.metadata.nbgrader as { grade_id?: string } | undefined)?.grade_id === id)!;

const WRONG_SLOPE = "const f = (x: number) => 3 * x ** 2 - 4 * x + 5;\nfunction slope(x: number, h = 1e-6): number { return 0; }";
const WRONG_L = 'const a = new Value(2.0, "a");\nconst b = new Value(-3.0, "b");\nlet L: Value = a.mul(b);';
/** Wrong: L has the right value but the wrong gradients ([1, 1]), so the grads are set by hand. */
const FAKE_L = 'const a = new Value(2.0, "a");\nconst b = new Value(-3.0, "b");\nlet L: Value = a.add(b).add(5);\na.grad = -3;\nb.grad = 2;';

/** Each cheat: code put in the first answer cell (after a wrong slope); the second answer is WRONG_L. */
const CHEATS: Record<string, string> = {
  "Math.abs and Math.max patched": "(Math as any).abs = () => 0;\n(Math as any).max = () => 1e9;",
  "Number.isNaN and isFinite redefined": 'Object.defineProperty(Number, "isNaN", { value: () => false });\nObject.defineProperty(Number, "isFinite", { value: () => true });',
  "Array.isArray patched": "(Array as any).isArray = () => true;",
  "the check module's exports replaced": 'Object.assign(require("micrograd-ts/dist/notebook/check.js"), { check() {}, checkGrads() {}, checkTrue() {} });',
  "the library's exports replaced": 'Object.assign(require("micrograd-ts"), { check() {}, checkGrads() {}, checkTrue() {} });',
  "a check helper's body reached through defineProperty": 'Object.defineProperty(require("micrograd-ts/dist/notebook/check.js"), "check", { value() {} });',
  "__tslab__.require swapped": "const fake = { check() {}, checkGrads() {}, checkTrue() {}, CheckError: Error };\n(globalThis as any).__tslab__.require = () => fake;\n(globalThis as any).__tslab__ = { exports: (globalThis as any).__tslab__.exports, require: () => fake };",
  "the module cache entry replaced": 'const id = require.resolve("micrograd-ts/dist/notebook/check.js");\ndelete require.cache[id];\n(require.cache as any)[id] = { exports: { check() {}, checkGrads() {}, checkTrue() {} } };',
  "Module._load patched": 'const M: any = require("module");\nconst load = M._load;\nM._load = function (req: string, ...rest: any[]) { const m = load.call(this, req, ...rest); return req === "micrograd-ts" ? { ...m, check() {}, checkGrads() {} } : m; };',
  "tslab's handleExecute wrapped to report ok": 'const J: any = require("tslab/dist/jupyter.js").JupyterHandlerImpl;\nconst orig = J.prototype.handleExecute;\ntry { J.prototype.handleExecute = async function (...a: any[]) { const r = await orig.apply(this, a); return { ...r, status: "ok" }; }; } catch {}\ntry { Object.defineProperty(J.prototype, "handleExecute", { value: async function (this: any, ...a: any[]) { const r = await orig.apply(this, a); return { ...r, status: "ok" }; } }); } catch {}',
  "the server's handleExecute wrapped": 'const Z: any = require("tslab/dist/jupyter.js").ZmqServer;\ntry { const o = Z.prototype.handleExecute; Z.prototype.handleExecute = function (this: any, sock: any, msg: any) { msg.content.code = "1"; return o.call(this, sock, msg); }; } catch {}',
  "Value.prototype.backward made a no-op": 'require("micrograd-ts").Value.prototype.backward = function () {};',
  "Value.prototype.backward redefined": 'Object.defineProperty(require("micrograd-ts").Value.prototype, "backward", { value() {}, configurable: true });',
  "Symbol.hasInstance on Value": "",
  "backward patched by a timer, restored after the check": "",
  "TypeScript's node factory patched to rewrite the check cells": "const ts: any = require(\"@tslab/typescript-for-tslab\");\nconst F = ts.factory;\nconst upd = F.updateSourceFile;\nF.updateSourceFile = (node: any, statements: any, ...rest: any[]) => {\n  if (String(node.text).includes(\"micrograd-check\")) {\n    const lib = F.createCallExpression(F.createIdentifier(\"require\"), undefined, [F.createStringLiteral(\"micrograd-ts\")]);\n    statements = [F.createExpressionStatement(F.createCallExpression(F.createPropertyAccessExpression(lib, \"checkTrue\"), undefined, [F.createStringLiteral(\"ok\"), F.createTrue()]))];\n  }\n  return upd(node, statements, ...rest);\n};",
  "Object.prototype polluted": 'Object.defineProperty(Object.prototype, "graded", { value: true });',
  "Function.prototype.call patched": "const call = Function.prototype.call;\nFunction.prototype.call = function (this: any, ...a: any[]) { return call.apply(this, a as any); };",
  "JSON.stringify patched": '(JSON as any).stringify = () => "{}";',
  "forged ✓ output and forged records": [
    'console.log("✓ slope at 3");',
    'const fs = require("fs");',
    'const nb = fs.readdirSync("..").find((f: string) => f.endsWith(".ipynb"));',
    'const nonces = nb ? [...fs.readFileSync("../" + nb, "utf8").matchAll(/micrograd-check ([0-9a-f]{32})/g)].map((m: any) => m[1]) : [];',
    'for (const n of nonces) fs.appendFileSync("../grading/records", `${n} pass  ${"0".repeat(64)}\\n`);',
  ].join("\n"),
  "the kernel exits": "process.exit(0);",
};

let dir = "";
const reports = new Map<string, NotebookReport>();
let hostile: { report: NotebookReport; run?: RunResult; checkJs: string } | undefined;
let afterHostile: NotebookReport | undefined;
let correct: NotebookReport | undefined;
const checkJs = join(ROOT, "dist", "notebook", "check.js");
const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");

/** Cheats whose wrong second answer only passes with them. */
const SECOND: Record<string, string> = {
  "Symbol.hasInstance on Value": 'const a: any = { grad: -3, label: "a" };\nconst b: any = { grad: 2, label: "b" };\nlet L: any = { data: 4, backward() {} };\nObject.defineProperty(Value, Symbol.hasInstance, { value: () => true });',
  "backward patched by a timer, restored after the check": `${FAKE_L}\nconst V: any = Value;\nconst keep = V.prototype.backward;\nsetTimeout(() => (V.prototype.backward = function () {}), 0);\nsetTimeout(() => (V.prototype.backward = keep), 4000);`,
  "Value.prototype.backward made a no-op": FAKE_L,
  "Value.prototype.backward redefined": FAKE_L,
};

function submission(name: string, slope: string, buildL = WRONG_L): string {
  const nb = learnerCopy(lesson, "solved");
  byId(nb, "slope").source = toSourceLines(slope);
  byId(nb, "build-L").source = toSourceLines(buildL);
  const file = join(dir, `${name}.ipynb`);
  writeFileSync(file, serializeNotebook(nb));
  return file;
}

const HOSTILE = [
  WRONG_SLOPE,
  'const fs = require("fs");',
  "const tries: Record<string, string> = {};",
  "const attempt = (what: string, f: () => unknown) => { try { f(); tries[what] = \"done\"; } catch (e: any) { tries[what] = e.code ?? e.name ?? String(e); } };",
  `attempt("append to the library", () => fs.appendFileSync(${JSON.stringify(checkJs)}, "\\nexports.check = () => {};\\n"));`,
  `attempt("write in /tmp", () => fs.writeFileSync("/tmp/micrograd-hostile-was-here", "x"));`,
  `attempt("write in the project", () => fs.writeFileSync(${JSON.stringify(join(ROOT, "hostile-was-here"))}, "x"));`,
  'attempt("read /etc/passwd", () => fs.readFileSync("/etc/passwd", "utf8"));',
  'attempt("start a process", () => require("child_process").spawnSync("/bin/sh", ["-c", "sleep 600 &"]));',
  'attempt("start a worker", () => new (require("worker_threads").Worker)("setInterval(() => {}, 1000)", { eval: true }));',
  'console.log(JSON.stringify({ tries, env: Object.keys(process.env).sort() }));',
].join("\n");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "micrograd-downloads-")); // a folder outside the project
  const before = sha(checkJs);
  // The hostile submission first, then a wrong one: the hostile one must not change its grade.
  let run: RunResult | undefined;
  const report = await gradeNotebook(submission("hostile", HOSTILE), { lessonsDir: LESSONS, run: async (f, o) => (run = await runNotebook(f, o)) });
  hostile = { report, run, checkJs: before };
  const jobs: [string, string, string?][] = [
    ["after-hostile", WRONG_SLOPE],
    ["correct", sourceText(byId(lesson, "slope")), sourceText(byId(lesson, "build-L"))],
    ["fake L alone", WRONG_SLOPE, FAKE_L],
    ...Object.entries(CHEATS).map(([name, code]): [string, string, string?] => [name, `${WRONG_SLOPE}\n${code}`, SECOND[name]]),
  ];
  const graded = await mapLimit(jobs, 2, ([name, slope, buildL]) => gradeNotebook(submission(name.replace(/\W+/g, "-"), slope, buildL), { lessonsDir: LESSONS }));
  jobs.forEach(([name], i) => reports.set(name, graded[i]!));
  afterHostile = reports.get("after-hostile");
  correct = reports.get("correct");
}, 1_200_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync("/tmp/micrograd-hostile-was-here", { force: true });
});

describe("grading from a folder outside the project", () => {
  it("a correct submission gets full marks", () => {
    expect(correct?.error).toBeUndefined();
    expect(correct?.exercises.map((e) => e.status)).toEqual(["pass", "pass"]);
    expect(correct?.earned).toBe(5);
    expect(["bubblewrap", "node-permissions"]).toContain(correct?.sandbox);
    expect(correct?.sandbox).toBe(gradingSandbox());
  });
});

describe("cheats next to wrong answers earn nothing", () => {
  for (const name of Object.keys(CHEATS)) {
    it(name, () => {
      const r = reports.get(name)!;
      expect(r.earned, JSON.stringify(r, null, 1)).toBe(0);
      expect(r.exercises.map((e) => e.status)).not.toContain("pass");
    });
  }

  it("without a cheat, the fake L's gradients fail (so the cheats above are what it takes)", () => {
    expect(reports.get("fake L alone")!.exercises.map((e) => e.status)).toEqual(["fail", "fail"]);
  });

  it("a repatched library class is named in the report", () => {
    const r = reports.get("Value.prototype.backward made a no-op")!;
    expect(r.notes.join("\n")).toContain("Value.prototype.backward was replaced");
  });

  it("patching the kernel's JSON cannot break the kernel: the wrong answers are graded as such", () => {
    const r = reports.get("JSON.stringify patched")!;
    expect(r.error).toBeUndefined();
    const said = r.exercises.map((e) => e.message ?? "").join("\n");
    expect(said).toContain("CheckError: ✗ slope at 3: expected 14, got 0");
    expect(said).not.toContain("Expecting value");
  });

  it("a kernel that exits is a readable failure", () => {
    const r = reports.get("the kernel exits")!;
    expect(r.error ?? r.exercises.map((e) => e.message).join("\n")).toMatch(/kernel died|not run/);
  });
});

describe("a hostile submission", () => {
  it("is graded with its attempts denied", () => {
    const out = hostile!.run!.executed.cells.flatMap((c) => (c.outputs ?? []) as { name?: string; text?: string | string[] }[]);
    const text = out.filter((o) => o.name === "stdout").map((o) => (Array.isArray(o.text) ? o.text.join("") : o.text ?? "")).join("");
    const said = JSON.parse(text.split("\n").find((l) => l.startsWith('{"tries"'))!) as { tries: Record<string, string>; env: string[] };
    for (const what of ["append to the library", "write in /tmp", "write in the project", "read /etc/passwd", "start a process", "start a worker"]) {
      expect(said.tries[what], what).not.toBe("done");
    }
    expect(said.env).not.toContain("JUPYTER_TOKEN");
    expect(said.env.length).toBeLessThanOrEqual(6);
    expect(hostile!.report.earned).toBe(0);
  });

  it("changed none of the grader's files, and a wrong submission graded after it still gets 0", () => {
    expect(sha(checkJs)).toBe(hostile!.checkJs);
    expect(existsSync(join(ROOT, "hostile-was-here"))).toBe(false);
    expect(existsSync("/tmp/micrograd-hostile-was-here")).toBe(false);
    expect(afterHostile?.earned).toBe(0);
    expect(afterHostile?.exercises.map((e) => e.status)).toEqual(["fail", "fail"]);
  });
});
