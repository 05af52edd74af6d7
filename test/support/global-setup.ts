/**
 * Before the kernel and browser tiers: build dist/ (notebooks import micrograd-ts from there, so a
 * stale build would be tested otherwise) and install the tslab kernelspec once, so that test files
 * running in parallel never race to install it. After them: one line when Chromium was missing and
 * the browser tests were skipped, so a quiet skip can't pass for a green run.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { packageRoot } from "../../src/tools/files";
import { ensureKernelspec, findJupyter } from "../../src/tools/jupyter";
import { CHROMIUM, chromiumPresent, inCI } from "./harness";

let built = false;

export default function setup(): () => void {
  const root = packageRoot();
  // Both slow tiers call this; build once per vitest run (npm test has built already, but a
  // single-file run after an edit has not).
  if (!built && !process.env.MICROGRAD_BUILT) {
    execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-b", "tsconfig.json", "tsconfig.site.json"], { cwd: root, stdio: "inherit" });
    built = true;
    process.env.MICROGRAD_BUILT = "1";
  }
  const jupyter = findJupyter();
  if (jupyter) ensureKernelspec(jupyter, { root, log: (l) => console.log(`[setup] ${l}`) });
  return () => {
    if (!chromiumPresent() && !inCI) console.log(`\nChromium is missing (${CHROMIUM}): the browser tests were skipped. Install it with: sudo apt-get install -y chromium`);
    if (!jupyter && !inCI) console.log("\nJupyter is missing: the kernel tests were skipped. Install it with: sudo apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel");
  };
}
