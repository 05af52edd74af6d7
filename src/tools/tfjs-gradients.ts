/**
 * Builds dist/tfjs-gradients.js: TensorFlow.js's own gradient rules, as CommonJS.
 *
 * Why: lessons 06 and 09 check our gradients against TF.js (`@tensorflow/tfjs-core` with the
 * CPU backend). tfjs-core's Node entry point registers no gradients (the full `@tensorflow/tfjs`
 * does, but it brings WebGL, layers and converters: hundreds of MB for a few scalars), and the
 * file that registers them, `dist/register_all_gradients.js`, is ES-module source with
 * extension-less imports that Node cannot load. Bundling that one file makes it loadable; the
 * rules register themselves in tfjs-core's global registry, which the package shares.
 *
 * Runs after `tsc` in `npm run build`; skips the work when the bundle is newer than tfjs-core.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageRoot } from "./files.js";

export async function buildTfjsGradients(root = packageRoot()): Promise<string> {
  const entry = require.resolve("@tensorflow/tfjs-core/dist/register_all_gradients.js", { paths: [root] });
  const out = path.join(root, "dist", "tfjs-gradients.js");
  const source = path.join(path.dirname(entry), "..", "package.json");
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(source).mtimeMs) return out;

  const { build } = await import("rolldown");
  const tmp = `${out}.${process.pid}.tmp`;
  await build({
    input: entry,
    logLevel: "silent",
    output: { file: tmp, format: "cjs", minify: true },
  });
  fs.renameSync(tmp, out); // a half-written bundle never takes the place of a good one
  return out;
}

if (require.main === module) {
  buildTfjsGradients().catch((e: unknown) => {
    console.error(`could not build dist/tfjs-gradients.js (TF.js gradient rules for lessons 06 and 09): ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
