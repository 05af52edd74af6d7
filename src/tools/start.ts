/**
 * `npm start [-- --port N --ip X]`: open the lessons in Jupyter Notebook.
 *
 * The npm script has already built dist/. Here: make sure Jupyter and the project-local tslab
 * kernelspec exist, create the learners' copies (exercises/) when that tool exists, then run
 * `jupyter notebook` at the project root and print its URL. Ctrl-C (or SIGTERM) stops Jupyter
 * and its kernels before we exit.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
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

/** Command line for Jupyter Notebook 6 (NotebookApp) or 7 (ServerApp). */
export function notebookArgs(jupyter: Pick<PreparedJupyter, "notebookMajor">, root: string, o: StartOptions, token: string, isRoot: boolean): string[] {
  const app = jupyter.notebookMajor >= 7 ? "ServerApp" : "NotebookApp";
  const args = [
    "-m", "notebook",
    app === "ServerApp" ? `--ServerApp.root_dir=${root}` : `--NotebookApp.notebook_dir=${root}`,
    `--${app}.ip=${o.ip}`,
    `--${app}.port=${o.port}`,
    `--${app}.port_retries=0`, // the URL we print must be the one that is served
    `--${app}.token=${token}`,
    "--MappingKernelManager.default_kernel_name=tslab", // new notebooks get TypeScript too
  ];
  if (!o.browser) args.push("--no-browser");
  if (isRoot) args.push("--allow-root");
  return args;
}

function urlFor(o: StartOptions, token: string): string {
  const host = o.ip === "0.0.0.0" || o.ip === "::" || o.ip === "" ? "localhost" : o.ip.includes(":") ? `[${o.ip}]` : o.ip;
  return `http://${host}:${o.port}/tree?token=${token}`;
}

/** Poll until Jupyter answers (or it exits), so "ready" is only printed when it is. */
async function waitUntilServing(url: string, child: ChildProcess, seconds = 60): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const r = await fetch(url, { redirect: "manual" });
      if (r.status < 500) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let options: StartOptions;
  try {
    options = parseStartArgs(argv);
  } catch (e) {
    console.error(`start: ${(e as Error).message}\nusage: npm start [-- --port N] [--ip ADDRESS] [--no-browser] [--no-exercises]`);
    return 2;
  }
  const root = packageRoot();
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
  const child = spawn(jupyter.python, notebookArgs(jupyter, root, options, token, isRoot()), {
    cwd: root,
    env: jupyter.env,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping Jupyter…`);
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
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  const exited = new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 0 : 1))));
  const url = urlFor(options, token);
  if (await waitUntilServing(url, child)) {
    console.log(`\nThe lessons are open in Jupyter at:\n\n    ${url}\n\nPick notebooks/ in the browser; the TypeScript kernel is preselected. Ctrl-C stops Jupyter.\n`);
  }
  const code = await exited;
  if (!stopping && code !== 0) log(`Jupyter exited with code ${code}`);
  return stopping ? 0 : code;
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
