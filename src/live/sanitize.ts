/**
 * What a cell shows, made safe to put into the page. The page's CSP already refuses scripts and
 * inline handlers; markup can still do harm without them, so every HTML or SVG output goes
 * through DOMPurify (well kept, fast, used by JupyterLab's and VS Code's markdown renderers; it
 * follows browsers' parsing quirks so mutation tricks don't get past it), with:
 *
 * - no <meta> (a refresh would navigate away), <base>, <link>, <form>, <iframe>, <object>,
 *   <embed>;
 * - <style> kept only when each of its rules applies inside the output itself: every selector
 *   starts at an id, or a class, of an element of this output (the backward stepper scopes its
 *   rules by id, Observable Plot by a class: `:where(.plot-d6a7b5)`), both made unique to the
 *   output first. A style that restyles the page (a fake "Score: 3/3") is dropped, and said so;
 * - ids made unique per page (`uniqueIds`), with what refers to them (`url(#…)`, `href="#…"`,
 *   `for`, aria-*, the style's selectors): a chart drawn live and its hidden pre-rendered copy
 *   then never share a clip-path;
 * - and live.css confines each output to its own box (`contain: paint`), so a link styled to
 *   cover the page covers only the output.
 */
import DOMPurify from "dompurify";

const FORBID_TAGS = ["meta", "base", "link", "form", "iframe", "frame", "object", "embed", "portal"];

let purifier: ReturnType<typeof DOMPurify> | undefined;
let counter = 0;

/** Markup as a fragment with nothing in it that can act on the page; `win`: the window (tests give linkedom's). */
export function sanitize(markup: string, win: Window & typeof globalThis = window): DocumentFragment {
  purifier ??= DOMPurify(win);
  const fragment = purifier.sanitize(markup, {
    RETURN_DOM_FRAGMENT: true,
    FORCE_BODY: true, // a leading <style> is kept as markup, not moved to a <head>
    FORBID_TAGS,
    ADD_ATTR: ["for"],
  }) as DocumentFragment;
  const prefix = `o${++counter}`;
  uniqueIds(fragment, prefix);
  const classes = uniqueStyleClasses(fragment, prefix);
  for (const style of Array.from(fragment.querySelectorAll("style"))) {
    const why = unscoped(style.textContent ?? "", idsIn(fragment), classes);
    if (why) {
      const note = win.document.createElement("p");
      note.className = "live-note";
      note.dataset.liveNote = "style-removed";
      note.textContent = `A <style> in this output was removed: ${why}. Styles in an output may only style the output (start each selector with an id of its own).`;
      style.replaceWith(note);
    }
  }
  return fragment;
}

function idsIn(root: ParentNode): Set<string> {
  return new Set(Array.from(root.querySelectorAll("[id]")).map((e) => e.id));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Give every id in `root` the prefix `prefix-`, and rewrite what refers to them, so that the same
 * markup shown twice on one page (the pre-rendered copy and the live one) never clashes.
 */
export function uniqueIds(root: ParentNode, prefix: string): void {
  const ids = [...idsIn(root)].filter((id) => id !== "").sort((a, b) => b.length - a.length);
  if (ids.length === 0) return;
  const renamed = new Map(ids.map((id) => [id, `${prefix}-${id}`]));
  const any = new RegExp(`#(${ids.map(escape).join("|")})(?![\\w-])`, "g");
  const swap = (text: string) => text.replace(any, (_, id: string) => `#${renamed.get(id)}`);
  for (const el of Array.from(root.querySelectorAll("*"))) {
    for (const attr of Array.from(el.attributes)) {
      const { name, value } = attr;
      if (name === "id") el.setAttribute("id", renamed.get(value) ?? value);
      else if (name === "for" || name === "aria-labelledby" || name === "aria-describedby" || name === "aria-controls" || name === "aria-owns") {
        el.setAttribute(name, value.split(/\s+/).map((v) => renamed.get(v) ?? v).join(" "));
      } else if (value.includes("#")) el.setAttribute(name, swap(value)); // url(#…), href="#…", xlink:href
    }
    if (el.tagName.toLowerCase() === "style") el.textContent = swap(el.textContent ?? "");
  }
}

/**
 * The classes the output's styles start their selectors with (`.c …`, `:where(.c …)`) and that
 * an element of the output carries: renamed `prefix-c` in both, so the style can match nothing
 * else on the page. Returns the new names.
 */
export function uniqueStyleClasses(root: ParentNode, prefix: string): Set<string> {
  const styles = Array.from(root.querySelectorAll("style"));
  const wanted = new Set<string>();
  for (const style of styles) {
    const css = (style.textContent ?? "").replace(/\/\*[\s\S]*?\*\//g, "");
    for (const m of css.matchAll(/(?:^|[{},;]|\*\/)\s*(?::where\(\s*)?\.((?:[\w-])+)/g)) wanted.add(m[1]!);
  }
  const present = [...wanted].filter((c) => root.querySelector(`[class~="${c}"]`));
  const renamed = new Set<string>();
  if (present.length === 0) return renamed;
  const any = new RegExp(`\\.(${present.map(escape).join("|")})(?![\\w-])`, "g");
  for (const el of Array.from(root.querySelectorAll("[class]"))) {
    const names = (el.getAttribute("class") ?? "").split(/\s+/);
    if (names.some((n) => present.includes(n))) el.setAttribute("class", names.map((n) => (present.includes(n) ? `${prefix}-${n}` : n)).join(" "));
  }
  for (const style of styles) style.textContent = (style.textContent ?? "").replace(any, (_, c: string) => `.${prefix}-${c}`);
  for (const c of present) renamed.add(`${prefix}-${c}`);
  return renamed;
}

/**
 * Why a stylesheet reaches outside its output, or undefined when every selector of every rule
 * starts at one of `ids`, or one of `classes` (bare or in `:where(…)`). A small CSS reader: rules are `selectors { declarations }`, @media
 * blocks hold rules; any other at-rule (@import, @font-face…) is refused.
 */
export function unscoped(css: string, ids: Set<string>, classes: Set<string> = new Set()): string | undefined {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, "");
  let i = 0;
  const problems: string[] = [];
  const rules = (depth: number): void => {
    while (i < text.length) {
      const open = text.indexOf("{", i);
      const close = text.indexOf("}", i);
      if (close >= 0 && (open < 0 || close < open)) {
        if (depth === 0) problems.push("an unmatched }");
        i = close + 1;
        return;
      }
      if (open < 0) {
        if (text.slice(i).trim()) problems.push("text outside any rule");
        i = text.length;
        return;
      }
      const head = text.slice(i, open).trim();
      i = open + 1;
      if (head.startsWith("@")) {
        if (/^@media\b/i.test(head)) rules(depth + 1);
        else {
          problems.push(`the at-rule ${head.split(/\s/)[0]}`);
          skipBlock();
        }
        continue;
      }
      for (const selector of splitSelectors(head)) {
        const sel = selector.trim();
        const id = /^#((?:[\w-]|\\.)+)/.exec(sel);
        const cls = /^(?::where\(\s*)?\.([\w-]+)/.exec(sel);
        if (!(id && ids.has(id[1]!)) && !(cls && classes.has(cls[1]!))) problems.push(`the selector "${sel.slice(0, 60)}"`);
      }
      skipBlock();
    }
  };
  const skipBlock = () => {
    let level = 1;
    while (i < text.length && level > 0) {
      const c = text[i++];
      if (c === "{") level++;
      else if (c === "}") level--;
    }
  };
  rules(0);
  return problems.length ? `it styles the page outside the output (${problems.slice(0, 2).join(", ")})` : undefined;
}

/** Selectors separated by top-level commas (not those inside :is(…), [attr="a,b"]). */
function splitSelectors(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let k = 0; k < list.length; k++) {
    const c = list[k]!;
    if (quote) {
      if (c === "\\") k++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      out.push(list.slice(start, k));
      start = k + 1;
    }
  }
  out.push(list.slice(start));
  return out;
}
