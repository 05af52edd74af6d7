/**
 * `npm start [-- --port N --ip X]`: open the lessons in Jupyter Notebook.
 *
 * The npm script has already built dist/. Here: make sure Jupyter and the project-local tslab
 * kernelspec exist, create the learners' copies (exercises/) when that tool exists, then run
 * `jupyter notebook` at the project root and print its URL. Ctrl-C (or SIGTERM) stops Jupyter
 * and its kernels before we exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as net from "node:net";
import { parseArgs } from "node:util";
import { generateExercises } from "./exercises.js";
import { packageRoot } from "./files.js";
import { prepareJupyter, type PreparedJupyter } from "./jupyter.js";
import { isRoot } from "./processes.js";

export interface StartOptions {
  port: number;
  ip: string;
  /** Open a browser? Default: only when there is a display. */
  browser: boolean;
  /** Create exercises/ first (default); `--no-exercises` skips it (the tests do). */
  exercises: boolean;
}

const log = (line: string) => console.error(`[start] ${line}`);

export function parseStartArgs(argv: string[], env = process.env): StartOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      ip: { type: "string" },
      "no-browser": { type: "boolean" },
      "no-exercises": { type: "boolean" },
    },
  });
  const port = values.port === undefined ? 8888 : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port needs a port number (1-65535), got "${values.port}"`);
  const hasDisplay = Boolean(env.DISPLAY || env.WAYLAND_DISPLAY) || process.platform === "darwin";
  return { port, ip: values.ip ?? "127.0.0.1", browser: hasDisplay && !values["no-browser"], exercises: !values["no-exercises"] };
}

/** The learners' copies in exercises/ (never overwriting one the learner edited). */
function makeExercises(): void {
  log("refreshing the learner copies in exercises/");
  try {
    const results = generateExercises({ log: (line) => log(`  ${line}`) });
    if (results.some((r) => r.action === "error")) log("warning: some lessons could not be copied (see above); the lessons in notebooks/ still work");
  } catch (e) {
    log(`warning: creating exercises/ failed (${(e as Error).message}); the lessons in notebooks/ still work`);
  }
}

/**
 * Command line for Jupyter Notebook 6 (NotebookApp) or 7 (ServerApp). The token is not on it:
 * any local user can read a command line (ps), so it goes in the environment (JUPYTER_TOKEN),
 * which only our own user can read.
 */
export function notebookArgs(jupyter: Pick<PreparedJupyter, "notebookMajor">, root: string, o: StartOptions, isRoot: boolean): string[] {
  const app = jupyter.notebookMajor >= 7 ? "ServerApp" : "NotebookApp";
  const args = [
    app === "ServerApp" ? `--ServerApp.root_dir=${root}` : `--NotebookApp.notebook_dir=${root}`,
    `--${app}.ip=${o.ip}`,
    `--${app}.port=${o.port}`,
    `--${app}.port_retries=0`, // the URL we print must be the one that is served
    "--MappingKernelManager.default_kernel_name=tslab", // new notebooks get TypeScript too
  ];
  if (!o.browser) args.push("--no-browser");
  if (isRoot) args.push("--allow-root");
  return args;
}

/**
 * Python runs Jupyter after asking Linux to send it SIGTERM when we die (prctl PDEATHSIG), so that
 * not even a `kill -9` of this process leaves Jupyter and its kernels running.
 */
export function pythonArgs(notebookArgs: string[]): string[] {
  const launcher = [
    "import ctypes, ctypes.util, os, runpy, signal, sys",
    "try: ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6').prctl(1, int(signal.SIGTERM))",
    "except Exception: pass",
    // The token leaves the environment (every kernel would inherit it) for the in-process argv,
    // which no other process sees (/proc/PID/cmdline keeps the original command line).
    "token = os.environ.pop('JUPYTER_TOKEN', None)",
    "app = 'ServerApp' if any(a.startswith('--ServerApp.') for a in sys.argv) else 'NotebookApp'",
    "sys.argv = ['jupyter-notebook'] + sys.argv[1:] + ([f'--{app}.token={token}'] if token else [])",
    "runpy.run_module('notebook', run_name='__main__', alter_sys=True)",
  ].join("\n");
  return ["-c", launcher, ...notebookArgs];
}

/** Said when Jupyter will listen on more than this machine: plain HTTP, the token its only lock. */
export function networkWarning(ip: string): string | undefined {
  const loopback = ip === "localhost" || ip === "::1" || /^127\.\d+\.\d+\.\d+$/.test(ip);
  if (loopback) return undefined;
  return (
    `warning: --ip ${ip || '""'} makes Jupyter reachable from the network, over plain HTTP (not encrypted): ` +
    "anyone who can reach this machine can try to connect, and anyone on the way can read the token and your notebooks. " +
    "Jupyter runs code with your rights. Use it only on a network you trust, or keep the default 127.0.0.1 and use an SSH tunnel."
  );
}

function urlFor(o: StartOptions, token: string): string {
  const host = o.ip === "0.0.0.0" || o.ip === "::" || o.ip === "" ? "localhost" : o.ip.includes(":") ? `[${o.ip}]` : o.ip;
  return `http://${host}:${o.port}/tree?token=${token}`;
}

/** Is something already listening there? (Then Jupyter could not serve, and a probe might find a stranger.) */
export function portTaken(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "EADDRINUSE" || e.code === "EACCES"));
    server.listen(port, ip === "" ? "0.0.0.0" : ip, () => server.close(() => resolve(false)));
  });
}

/**
 * Poll until *our* Jupyter answers (or it exits): the API with our token says 200 only to us, so a
 * stranger on the port is never taken for the lessons' server.
 */
async function waitUntilServing(o: StartOptions, token: string, child: ChildProcess, seconds = 60): Promise<boolean> {
  const host = new URL(urlFor(o, token)).host;
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const r = await fetch(`http://${host}/api/status`, { headers: { Authorization: `token ${token}` }, redirect: "manual" });
      if (r.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Jupyter's output, passed through with the token hidden (it logs URLs with ?token=…). */
function passRedacted(from: NodeJS.ReadableStream, to: NodeJS.WritableStream, token: string): void {
  let pending = "";
  from.setEncoding("utf8");
  from.on("data", (chunk: string) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) to.write(`${line.replaceAll(token, "…")}\n`);
  });
  from.on("end", () => pending && to.write(pending.replaceAll(token, "…")));
}

const USAGE = "usage: npm start [-- --port N] [--ip ADDRESS] [--no-browser] [--no-exercises]";

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let options: StartOptions;
  try {
    options = parseStartArgs(argv);
  } catch (e) {
    console.error(`start: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const root = packageRoot();
  const warning = networkWarning(options.ip);
  if (warning) log(warning);
  if (await portTaken(options.ip, options.port)) {
    console.error(`start: port ${options.port} on ${options.ip} is already taken (another Jupyter?). Stop that server, or pick another port: npm start -- --port ${options.port + 1}`);
    return 1;
  }
  let jupyter: PreparedJupyter;
  try {
    // The one command that installs Jupyter when it is missing (saying so before it does).
    jupyter = prepareJupyter({ install: true, log, root });
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  if (options.exercises) makeExercises();

  const token = randomBytes(24).toString("hex");
  log(`starting Jupyter Notebook at ${root}`);
  // Own process group: Ctrl-C reaches only us, and we stop Jupyter with SIGTERM, which shuts its
  // kernels down without Jupyter's interactive "Shutdown this notebook server (y/[n])?" prompt.
  const child = spawn(jupyter.python, pythonArgs(notebookArgs(jupyter, root, options, isRoot())), {
    cwd: root,
    env: { ...jupyter.env, JUPYTER_TOKEN: token },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  passRedacted(child.stdout!, process.stdout, token);
  passRedacted(child.stderr!, process.stderr, token);

  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    log(`${why}: stopping Jupyter…`);
    child.kill("SIGTERM");
    // If it hangs, take the whole group down so nothing is left behind.
    setTimeout(() => {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }, 10_000).unref();
  };
  // Ctrl-C, kill, and a closed terminal (SIGHUP) all stop Jupyter and its kernels.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop(signal));
  // npm may die without passing its signal on: a process whose parent is gone stops too.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stop("npm stopped"), 1000).unref();

  const exited = new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 0 : 1))));
  if (await waitUntilServing(options, token, child)) {
    console.log(`\nThe lessons are open in Jupyter at:\n\n    ${urlFor(options, token)}\n\nPick notebooks/ in the browser; the TypeScript kernel is preselected. Ctrl-C stops Jupyter.\n`);
  } else if (!stopping) {
    log("Jupyter did not start serving (see its messages above)");
  }
  const code = await exited;
  if (!stopping && code !== 0) log(`Jupyter exited with code ${code}`);
  return stopping ? 0 : code;
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
