/**
 * `npm start`'s safety: a warning when Jupyter would listen beyond this machine, and the token
 * kept out of the environment that Jupyter hands to every kernel.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { networkWarning, pythonArgs } from "../../src/tools/start";

describe("networkWarning", () => {
  it("is silent for loopback addresses", () => {
    for (const ip of ["127.0.0.1", "127.1.2.3", "localhost", "::1"]) expect(networkWarning(ip)).toBeUndefined();
  });

  it("warns about plain HTTP for any other address", () => {
    for (const ip of ["0.0.0.0", "::", "", "192.168.1.20", "10.0.0.5"]) {
      expect(networkWarning(ip)).toMatch(/reachable from the network, over plain HTTP \(not encrypted\)/);
    }
  });
});

describe("the Jupyter launcher", () => {
  it("takes JUPYTER_TOKEN out of the environment (kernels inherit it) and gives it to Jupyter as an option", () => {
    const dir = mkdtempSync(join(tmpdir(), "micrograd-launcher-"));
    try {
      // A stand-in for the notebook package: it says what it was given and what a child would inherit.
      mkdirSync(join(dir, "notebook"));
      writeFileSync(join(dir, "notebook", "__init__.py"), "");
      writeFileSync(join(dir, "notebook", "__main__.py"), "import os, sys, json\nprint(json.dumps({'argv': sys.argv[1:], 'env': os.environ.get('JUPYTER_TOKEN')}))\n");
      const run = (args: string[]) =>
        JSON.parse(spawnSync("python3", pythonArgs(args), { encoding: "utf8", env: { ...process.env, PYTHONPATH: dir, JUPYTER_TOKEN: "s3cret" } }).stdout);
      expect(run(["--NotebookApp.port=1"])).toEqual({ argv: ["--NotebookApp.port=1", "--NotebookApp.token=s3cret"], env: null });
      expect(run(["--ServerApp.port=1"])).toEqual({ argv: ["--ServerApp.port=1", "--ServerApp.token=s3cret"], env: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
