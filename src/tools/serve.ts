/**
 * `npm run serve [-- --port N] [-- --dir DIR]`: the static site on http://127.0.0.1:N/, so the live
 * lessons can run (browsers refuse workers and fetch to pages opened from file://). Only this
 * machine can connect. Any static host serves the site the same way (relative URLs, no CDN).
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { packageRoot } from "./files.js";

export interface ServeOptions {
  /** The folder to serve; default `<root>/site`. */
  dir?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
}

export interface Server {
  url: string;
  dir: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".ipynb": "application/x-ipynb+json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/** Serve `dir` on 127.0.0.1; resolves once listening. */
export function serveSite(options: ServeOptions = {}): Promise<Server> {
  const dir = path.resolve(options.dir ?? path.join(packageRoot(), "site"));
  if (!fs.existsSync(dir)) return Promise.reject(new Error(`${dir}: no such folder (run npm run render first)`));
  const server = http.createServer((req, res) => respond(dir, req, res));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8000, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        dir,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

function respond(dir: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const send = (status: number, text: string) => {
    res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(text);
  };
  if (req.method !== "GET" && req.method !== "HEAD") return send(405, "only GET and HEAD\n");
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  } catch {
    return send(400, "bad URL\n");
  }
  let file = path.join(dir, path.normalize(rel));
  if (file !== dir && !file.startsWith(dir + path.sep)) return send(403, "outside the site\n");
  try {
    if (fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    const stat = fs.statSync(file);
    res.writeHead(200, {
      "Content-Type": MIME[path.extname(file).toLowerCase()] ?? "application/octet-stream",
      "Content-Length": stat.size,
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
      // The kernel's frame (live/kernel-frame.html) may be embedded by the site's own pages only.
      ...(path.basename(file) === "kernel-frame.html" ? { "Content-Security-Policy": `frame-ancestors http://127.0.0.1:${req.socket.localPort} http://localhost:${req.socket.localPort}` } : {}),
    });
    if (req.method === "HEAD") return void res.end();
    fs.createReadStream(file).pipe(res);
  } catch {
    send(404, `not found: ${rel}\n`);
  }
}

export function formatServing(server: Server): string {
  return `Serving ${path.relative(process.cwd(), server.dir) || "."} at ${server.url} (this machine only). Open a lesson and press Run; Ctrl-C stops.`;
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let options: ServeOptions;
  try {
    const { values } = parseArgs({ args: argv, options: { port: { type: "string" }, dir: { type: "string" } } });
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) throw new Error(`--port needs a port number, got "${values.port}"`);
    options = { port, dir: values.dir };
  } catch (e) {
    console.error(`serve: ${(e as Error).message}\nusage: npm run serve [-- --port N] [-- --dir DIR]`);
    return 2;
  }
  try {
    const server = await serveSite(options);
    console.log(formatServing(server));
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      process.once("SIGHUP", stop);
    });
    await server.close();
    return 0;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    console.error(`serve: ${err.code === "EADDRINUSE" ? `port ${options.port ?? 8000} is taken; pick another with --port N` : err.message}`);
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
