/**
 * Math on the static site: the lessons write TeX between $…$ and $$…$$, which Jupyter shows
 * with MathJax. nbconvert's page would load MathJax from a CDN; instead we typeset the TeX with
 * KaTeX while rendering, so a page needs only a local stylesheet (site/katex/) and no script.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import katex from "katex";

/** Where typesetting must not happen: code, outputs in <pre>, and pictures. */
const VERBATIM = new Set(["pre", "code", "svg", "script", "style", "textarea", "title"]);

/** `\$` is a literal dollar (as with MathJax's processEscapes); $$…$$ is display math; $…$ inline. */
const MATH = /\\\$|\$\$([\s\S]+?)\$\$|\$((?:\\\$|[^$])+?)\$/g;

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'", "&#x27;": "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(?:lt|gt|amp|quot|#39|#x27);/g, (e) => ENTITIES[e]!);
}

export function typesetTex(tex: string, displayMode: boolean): string {
  // throwOnError false: a typo shows the TeX in red on the page instead of failing the render.
  return katex.renderToString(unescapeHtml(tex).trim(), { displayMode, throwOnError: false, strict: "ignore", output: "htmlAndMathml" });
}

/** Typeset every $…$ in the text of `html`'s <body>, leaving code, outputs and SVG alone. */
export function typesetMath(html: string): string {
  const bodyAt = html.search(/<body[\s>]/i);
  const head = bodyAt < 0 ? "" : html.slice(0, bodyAt);
  const body = bodyAt < 0 ? html : html.slice(bodyAt);
  let verbatim = 0;
  const parts = body.split(/(<[^>]*>)/);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.startsWith("<")) {
      const tag = part.match(/^<(\/?)([a-zA-Z][\w-]*)/);
      if (tag && VERBATIM.has(tag[2]!.toLowerCase()) && !part.endsWith("/>")) verbatim += tag[1] ? -1 : 1;
      verbatim = Math.max(0, verbatim);
      continue;
    }
    if (verbatim > 0 || !part.includes("$")) continue;
    parts[i] = part.replace(MATH, (match, display?: string, inline?: string) => {
      if (match === "\\$") return "$";
      return display !== undefined ? typesetTex(display, true) : typesetTex(inline!, false);
    });
  }
  return head + parts.join("");
}

/** KaTeX's stylesheet and fonts, to copy next to the pages (site/katex/). */
export function katexAssets(): { dir: string; files: string[] } {
  const dir = path.join(path.dirname(require.resolve("katex/package.json")), "dist");
  // Only WOFF2: every browser that runs the site reads it, and the stylesheet lists it first, so the
  // older formats (two thirds of the fonts' size) would never be fetched.
  const fonts = fs.readdirSync(path.join(dir, "fonts")).filter((f) => f.endsWith(".woff2")).sort().map((f) => path.join("fonts", f));
  return { dir, files: ["katex.min.css", ...fonts] };
}
