/**
 * Finding (or installing) Jupyter, and the project-local tslab kernelspec.
 *
 * Jupyter is Python; the lessons need notebook (to serve), nbclient (to execute) and nbconvert
 * (to render). Debian's /usr/bin/python3 is tried first because the `python3` first on PATH is
 * often a separate interpreter (pyenv, venv) without Jupyter.
 *
 * Everything this project writes for Jupyter lives in `<root>/.jupyter/` (git-ignored): the
 * kernelspec, Jupyter's data and runtime dirs. Nothing in the user's home is touched.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { packageRoot } from "./files.js";
import { TRAINING_NODE_FLAGS } from "./node-options.js";
import { isRoot } from "./processes.js";

/** The Debian packages that provide everything we need (docs/architecture.md). */
export const DEBIAN_PACKAGES = ["jupyter-notebook", "jupyter-nbconvert", "python3-nbclient", "python3-ipykernel"];

/** Python modules we need: serve, execute, render, and IPython for tslab's kernelspec installer. */
const REQUIRED_MODULES = ["notebook", "nbclient", "nbconvert", "nbformat", "IPython"];

const PYTHON_CANDIDATES = ["/usr/bin/python3", "python3"];

export interface Jupyter {
  /** The Python interpreter that has Jupyter's modules. */
  python: string;
  /** Major version of the `notebook` package: 6 (NotebookApp) or 7 (jupyter_server). */
  notebookMajor: number;
}

export interface PreparedJupyter extends Jupyter {
  /** process.env plus the variables that point Jupyter at `<root>/.jupyter/`. */
  env: NodeJS.ProcessEnv;
}

export type Log = (line: string) => void;

/** `<root>/.jupyter`: the project's private Jupyter directory. */
export function localJupyterDir(root = packageRoot()): string {
  return path.join(root, ".jupyter");
}

/** Environment for every Jupyter process we start: our kernelspec first, our data and runtime dirs. */
export function jupyterEnv(root = packageRoot(), base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const dir = localJupyterDir(root);
  const share = path.join(dir, "share", "jupyter");
  const jupyterPath = [share, base.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  return {
    ...base,
    JUPYTER_PATH: jupyterPath,
    JUPYTER_DATA_DIR: path.join(dir, "data"),
    JUPYTER_RUNTIME_DIR: path.join(dir, "runtime"),
  };
}

/** The first Python that can import all of Jupyter's modules we need, or null. */
export function findJupyter(candidates = PYTHON_CANDIDATES): Jupyter | null {
  const probe = `import ${REQUIRED_MODULES.join(", ")}; print(notebook.__version__)`;
  for (const python of candidates) {
    const r = spawnSync(python, ["-c", probe], { encoding: "utf8" });
    if (r.status === 0) {
      const major = Number.parseInt(r.stdout.trim().split(".")[0] ?? "", 10);
      return { python, notebookMajor: Number.isFinite(major) ? major : 6 };
    }
  }
  return null;
}

function run(command: string, args: string[], log: Log): boolean {
  log(`$ ${[command, ...args].join(" ")}`);
  // Output goes to stderr so that a command's stdout (e.g. a URL) stays clean.
  const r = spawnSync(command, args, { stdio: ["ignore", 2, 2] });
  return r.status === 0;
}

function isDebian(): boolean {
  return fs.existsSync("/etc/debian_version") && spawnSync("apt-get", ["--version"]).status === 0;
}

function hasPasswordlessSudo(): boolean {
  return spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
}

/** What to tell a person when nothing worked. */
export function installAdvice(tried = false): string {
  return (
    `Jupyter (notebook, nbconvert and nbclient for Python 3) was not found${tried ? " and could not be installed" : ""}.\n` +
    "Install it, then run the command again:\n" +
    `  on Debian/Ubuntu:  sudo apt-get install -y ${DEBIAN_PACKAGES.join(" ")}\n` +
    "  elsewhere:         python3 -m pip install --user notebook nbconvert"
  );
}

/** Try the installers in order of preference; stop at the first that yields a working Jupyter. */
function install(log: Log): Jupyter | null {
  if (isDebian()) {
    const asRoot = isRoot() ? [] : hasPasswordlessSudo() ? ["sudo", "-n"] : null;
    if (asRoot) {
      log(`Jupyter is missing: installing the Debian packages ${DEBIAN_PACKAGES.join(", ")} with apt-get`);
      const aptGet = (args: string[]) => {
        const argv = [...asRoot, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", ...args];
        return run(argv[0]!, argv.slice(1), log);
      };
      if (aptGet(["update"]) && aptGet(["install", "-y", ...DEBIAN_PACKAGES])) {
        const found = findJupyter();
        if (found) return found;
      }
    } else {
      log("Jupyter is missing, and installing it with apt-get needs root (there is no password-less sudo)");
    }
  }
  for (const python of PYTHON_CANDIDATES) {
    if (spawnSync(python, ["-m", "pip", "--version"], { stdio: "ignore" }).status !== 0) continue;
    log(`Installing Jupyter for ${python} with pip (--user)`);
    if (run(python, ["-m", "pip", "install", "--user", "notebook", "nbconvert"], log)) {
      const found = findJupyter();
      if (found) return found;
    }
  }
  return null;
}

/**
 * Find Jupyter. When it is missing: with `install` (only `npm start` sets it) install it, saying so
 * first; otherwise, or when installing failed, throw the advice that says what to install.
 */
export function ensureJupyter(options: { install?: boolean; log?: Log } = {}): Jupyter {
  const { install: mayInstall = false, log = (l) => console.error(l) } = options;
  const found = findJupyter();
  if (found) return found;
  if (mayInstall) {
    const installed = install(log);
    if (installed) return installed;
  }
  throw new Error(installAdvice(mayInstall));
}

/**
 * Install the tslab kernelspec (name `tslab`, display name "TypeScript") into `<root>/.jupyter`
 * with tslab's own installer, unless it is already there and points at this checkout's tslab.
 * Returns the kernelspec folder.
 */
export function ensureKernelspec(jupyter: Jupyter, options: { root?: string; log?: Log } = {}): string {
  const { root = packageRoot(), log = (l) => console.error(l) } = options;
  const prefix = localJupyterDir(root);
  const kernelDir = path.join(prefix, "share", "jupyter", "kernels", "tslab");
  const kernelJson = path.join(kernelDir, "kernel.json");
  const binary = path.join(root, "node_modules", ".bin", "tslab");
  if (!fs.existsSync(binary)) throw new Error(`tslab is not installed (${binary} is missing): run npm install`);
  if (kernelspecPointsAt(kernelJson, binary, root)) return kernelDir;

  log(`Installing the tslab kernelspec into ${path.relative(process.cwd(), prefix) || prefix}`);
  const tslabCli = path.join(root, "node_modules", "tslab", "bin", "tslab");
  const r = spawnSync(
    process.execPath,
    [tslabCli, "install", "--python", jupyter.python, "--binary", binary, "--prefix", prefix],
    { encoding: "utf8", env: jupyterEnv(root) },
  );
  if (r.status !== 0 || !fs.existsSync(kernelJson)) {
    throw new Error(`installing the tslab kernelspec failed:\n${(r.stderr || r.stdout || "").trim()}`);
  }
  // The kernel trains networks: start its Node with the flags that keep the GC out of the way.
  const spec = JSON.parse(fs.readFileSync(kernelJson, "utf8"));
  spec.env = { ...spec.env, NODE_OPTIONS: kernelNodeOptions(root) };
  fs.writeFileSync(kernelJson, JSON.stringify(spec, null, 1) + "\n");
  if (!kernelspecPointsAt(kernelJson, binary, root)) throw new Error(`the tslab kernelspec in ${kernelJson} is not as expected`);
  return kernelDir;
}

/**
 * The kernel's Node options: the training flags, and the preload that makes every output message
 * reach Jupyter (src/kernel/preload.ts).
 */
export function kernelNodeOptions(root = packageRoot()): string {
  return [...TRAINING_NODE_FLAGS, "--require", path.join(root, "dist", "kernel", "preload.js")].join(" ");
}

function kernelspecPointsAt(kernelJson: string, binary: string, root: string): boolean {
  try {
    const spec = JSON.parse(fs.readFileSync(kernelJson, "utf8"));
    return (
      spec.argv?.[0] === binary &&
      spec.display_name === "TypeScript" &&
      spec.env?.NODE_OPTIONS === kernelNodeOptions(root) &&
      fs.existsSync(binary)
    );
  } catch {
    return false;
  }
}

let prepared: PreparedJupyter | undefined;

/** Jupyter + kernelspec + environment, once per process (cheap when repeated). */
export function prepareJupyter(options: { install?: boolean; log?: Log; root?: string } = {}): PreparedJupyter {
  if (prepared) return prepared;
  const root = options.root ?? packageRoot();
  const jupyter = ensureJupyter(options);
  ensureKernelspec(jupyter, { root, log: options.log });
  prepared = { ...jupyter, env: jupyterEnv(root) };
  return prepared;
}
