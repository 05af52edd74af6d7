/**
 * Words for values in messages, and text made safe for HTML: shared by the engine's errors, the
 * exercise checks and the drawings, so every message describes a value the same way.
 */

/** A number as a person reads it: plain, or in exponent form when tiny or huge. */
export function formatNumber(x: number): string {
  if (x !== 0 && Number.isFinite(x) && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e15)) return x.toExponential();
  return String(x);
}

/** What `x` is, for "expected …, got <describe(x)>". */
export function describe(x: unknown): string {
  if (x === undefined) return "undefined";
  if (x === null) return "null";
  if (typeof x === "number") return formatNumber(x);
  if (typeof x === "string") return `the string ${JSON.stringify(x)}`;
  if (typeof x === "boolean") return String(x);
  if (typeof x === "function") return "a function (did you forget to call it?)";
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === "object" && x.constructor?.name === "Value" && typeof (x as { data?: unknown }).data === "number") {
    return `Value(data=${formatNumber((x as { data: number }).data)})`;
  }
  return `${typeof x === "object" ? "an object" : typeof x} (${Object.prototype.toString.call(x).slice(8, -1)})`;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe inside HTML elements and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
