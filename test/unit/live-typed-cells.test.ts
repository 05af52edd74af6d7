/**
 * The cells the site's build type-checked (typed-cells.ts, live-bundle.ts's typedCells): the keys
 * the page looks up, the same from Node's hash and from the page's (the bundle's node:crypto shim),
 * and the build's list for a notebook, which leaves out a cell with a type error and what it declares.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import { createHash as pageHash } from "../../src/live/shims/crypto";
import { typedKey, typedKeys } from "../../src/live/typed-cells";
import { typecheckFiles, typedCells } from "../../src/tools/live-bundle";
import { packageRoot } from "../../src/tools/files";

const node = (text: string) => createHash("sha256").update(text).digest("hex");
const page = (text: string) => pageHash("sha256").update(text).digest("hex");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("typedKey", () => {
  test("typedKey is the first 128 bits of SHA-256 of [prior, source] as JSON, the same from Node's hash and the page's", () => {
    // Oracle: printf '[[],"1"]' | sha256sum, and printf '[["const a = 1;"],"a + 1"]' | sha256sum
    expect(typedKey([], "1")).toBe("d4c51235eb6b47d5dfa999a75bb2f497");
    expect(page(JSON.stringify([[], "1"])).slice(0, 32)).toBe("d4c51235eb6b47d5dfa999a75bb2f497");
    expect(typedKey(["const a = 1;"], "a + 1")).toBe("d4e44fe59769d256e7acd8105e54c4e8");
    const unicode = JSON.stringify([["const σ = \"∂L/∂w\";"], "σ"]);
    expect(page(unicode)).toBe(node(unicode));
    // The prior's order and boundaries count: the same text split otherwise is another key.
    expect(typedKey(["a", "b"], "c")).not.toBe(typedKey(["b", "a"], "c"));
    expect(typedKey(["ab"], "c")).not.toBe(typedKey(["a", "b"], "c"));
  });

  test("typedKeys: a refused cell has no key and is not in the prior of the cells after it", () => {
    const refused = new Set(["bad"]);
    const keys = typedKeys(["one", "bad", "two"], (_prior, source) => (refused.has(source) ? [{}] : []));
    expect(keys).toEqual([typedKey([], "one"), typedKey(["one"], "two")]);
  });
});

describe("typedCells", () => {
  test("typedCells checks a site's notebooks in order with the real checker, and keeps the result in .cache", async () => {
    const site = fs.mkdtempSync(path.join(os.tmpdir(), "typed-cells-"));
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "typed-cells-root-"));
    dirs.push(site, root);
    fs.mkdirSync(path.join(site, "notebooks"));
    const cells = ["const n = 2;", 'const s: number = "two";', "n * 3", "s"];
    const code = (source: string) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null });
    const nb = { cells: [{ cell_type: "markdown", source: "# x", metadata: {} }, ...cells.map(code)], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    fs.writeFileSync(path.join(site, "notebooks", "x.ipynb"), JSON.stringify(nb));
    const files = typecheckFiles(packageRoot());
    const result = await typedCells(site, files, root);
    // The second cell is refused (as tslab refuses it), so it declares no s: the fourth is refused too.
    expect(result).toEqual({ "notebooks/x.ipynb": [typedKey([], cells[0]!), typedKey([cells[0]!], cells[2]!)] });
    expect(fs.readdirSync(path.join(root, ".cache", "typed-cells"))).toHaveLength(1);
    expect(await typedCells(site, files, root)).toEqual(result);
  });
});
