/**
 * The live page's views, on linkedom's DOM (unit tier, no browser): the outputs (streams, the
 * capped tail, Out[n], Jupyter's error), the cell controls (numbering, the Edit button beside the
 * code, what the learner made of a cell), the toolbar's score line; and the sanitizer's pure parts
 * (unique ids, scoped styles). DOMPurify itself needs a real browser: the browser tier covers it.
 */
import { parseHTML } from "linkedom";
import { describe, expect, test } from "vitest";
import { CellControls } from "../../src/live/cell-controls";
import type { Role } from "../../src/live/notebook-state";
import { Outputs } from "../../src/live/outputs";
import { uniqueIds, uniqueStyleClasses, unscoped } from "../../src/live/sanitize";
import { Toolbar } from "../../src/live/toolbar";

function page(cells = 3) {
  const body = Array.from({ length: cells }, (_, i) => `<div class="jp-CodeCell" data-cell="${i * 2 + 1}"><div class="jp-InputPrompt">In [${i + 1}]:</div><div class="jp-InputArea-editor"><pre>x</pre></div><div class="jp-Cell-outputWrapper">old</div></div>`).join("");
  const { document } = parseHTML(`<!doctype html><html><body><nav class="site-nav"></nav>${body}</body></html>`);
  const map = new Map<number, HTMLElement>();
  for (const el of document.querySelectorAll<HTMLElement>("[data-cell]")) map.set(Number(el.dataset.cell), el);
  return { document: document as unknown as Document, cells: map };
}

function outputs() {
  const { document, cells } = page();
  const fragment = (markup: string) => {
    const t = document.createElement("template");
    t.innerHTML = markup;
    return t.content;
  };
  return { document, cells, out: new Outputs(document, cells, { sanitize: fragment, markdown: async () => (t) => `<p>${t}</p>` }) };
}

describe("Outputs", () => {
  test("streams of one name join in one <pre>; another name starts another; the page's own output is hidden", () => {
    const { out, cells } = outputs();
    out.clear(1);
    out.stream(1, "stdout", "a\n");
    out.stream(1, "stdout", "b\n");
    out.stream(1, "stderr", "oops\n");
    const area = out.area(1);
    expect([...area.querySelectorAll("pre")].map((p) => [p.dataset.stream, p.textContent])).toEqual([["stdout", "a\nb\n"], ["stderr", "oops\n"]]);
    expect(cells.get(1)!.querySelector<HTMLElement>(".jp-Cell-outputWrapper")!.hidden).toBe(true);
  });

  test("a capped output: head, then how much was left out, then the tail; more head text goes before the note", () => {
    const { out } = outputs();
    out.stream(3, "stdout", "line 1\n");
    out.tail(3, "line 200000\n", 199_998, 2_388_888);
    out.tail(3, "line 200000\n", 199_998, 2_388_890); // updated in place
    const area = out.area(3);
    expect(area.querySelectorAll(".live-dropped")).toHaveLength(1);
    expect(area.querySelector(".live-dropped")!.textContent).toBe("… 199,998 lines (2,388,890 characters) not shown: only the first and last lines are kept on the page.");
    expect(area.querySelector('pre[data-stream="tail"]')!.textContent).toBe("line 200000\n");
    expect(area.lastElementChild!.getAttribute("data-stream")).toBe("tail");
  });

  test("the last value is an execute_result with its Out[n] prompt; an error is ename: evalue and the traceback", () => {
    const { out } = outputs();
    out.result(1, "20", 4);
    out.error(1, { name: "TypeError", message: "bad", traceback: ["TypeError: bad", "    at line 3 of cell 2"] });
    const area = out.area(1);
    expect(area.querySelector("[data-live-result] .live-out-prompt")!.textContent).toBe("Out[4]:");
    expect(area.querySelector("[data-live-result] pre")!.textContent).toBe("20");
    expect(area.querySelector("[data-live-error]")!.getAttribute("data-live-error")).toBe("TypeError");
    expect(area.querySelector("[data-live-error]")!.textContent).toBe("TypeError: bad\n    at line 3 of cell 2");
  });

  test("a display with an id is replaced in place (liveDisplay), and markup goes through the sanitizer", () => {
    const { document, cells } = page();
    const seen: string[] = [];
    const out = new Outputs(document, cells, {
      sanitize: (m) => {
        seen.push(m);
        const t = document.createElement("template");
        t.innerHTML = m;
        return t.content;
      },
      markdown: async () => (t) => t,
    });
    out.display(1, "html", "<b>1</b>", "d1");
    out.display(1, "html", "<b>2</b>", "d1");
    expect(out.area(1).querySelectorAll(".live-display")).toHaveLength(1);
    expect(out.area(1).querySelector(".live-display")!.innerHTML).toBe("<b>2</b>");
    expect(seen).toEqual(["<b>1</b>", "<b>2</b>"]);
  });
});

describe("CellControls", () => {
  const roles = new Map<number, Role>([[1, undefined], [3, "answer"], [5, "check"]]);
  function controls(exercise = false) {
    const { document, cells } = page();
    const calls: string[] = [];
    const c = new CellControls(document, cells, roles, exercise, {
      run: (i) => calls.push(`run ${i}`),
      edit: (i) => calls.push(`edit ${i}`),
      tryIt: (i) => calls.push(`try ${i}`),
      showSolution: (i) => calls.push(`show ${i}`),
      reset: (i) => calls.push(`reset ${i}`),
    });
    return { c, cells, calls };
  }

  test("cells are numbered as npm run check numbers them (index + 1); the code stays code, with an Edit button beside it", () => {
    const { cells, calls } = controls();
    const cell = cells.get(3)!;
    expect(cell.querySelector(".live-cell-number")!.textContent).toBe("cell 4");
    expect(cell.querySelector("[data-live-run]")!.getAttribute("aria-label")).toBe("Run cell 4 (and the cells above it not run yet)");
    const code = cell.querySelector(".jp-InputArea-editor")!;
    expect(code.hasAttribute("role")).toBe(false);
    expect(code.hasAttribute("aria-label")).toBe(false);
    const edit = cell.querySelector<HTMLElement>("[data-live-edit]")!;
    expect(edit.tagName).toBe("BUTTON");
    expect(edit.getAttribute("aria-label")).toBe("Edit the code of cell 4");
    edit.click();
    cell.querySelector<HTMLElement>("[data-live-run]")!.click();
    expect(calls).toEqual(["edit 3", "run 3"]);
    expect(cells.get(5)!.querySelector("[data-live-reset]")).toBeNull(); // a check cell can't be reset: it is never edited
    expect(cells.get(5)!.querySelector("[data-live-try]")).toBeNull();
  });

  test("the edited mark says which mode keeps the edit; after Try it yourself the check cell's rendered ticks are hidden too", () => {
    const { c, cells } = controls();
    c.mark(1, "edited", undefined);
    expect(cells.get(1)!.querySelector(".live-edited-mark")!.textContent).toBe("edited (lesson mode)");
    c.mark(3, "stub", false);
    expect(cells.get(3)!.querySelector<HTMLElement>("[data-live-try]")!.hidden).toBe(true);
    expect(cells.get(3)!.querySelector<HTMLElement>(".jp-Cell-outputWrapper")!.hidden).toBe(true);
    expect(cells.get(5)!.querySelector<HTMLElement>(".jp-Cell-outputWrapper")!.hidden).toBe(true);
    expect(cells.get(1)!.querySelector<HTMLElement>(".jp-Cell-outputWrapper")!.hidden).toBe(false);
    const ex = controls(true);
    ex.c.mark(1, "edited", undefined);
    expect(ex.cells.get(1)!.querySelector(".live-edited-mark")!.textContent).toBe("edited (exercise mode)");
  });
});

describe("Toolbar", () => {
  test("no score line until there is a score", () => {
    const { document } = page();
    const bar = new Toolbar(document, true, { runAll() {}, stop() {}, restart() {}, resetPage() {}, download() {} });
    const line = bar.element.querySelector<HTMLElement>(".live-score")!;
    expect(line.hidden).toBe(true);
    bar.showScore("1/3");
    expect(line.hidden).toBe(false);
    expect(line.textContent).toBe("Score: 1/3");
    bar.showScore(undefined);
    expect(line.hidden).toBe(true);
  });
});

describe("sanitize: unique ids and scoped styles", () => {
  test("uniqueIds renames ids and everything pointing at them: url(#…), href, for, aria, style selectors", () => {
    const { document } = parseHTML("<!doctype html><html><body></body></html>");
    const root = document.createElement("div");
    root.innerHTML =
      '<style>#steps>input{opacity:0} #steps-f0:checked~div{display:block} #stepsX{}</style><div id="steps"><input id="steps-f0"><label for="steps-f0">1</label></div>' +
      '<svg><clipPath id="clip"></clipPath><g clip-path="url(#clip)"><use href="#clip"/></g></svg><p aria-labelledby="steps other">x</p>';
    uniqueIds(root, "o7");
    expect(root.querySelector("div")!.id).toBe("o7-steps");
    expect(root.querySelector("input")!.id).toBe("o7-steps-f0");
    expect(root.querySelector("label")!.getAttribute("for")).toBe("o7-steps-f0");
    expect(root.querySelector("g")!.getAttribute("clip-path")).toBe("url(#o7-clip)");
    expect(root.querySelector("use")!.getAttribute("href")).toBe("#o7-clip");
    expect(root.querySelector("p")!.getAttribute("aria-labelledby")).toBe("o7-steps other");
    expect(root.querySelector("style")!.textContent).toBe("#o7-steps>input{opacity:0} #o7-steps-f0:checked~div{display:block} #stepsX{}");
  });

  test("Observable Plot's style, scoped by a class, gets a class of its own and is kept; a class the output lacks is not scoped", () => {
    const { document } = parseHTML("<!doctype html><html><body></body></html>");
    const root = document.createElement("div");
    root.innerHTML = '<svg class="plot-d6a7b5 other"><style>:where(.plot-d6a7b5) { display: block; }\n:where(.plot-d6a7b5 text),\n:where(.plot-d6a7b5 tspan) { white-space: pre; }</style><text>x</text></svg>';
    const classes = uniqueStyleClasses(root, "o3");
    expect([...classes]).toEqual(["o3-plot-d6a7b5"]);
    expect(root.querySelector("svg")!.getAttribute("class")).toBe("o3-plot-d6a7b5 other");
    const css = root.querySelector("style")!.textContent!;
    expect(css).toBe(":where(.o3-plot-d6a7b5) { display: block; }\n:where(.o3-plot-d6a7b5 text),\n:where(.o3-plot-d6a7b5 tspan) { white-space: pre; }");
    expect(unscoped(css, new Set(), classes)).toBeUndefined();
    expect(unscoped(".live-score{display:inline}", new Set(), classes)).toMatch(/\.live-score/);
    const hostile = document.createElement("div");
    hostile.innerHTML = "<style>.live-score, .jp-Cell-outputWrapper{display:block}</style><p>x</p>";
    expect([...uniqueStyleClasses(hostile, "o4")]).toEqual([]); // the page's classes are not the output's
  });

  test("unscoped accepts rules that start at the output's own ids, and names the first rule that reaches the page", () => {
    const ids = new Set(["o1-steps", "o1-steps-f0"]);
    expect(unscoped("#o1-steps>input{position:absolute} #o1-steps-f0:checked~div .s0, #o1-steps .x{display:inline} @media (max-width:600px){#o1-steps{font-size:12px}}", ids)).toBeUndefined();
    expect(unscoped('[data-live-score]::after{content:"3/3"}', ids)).toMatch(/selector "\[data-live-score\]::after"/);
    expect(unscoped("#o1-steps{}, body{}", ids)).toBeDefined();
    expect(unscoped("#o1-steps, .live-score{color:red}", ids)).toMatch(/\.live-score/);
    expect(unscoped("#elsewhere{color:red}", ids)).toMatch(/#elsewhere/);
    expect(unscoped('@import url("x.css");', ids)).toBeDefined();
    expect(unscoped('@font-face{font-family:x} #o1-steps{}', ids)).toMatch(/@font-face/);
    expect(unscoped('#o1-steps{content:"}"} body{color:red}', ids)).toBeDefined();
  });
});
