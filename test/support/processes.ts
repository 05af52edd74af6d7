/**
 * The processes on this machine, for tests that check what a command leaves running: each with
 * its parent, so a test can follow its own children (and theirs) and ignore everyone else's.
 */
import { spawnSync } from "node:child_process";

export interface Proc {
  pid: number;
  ppid: number;
  args: string;
}

export function processes(): Proc[] {
  return spawnSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" })
    .stdout.split("\n")
    .map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
}

/** The notebook runners that `parent` started, and their kernels (pids). */
export function runnersAndKernels(parent: number): { runners: number[]; kernels: number[] } {
  const all = processes();
  const runners = all.filter((p) => p.ppid === parent && p.args.includes("run_notebook.py")).map((p) => p.pid);
  return { runners, kernels: all.filter((p) => runners.includes(p.ppid) && p.args.includes("tslab")).map((p) => p.pid) };
}
