/**
 * `console.table` as Node 20 prints it (lib/internal/console/constructor.js and cli_table.js),
 * because that is what tslab shows in Jupyter and the live page must show the same text.
 * Covers what lessons table: arrays and objects of rows, optional column list.
 */
import { inspect } from "node-inspect-extracted";

const INDEX = "(index)";
const VALUES = "Values";

/** The table's text (without the final newline), or undefined when Node would just log the value. */
export function consoleTable(data: unknown, properties?: readonly string[]): string | undefined {
  if (data === null || typeof data !== "object") return undefined;
  const show = (v: unknown) => {
    const depth = v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 2 ? -1 : 0;
    return inspect(v, { depth, maxArrayLength: 3, breakLength: Infinity });
  };
  let rows: [string, unknown][];
  if (data instanceof Map) rows = [...data.entries()].map(([k, v], i) => [String(i), { Key: k, Values: v }] as [string, unknown]);
  else if (data instanceof Set) rows = [...data].map((v, i) => [String(i), v]);
  else rows = Object.keys(data).map((k) => [k, (data as Record<string, unknown>)[k]]);

  const columns = new Map<string, string[]>();
  const values: string[] = [];
  let hasPrimitives = false;
  rows.forEach(([, item], i) => {
    const primitive = item === null || (typeof item !== "function" && typeof item !== "object");
    if (properties === undefined && primitive) {
      hasPrimitives = true;
      values[i] = show(item);
      return;
    }
    for (const key of properties ?? Object.keys(item as object)) {
      if (!columns.has(key)) columns.set(key, []);
      const own = !primitive && Object.prototype.hasOwnProperty.call(item, key);
      columns.get(key)![i] = own ? show((item as Record<string, unknown>)[key]) : "";
    }
  });
  const head = [INDEX, ...columns.keys()];
  const cols = [rows.map(([k]) => k), ...columns.values()];
  if (hasPrimitives) {
    head.push(VALUES);
    cols.push(values);
  }
  return render(head, cols);
}

function render(head: string[], columns: string[][]): string {
  const widths = head.map(width);
  const longest = Math.max(...columns.map((c) => c.length));
  const rows: string[][] = [];
  columns.forEach((column, i) => {
    for (let j = 0; j < longest; j++) {
      rows[j] ??= [];
      const value = (rows[j]![i] = Object.prototype.hasOwnProperty.call(column, j) ? column[j]! : "");
      widths[i] = Math.max(widths[i] ?? 0, width(value));
    }
  });
  const line = (cells: string[]) => `│ ${cells.map((c, i) => c + " ".repeat(widths[i]! - width(c))).join(" │ ")} │`;
  const divider = widths.map((w) => "─".repeat(w + 2));
  return [
    `┌${divider.join("┬")}┐`,
    line(head),
    `├${divider.join("┼")}┤`,
    ...rows.map(line),
    `└${divider.join("┴")}┘`,
  ].join("\n");
}

/** Columns a string takes in a terminal: wide (CJK, emoji) characters count two, combining marks none. */
function width(s: string): number {
  let w = 0;
  for (const ch of s.normalize("NFC")) {
    const c = ch.codePointAt(0)!;
    if (/\p{Mn}|\p{Me}/u.test(ch) || c === 0x200b) continue;
    w += c >= 0x1100 && /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}|\p{Extended_Pictographic}/u.test(ch) ? 2 : 1;
  }
  return w;
}
