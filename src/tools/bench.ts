/**
 * `npm run bench`: how fast the engine trains micrograd's demo, and how deep a graph
 * backward() handles. Speed targets live here, never in unit tests (timing is noisy).
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { Value, topologicalOrder } from "../engine.js";
import { demoMoons, demoModel, demoStep, maxMarginLoss } from "../demo.js";
import { TRAINING_NODE_FLAGS } from "./node-options.js";

const TARGET_MS_PER_STEP = 15;
const TARGET_CHAIN_MS = 1000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

function benchDemo(): { msPerStep: number; nodes: number; finalLoss: number; accuracy: number; peakRss: number } {
  const data = demoMoons();
  const model = demoModel();
  const nodes = topologicalOrder(maxMarginLoss(model, data.X, data.y).loss).length;
  const times: number[] = [];
  let last = { loss: NaN, accuracy: NaN };
  let peakRss = process.memoryUsage().rss;
  for (let k = 0; k < 100; k++) {
    const t0 = performance.now();
    const step = demoStep(model, data, k);
    times.push(performance.now() - t0);
    last = step;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if ((k + 1) % 25 === 0) console.error(`  step ${k + 1}/100: loss ${step.loss.toFixed(6)}, accuracy ${(step.accuracy * 100).toFixed(0)}%`);
  }
  return { msPerStep: median(times), nodes, finalLoss: last.loss, accuracy: last.accuracy, peakRss };
}

function benchChain(n: number): { buildMs: number; backwardMs: number; grad: number } {
  const t0 = performance.now();
  const x = new Value(1, "x");
  let y = x;
  for (let i = 0; i < n; i++) y = y.add(1);
  const t1 = performance.now();
  y.backward();
  const t2 = performance.now();
  return { buildMs: t1 - t0, backwardMs: t2 - t1, grad: x.grad };
}

interface Measurement {
  demo: ReturnType<typeof benchDemo>;
  chain: ReturnType<typeof benchChain> & { peakRss: number };
}

/** Run the measurements in a fresh Node with the given flags, so each setting starts from a clean heap. */
function measureWith(flags: string[]): Measurement {
  const child = spawnSync(process.execPath, [...flags, __filename, "--measure"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"], // progress lines go straight through on stderr
  });
  if (child.status !== 0) throw new Error(`bench child (node ${flags.join(" ")}) failed with exit code ${child.status}`);
  return JSON.parse(child.stdout) as Measurement;
}

function report(title: string, m: Measurement): boolean {
  const { demo, chain } = m;
  const demoOk = demo.msPerStep <= TARGET_MS_PER_STEP;
  const chainOk = chain.backwardMs <= TARGET_CHAIN_MS;
  console.log(title);
  console.log(`  median step          ${demo.msPerStep.toFixed(1)} ms   (target ≤ ${TARGET_MS_PER_STEP} ms: ${demoOk ? "met" : "MISSED"})`);
  console.log(`  graph per step       ${demo.nodes.toLocaleString("en-US")} nodes`);
  console.log(`  final loss           ${demo.finalLoss.toFixed(6)}, accuracy ${(demo.accuracy * 100).toFixed(0)}%`);
  console.log(`  peak memory (RSS)    ${mib(demo.peakRss)}`);
  console.log(`  1M-node chain        build ${chain.buildMs.toFixed(0)} ms, backward ${chain.backwardMs.toFixed(0)} ms (target < ${TARGET_CHAIN_MS} ms: ${chainOk ? "met" : "MISSED"}), x.grad ${chain.grad}`);
  console.log(`  peak memory (RSS)    ${mib(chain.peakRss)}\n`);
  return demoOk && chainOk;
}

/** The command: exit code 1 when a target is missed under the kernel's flags. */
export function main(argv = process.argv.slice(2)): number {
  if (argv.includes("--measure")) {
    const demo = benchDemo();
    const chain = benchChain(1_000_000);
    process.stdout.write(JSON.stringify({ demo, chain: { ...chain, peakRss: process.memoryUsage().rss } }));
    return 0;
  }
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  console.log(`micrograd-ts bench — Node ${process.version}, ${os.cpus().length} cores (${cpu}), ${mib(os.totalmem())} RAM`);
  console.log("micrograd's demo: 100 moons, MLP 2-16-16-1 (ReLU, linear output), SVM loss + 1e-4 L2, 100 full-batch steps;");
  console.log("then backward() on a chain of 1,000,000 additions.\n");
  const tuned = measureWith(TRAINING_NODE_FLAGS);
  const ok = report(`With the lessons' kernel flags (${TRAINING_NODE_FLAGS.join(" ")}):`, tuned);
  report("With Node's default flags, for comparison:", measureWith([]));
  return ok ? 0 : 1;
}

if (require.main === module) process.exitCode = main();
