/**
 * tools/start: the command line, and `npm start` for real: Jupyter answers on the printed URL,
 * can start the TypeScript kernel, and Ctrl-C stops everything.
 */
import { spawn, spawnSync } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/tools/files";
import { kernelNodeOptions } from "../../src/tools/jupyter";
import { notebookArgs, parseStartArgs, pythonArgs } from "../../src/tools/start";
import { hasJupyter } from "../support/harness";

const root = packageRoot();

describe("start's command line", () => {
  test("defaults, --port, --ip, and no browser without a display", () => {
    expect(parseStartArgs([], {})).toEqual({ port: 8888, ip: "127.0.0.1", browser: false, exercises: true });
    expect(parseStartArgs(["--port", "9000", "--ip", "0.0.0.0", "--no-exercises"], { DISPLAY: ":0" })).toEqual({
      port: 9000,
      ip: "0.0.0.0",
      browser: process.platform !== "win32",
      exercises: false,
    });
    expect(() => parseStartArgs(["--port", "http"], {})).toThrow('--port needs a port number (1-65535), got "http"');
  });

  test("Jupyter's arguments for notebook 6 and 7, as root and not: never the token", () => {
    const o = { port: 9000, ip: "127.0.0.1", browser: false, exercises: true };
    expect(notebookArgs({ notebookMajor: 6 }, "/p", o, true)).toEqual([
      "--NotebookApp.notebook_dir=/p", "--NotebookApp.ip=127.0.0.1", "--NotebookApp.port=9000",
      "--NotebookApp.port_retries=0", "--MappingKernelManager.default_kernel_name=tslab",
      "--no-browser", "--allow-root",
    ]);
    expect(notebookArgs({ notebookMajor: 7 }, "/p", { ...o, browser: true }, false)).toEqual([
      "--ServerApp.root_dir=/p", "--ServerApp.ip=127.0.0.1", "--ServerApp.port=9000",
      "--ServerApp.port_retries=0", "--MappingKernelManager.default_kernel_name=tslab",
    ]);
    expect(pythonArgs(["--x"]).slice(-1)).toEqual(["--x"]);
    expect(pythonArgs([])[1]).toContain("prctl(1, int(signal.SIGTERM))");
  });
});

/** Runs one cell in an existing kernel through jupyter_client; prints its status and stdout as JSON. */
const EXECUTE_ONE_CELL = `
import json, sys, jupyter_client
kc = jupyter_client.BlockingKernelClient(connection_file=sys.argv[1])
kc.load_connection_file(); kc.start_channels()  # no wait_for_ready: its heartbeat test is flaky under load
out = []
def hook(msg):
    if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout": out.append(msg["content"]["text"])
reply = kc.execute_interactive(sys.argv[2], timeout=60, output_hook=hook)
print(json.dumps({"status": reply["content"]["status"], "stdout": "".join(out)}))
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(!hasJupyter())("npm start", () => {
  test("serves the tree page, starts a TypeScript kernel that runs a cell importing micrograd-ts, and stops cleanly on Ctrl-C", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(root, "dist", "tools", "start.js"), "--port", String(port), "--no-exercises"], {
      cwd: root,
      env: { ...process.env, DISPLAY: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d) => {
        stdout += d;
        const m = stdout.match(/http:\/\/\S+\/tree\?token=\w+/);
        if (m) resolve(m[0]);
      });
      child.on("exit", (code) => reject(new Error(`start exited with ${code}:\n${stderr}`)));
    });
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/tree\\?token=[0-9a-f]{48}$`));
    const secret = new URL(url).searchParams.get("token")!;
    // No other user can read the token: it is on no command line, and Jupyter's log hides it.
    expect(spawnSync("ps", ["-eo", "args"], { encoding: "utf8" }).stdout).not.toContain(secret);

    const tree = await fetch(url);
    expect(tree.status).toBe(200);
    expect(await tree.text()).toContain("notebooks");

    // The served Jupyter knows the project's kernelspec and can start it.
    const token = new URL(url).searchParams.get("token");
    const api = `http://127.0.0.1:${port}/api`;
    const headers = { Authorization: `token ${token}` };
    const specs = await (await fetch(`${api}/kernelspecs`, { headers })).json();
    expect(specs.default).toBe("tslab");
    expect(specs.kernelspecs.tslab.spec.display_name).toBe("TypeScript");
    const kernel = await fetch(`${api}/kernels`, { method: "POST", headers, body: JSON.stringify({ name: "tslab" }) });
    expect(kernel.status).toBe(201);
    const { id } = await kernel.json();
    await new Promise((r) => setTimeout(r, 1500));
    const kernels = await (await fetch(`${api}/kernels`, { headers })).json();
    expect(kernels.map((k: any) => k.id)).toContain(id);

    // A learner's first cell runs in that kernel: it imports the library by name.
    const connection = path.join(root, ".jupyter", "runtime", `kernel-${id}.json`);
    const cell = 'import { Value } from "micrograd-ts";\nconst L = new Value(2).mul(-3).add(10).mul(-2);\nconsole.log(L.data, process.env.NODE_OPTIONS)';
    const ran = spawnSync("/usr/bin/python3", ["-c", EXECUTE_ONE_CELL, connection, cell], { encoding: "utf8", timeout: 90_000 });
    expect(ran.stderr).toBe("");
    expect(JSON.parse(ran.stdout)).toEqual({ status: "ok", stdout: `-8 ${kernelNodeOptions(root)}\n` });

    await fetch(url); // a request Jupyter logs, with the token in its URL
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(stderr).not.toContain(secret);
    expect(code).toBe(0);
    expect(stderr).toContain("[start] SIGINT: stopping Jupyter");
    // Jupyter shut its kernel down itself (SIGTERM, not a kill), so no kernel is left behind.
    expect(stderr).toContain("Shutting down 1 kernel");
    await expect(fetch(url)).rejects.toThrow();
  });

  test("a port that is taken: a clear message and exit 1, not a URL to someone else's server", async () => {
    const port = await freePort();
    const stranger = net.createServer((socket) => socket.end("HTTP/1.1 200 OK\r\n\r\nnot jupyter")).listen(port, "127.0.0.1");
    await new Promise((r) => stranger.once("listening", r));
    try {
      const r = spawnSync(process.execPath, [path.join(root, "dist", "tools", "start.js"), "--port", String(port), "--no-exercises"], { cwd: root, encoding: "utf8", env: { ...process.env, DISPLAY: "" }, timeout: 60_000 });
      expect(r.status).toBe(1);
      expect(r.stdout).not.toContain("The lessons are open");
      expect(r.stderr).toContain(`start: port ${port} on 127.0.0.1 is already taken`);
    } finally {
      stranger.close();
    }
  });

  test.each(["SIGTERM", "SIGHUP"] as const)("%s to npm start stops Jupyter and a busy kernel within 15 s", async (signal) => {
    const port = await freePort();
    const npm = spawn("npm", ["start", "--", "--port", String(port), "--no-exercises"], { cwd: root, env: { ...process.env, DISPLAY: "" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    npm.stderr.on("data", (d) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      npm.stdout.on("data", (d) => {
        out += d;
        const m = out.match(/http:\/\/\S+\/tree\?token=\w+/);
        if (m) resolve(m[0]);
      });
      npm.on("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
    });
    const headers = { Authorization: `token ${new URL(url).searchParams.get("token")}` };
    const { id } = await (await fetch(`http://127.0.0.1:${port}/api/kernels`, { method: "POST", headers, body: JSON.stringify({ name: "tslab" }) })).json();
    const connection = path.join(root, ".jupyter", "runtime", `kernel-${id}.json`);
    // A cell that never ends: the kernel is busy when npm is stopped.
    const busy = spawn("/usr/bin/python3", ["-c", EXECUTE_ONE_CELL, connection, "while (true) {}"], { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 3000));
    const ours = () => spawnSync("ps", ["-eo", "pid,args"], { encoding: "utf8" }).stdout.split("\n").filter((l) => l.includes(`--NotebookApp.port=${port}`) || l.includes(`kernel-${id}.json`));
    expect(ours().length).toBeGreaterThanOrEqual(2); // Jupyter and the kernel

    npm.kill(signal);
    const deadline = Date.now() + 15_000;
    while (ours().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    busy.kill();
    expect(ours()).toEqual([]);
  });
});
