/**
 * A cell's printed output, capped as Jupyter's and VS Code's outputs are: the head is shown as it
 * comes, then only the tail (the last lines) is kept on screen with how much was left out, and the
 * whole output is offered as a download. Runs in the worker, so a cell printing 200,000 lines or
 * one 100 MB string never sends more than a few kilobytes a frame to the page.
 *
 * Writes are batched: `write` returns nothing and calls `send` at most every `intervalMs` (and on
 * `flush`), so the page gets a handful of messages a second however fast the cell prints.
 */
import type { StreamName } from "./kernel.js";

export const LIMITS = { headLines: 500, headChars: 50_000, tailLines: 100, tailChars: 10_000, intervalMs: 50, tailIntervalMs: 250 };

export type CapMessage =
  | { kind: "head"; name: StreamName; text: string }
  | { kind: "tail"; text: string; droppedLines: number; droppedChars: number };

export class OutputCap {
  private headLines = 0;
  private headChars = 0;
  private pending: { name: StreamName; text: string }[] = [];
  /** Everything after the head, for the download (and the tail). */
  private overflow: string[] = [];
  private overflowChars = 0;
  private overflowLines = 0;
  private tailDirty = false;
  private lastSent = -Infinity;
  private lastTail = -Infinity;
  /** The whole output, head included, in order: the download. */
  private readonly all: string[] = [];

  constructor(
    private readonly send: (m: CapMessage) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly limits = LIMITS,
  ) {}

  get capped(): boolean {
    return this.overflowChars > 0;
  }

  write(name: StreamName, text: string): void {
    this.all.push(text);
    let rest = text;
    if (!this.capped) {
      const fit = this.fitting(rest);
      if (fit.length > 0) {
        this.pending.push({ name, text: fit });
        this.headChars += fit.length;
        this.headLines += count(fit);
      }
      rest = rest.slice(fit.length);
    }
    if (rest.length > 0) {
      this.overflow.push(rest);
      this.overflowChars += rest.length;
      this.overflowLines += count(rest);
      this.tailDirty = true;
      if (this.overflow.length > 1000) this.overflow = [this.overflow.join("")];
    }
    if (this.now() - this.lastSent >= this.limits.intervalMs) this.flush(false);
  }

  /**
   * Send what is waiting: the head so far, and the tail as it is now. The tail is only a preview
   * while the cell runs, so it goes out at most every `tailIntervalMs` (each one replaces the
   * last on the page); `final` (the cell is done) sends it whatever the time.
   */
  flush(final = true): void {
    const now = this.now();
    this.lastSent = now;
    for (const p of merge(this.pending)) this.send({ kind: "head", ...p });
    this.pending = [];
    if (this.tailDirty && (final || now - this.lastTail >= this.limits.tailIntervalMs)) {
      this.tailDirty = false;
      this.lastTail = now;
      this.send({ kind: "tail", ...this.tail() });
    }
  }

  /** The whole output as one text (for the download), when it was capped. */
  full(): string | undefined {
    return this.capped ? this.all.join("") : undefined;
  }

  /** The part of `text` the head still takes: up to its line and character budgets. */
  private fitting(text: string): string {
    const chars = this.limits.headChars - this.headChars;
    let lines = this.limits.headLines - this.headLines;
    if (chars <= 0 || lines <= 0) return "";
    let end = 0;
    while (end < text.length && end < chars) {
      const nl = text.indexOf("\n", end);
      if (nl < 0 || nl >= chars) {
        end = Math.min(text.length, chars);
        break;
      }
      end = nl + 1;
      if (--lines === 0) break;
    }
    return text.slice(0, end);
  }

  private tail(): { text: string; droppedLines: number; droppedChars: number } {
    const joined = this.overflow.join("");
    this.overflow = [joined];
    let start = joined.length;
    let lines = 0;
    // Back from the end: whole lines, up to the tail's budgets (a trailing newline is no line).
    let pos = joined.endsWith("\n") ? joined.length - 1 : joined.length;
    while (lines < this.limits.tailLines) {
      const nl = joined.lastIndexOf("\n", pos - 1);
      const from = nl + 1;
      if (joined.length - from > this.limits.tailChars) {
        // Not one more whole line fits: the last characters, when not even one line did.
        if (lines === 0) start = joined.length - this.limits.tailChars;
        break;
      }
      start = from;
      lines++;
      if (nl < 0) break;
      pos = nl;
    }
    const text = joined.slice(start);
    return { text, droppedLines: this.overflowLines - count(text), droppedChars: start };
  }
}

function count(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function merge(parts: { name: StreamName; text: string }[]): { name: StreamName; text: string }[] {
  const out: { name: StreamName; text: string }[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last && last.name === p.name) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}
