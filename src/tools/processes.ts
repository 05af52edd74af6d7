/**
 * Child processes of the command-line tools: spawning with collected output, who we run as, and
 * bounded parallelism for running several notebooks at once.
 */
import { spawn } from "node:child_process";

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed; default: no stdin. */
  input?: string;
  /** Keep stdout? (default true). The kernel shares a runner's stdout: noise we drop. */
  keepStdout?: boolean;
  /** Called with the child, e.g. to stop it when we are stopped. */
  started?: (child: import("node:child_process").ChildProcess) => void;
  /** Called with each line the child writes to stderr. */
  onStderrLine?: (line: string) => void;
}

/** Run a command to its end and collect what it printed (stderr capped to its last 50 kB). */
export function spawnCollect(command: string, args: string[], options: SpawnOptions = {}): Promise<Finished> {
  const { env = process.env, input, keepStdout = true } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    options.started?.(child);
    const out: Buffer[] = [];
    let stderr = "";
    let partial = "";
    child.stdout!.on("data", (d: Buffer) => keepStdout && out.push(d));
    child.stderr!.on("data", (d: Buffer) => {
      const text = d.toString();
      stderr += text;
      if (stderr.length > 100_000) stderr = stderr.slice(-50_000);
      if (options.onStderrLine) {
        const lines = (partial + text).split("\n");
        partial = lines.pop() ?? "";
        lines.forEach(options.onStderrLine);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr }));
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** The last `lines` lines of a program's output, for an error message. */
export function lastLines(text: string, lines = 15): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** Like Promise.all over items.map(fn), with at most `limit` running at once; keeps order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
