/**
 * Brings `practiceBackward`'s widget to life: a text box over every grad of the drawing, each judged
 * on its own against the rule of the node(s) using it, "New expression", and the backward stepper
 * once every box is right. The widget's markup carries everything (drawings, answers, rules).
 *
 * One script, two hosts: the course site loads it as a page script (it watches for widgets the live
 * page adds later), and in Jupyter the cell displays this same file as application/javascript.
 * Plain script (no modules); loading it twice changes nothing.
 */
{
  interface PracticeNode {
    label: string;
    formula: string;
    grad: number;
    uses: [number, number][];
    rule: string;
  }
  type Verdict = "empty" | "invalid" | "right" | "follows" | "wrong";
  const w = window as unknown as { micrograd_practice?: boolean };

  /** A typed answer: a number, with a decimal comma or a simple fraction (1/2) accepted. */
  const parse = (text: string): number | undefined | null => {
    const t = text.trim().replace(",", ".").replace(/^\+/, "").replace(/^[−–]/, "-");
    if (t === "") return undefined;
    const frac = /^(-?\d+(?:\.\d*)?)\s*\/\s*(\d+(?:\.\d*)?)$/.exec(t);
    if (frac) return Number(frac[1]) / Number(frac[2]);
    const x = /^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(t) ? Number(t) : NaN;
    return Number.isFinite(x) ? x : null;
  };
  /** Close enough for an answer worked out from the drawing's 4 decimals. */
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= 2e-3 + 2e-3 * Math.abs(y);
  const show4 = (x: number): string => (Object.is(x, -0) ? 0 : x).toFixed(4);

  const storageKey = (lesson: string) => `micrograd-ts:practice:${lesson}`;
  const addSolved = (lesson: string) => {
    if (!lesson) return;
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey(lesson)) ?? "{}") as { solved?: unknown };
      const solved = typeof saved.solved === "number" && Number.isFinite(saved.solved) ? saved.solved : 0;
      localStorage.setItem(storageKey(lesson), JSON.stringify({ solved: solved + 1 }));
    } catch {
      // storage blocked: the practice still works, it is just not counted
    }
  };

  const STYLE = `
.mg-practice{margin:6px 0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif}
.mg-practice.mg-ready .mg-practice-nojs{display:none}
.mg-practice-stage{position:relative;overflow-x:auto;max-width:100%;padding:2px 0}
.mg-practice-stage>.mg-practice-canvas{position:relative;display:inline-block;background:#fff}
.mg-practice-stage svg{display:block;max-width:none!important}
.mg-practice-stage input{position:absolute;box-sizing:border-box;margin:0;padding:0 3px;border:1.5px solid #555;border-radius:3px;background:#fff;color:#111;font-family:Helvetica,Arial,sans-serif;min-width:0}
.mg-practice-stage input:focus{outline:2px solid #0072B2;outline-offset:1px}
.mg-practice-stage input.right{border-color:#1a7f37;background:#e6f4ea}
.mg-practice-stage input.wrong,.mg-practice-stage input.invalid{border-color:#b3261e;background:#fdecea}
.mg-practice-stage input.follows{border-color:#8a5a00;background:#fff4d6}
.mg-practice-feedback{list-style:none;padding-left:0;margin:6px 0}
.mg-practice-feedback li{margin:2px 0}
.mg-practice-feedback .right{color:#1a7f37}
.mg-practice-feedback .wrong,.mg-practice-feedback .invalid{color:#b3261e}
.mg-practice-feedback .follows{color:#7a4f00}
.mg-practice-controls{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0}
.mg-practice-controls button{font:inherit;padding:2px 10px;border:1px solid #888;border-radius:4px;background:#f6f6f6;color:#111;cursor:pointer}
.mg-practice-controls button:focus-visible{outline:2px solid #0072B2;outline-offset:1px}
.mg-practice-status{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.mg-practice-summary{min-height:1.4em;margin:4px 0}
.mg-selfcheck{margin:6px 0}
.mg-selfcheck-list{padding-left:1.6em}
.mg-q{margin:0 0 10px}
.mg-q-prompt{margin:0 0 4px}
.mg-q-form{display:flex;flex-wrap:wrap;gap:6px;align-items:flex-start}
.mg-q-form fieldset{border:1px solid #999;border-radius:4px;margin:0;padding:2px 8px 4px}
.mg-q-form legend{font-size:90%}
.mg-q-form label{display:block;cursor:pointer}
.mg-q-form input[type=text]{font:inherit;width:8em;padding:1px 4px}
.mg-q-form button{font:inherit;padding:1px 10px;cursor:pointer}
.mg-q-feedback{margin:2px 0;min-height:1.2em}
.mg-q-feedback.right{color:#1a7f37}
.mg-q-feedback.wrong{color:#b3261e}
.mg-q details summary{cursor:pointer}
[data-theme="dark"] .mg-q-feedback.right{color:#7ee787}
[data-theme="dark"] .mg-q-feedback.wrong{color:#ffa198}
@media (prefers-color-scheme: dark){:root:not([data-theme="light"]) .mg-q-feedback.right{color:#7ee787}
:root:not([data-theme="light"]) .mg-q-feedback.wrong{color:#ffa198}}
[data-theme="dark"] .mg-practice-feedback .right{color:#7ee787}
[data-theme="dark"] .mg-practice-feedback .wrong,[data-theme="dark"] .mg-practice-feedback .invalid{color:#ffa198}
[data-theme="dark"] .mg-practice-feedback .follows{color:#f2cc60}
@media (prefers-color-scheme: dark){:root:not([data-theme="light"]) .mg-practice-feedback .right{color:#7ee787}
:root:not([data-theme="light"]) .mg-practice-feedback .wrong,:root:not([data-theme="light"]) .mg-practice-feedback .invalid{color:#ffa198}
:root:not([data-theme="light"]) .mg-practice-feedback .follows{color:#f2cc60}}
`;

  const addStyle = () => {
    if (document.getElementById("mg-practice-style")) return;
    const style = document.createElement("style");
    style.id = "mg-practice-style";
    style.textContent = STYLE;
    document.head.appendChild(style);
  };

  /** The module that draws new expressions (src/practice/generate.ts, in the live bundle). */
  interface Generator {
    nextPracticeItem(seed: number, kind: object): Promise<string>;
  }
  let generator: Promise<Generator> | undefined;
  /** Where it is: next to the live page's script, on a page served over HTTP (browsers refuse modules from file://). */
  const generatorUrl = (): string | undefined => {
    if (!/^https?:$/.test(location.protocol)) return undefined;
    const live = document.querySelector<HTMLScriptElement>('script[src$="live/live.js"]');
    return live ? new URL("practice-gen.js", live.src).href : undefined;
  };

  let instances = 0;
  const enhance = (widget: HTMLElement) => {
    if (widget.classList.contains("mg-ready")) return;
    widget.classList.add("mg-ready");
    // The same output can be on the page twice (the static one, and the live page's run of it).
    const uid = `${widget.id}-${++instances}`;
    const lesson = widget.dataset.lesson ?? "";
    const kind = ((): object => {
      try {
        const k = JSON.parse(widget.dataset.kind ?? "{}") as unknown;
        return typeof k === "object" && k !== null ? k : {};
      } catch {
        return {};
      }
    })();
    const items = [...widget.querySelectorAll<HTMLElement>(".mg-practice-item")];
    const status = widget.querySelector<HTMLElement>(".mg-practice-status")!;
    const which = widget.querySelector<HTMLElement>(".mg-practice-which");
    let current = Math.max(0, items.findIndex((it) => !it.hidden));
    // What the status (a live region, for screen readers) says in full, the page shows in short.
    const summaryLine = document.createElement("p");
    summaryLine.className = "mg-practice-summary";
    status.before(summaryLine);

    const controls = document.createElement("div");
    controls.className = "mg-practice-controls";
    const button = (text: string, onClick: () => void) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.addEventListener("click", onClick);
      controls.appendChild(b);
      return b;
    };

    /** Each item's boxes, made when the item is first shown (it must be laid out to measure). */
    const boxes = new Map<HTMLElement, HTMLInputElement[]>();
    const solved = new Set<HTMLElement>();

    const nodesOf = (item: HTMLElement): PracticeNode[] => JSON.parse(item.dataset.nodes ?? "[]") as PracticeNode[];

    const judgeAll = (item: HTMLElement, announce: number | "all") => {
      const nodes = nodesOf(item);
      const inputs = boxes.get(item)!;
      const answers = inputs.map((b) => parse(b.value));
      const verdicts: Verdict[] = nodes.map((n, i) => {
        const a = answers[i];
        if (a === undefined) return "empty";
        if (a === null) return "invalid";
        if (close(a, n.grad)) return "right";
        // Right rule, wrong input: what the learner's own grads of the users give.
        if (n.uses.length > 0 && n.uses.every(([k]) => typeof answers[k] === "number")) {
          const fromYours = n.uses.reduce((s, [k, local]) => s + local * (answers[k] as number), 0);
          const anyUserWrong = n.uses.some(([k]) => !close(answers[k] as number, nodes[k]!.grad));
          if (anyUserWrong && close(a, fromYours)) return "follows";
        }
        return "wrong";
      });
      const list = item.querySelector<HTMLElement>(".mg-practice-feedback")!;
      list.replaceChildren();
      const said: string[] = [];
      nodes.forEach((n, i) => {
        const v = verdicts[i]!;
        const input = inputs[i]!;
        input.classList.remove("right", "wrong", "follows", "invalid");
        input.removeAttribute("aria-invalid");
        if (v === "empty") return;
        input.classList.add(v);
        if (v !== "right") input.setAttribute("aria-invalid", "true");
        const li = document.createElement("li");
        li.className = v;
        li.id = `${input.id}-feedback`;
        const users = n.uses.map(([k]) => nodes[k]!.label);
        const text =
          v === "right" ? `✓ grad of ${n.label} is right.`
          : v === "invalid" ? `✗ grad of ${n.label}: “${input.value}” is not a number.`
          : v === "follows" ? `↻ grad of ${n.label} follows from your grad of ${[...new Set(users)].join(" and ")}, which is off: fix that one first. (${n.rule}.)`
          : `✗ grad of ${n.label} is not right. Rule: ${n.rule}.`;
        li.textContent = text;
        list.appendChild(li);
        input.setAttribute("aria-describedby", li.id);
        if (announce === "all" || announce === i) said.push(text);
      });
      const right = verdicts.filter((v) => v === "right").length;
      const done = right === nodes.length;
      if (done && !solved.has(item)) {
        solved.add(item);
        addSolved(lesson);
        item.querySelector<HTMLElement>(".mg-practice-replay")!.hidden = false;
      }
      const summary = done ? `All ${nodes.length} grads are right: the backward stepper above replays them.` : `${right} of ${nodes.length} grads right.`;
      summaryLine.textContent = summary;
      status.textContent = announce === "all" ? `${summary} ${said.filter((t) => !t.startsWith("✓")).join(" ")}`.trim() : `${said.join(" ")} ${summary}`.trim();
    };

    const placeBoxes = (item: HTMLElement) => {
      const svg = item.querySelector<SVGSVGElement>(".mg-practice-stage svg");
      const inputs = boxes.get(item);
      if (!svg || !inputs) return;
      const origin = svg.parentElement!.getBoundingClientRect();
      const nodes = nodesOf(item);
      nodes.forEach((_, i) => {
        const text = [...svg.querySelectorAll<SVGTextElement>(`g.node.v${i} text`)].find((t) => (t.textContent ?? "").startsWith("grad"));
        const input = inputs[i];
        if (!text || !input) return;
        const r = text.getBoundingClientRect();
        if (r.width === 0) return; // not laid out (hidden)
        const x = r.left - origin.left;
        const y = r.top - origin.top;
        // Where the blank starts: the width of "grad " in "grad ________", in CSS pixels.
        const full = text.getComputedTextLength();
        const gradWord = full > 0 ? (r.width * text.getSubStringLength(0, 5)) / full : r.width * (5 / 13);
        const box = { width: r.width, height: r.height };
        const scale = 1;
        input.style.left = `${x + gradWord}px`;
        input.style.top = `${y - 1}px`;
        input.style.width = `${box.width - gradWord + 4}px`;
        input.style.height = `${box.height + 2}px`;
        input.style.fontSize = `${Math.max(10, box.height * scale * 0.8)}px`;
      });
    };

    const build = (item: HTMLElement) => {
      if (boxes.has(item)) return;
      const stage = item.querySelector<HTMLElement>(".mg-practice-stage")!;
      const svg = stage.querySelector("svg");
      if (!svg) return;
      const canvas = document.createElement("div");
      canvas.className = "mg-practice-canvas";
      stage.insertBefore(canvas, svg);
      canvas.appendChild(svg);
      svg.setAttribute("aria-hidden", "true"); // the boxes name every node; the picture repeats it
      const nodes = nodesOf(item);
      const inputs = nodes.map((n, i) => {
        const input = document.createElement("input");
        input.type = "text";
        input.inputMode = "decimal";
        input.autocomplete = "off";
        input.spellcheck = false;
        input.id = `${uid}-s${item.dataset.seed}-n${i}`;
        input.setAttribute("aria-label", `grad of ${n.formula}`);
        input.addEventListener("keydown", (e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            judgeAll(item, i);
          }
        });
        input.addEventListener("change", () => judgeAll(item, i));
        canvas.appendChild(input);
        return input;
      });
      // Tab follows the backward pass: the output first, then back towards the inputs.
      for (let i = inputs.length - 1; i >= 0; i--) canvas.appendChild(inputs[i]!);
      boxes.set(item, inputs);
      placeBoxes(item);
    };

    const showItem = (k: number) => {
      items.forEach((it, j) => (it.hidden = j !== k));
      current = k;
      build(items[k]!);
      placeBoxes(items[k]!);
      summaryLine.textContent = "";
      if (which) which.textContent = `Expression ${k + 1} of ${items.length} (seed ${items[k]!.dataset.seed}).`;
    };

    button("Check", () => judgeAll(items[current]!, "all"));
    const announceNew = (note = "") => {
      status.textContent = `New expression, seed ${items[current]!.dataset.seed}: ${nodesOf(items[current]!).length} grads to find.${note}`;
      boxes.get(items[current]!)?.at(-1)?.focus();
    };
    const newButton = button("New expression", () => {
      if (current + 1 < items.length) {
        showItem(current + 1);
        return announceNew();
      }
      // Past the expressions the page came with: the next seed, drawn here (course site over HTTP).
      const url = generatorUrl();
      if (!url) {
        showItem(0);
        return announceNew(` These ${items.length} come round again; the course site served over HTTP (npm run serve) draws new ones without end, and in Jupyter running the cell again gives a new set.`);
      }
      newButton.disabled = true;
      status.textContent = "Drawing a new expression…";
      const last = items[items.length - 1]!;
      (generator ??= import(url) as Promise<Generator>)
        .then((g) => g.nextPracticeItem(Number(last.dataset.seed) + 1, { ...kind, lesson }))
        .then((html) => {
          const t = document.createElement("template");
          t.innerHTML = html;
          const item = t.content.firstElementChild as HTMLElement | null;
          if (!item?.classList.contains("mg-practice-item")) throw new Error("the new expression came out empty");
          last.after(item);
          items.push(item);
          showItem(items.length - 1);
          announceNew();
        })
        .catch((e: unknown) => {
          generator = undefined;
          showItem(0);
          announceNew(` (A new one could not be drawn: ${(e as Error)?.message ?? String(e)}. These ${items.length} come round again.)`);
        })
        .finally(() => (newButton.disabled = false));
    });
    button("Show the answer", () => {
      const item = items[current]!;
      nodesOf(item).forEach((n, i) => (boxes.get(item)![i]!.value = show4(n.grad)));
      judgeAll(item, "all");
    });
    // Above the drawing: feedback appearing below must never move a button under the pointer.
    widget.insertBefore(controls, items[0] ?? status);
    showItem(current);
    if (typeof ResizeObserver === "function") new ResizeObserver(() => placeBoxes(items[current]!)).observe(widget);
  };

  /** selfCheck's questions: a box for a number, buttons for a choice, and a verdict. */
  const enhanceQuestions = (group: HTMLElement) => {
    group.classList.add("mg-ready");
    const uid = `${group.id}-${++instances}`;
    group.querySelectorAll<HTMLElement>(".mg-q").forEach((q, i) => {
      const kind = q.dataset.kind;
      if (kind !== "number" && kind !== "choice") return;
      const prompt = q.querySelector<HTMLElement>(".mg-q-prompt")!;
      const form = document.createElement("div");
      form.className = "mg-q-form";
      const feedback = document.createElement("p");
      feedback.className = "mg-q-feedback";
      feedback.setAttribute("role", "status");
      const check = document.createElement("button");
      check.type = "button";
      check.textContent = "Check";
      let judge: () => string;
      if (kind === "number") {
        const input = document.createElement("input");
        input.type = "text";
        input.inputMode = "decimal";
        input.autocomplete = "off";
        input.setAttribute("aria-labelledby", prompt.id);
        input.addEventListener("keydown", (e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            check.click();
          }
        });
        form.append(input, check);
        judge = () => {
          const x = parse(input.value);
          if (x === undefined) return "Type a number first.";
          if (x === null) return `✗ “${input.value}” is not a number.`;
          const ok = Math.abs(x - Number(q.dataset.value)) <= Number(q.dataset.tol);
          return ok ? "✓ Right." : "✗ Not quite: try again, or open the answer.";
        };
      } else {
        const list = q.querySelector<HTMLElement>(".mg-q-choices");
        const items = [...(list?.querySelectorAll("li") ?? [])];
        const fieldset = document.createElement("fieldset");
        const legend = document.createElement("legend");
        legend.textContent = "Your answer";
        fieldset.appendChild(legend);
        const radios = items.map((li, k) => {
          const label = document.createElement("label");
          const radio = document.createElement("input");
          radio.type = "radio";
          radio.name = `${uid}-q${i}`;
          radio.value = String(k);
          label.append(radio, ` ${String.fromCharCode(65 + k)}. ${li.textContent ?? ""}`);
          fieldset.appendChild(label);
          return radio;
        });
        fieldset.setAttribute("aria-describedby", prompt.id);
        list?.remove();
        form.append(fieldset, check);
        judge = () => {
          const chosen = radios.findIndex((r) => r.checked);
          if (chosen < 0) return "Pick an answer first.";
          return chosen === Number(q.dataset.correct) ? "✓ Right." : "✗ Not that one: try again, or open the answer.";
        };
      }
      check.addEventListener("click", () => {
        const verdict = judge();
        feedback.textContent = verdict;
        feedback.className = `mg-q-feedback ${verdict.startsWith("✓") ? "right" : verdict.startsWith("✗") ? "wrong" : ""}`;
      });
      prompt.after(form);
      form.after(feedback);
    });
  };

  const enhanceAll = (root: ParentNode) => {
    const found = root.querySelectorAll<HTMLElement>(".mg-practice:not(.mg-ready)");
    const questions = root.querySelectorAll<HTMLElement>(".mg-selfcheck:not(.mg-ready)");
    if (found.length > 0 || questions.length > 0) addStyle();
    found.forEach(enhance);
    questions.forEach(enhanceQuestions);
  };

  if (!w.micrograd_practice) {
    w.micrograd_practice = true;
    const start = () => {
      enhanceAll(document);
      // The live page and Jupyter add outputs after load.
      new MutationObserver(() => enhanceAll(document)).observe(document.body, { childList: true, subtree: true });
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  } else {
    enhanceAll(document);
  }
}
