/**
 * `npm run bench [-- --rounds N] [-- --json]`: how fast the engine trains micrograd's demo,
 * held against a flat typed-array tape doing the same arithmetic in the same run
 * (`tape-baseline.ts`; the loss must agree to the last bit every step), how much memory a
 * node costs, and how fast backward() is on graphs of four million nodes.
 *
 * Each Node setting runs in a fresh process: Node's defaults (the targets) and the lessons'
 * kernel flags. Timing is noisy on a shared machine, so everything is measured `rounds`
 * times and the medians reported, with the machine's load average. Speed targets live
 * here, never in unit tests.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import { PerformanceObserver, performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { demoLearningRate, demoModel, demoMoons, demoStep, maxMarginLoss } from "../demo.js";
import { Value, topologicalOrder } from "../engine.js";
import { TRAINING_NODE_FLAGS } from "./node-options.js";
import { tapeTrainer } from "./tape-baseline.js";

/** The issue's targets, with Node's default flags. */
export const TARGETS = { stepMeanVsTape: 3, bytesPerNode: 64, backwardNsPerNode: 30 };
const BIG_NODES = 4_000_000;

export interface BenchOptions {
  /** Repetitions of each measurement (medians are reported); default 3. */
  rounds?: number;
}

export interface StepTimes {
  medianMs: number;
  meanMs: number;
  /** Share of the 100 steps' time spent in garbage collection (perf_hooks' gc entries). */
  gcShare: number;
  /** CPU time per step (all of the process's threads), less disturbed than wall time when the machine is busy. */
  cpuMeanMs: number;
}

/** What one Node process measures (each figure the median over the rounds). */
export interface Measurement {
  engine: StepTimes;
  tape: StepTimes;
  /** Nodes in one step's graph (the tape has as many). */
  nodes: number;
  finalLoss: number;
  finalAccuracy: number;
  /** Heap and array-buffer bytes a live training graph holds, per node. */
  bytesPerNode: number;
  tapeBytesPerNode: number;
  chain: BackwardTime;
  wide: BackwardTime;
  peakRssBytes: number;
}

export interface BackwardTime {
  nodes: number;
  nsPerNode: number;
}

export interface Setting {
  name: string;
  flags: string[];
  measurement: Measurement;
}

export interface BenchResult {
  node: string;
  cpu: string;
  cores: number;
  totalMemBytes: number;
  /** os.loadavg() before and after: the machine may be busy with other work. */
  loadBefore: number[];
  loadAfter: number[];
  rounds: number;
  settings: Setting[];
  targets: typeof TARGETS;
  /** The targets, judged with Node's defaults. */
  met: { stepMeanVsTape: boolean; bytesPerNode: boolean; backwardNsPerNode: boolean };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Garbage-collection time between two performance.now() instants, from the gc entries seen so far. */
class GcLog {
  private entries: { start: number; end: number }[] = [];
  private observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) this.entries.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  constructor() {
    this.observer.observe({ entryTypes: ["gc"] });
  }
  /** The entries arrive asynchronously: await this before asking. */
  async settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  msBetween(from: number, to: number): number {
    let ms = 0;
    for (const e of this.entries) ms += Math.max(0, Math.min(e.end, to) - Math.max(e.start, from));
    return ms;
  }
  stop(): void {
    this.observer.disconnect();
  }
}

function stepTimes(times: number[], gcMs: number, wallMs: number, cpu: NodeJS.CpuUsage): StepTimes {
  return { medianMs: median(times), meanMs: mean(times), gcShare: gcMs / wallMs, cpuMeanMs: (cpu.user + cpu.system) / 1000 / times.length };
}

/** 100 steps of the engine, then 100 of the tape from the same weights; the losses must be identical. */
interface Round {
  engine: StepTimes;
  tape: StepTimes;
  nodes: number;
  finalLoss: number;
  finalAccuracy: number;
}

async function trainRound(gc: GcLog): Promise<Round> {
  const data = demoMoons();
  const model = demoModel();
  const tape = tapeTrainer(model);
  const engineTimes: number[] = [];
  const engineSteps: { loss: number; accuracy: number }[] = [];
  const c0 = process.cpuUsage();
  const e0 = performance.now();
  for (let k = 0; k < 100; k++) {
    const t0 = performance.now();
    engineSteps.push(demoStep(model, data, k));
    engineTimes.push(performance.now() - t0);
  }
  const e1 = performance.now();
  const engineCpu = process.cpuUsage(c0);
  const c1 = process.cpuUsage();
  const tapeTimes: number[] = [];
  let nodes = 0;
  for (let k = 0; k < 100; k++) {
    const t0 = performance.now();
    const step = tape.step(data.X, data.y, demoLearningRate(k));
    tapeTimes.push(performance.now() - t0);
    nodes = step.nodes;
    const ours = engineSteps[k];
    if (step.loss !== ours.loss || step.accuracy !== ours.accuracy) {
      throw new Error(`bench: at step ${k} the tape's loss ${step.loss} (accuracy ${step.accuracy}) differs from the engine's ${ours.loss} (${ours.accuracy})`);
    }
  }
  const t1 = performance.now();
  const tapeCpu = process.cpuUsage(c1);
  await gc.settle();
  const last = engineSteps[99];
  return {
    engine: stepTimes(engineTimes, gc.msBetween(e0, e1), e1 - e0, engineCpu),
    tape: stepTimes(tapeTimes, gc.msBetween(e1, t1), t1 - e1, tapeCpu),
    nodes,
    finalLoss: last.loss,
    finalAccuracy: last.accuracy,
  };
}

function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function heapBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Memory a live training graph holds, per node: measured around building one and keeping it. */
function bytesPerNode(): number {
  const data = demoMoons();
  const model = demoModel();
  maxMarginLoss(model, data.X, data.y).loss.backward(); // warm up, and empty the creation log
  collect();
  const before = heapBytes();
  const graphs: Value[] = [];
  for (let i = 0; i < 5; i++) graphs.push(maxMarginLoss(model, data.X, data.y).loss);
  collect();
  const after = heapBytes();
  const nodes = graphs.reduce((sum, g) => sum + topologicalOrder(g).length - model.parameters().length, 0);
  for (const g of graphs) g.backward(); // keeps `graphs` alive until after the measure, then lets the log go
  return (after - before) / nodes;
}

/** backward() on a chain x + 1 + 1 + … (every other node a constant leaf) of about `n` nodes. */
function chainBackward(n: number): BackwardTime {
  const x = new Value(1, "x");
  let y = x;
  for (let i = 0; i < n / 2; i++) y = y.add(1);
  const t0 = performance.now();
  y.backward();
  const ms = performance.now() - t0;
  if (x.grad !== 1) throw new Error(`bench: the chain's x.grad is ${x.grad}, expected 1`);
  return { nodes: 2 * Math.floor(n / 2) + 1, nsPerNode: (ms * 1e6) / n };
}

/** backward() on a balanced tree of additions over n/2 leaves: wide, and only ~21 levels deep. */
function wideBackward(n: number): BackwardTime {
  const leaves = Array.from({ length: n / 2 }, (_, i) => new Value(i % 7));
  let level = leaves;
  let nodes = leaves.length;
  while (level.length > 1) {
    const next: Value[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(level[i].add(level[i + 1]));
    if (level.length % 2) next.push(level[level.length - 1]);
    nodes += Math.floor(level.length / 2);
    level = next;
  }
  const t0 = performance.now();
  level[0].backward();
  const ms = performance.now() - t0;
  if (leaves.some((l) => l.grad !== 1)) throw new Error("bench: a leaf of the wide graph has a grad other than 1");
  return { nodes, nsPerNode: (ms * 1e6) / nodes };
}

/** The measurements of one process (run in a child: `--measure`). */
export async function measure(rounds: number): Promise<Measurement> {
  const gc = new GcLog();
  const trained: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    trained.push(await trainRound(gc));
    console.error(`  round ${r + 1}/${rounds}: engine median ${trained[r].engine.medianMs.toFixed(2)} ms, tape ${trained[r].tape.medianMs.toFixed(2)} ms`);
  }
  gc.stop();
  const pick = (f: (t: Round) => StepTimes): StepTimes => ({
    medianMs: median(trained.map((t) => f(t).medianMs)),
    meanMs: median(trained.map((t) => f(t).meanMs)),
    gcShare: median(trained.map((t) => f(t).gcShare)),
    cpuMeanMs: median(trained.map((t) => f(t).cpuMeanMs)),
  });
  const bytes = median(Array.from({ length: rounds }, () => bytesPerNode()));
  const chains: BackwardTime[] = [];
  const wides: BackwardTime[] = [];
  for (let r = 0; r < rounds; r++) {
    collect();
    chains.push(chainBackward(BIG_NODES));
    collect();
    wides.push(wideBackward(BIG_NODES));
  }
  const byTime = (xs: BackwardTime[]) => ({ nodes: xs[0].nodes, nsPerNode: median(xs.map((x) => x.nsPerNode)) });
  return {
    engine: pick((t) => t.engine),
    tape: pick((t) => t.tape),
    nodes: trained[0].nodes,
    finalLoss: trained[0].finalLoss,
    finalAccuracy: trained[0].finalAccuracy,
    bytesPerNode: bytes,
    tapeBytesPerNode: tapeTrainer(demoModel()).bytesPerNode,
    chain: byTime(chains),
    wide: byTime(wides),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/** Run `measure` in a fresh Node with the given flags, so each setting starts from a clean heap. */
function measureWith(flags: string[], rounds: number): Measurement {
  const child = spawnSync(process.execPath, [...flags, "--expose-gc", __filename, "--measure", "--rounds", String(rounds)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"], // progress lines go straight through on stderr
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`bench child (node ${flags.join(" ")}) failed with exit code ${child.status}`);
  return JSON.parse(child.stdout) as Measurement;
}

/** The job: both settings, each in its own process. */
export function bench(options: BenchOptions = {}): BenchResult {
  const rounds = options.rounds ?? 3;
  const loadBefore = os.loadavg();
  const settings: Setting[] = [];
  for (const [name, flags] of [["Node's defaults", []], [`the lessons' kernel flags (${TRAINING_NODE_FLAGS.join(" ")})`, TRAINING_NODE_FLAGS]] as const) {
    console.error(`${name}:`);
    settings.push({ name, flags: [...flags], measurement: measureWith([...flags], rounds) });
  }
  const d = settings[0].measurement;
  return {
    node: process.version,
    cpu: os.cpus()[0]?.model ?? "unknown CPU",
    cores: os.cpus().length,
    totalMemBytes: os.totalmem(),
    loadBefore,
    loadAfter: os.loadavg(),
    rounds,
    settings,
    targets: TARGETS,
    met: {
      stepMeanVsTape: d.engine.meanMs <= TARGETS.stepMeanVsTape * d.tape.meanMs,
      bytesPerNode: d.bytesPerNode <= TARGETS.bytesPerNode,
      backwardNsPerNode: Math.max(d.chain.nsPerNode, d.wide.nsPerNode) <= TARGETS.backwardNsPerNode,
    },
  };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

/** The result for people. */
export function formatBench(r: BenchResult): string {
  const lines = [
    `micrograd-ts bench — Node ${r.node}, ${r.cores} cores (${r.cpu}), ${mib(r.totalMemBytes)} RAM`,
    `load average ${r.loadBefore.map((x) => x.toFixed(1)).join(" ")} before, ${r.loadAfter.map((x) => x.toFixed(1)).join(" ")} after; medians of ${r.rounds} rounds`,
    "micrograd's demo: 100 moons, MLP 2-16-16-1 (ReLU, linear output), SVM loss + 1e-4 L2, 100 full-batch steps,",
    "by the engine and by a flat typed-array tape (same loss to the last bit, checked every step);",
    `then backward() on a ${(BIG_NODES / 1e6).toFixed(0)}M-node chain and on a ${(BIG_NODES / 1e6).toFixed(0)}M-node balanced tree ("wide").`,
    "",
  ];
  r.settings.forEach((s, i) => {
    const m = s.measurement;
    const ratio = m.engine.meanMs / m.tape.meanMs;
    const judged = i === 0;
    lines.push(`With ${s.name}:`);
    const times = (t: StepTimes) => `median ${t.medianMs.toFixed(2)} ms, mean ${t.meanMs.toFixed(2)} ms (CPU ${t.cpuMeanMs.toFixed(2)} ms), ${pct(t.gcShare)} in GC`;
    lines.push(`  engine step     ${times(m.engine)}`);
    lines.push(`  tape step       ${times(m.tape)}`);
    const others = `median ${(m.engine.medianMs / m.tape.medianMs).toFixed(1)}×, CPU ${(m.engine.cpuMeanMs / m.tape.cpuMeanMs).toFixed(1)}×`;
    lines.push(`  engine / tape   ${ratio.toFixed(1)}× (mean; ${others})${judged ? `   target ≤ ${r.targets.stepMeanVsTape}× (mean): ${verdict(r.met.stepMeanVsTape)}` : ""}`);
    lines.push(`  graph per step  ${m.nodes.toLocaleString("en-US")} nodes; final loss ${m.finalLoss.toFixed(6)}, accuracy ${pct(m.finalAccuracy)}`);
    lines.push(`  memory per node ${m.bytesPerNode.toFixed(0)} bytes (tape ${m.tapeBytesPerNode})${judged ? `   target ≤ ${r.targets.bytesPerNode}: ${verdict(r.met.bytesPerNode)}` : ""}`);
    const big = `chain ${m.chain.nsPerNode.toFixed(1)} ns/node, wide ${m.wide.nsPerNode.toFixed(1)} ns/node`;
    lines.push(`  backward        ${big}${judged ? `   target ≤ ${r.targets.backwardNsPerNode}: ${verdict(r.met.backwardNsPerNode)}` : ""}`);
    lines.push(`  peak memory     ${mib(m.peakRssBytes)} (RSS)`, "");
  });
  return lines.join("\n");
}

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: "boolean", default: false }, rounds: { type: "string", default: "3" }, measure: { type: "boolean", default: false } },
    strict: true,
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number ≥ 1, got ${values.rounds}`);
  return { json: values.json, rounds, measure: values.measure };
}

/** The command: exit code 1 when a target is missed with Node's defaults, 2 on bad arguments. */
export async function main(argv = process.argv.slice(2)): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (e) {
    console.error(`npm run bench: ${(e as Error).message}\nusage: npm run bench [-- --rounds N] [-- --json]`);
    return 2;
  }
  if (args.measure) {
    process.stdout.write(JSON.stringify(await measure(args.rounds)));
    return 0;
  }
  const result = bench({ rounds: args.rounds });
  console.log(args.json ? JSON.stringify(result, null, 2) : formatBench(result));
  return Object.values(result.met).every(Boolean) ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
