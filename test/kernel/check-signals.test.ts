/**
 * `npm run check` stopped by SIGTERM or SIGHUP (a closed terminal, a killed job) while a
 * submission's cell loops forever: the runner and the confined kernel go at once, and the run
 * folder with them.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..", "..");
const FIXTURES = join(ROOT, "test", "fixtures", "exercises");

/** Command lines of every process that mentions `text` (the run folder: runner, bwrap, kernel). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmd.includes(text)) found.push(`${pid}: ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function until(what: () => boolean, seconds: number): Promise<boolean> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (what()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return what();
}

describe.concurrent("stopping npm run check", () => {
  for (const signal of ["SIGTERM", "SIGHUP"] as const) {
    it(`${signal} stops the runner and the kernel at once and leaves no run folder`, async () => {
      const tmp = mkdtempSync(join(tmpdir(), "micrograd-signal-"));
      let stop = () => {};
      try {
        const child = spawn(process.execPath, [join(ROOT, "dist", "tools", "check.js"), "--lessons", FIXTURES, "--timeout", "600", join(FIXTURES, "loop.ipynb")], {
          env: { ...process.env, TMPDIR: tmp },
          stdio: ["ignore", "pipe", "pipe"],
        });
        const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
        stop = () => void (child.exitCode === null && child.kill("SIGKILL"));
        // Wait for the kernel to be in the endless loop: the run folder exists and the kernel is up.
        const runDir = () => readdirSync(tmp).find((f) => f.startsWith("micrograd-grade-"));
        expect(await until(() => runDir() !== undefined && processesMentioning(join(tmp, runDir()!)).some((p) => p.includes("tslab")), 120)).toBe(true);
        const dir = join(tmp, runDir()!);
        await new Promise((r) => setTimeout(r, 3000));
        const sent = Date.now();
        child.kill(signal);
        expect(await exited).toBe(130);
        expect(Date.now() - sent).toBeLessThan(15_000); // not the 600 s cell timeout
        expect(await until(() => processesMentioning(dir).length === 0, 5), processesMentioning(dir).join("\n")).toBe(true);
        expect(readdirSync(tmp)).toEqual([]);
      } finally {
        stop();
        rmSync(tmp, { recursive: true, force: true });
      }
    }, 240_000);
  }
});
