/**
 * The review page's script: src/practice/review-app.ts with the deck and the scheduler (ts-fsrs)
 * bundled into one plain script (an IIFE), so the page runs it from file:// and under the site's
 * Content-Security-Policy like any of the site's own scripts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "./files.js";

export async function buildReviewScript(): Promise<string> {
  const { build } = await import("rolldown");
  const root = packageRoot();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "micrograd-review-"));
  try {
    await build({
      input: path.join(root, "src", "practice", "review-app.ts"),
      platform: "browser",
      logLevel: "silent",
      tsconfig: path.join(root, "tsconfig.json"),
      resolve: { extensionAlias: { ".js": [".ts", ".js"] } },
      output: { dir, format: "iife", entryFileNames: "review.js", minify: true },
    });
    return fs.readFileSync(path.join(dir, "review.js"), "utf8");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
