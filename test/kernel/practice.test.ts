/**
 * practiceBackward in a real tslab kernel: one cell displays the widget (its markup, then its
 * script as application/javascript, which is how Jupyter runs it), and the course site built from
 * that run keeps the markup, drops the script output (its pages run no inline script) and loads
 * the same behaviour from assets/practice.js.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { cellsOf } from "../../src/tools/page";
import { renderSite } from "../../src/tools/render";
import { runNotebook, type RunResult } from "../../src/tools/run";
import { packageRoot } from "../../src/tools/files";
import { joinLines } from "../../src/ipynb/notebook";
import { hasJupyter } from "../support/harness";

const course = path.join(__dirname, "..", "fixtures", "notebooks", "practice");

describe.skipIf(!hasJupyter())("practiceBackward in Jupyter", () => {
  let run: RunResult;

  test("one cell displays the widget: its markup, then the script Jupyter runs; nothing printed", async () => {
    run = await runNotebook(path.join(course, "01-practice.ipynb"));
    expect(run.ok).toBe(true);
    const outputs = run.executed.cells[1].outputs as { output_type: string; data?: Record<string, string | string[]> }[];
    expect(outputs.map((o) => [o.output_type, Object.keys(o.data ?? {}).sort()])).toEqual([
      ["display_data", ["text/html"]],
      ["display_data", ["application/javascript"]],
    ]);
    const html = joinLines(outputs[0]!.data!["text/html"]!);
    expect(html).toMatch(/^<div class="mg-practice" id="mg-practice-11-\d+" data-lesson="04-neuron-tanh"/);
    expect(html.match(/class="mg-practice-item" data-seed="(\d+)"/g)).toEqual(['class="mg-practice-item" data-seed="11"', 'class="mg-practice-item" data-seed="12"']);
    expect(html.match(/<svg/g)!.length).toBe(4); // each expression's drawing and its stepper
    expect(joinLines(outputs[1]!.data!["application/javascript"]!)).toBe(fs.readFileSync(path.join(packageRoot(), "dist", "site", "practice.js"), "utf8"));
    // selfCheck: the same two outputs, the questions with every answer behind a <details>.
    const questions = run.executed.cells[2].outputs as { output_type: string; data?: Record<string, string | string[]> }[];
    expect(questions.map((o) => Object.keys(o.data ?? {}))).toEqual([["text/html"], ["application/javascript"]]);
    const q = joinLines(questions[0]!.data!["text/html"]!);
    expect(q).toMatch(/^<div class="mg-selfcheck" id="mg-selfcheck-05-backward-\d+" data-lesson="05-backward"/);
    expect(q.match(/<li class="mg-q"/g)).toHaveLength(5);
    expect(q.match(/<details><summary>Show the answer<\/summary>/g)).toHaveLength(5);
    expect(q).toContain("Why does a value used twice need += in the backward steps, not =?");
  });

  test("the site page from that run: the widget without any inline script, the behaviour as the site's own file", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "practice-render-"));
    const rendered = await renderSite({ lessonsDir: course, syllabus: path.join(course, "none.md"), outDir, log: () => {}, cacheDir: null, execute: async () => run });
    expect(rendered.failures).toEqual([]);
    const page = fs.readFileSync(path.join(outDir, "01-practice.html"), "utf8");
    const cells = cellsOf(page)!;
    expect(cells).toContain('class="mg-practice"');
    expect(cells).not.toMatch(/<script/);
    expect(page).toContain('<script src="assets/practice.js" defer></script>');
    expect(fs.readFileSync(path.join(outDir, "assets", "practice.js"), "utf8")).toContain("micrograd_practice");
  });
});
