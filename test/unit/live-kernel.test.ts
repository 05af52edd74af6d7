/**
 * The live page's cell compiler and kernel, in Node (unit tier: no worker, no browser): the cell
 * semantics tslab has, checked on small cells and on the lessons' own cells with numbers from the
 * lecture.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { CellSyntaxError, compileCell } from "../../src/live/compile";
import { Kernel, type ModuleLoaders } from "../../src/live/kernel";
import { CHECK_HELPERS } from "../../src/ipynb/submission";

function kernelWith(modules: ModuleLoaders = {}) {
  const out: { cell: number; name: string; text: string }[] = [];
  const kernel = new Kernel(modules, {
    stream: (cell, name, text) => out.push({ cell, name, text }),
    result: (cell, text) => out.push({ cell, name: "result", text: `${text}\n` }),
  });
  /** What the cell printed on `name`; "stdout" includes its last value (Out[n]), in order, as tslab shows both. */
  const text = (cell: number, name = "stdout") =>
    out.filter((o) => o.cell === cell && (o.name === name || (name === "stdout" && o.name === "result"))).map((o) => o.text).join("");
  return { kernel, out, text };
}

describe("compileCell", () => {
  test("compileCell keeps the cell's lines, so errors point at the learner's line", () => {
    const source = "const a: number = 1;\nlet b = a + 1;\nfunction f(x: number): number {\n  return x;\n}\nf(b)";
    const { body, declared } = compileCell(source);
    expect(body.split("\n")).toHaveLength(6);
    expect(declared.sort()).toEqual(["a", "b", "f"]);
    expect(body.split("\n")[5]).toBe("return (f(b));");
  });

  test("compileCell reports a syntax error with the cell's line and column", () => {
    let error: unknown;
    try {
      compileCell("const ok = 1;\nconst x = ;");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CellSyntaxError);
    expect((error as CellSyntaxError).line).toBe(2);
    expect((error as CellSyntaxError).column).toBe(11); // the ";" after "const x = "
  });

  test("compileCell declares destructured names, imported names and classes", () => {
    const { declared, imports } = compileCell(
      'import * as tf from "t";\nimport "side";\nimport { a, b as c, type T } from "m";\nconst { d, e: [f, ...g] } = x;\nclass K {}',
    );
    expect(declared.sort()).toEqual(["a", "c", "d", "f", "g", "tf", "K"].sort());
    expect(imports).toEqual(["t", "side", "m"]);
  });
});

describe("Kernel.run", () => {
  test("a cell's declarations are visible to later cells and re-running replaces them", async () => {
    const { kernel, text } = kernelWith();
    expect(await kernel.run(0, "const x: number = 2;\nclass V { data: number; constructor(d: number) { this.data = d; } }")).toEqual({ status: "ok" });
    expect(await kernel.run(1, "new V(x).data * 10")).toEqual({ status: "ok" });
    expect(text(1)).toBe("20\n");
    await kernel.run(0, "const x = 5;\nclass V { data: number; constructor(d: number) { this.data = -d; } }");
    await kernel.run(2, "new V(x).data");
    expect(text(2)).toBe("-5\n");
  });

  test("the last value prints as tslab prints it (console.log of the value), null and undefined print nothing", async () => {
    const { kernel, text } = kernelWith();
    await kernel.run(0, "[1, 2.5, 'a']");
    await kernel.run(1, "'cpu'");
    await kernel.run(2, "undefined");
    await kernel.run(3, "let s: number;\ns = 3;\nnull");
    await kernel.run(4, "({ a: 1, b: [1, 2] })");
    expect([0, 1, 2, 3, 4].map((c) => text(c))).toEqual(["[ 1, 2.5, 'a' ]\n", "cpu\n", "", "", "{ a: 1, b: [ 1, 2 ] }\n"]);
  });

  test("top-level await works and console output appears in order", async () => {
    const { kernel, out } = kernelWith();
    await kernel.run(0, 'console.log("one", [1]);\nawait new Promise((r) => setTimeout(r, 5));\nconsole.error("two");\nconsole.log("three")');
    expect(out.map((o) => `${o.name}:${o.text}`)).toEqual(["stdout:one [ 1 ]\n", "stderr:two\n", "stdout:three\n"]);
  });

  test("functions are hoisted within a cell and shared with later cells", async () => {
    const { kernel, text } = kernelWith();
    await kernel.run(0, "const y = twice(4);\nfunction twice(n: number) { return 2 * n; }");
    await kernel.run(1, "twice(y)");
    expect(text(1)).toBe("16\n");
  });

  test("an import of a module the page does not have is an error naming it", async () => {
    const { kernel, text } = kernelWith({ "micrograd-ts": async () => ({}) });
    const result = await kernel.run(3, 'import { readFileSync } from "node:fs";');
    expect(result.status).toBe("error");
    const traceback = result.status === "error" ? result.error.traceback.join("\n") : "";
    expect(traceback).toContain('Cannot find module "node:fs"');
    expect(traceback).toContain('"micrograd-ts"');
  });

  test("an exception is Jupyter's error: ename, evalue, and a traceback pointing at the cell's line", async () => {
    const { kernel, out } = kernelWith();
    const result = await kernel.run(8, "const a = 1;\n\nnull.x;");
    expect(result).toMatchObject({ status: "error", error: { name: "TypeError", message: "Cannot read properties of null (reading 'x')", line: 3 } });
    expect(result.status === "error" && result.error.traceback).toEqual([
      "TypeError: Cannot read properties of null (reading 'x')",
      "    at line 3 of cell 9",
      "  3 | null.x;",
    ]);
    expect(out).toEqual([]); // the error is the cell's result, not text on stderr
  });

  test("an error thrown in an earlier cell's function points at that cell first, then the caller", async () => {
    const { kernel } = kernelWith();
    await kernel.run(19, 'function gradG(a: number): number[] {\n  // a helper\n  throw new RangeError("a must be > 0");\n}');
    const result = await kernel.run(20, "const x = 1;\nconst g = gradG(x);");
    expect(result.status === "error" && result.error.traceback).toEqual([
      "RangeError: a must be > 0",
      "    at line 3 of cell 20",
      '  3 |   throw new RangeError("a must be > 0");',
      "    called from line 2 of cell 21",
      "  2 | const g = gradG(x);",
    ]);
  });

  test("a stub called from a later cell names the exercise to do first and the stub's cell, with no stack trace", async () => {
    const { kernel } = kernelWith();
    await kernel.run(19, 'function gradG(a: number): number[] {\n  // YOUR CODE HERE\n  throw new Error("not implemented: analytic-grad");\n}');
    const result = await kernel.run(20, "const x = 1;\nconst g = gradG(x);");
    expect(result.status === "error" && result.error.traceback).toEqual([
      "Error: not implemented: analytic-grad",
      'Exercise "analytic-grad" is not done yet: write your code in place of its stub (cell 20), run that cell, then run this one again.',
      "    at line 3 of cell 20",
      '  3 |   throw new Error("not implemented: analytic-grad");',
    ]);
    // A stub in the running cell itself.
    const own = await kernel.run(21, '// YOUR CODE HERE\nthrow new Error("not implemented: build-L");');
    expect(own.status === "error" && own.error.traceback).toEqual([
      "Error: not implemented: build-L",
      'Exercise "build-L" is not done yet: write your code in place of the stub in this cell, then run it again.',
      "    at line 2 of cell 22",
      '  2 | throw new Error("not implemented: build-L");',
    ]);
  });

  test("a syntax error names its line and column and runs nothing", async () => {
    const { kernel, text } = kernelWith();
    const result = await kernel.run(0, 'console.log("never");\nconst = 4;');
    expect(result).toMatchObject({ status: "error", error: { name: "SyntaxError", line: 2, column: 7 } });
    expect(result.status === "error" && result.error.traceback.slice(1)).toEqual(["    at line 2, column 7 of cell 1", "  2 | const = 4;", "    |       ^"]);
    expect(text(0)).toBe("");
  });
});

describe("Kernel.run with bind (check cells)", () => {
  const library = { "micrograd-ts": () => import("../../src/index") };
  const bind = { module: "micrograd-ts", names: CHECK_HELPERS };

  test("a check cell calls the library's check even after an answer cell ran `var check = () => {}`", async () => {
    const { kernel, text } = kernelWith(library);
    await kernel.run(0, 'import { check } from "micrograd-ts";');
    expect(await kernel.run(1, "var check = (..._a: any[]) => {};\nconst answer = 3;")).toEqual({ status: "ok" });
    // Unbound, the learner's no-op would pass the check.
    expect(await kernel.run(2, 'check("answer", answer, 4);')).toEqual({ status: "ok" });
    const bound = await kernel.run(2, 'check("answer", answer, 4);', { bind });
    expect(bound).toMatchObject({ status: "error", error: { name: "CheckError" } });
    expect(bound.status === "error" && bound.error.traceback[0]).toMatch(/^CheckError: /);
    // A right answer passes with the real helper.
    await kernel.run(1, "const answer = 4;");
    expect(await kernel.run(3, 'check("answer", answer, 4);', { bind })).toEqual({ status: "ok" });
  });

  test("a check cell calls the real helpers even when an answer cell froze its own into the scope", async () => {
    const { kernel } = kernelWith(library);
    await kernel.run(1, 'Object.defineProperty(__scope, "check", { value: () => {}, writable: false, configurable: false });\nconst answer = 3;');
    expect(await kernel.run(2, 'check("answer", answer, 4);', { bind })).toMatchObject({ status: "error", error: { name: "CheckError" } });
  });
});

describe("the lessons' cells in the kernel (Node)", () => {
  const lessons = path.join(__dirname, "..", "..", "notebooks");
  const lesson = (name: string) => JSON.parse(fs.readFileSync(path.join(lessons, name), "utf8"));
  const source = (cell: any) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);

  test("lesson 01 prints the lecture's numbers: f(3) = 20, slope 14.003", async () => {
    const { kernel, text } = kernelWith({ "micrograd-ts": () => import("../../src/index") });
    const nb = lesson("01-derivatives.ipynb");
    for (const [i, cell] of nb.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      if (/show\(/.test(source(cell))) continue; // pictures need a display backend: the browser test covers them
      const r = await kernel.run(i, source(cell));
      expect(r, `cell ${i}: ${text(i, "stderr")}`).toEqual({ status: "ok" });
    }
    expect(text(2)).toBe("20\n");
    expect(text(8)).toMatch(/^14\.00300000000\d*\n$/);
  });
});

describe("console.table", () => {
  test("console.table prints Node's table: left-aligned, (index) column, inspected values", async () => {
    const { kernel, text } = kernelWith();
    await kernel.run(0, 'console.table([{ target: 1, prediction: 0.925888016133439 }, { target: -1, prediction: -0.9872152639472693 }]);\nconsole.table({ a: 1, b: "x" })');
    // What Node 20 prints for the same calls (and tslab shows in Jupyter).
    const { Console } = await import("node:console");
    const { Writable } = await import("node:stream");
    let node = "";
    const sink = new Writable({ write: (chunk, _e, done) => ((node += chunk), done()) });
    const c = new Console({ stdout: sink, colorMode: false });
    c.table([{ target: 1, prediction: 0.925888016133439 }, { target: -1, prediction: -0.9872152639472693 }]);
    c.table({ a: 1, b: "x" });
    expect(text(0)).toBe(node);
  });
});
