/**
 * Type-checking cells as tslab does (unit tier, TypeScript's compiler in Node, the library's
 * declarations from dist/ — npm run build first): the lessons' own cells pass, a type error is
 * refused with tslab's `line:column - message`, earlier cells' names are seen with their latest
 * types.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, test } from "vitest";
import { sourceText } from "../../src/ipynb/notebook";
import { packageRoot } from "../../src/tools/files";
import { CellChecker, type Files, formatProblems } from "../../src/live/typecheck";
import { typecheckFiles } from "../../src/tools/live-bundle";

const root = packageRoot();
let files: Files;
beforeAll(() => {
  files = typecheckFiles(root);
});

describe("CellChecker", () => {
  test("a type error is refused with tslab's message and the cell's own line and column", () => {
    const checker = new CellChecker(ts, { ...files });
    expect(formatProblems(checker.check([], 'const ok = 1;\nconst n: number = "hello";'))).toEqual(["2:7 - Type 'string' is not assignable to type 'number'."]);
    expect(checker.check([], "const n: number = 4;\nn * 2")).toEqual([]);
  });

  test("earlier cells' names are seen, with the type of their latest declaration", () => {
    const checker = new CellChecker(ts, { ...files });
    const prior = ['import { Value } from "micrograd-ts";', "let x = 1;", 'const v = new Value(2);', 'let x = "now a string";'];
    expect(checker.check(prior, "x.toUpperCase();\nv.data + 1")).toEqual([]);
    expect(formatProblems(checker.check(prior, "v.nope"))).toEqual(["1:3 - Property 'nope' does not exist on type 'Value'."]);
    expect(checker.check(prior, "const x = 5;\nx + 1")).toEqual([]); // a cell may declare a name again
    expect(checker.check(prior, 'x = "assigned";')).toEqual([]); // an earlier let can be assigned
  });

  test("top-level await and the library's types work; an unknown import is named", () => {
    const checker = new CellChecker(ts, { ...files });
    expect(checker.check([], 'import { MLP } from "micrograd-ts";\nconst m = new MLP(2, [4, 1]);\nawait Promise.resolve(m.parameters().length);')).toEqual([]);
    expect(formatProblems(checker.check([], 'import { nothing } from "micrograd-ts";'))[0]).toMatch(/^1:10 - .*has no exported member .*nothing/);
  });

  test("every cell of every lesson type-checks, run in order (as npm run render runs them)", () => {
    const checker = new CellChecker(ts, { ...files });
    const problems: string[] = [];
    for (const file of fs.readdirSync(path.join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort()) {
      const nb = JSON.parse(fs.readFileSync(path.join(root, "notebooks", file), "utf8"));
      const prior: string[] = [];
      nb.cells.forEach((c: any, i: number) => {
        if (c.cell_type !== "code") return;
        const src = sourceText(c);
        for (const line of formatProblems(checker.check(prior, src))) problems.push(`${file} cell ${i + 1}: ${line}`);
        prior.push(src);
      });
    }
    expect(problems).toEqual([]);
  }, 300_000); // ~200 cells through the compiler: 30-60 s on a busy 2-core machine (a safety net, not a speed target)
});
