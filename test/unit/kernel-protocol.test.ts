/**
 * The kernel's protocol content (src/kernel/protocol.ts) and source maps (src/kernel/source-map.ts),
 * without a kernel: the messages a cell's value and errors become, and the mapping of a compiled
 * position back to the cell's line, checked against TypeScript's own compiler as the oracle.
 */
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { cellCount, cellName, errorFromDiagnostics, errorFromThrown, executeResult, kernelInfo, sourceExcerpt, type Diagnostic } from "../../src/kernel/protocol";
import { decodeVlq, originalPosition, parseSourceMap, takeInlineMap, throughMaps, withoutMapComment } from "../../src/kernel/source-map";

describe("source maps", () => {
  test("base64 VLQ digits decode to the numbers they encode", () => {
    expect(decodeVlq("AAAA")).toEqual([0, 0, 0, 0]);
    expect(decodeVlq("C")).toEqual([1]);
    expect(decodeVlq("D")).toEqual([-1]);
    expect(decodeVlq("gB")).toEqual([16]);
    expect(decodeVlq("2H")).toEqual([123]);
    expect(decodeVlq("AAgBC")).toEqual([0, 0, 16, 1]);
    expect(() => decodeVlq("A!")).toThrow(/"!" is not a base64 digit/);
    expect(() => decodeVlq("g")).toThrow(/ends in the middle of a number/);
  });

  /** Where TypeScript put `needle` in its output, and the map it wrote. */
  function compile(source: string, options: ts.CompilerOptions) {
    const out = ts.transpileModule(source, { compilerOptions: { sourceMap: true, newLine: ts.NewLineKind.LineFeed, ...options } });
    return { code: withoutMapComment(out.outputText), map: parseSourceMap(out.sourceMapText!) };
  }
  function find(code: string, needle: string) {
    const lines = code.split("\n");
    const line = lines.findIndex((l) => l.includes(needle));
    expect(line, `${needle} in\n${code}`).toBeGreaterThanOrEqual(0);
    return { line, column: lines[line]!.indexOf(needle) };
  }

  test("a position in TypeScript's output maps back to the source's line and column", () => {
    // Types and blank lines vanish from the output, so the throw moves up two lines.
    const source = "interface A { a: number }\n\nconst x: A = { a: 1 };\n\n    throw new Error('x' + x.a);\n";
    const { code, map } = compile(source, { target: ts.ScriptTarget.ES2022 });
    const at = find(code, "throw");
    expect(at.line).toBeLessThan(4);
    expect(originalPosition(map, at)).toMatchObject({ line: 4, column: 4 });
    expect(originalPosition(map, { line: 99, column: 0 })).toBeNull();
  });

  test("two compilations in a row map through both maps, the last one first (as tslab compiles a cell)", () => {
    const source = "import { readFileSync } from 'node:fs';\n\nlet n: number = 2;\nfunction f(k: number): never {\n  throw new RangeError('k=' + k + readFileSync);\n}\nf(n);\n";
    const first = ts.transpileModule(source, { compilerOptions: { inlineSourceMap: true, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    const { code: esm, map: inner } = takeInlineMap(first.outputText);
    expect(inner).not.toBeNull();
    expect(esm).not.toContain("sourceMappingURL");
    const { code: cjs, map: outer } = compile(esm, { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 });
    expect(cjs).toContain("require(");
    expect(throughMaps([outer, inner!], find(cjs, "throw"))).toEqual({ line: 4, column: 2 });
    expect(throughMaps([outer, inner!], find(cjs, "f(n)"))).toEqual({ line: 6, column: 0 });
  });

  test("code without an inline map is left as it is", () => {
    expect(takeInlineMap("x = 1;\n")).toEqual({ code: "x = 1;\n", map: null });
    expect(withoutMapComment("x = 1;\n//# sourceMappingURL=custom.js.map")).toBe("x = 1;");
  });
});

describe("execute_result", () => {
  test("the value is text/plain as console.log prints it, with the execution count", () => {
    expect(executeResult(42, 3)).toEqual({ execution_count: 3, data: { "text/plain": "42" }, metadata: {} });
    expect(executeResult("a string", 1).data["text/plain"]).toBe("a string");
    expect(executeResult({ a: [1, 2] }, 1).data["text/plain"]).toBe("{ a: [ 1, 2 ] }");
    expect(executeResult("100%", 1).data["text/plain"]).toBe("100%");
    class Value {
      [Symbol.for("nodejs.util.inspect.custom")]() {
        return "Value(data=-8)";
      }
    }
    expect(executeResult(new Value(), 1).data["text/plain"]).toBe("Value(data=-8)");
  });
});

describe("errors", () => {
  const pos = (line: number, character: number) => ({ line, character });

  test("a type error is a TSError at the cell's line and column, with the line and a caret under the span", () => {
    const start = pos(1, 6);
    const e = errorFromDiagnostics([{ start, end: pos(1, 7), messageText: "Type 'string' is not assignable to type 'number'.", code: 2322 }], 'let a = 1;\nconst x: number = "a";', 4);
    expect(e).toEqual({
      ename: "TSError",
      evalue: "Type 'string' is not assignable to type 'number'.",
      traceback: ["TSError: Type 'string' is not assignable to type 'number'.", "    at Cell In[4]:2:7 (TS2322)", '      2 | const x: number = "a";', "        |       ^"],
    });
  });

  test("a syntax error (TS1xxx) is a SyntaxError", () => {
    const e = errorFromDiagnostics([{ start: pos(0, 8), end: pos(0, 9), messageText: "Expression expected.", code: 1109 }], "let y = ;", 1);
    expect(e.ename).toBe("SyntaxError");
    expect(e.traceback[0]).toBe("SyntaxError: Expression expected.");
    expect(e.traceback[1]).toBe("    at Cell In[1]:1:9 (TS1109)");
  });

  test("a chain of messages stays one diagnostic; a second diagnostic and one in another file get their own place", () => {
    const start = pos(0, 6);
    const end = pos(0, 7);
    const diagnostics: Diagnostic[] = [
      { start, end, messageText: "Type '{}' is not assignable to type 'A'.", code: 2322 },
      { start, end, messageText: "Property 'a' is missing in type '{}' but required in type 'A'.", code: 2741 },
      { start: pos(1, 0), end: pos(1, 3), messageText: "Cannot find name 'zzz'.", code: 2304 },
      { start: pos(2, 4), end: pos(2, 5), messageText: "Missing semicolon.", code: 1005, fileName: "helper.ts" },
    ];
    const e = errorFromDiagnostics(diagnostics, "const a: A = {};\nzzz;", 7);
    expect(e.ename).toBe("TSError");
    expect(e.evalue).toBe("Type '{}' is not assignable to type 'A'.");
    expect(e.traceback).toEqual([
      "TSError: Type '{}' is not assignable to type 'A'.\n  Property 'a' is missing in type '{}' but required in type 'A'.",
      "    at Cell In[7]:1:7 (TS2322)",
      "      1 | const a: A = {};",
      "        |       ^",
      "TSError: Cannot find name 'zzz'.",
      "    at Cell In[7]:2:1 (TS2304)",
      "      2 | zzz;",
      "        | ^^^",
      "SyntaxError: Missing semicolon.",
      "    at helper.ts:3:5 (TS1005)",
    ]);
  });

  test("a thrown Error keeps its name, message and the cell's frames; Node's and tslab's frames go", () => {
    const error = new RangeError("k must be ≥ 0");
    error.stack = [
      "RangeError: k must be ≥ 0",
      "    at f (Cell In[2]:3:11)",
      "    at Value.backward (/home/u/course/dist/engine.js:120:7)",
      "    at Cell In[5]:1:1",
      "    at Cell In[5] (compiled):4:3",
      "    at Script.runInThisContext (node:vm:129:12)",
      "    at Object.runInThisContext (node:vm:307:38)",
      "    at Object.execute (/home/u/course/node_modules/tslab/dist/executor.js:162:38)",
      "    at JupyterHandlerImpl.handleExecuteImpl (/home/u/course/dist/kernel/preload.js:200:9)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
    ].join("\n");
    const sources = new Map([[2, "// helper\nfunction f(k: number) {\n  if (k < 0) throw new RangeError('k must be ≥ 0');\n}"]]);
    const e = errorFromThrown(error, { sourceOf: (n) => sources.get(n), cwd: "/home/u/course/notebooks" });
    expect(e).toEqual({
      ename: "RangeError",
      evalue: "k must be ≥ 0",
      traceback: [
        "RangeError: k must be ≥ 0",
        "    at f (Cell In[2]:3:11)",
        "      3 |   if (k < 0) throw new RangeError('k must be ≥ 0');",
        "        |           ^",
        "    at Value.backward (../dist/engine.js:120:7)",
        "    at Cell In[5]:1:1",
      ],
    });
  });

  test("a learner copy's stub names the exercise to do first and the stub's cell, with no stack trace", () => {
    const error = new Error("not implemented: topological-sort");
    error.stack = [
      "Error: not implemented: topological-sort",
      "    at topologicalSort (Cell In[7]:3:9)",
      "    at Value.backward (/home/u/course/dist/engine.js:120:7)",
      "    at Cell In[9]:2:3",
      "    at Script.runInThisContext (node:vm:129:12)",
    ].join("\n");
    const sources = new Map([[7, "function topologicalSort(root: Value): Value[] {\n  // YOUR CODE HERE\n  throw new Error(\"not implemented: topological-sort\");\n}"]]);
    expect(errorFromThrown(error, { sourceOf: (n) => sources.get(n) })).toEqual({
      ename: "Error",
      evalue: "not implemented: topological-sort",
      traceback: [
        "Error: not implemented: topological-sort",
        'Exercise "topological-sort" is not done yet: write your code in place of its stub (Cell In[7]), run that cell, then run this one again.',
        '      3 |   throw new Error("not implemented: topological-sort");',
        "        |         ^",
      ],
    });
    // Thrown by the running cell itself.
    error.stack = "Error: not implemented: topological-sort\n    at Cell In[7]:3:9\n    at Script.runInThisContext (node:vm:129:12)";
    expect(errorFromThrown(error, { sourceOf: (n) => sources.get(n) }).traceback.slice(0, 2)).toEqual([
      "Error: not implemented: topological-sort",
      'Exercise "topological-sort" is not done yet: write your code in place of the stub in this cell, then run it again.',
    ]);
  });

  test("an Error subclass with its own name, one without a message, and a thrown non-Error", () => {
    class CheckError extends Error {
      constructor(m: string) {
        super(m);
        this.name = "CheckError";
      }
    }
    expect(errorFromThrown(new CheckError("✗ grad is wrong\nHint: chain rule")).traceback[0]).toBe("CheckError: ✗ grad is wrong\nHint: chain rule");
    expect(errorFromThrown(new Error()).traceback[0]).toBe("Error");
    expect(errorFromThrown("plain")).toEqual({ ename: "Uncaught", evalue: "'plain'", traceback: ["Uncaught 'plain'"] });
    expect(errorFromThrown({ code: 3 }).evalue).toBe("{ code: 3 }");
    expect(errorFromThrown(undefined).ename).toBe("Uncaught");
  });

  test("cell names read back; an excerpt beyond the source is empty", () => {
    expect(cellName(12)).toBe("Cell In[12]");
    expect(cellCount("Cell In[12]")).toBe(12);
    expect(cellCount("evalmachine.<anonymous>")).toBeNull();
    expect(sourceExcerpt("one line", 3, 1)).toEqual([]);
    expect(sourceExcerpt("abc", 1, 3, 10)).toEqual(["      1 | abc", "        |   ^"]);
  });
});

describe("kernel_info_reply", () => {
  const base = { protocol_version: "5.3", implementation: "tslab", implementation_version: "1.0.0", language_info: { name: "typescript", version: "3.7.2", file_extension: ".ts" }, banner: "TypeScript" };
  const versions = { typescript: "5.0.4", tslab: "1.0.22", node: "v20.20.2" };

  test("has status ok, the TypeScript tslab compiles with, tslab's and Node's versions", () => {
    const info = kernelInfo(base, versions);
    expect(info).toMatchObject({ status: "ok", protocol_version: "5.3", implementation: "tslab", implementation_version: "1.0.22", banner: "TypeScript 5.0.4 (tslab 1.0.22, Node.js v20.20.2)" });
    expect(info.language_info).toEqual({ name: "typescript", version: "5.0.4", file_extension: ".ts" });
    expect(base.language_info.version).toBe("3.7.2"); // not changed in place
  });

  test("tslab's JavaScript kernel reports Node's version as the language's", () => {
    const info = kernelInfo({ ...base, language_info: { name: "javascript", version: "" } }, versions);
    expect(info.language_info).toEqual({ name: "javascript", version: "20.20.2" });
  });
});
