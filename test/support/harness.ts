/**
 * What the Jupyter and browser tests need from the machine, and what to do when it is missing:
 * skip loudly on a developer's machine, fail in CI (CI=true), where .ci/run installs everything.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { findJupyter } from "../../src/tools/jupyter";

export const inCI = /^(1|true|yes)$/i.test(process.env.CI ?? "");
export const CHROMIUM = "/usr/bin/chromium";

function available(what: string, present: boolean, install: string): boolean {
  if (present) return true;
  const message = `${what} is not installed, so these tests cannot run. Install it with: ${install}`;
  if (inCI) throw new Error(`${message} (CI=true: failing instead of skipping)`);
  console.warn(`\n${"!".repeat(78)}\n!! SKIPPING: ${message}\n${"!".repeat(78)}\n`);
  return false;
}

export function hasJupyter(): boolean {
  return available(
    "Jupyter (notebook, nbconvert, nbclient)",
    findJupyter() !== null,
    "sudo apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel",
  );
}

export function chromiumPresent(): boolean {
  return fs.existsSync(CHROMIUM) && spawnSync(CHROMIUM, ["--version"], { stdio: "ignore" }).status === 0;
}

export function hasChromium(): boolean {
  return available("Chromium", chromiumPresent(), "sudo apt-get install -y chromium");
}

/** Jupyter's kernel conformance suite, for Debian's python3 (package python3-jupyter-kernel-test). */
export function hasKernelTestSuite(): boolean {
  const python = findJupyter()?.python ?? "/usr/bin/python3";
  const present = spawnSync(python, ["-c", "import jupyter_kernel_test"], { stdio: "ignore" }).status === 0;
  return available("jupyter_kernel_test", present, "sudo apt-get install -y python3-jupyter-kernel-test");
}

/** Jupyter's terminal client (package jupyter-console). */
export function hasJupyterConsole(): boolean {
  const python = findJupyter()?.python ?? "/usr/bin/python3";
  const present = spawnSync(python, ["-c", "import jupyter_console"], { stdio: "ignore" }).status === 0;
  return available("jupyter-console", present, "sudo apt-get install -y jupyter-console");
}
