/**
 * tools/start: the command line, and `npm start` for real: Jupyter answers on the printed URL,
 * can start the TypeScript kernel, and Ctrl-C stops everything.
 */
import { spawn, spawnSync } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/tools/files";
import { notebookArgs, parseStartArgs } from "../../src/tools/start";
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

  test("Jupyter's arguments for notebook 6 and 7, as root and not", () => {
    const o = { port: 9000, ip: "127.0.0.1", browser: false, exercises: true };
    expect(notebookArgs({ notebookMajor: 6 }, "/p", o, "tok", true)).toEqual([
      "-m", "notebook", "--NotebookApp.notebook_dir=/p", "--NotebookApp.ip=127.0.0.1", "--NotebookApp.port=9000",
      "--NotebookApp.port_retries=0", "--NotebookApp.token=tok", "--MappingKernelManager.default_kernel_name=tslab",
      "--no-browser", "--allow-root",
    ]);
    expect(notebookArgs({ notebookMajor: 7 }, "/p", { ...o, browser: true }, "tok", false)).toEqual([
      "-m", "notebook", "--ServerApp.root_dir=/p", "--ServerApp.ip=127.0.0.1", "--ServerApp.port=9000",
      "--ServerApp.port_retries=0", "--ServerApp.token=tok", "--MappingKernelManager.default_kernel_name=tslab",
    ]);
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
    expect(JSON.parse(ran.stdout)).toEqual({ status: "ok", stdout: "-8 --max-semi-space-size=64\n" });

    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(stderr).toContain("[start] SIGINT: stopping Jupyter");
    // Jupyter shut its kernel down itself (SIGTERM, not a kill), so no kernel is left behind.
    expect(stderr).toContain("Shutting down 1 kernel");
    await expect(fetch(url)).rejects.toThrow();
  });
});
