/**
 * How the static site shows a cell's result and its error: as Jupyter does (contract C5), an
 * `Out[n]:` prompt over the value, and the error's name, message and traceback lines, with
 * whatever a cell printed escaped. Rendered by the real nbconvert templates from a run that is
 * given (no kernel needed: test/kernel/kernel-conformance.test.ts checks the kernel sends these).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { validateNotebook } from "../../src/ipynb/notebook";
import { renderSite } from "../../src/tools/render";
import type { RunResult } from "../../src/tools/run";
import { hasJupyter } from "../support/harness";

const hostile = '<img src=x onerror="alert(1)">';

function notebook(withOutputs: boolean) {
  const code = (n: number, source: string, outputs: unknown[]) => ({ cell_type: "code", id: `c${n}`, metadata: {}, execution_count: withOutputs ? n : null, source, outputs: withOutputs ? outputs : [] });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    cells: [
      { cell_type: "markdown", id: "m", metadata: {}, source: "# Results and errors" },
      code(1, 'console.log("six times seven");\n6 * 7', [
        { output_type: "stream", name: "stdout", text: "six times seven\n" },
        { output_type: "execute_result", execution_count: 1, data: { "text/plain": "42" }, metadata: {} },
      ]),
      code(2, `throw new RangeError(${JSON.stringify(hostile)});`, [
        {
          output_type: "error",
          ename: "RangeError",
          evalue: hostile,
          traceback: [`RangeError: ${hostile}`, "    at Cell In[2]:1:7", `      1 | throw new RangeError(${JSON.stringify(hostile)});`, "        |       ^"],
        },
      ]),
    ],
  };
}

describe.skipIf(!hasJupyter())("results and errors on the static site", () => {
  test("a result has its Out[n]: prompt; an error shows its name, message and the cell's line, all escaped", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-outputs-"));
    const file = path.join(dir, "outputs.ipynb");
    fs.writeFileSync(file, JSON.stringify(notebook(false)));
    const executed = validateNotebook(notebook(true), file);
    const run: RunResult = {
      notebook: file,
      ok: true,
      cells: [1, 2].map((index) => ({ index, executionCount: index, status: "ok" as const, source: "" })),
      executed,
      seconds: 0,
    };
    const out = path.join(dir, "site");
    const rendered = await renderSite({ notebooks: [file], lessonsDir: dir, outDir: out, cacheDir: null, log: () => {}, execute: async () => run });
    expect(rendered.failures).toEqual([]);
    const page = fs.readFileSync(path.join(out, "outputs.html"), "utf8");
    // One prompt, on the result only: printed text has none.
    expect(page.match(/Out\[\d+\]:/g)).toEqual(["Out[1]:"]);
    expect(page).toMatch(/mg-out-prompt">Out\[1\]:<\/div>\s*<div class="jp-RenderedText jp-OutputArea-output jp-OutputArea-executeResult" data-mime-type="text\/plain">\s*<pre>42<\/pre>/);
    expect(page).toMatch(/<pre>six times seven\n<\/pre>/);
    // The error: name, message, then the frames and the cell's line, the first line not repeated.
    const error = page.match(/<div class="jp-RenderedText jp-OutputArea-output mg-error"[^>]*>\s*<pre tabindex="0">([\s\S]*?)<\/pre>/)?.[1];
    expect(error).toBe(
      '<span class="mg-ename">RangeError</span>: &lt;img src=x onerror=&#34;alert(1)&#34;&gt;\n' +
        "    at Cell In[2]:1:7\n" +
        "      1 | throw new RangeError(&#34;&lt;img src=x onerror=\\&#34;alert(1)\\&#34;&gt;&#34;);\n" +
        "        |       ^",
    );
    expect(page).not.toContain(hostile);
  });
});
