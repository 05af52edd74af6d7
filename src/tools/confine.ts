/**
 * The confined kernel a submission is graded in: one per submission, in its own temporary folder.
 *
 * Two layers, so that one missing still leaves the other:
 * 1. Node's permission model (`--experimental-permission` on Node 20, `--permission` from 22): the
 *    kernel may read only the project (library, lessons, node_modules) and its run folder, write
 *    only its run folder, and start no child process and no worker; native addons are allowed
 *    (zeromq, the kernel's sockets). Node 20 cannot restrict the network: loopback stays open.
 * 2. bubblewrap (`bwrap`), where it works: the kernel runs in its own mount, PID, IPC and UTS
 *    namespaces, with the whole file system read-only, /tmp and the home folder empty, only its
 *    run folder writable, and everything in it killed with it (`--die-with-parent`, a PID
 *    namespace), so nothing it started survives. Probed once; when it cannot run here (some
 *    containers forbid namespaces) grading goes on with layer 1 and says so.
 *
 * Either way the kernel's environment is built from nothing (no JUPYTER_TOKEN, no teacher's
 * variables), and its working folder has a node_modules link to the project's, so `import
 * "micrograd-ts"` works wherever the submission was downloaded to.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "./files.js";
import { TRAINING_NODE_FLAGS } from "./node-options.js";

export type Sandbox = "bubblewrap" | "node-permissions";

/** The kernel name the run folder's kernelspec is installed under. */
export const GRADING_KERNEL = "micrograd-grading";

export interface GradingKernel {
  /** The run folder (removed by the caller when grading is done). */
  runDir: string;
  /** The kernel's working folder, inside runDir. */
  workDir: string;
  /** Where the per-run secret and the verdict records are (MICROGRAD_GRADING_DIR). */
  gradingDir: string;
  kernelName: string;
  /** Variables for the notebook runner: Jupyter finds this kernelspec first, writes its connection file here. */
  env: NodeJS.ProcessEnv;
  sandbox: Sandbox;
}

const BWRAP = "/usr/bin/bwrap";
let probed: Sandbox | undefined;

/** The bubblewrap options every grading kernel gets (before its own binds). */
function bwrapBase(): string[] {
  return ["--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"];
}

/** Which sandbox grading uses here: bubblewrap when it runs (probed once), else Node's permissions. */
export function gradingSandbox(): Sandbox {
  if (probed) return probed;
  if (process.env.MICROGRAD_SANDBOX === "node-permissions") return (probed = "node-permissions");
  if (process.platform === "linux" && fs.existsSync(BWRAP)) {
    const r = spawnSync(BWRAP, [...bwrapBase(), "--tmpfs", "/tmp", "--", "/bin/true"], { stdio: "ignore", timeout: 10_000 });
    if (r.status === 0) return (probed = "bubblewrap");
  }
  return (probed = "node-permissions");
}

/** Node's flag for the permission model: `--permission` from Node 22 on, `--experimental-permission` before. */
export function permissionFlag(): string {
  return process.allowedNodeEnvironmentFlags.has("--permission") ? "--permission" : "--experimental-permission";
}

/** The command line of the confined kernel (before Jupyter's `{connection_file}`). */
export function kernelArgv(k: Pick<GradingKernel, "runDir" | "workDir" | "gradingDir" | "sandbox">, root = packageRoot()): string[] {
  const home = path.join(k.runDir, "home");
  const env: Record<string, string> = {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    TMPDIR: k.workDir,
    LANG: "C.UTF-8",
    MICROGRAD_GRADING_DIR: k.gradingDir,
  };
  const reads = [root, k.runDir, "/etc/alpine-release"]; // zeromq's loader looks for the last one
  // Where node_modules really is, if it is a link out of the project.
  const modules = fs.realpathSync(path.join(root, "node_modules"));
  if (!modules.startsWith(root + path.sep)) reads.push(modules);
  const node = [
    process.execPath,
    permissionFlag(),
    ...reads.map((p) => `--allow-fs-read=${p}`),
    `--allow-fs-write=${k.workDir}`,
    `--allow-fs-write=${k.gradingDir}`,
    `--allow-fs-write=${home}`,
    "--allow-addons",
    ...TRAINING_NODE_FLAGS,
    "--require",
    path.join(root, "dist", "kernel", "preload.js"),
    "--require",
    path.join(root, "dist", "kernel", "grading.js"),
    path.join(root, "node_modules", "tslab", "bin", "tslab"),
    "kernel",
    "--config-path",
  ];
  if (k.sandbox === "node-permissions") {
    return ["/usr/bin/env", "-i", ...Object.entries(env).map(([key, v]) => `${key}=${v}`), ...node];
  }
  const binds = [...bwrapBase(), "--tmpfs", "/tmp"];
  const homeDir = os.homedir();
  // The teacher's home folder is hidden unless the project lives in it.
  if (homeDir && homeDir !== "/" && fs.existsSync(homeDir) && !root.startsWith(homeDir + path.sep)) binds.push("--tmpfs", homeDir);
  binds.push("--ro-bind", root, root);
  if (!modules.startsWith(root + path.sep)) binds.push("--ro-bind", modules, modules);
  binds.push("--bind", k.runDir, k.runDir, "--chdir", k.workDir, "--clearenv");
  for (const [key, v] of Object.entries(env)) binds.push("--setenv", key, v);
  return [BWRAP, ...binds, "--", ...node];
}

/** A digest of the built library (every file under dist/): what each submission loads must be what the first one loaded. */
export function libraryDigest(root = packageRoot()): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) hash.update(`${path.relative(root, file)}\0`).update(fs.readFileSync(file)).update("\0");
    }
  };
  walk(path.join(root, "dist"));
  return hash.digest("hex");
}

/** A fresh run folder with the confined kernel's kernelspec, secret-free environment and links. */
export function makeGradingKernel(secret: Buffer, root = packageRoot()): GradingKernel {
  const runDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "micrograd-grade-")));
  const workDir = path.join(runDir, "work");
  const gradingDir = path.join(runDir, "grading");
  for (const d of [workDir, gradingDir, path.join(runDir, "home"), path.join(runDir, "runtime")]) fs.mkdirSync(d, { mode: 0o700 });
  fs.symlinkSync(path.join(root, "node_modules"), path.join(workDir, "node_modules"));
  fs.writeFileSync(path.join(gradingDir, "secret"), secret, { mode: 0o600 });
  const sandbox = gradingSandbox();
  const k = { runDir, workDir, gradingDir, sandbox };
  const specDir = path.join(runDir, "jupyter", "kernels", GRADING_KERNEL);
  fs.mkdirSync(specDir, { recursive: true });
  const spec = { argv: [...kernelArgv(k, root), "{connection_file}"], display_name: "TypeScript (grading)", language: "typescript", env: {} };
  fs.writeFileSync(path.join(specDir, "kernel.json"), JSON.stringify(spec, null, 1));
  const env = {
    JUPYTER_PATH: [path.join(runDir, "jupyter"), process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    JUPYTER_RUNTIME_DIR: path.join(runDir, "runtime"),
    // jupyter_client may put the connection file in the temp folder: make it one the kernel can read.
    TMPDIR: path.join(runDir, "runtime"),
  };
  return { ...k, kernelName: GRADING_KERNEL, env };
}
