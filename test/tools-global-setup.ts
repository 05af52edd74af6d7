/**
 * Runs once before the test files: build dist/ if missing (notebooks import micrograd-ts from
 * there) and install the tslab kernelspec, so parallel test files never race to install it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ensureKernelspec, findJupyter, packageRoot } from "../src/tools/jupyter";

export default function setup(): void {
  const root = packageRoot();
  if (!fs.existsSync(path.join(root, "dist", "index.js"))) {
    execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], {
      cwd: root,
      stdio: "inherit",
    });
  }
  const jupyter = findJupyter();
  if (jupyter) ensureKernelspec(jupyter, { root, log: (l) => console.log(`[setup] ${l}`) });
}
