/**
 * Reading source maps (version 3), just enough to say where a position in generated JavaScript
 * came from: the kernel maps a stack frame in a compiled cell back to the cell's own line and
 * column (src/kernel/protocol.ts, preload.ts). Pure, no dependencies.
 */

/** A position, 0-based line and column, as in source maps. */
export interface Position {
  line: number;
  column: number;
}

/** One mapping segment: a generated column and, when it has one, the original position. */
interface Segment {
  column: number;
  original?: Position & { source: number };
}

export interface SourceMap {
  /** Segments of each generated line, sorted by column. */
  lines: Segment[][];
  sources: string[];
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decode one segment's base64 VLQ fields ("AAgBC" → [0, 0, 16, 1]). Throws on a bad digit. */
export function decodeVlq(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of text) {
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new Error(`source map: ${JSON.stringify(c)} is not a base64 digit`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  if (shift !== 0) throw new Error(`source map: segment ${JSON.stringify(text)} ends in the middle of a number`);
  return out;
}

/** Parse a source map's JSON (an object or its text). Throws on a map we cannot read. */
export function parseSourceMap(json: string | { mappings?: unknown; sources?: unknown; version?: unknown }): SourceMap {
  const raw = typeof json === "string" ? (JSON.parse(json) as { mappings?: unknown; sources?: unknown; version?: unknown }) : json;
  if (raw.version !== 3 || typeof raw.mappings !== "string") throw new Error("source map: not a version 3 map with mappings");
  const sources = Array.isArray(raw.sources) ? raw.sources.map(String) : [];
  let source = 0;
  let line = 0;
  let column = 0;
  const lines = raw.mappings.split(";").map((text) => {
    let generated = 0;
    const segments: Segment[] = [];
    for (const part of text.split(",")) {
      if (part === "") continue;
      const f = decodeVlq(part);
      generated += f[0]!;
      if (f.length >= 4) {
        source += f[1]!;
        line += f[2]!;
        column += f[3]!;
        segments.push({ column: generated, original: { source, line, column } });
      } else {
        segments.push({ column: generated });
      }
    }
    return segments.sort((a, b) => a.column - b.column);
  });
  return { lines, sources };
}

/**
 * Where generated `pos` came from: the segment at or before its column on its line (the first
 * segment of the line when the column is before all of them), or null when the line maps nothing.
 */
export function originalPosition(map: SourceMap, pos: Position): (Position & { source: string }) | null {
  const segments = map.lines[pos.line];
  if (!segments || segments.length === 0) return null;
  let found: Segment | undefined;
  for (const s of segments) {
    if (s.column > pos.column) break;
    if (s.original) found = s;
  }
  found ??= segments.find((s) => s.original);
  if (!found?.original) return null;
  const { line, column, source } = found.original;
  return { line, column, source: map.sources[source] ?? "" };
}

/** A position through a chain of maps, the last compilation first; null as soon as one maps nothing. */
export function throughMaps(maps: SourceMap[], pos: Position): Position | null {
  let at: Position = pos;
  for (const map of maps) {
    const next = originalPosition(map, at);
    if (!next) return null;
    at = { line: next.line, column: next.column };
  }
  return at;
}

const INLINE_MAP = /\n?\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/;
const MAP_COMMENT = /\n?\/\/# sourceMappingURL=\S+\s*$/;

/** Split JavaScript ending in an inline source map into the code (comment removed) and the map. */
export function takeInlineMap(js: string): { code: string; map: SourceMap | null } {
  const m = INLINE_MAP.exec(js);
  if (!m) return { code: js, map: null };
  return { code: js.slice(0, m.index), map: parseSourceMap(Buffer.from(m[1]!, "base64").toString("utf8")) };
}

/** JavaScript without its trailing `//# sourceMappingURL=…` comment. */
export function withoutMapComment(js: string): string {
  return js.replace(MAP_COMMENT, "");
}
