/**
 * backward() takes a fast path for a graph just built (scanning the nodes in reverse order
 * of creation) and falls back to the classic walk in every other case. These tests drive each
 * path with random programs and compare every value's grad, after every backward() call, with
 * an independent reference: micrograd itself, transcribed (a closure per node and a recursive
 * topological sort over a Set), sharing no code with the engine. The first backward() of a
 * root is also checked against float64 central differences, which know nothing of either.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Value } from "../../src/engine.js";
import { logLength, setLogLimitForTests } from "../../src/graph-store.js";
import { PythonRandom } from "../../src/random.js";

/** micrograd's engine.py, in TypeScript: the oracle. */
class Ref {
  grad = 0;
  backwardStep: () => void = () => {};
  constructor(
    public data: number,
    readonly prev: Ref[] = [],
  ) {}
  add(o: Ref): Ref {
    const out = new Ref(this.data + o.data, [this, o]);
    out.backwardStep = () => { this.grad += out.grad; o.grad += out.grad; };
    return out;
  }
  mul(o: Ref): Ref {
    const out = new Ref(this.data * o.data, [this, o]);
    out.backwardStep = () => { this.grad += o.data * out.grad; o.grad += this.data * out.grad; };
    return out;
  }
  tanh(): Ref {
    const t = Math.tanh(this.data);
    const out = new Ref(t, [this]);
    out.backwardStep = () => { this.grad += (1 - t * t) * out.grad; };
    return out;
  }
  relu(): Ref {
    const out = new Ref(this.data < 0 ? 0 : this.data, [this]);
    out.backwardStep = () => { this.grad += (out.data > 0 ? 1 : 0) * out.grad; };
    return out;
  }
  backward(): void {
    const topo: Ref[] = [];
    const visited = new Set<Ref>();
    const build = (v: Ref) => {
      if (visited.has(v)) return;
      visited.add(v);
      for (const child of v.prev) build(child);
      topo.push(v);
    };
    build(this);
    this.grad = 1;
    for (const v of topo.reverse()) v.backwardStep();
  }
}

/** One step of a scenario: make a node from earlier ones (indices), or call backward() on one. */
type Step = { op: "add" | "mul"; a: number; b: number } | { op: "tanh" | "relu"; a: number } | { op: "leaf"; x: number } | { op: "backward"; a: number };

/** Run a scenario on both engines, comparing every node's grad with the oracle after each backward(). */
function runBoth(steps: Step[]): { backwards: number } {
  const vs: Value[] = [];
  const rs: Ref[] = [];
  let backwards = 0;
  for (const s of steps) {
    switch (s.op) {
      case "leaf": vs.push(new Value(s.x)); rs.push(new Ref(s.x)); break;
      case "add": case "mul": vs.push(vs[s.a]![s.op](vs[s.b]!)); rs.push(rs[s.a]![s.op](rs[s.b]!)); break;
      case "tanh": case "relu": vs.push(vs[s.a]![s.op]()); rs.push(rs[s.a]![s.op]()); break;
      case "backward": {
        vs[s.a]!.backward();
        rs[s.a]!.backward();
        backwards++;
        rs.forEach((r, i) => {
          const got = vs[i]!.grad;
          expect(Math.abs(got - r.grad), `node ${i}'s grad after backward() #${backwards} on node ${s.a}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(r.grad)));
        });
      }
    }
  }
  return { backwards };
}

/** A random scenario: `leaves` leaves, then `length` steps, with backward() calls sprinkled in. */
function randomScenario(rng: PythonRandom, leaves: number, length: number, backwardEvery: number): Step[] {
  const steps: Step[] = [];
  let n = 0;
  for (let i = 0; i < leaves; i++, n++) steps.push({ op: "leaf", x: rng.uniform(-1.5, 1.5) });
  const pick = () => (rng.random() < 0.6 ? n - 1 - Math.floor(rng.random() * Math.min(4, n)) : Math.floor(rng.random() * n));
  for (let i = 0; i < length; i++) {
    const r = rng.random();
    if (r < 1 / backwardEvery) {
      steps.push({ op: "backward", a: pick() });
      continue;
    }
    if (r < 0.55) steps.push({ op: "add", a: pick(), b: pick() });
    else if (r < 0.8) steps.push({ op: "mul", a: pick(), b: pick() });
    else if (r < 0.9) steps.push({ op: "tanh", a: pick() });
    else steps.push({ op: "relu", a: pick() });
    n++;
  }
  steps.push({ op: "backward", a: n - 1 });
  return steps;
}

afterEach(() => setLogLimitForTests());

describe("backward() on every path, against micrograd transcribed", () => {
  it("a root that is not the newest node: other graphs were built after it", () => {
    const [x, y] = [new Value(0.5), new Value(-1.25)];
    const f = x.mul(y).add(x.tanh()).named("f"); // f = x·y + tanh x
    const later = y.mul(y).add(3); // built after f, not part of it
    f.backward();
    expect(f.data).toBe(0.5 * -1.25 + Math.tanh(0.5));
    expect(x.grad).toBe(-1.25 + (1 - Math.tanh(0.5) ** 2));
    expect(y.grad).toBe(0.5);
    expect(later.grad).toBe(0); // not reached
    later.backward();
    expect(y.grad).toBe(0.5 + 2 * -1.25);
  });

  it("backward() twice: the second call takes the classic path and accumulates as micrograd does", () => {
    const steps: Step[] = [
      { op: "leaf", x: 0.7 }, { op: "leaf", x: -0.3 },
      { op: "mul", a: 0, b: 1 }, { op: "add", a: 2, b: 0 }, { op: "tanh", a: 3 }, { op: "mul", a: 4, b: 2 },
      { op: "backward", a: 5 }, { op: "backward", a: 5 }, { op: "backward", a: 5 },
    ];
    runBoth(steps);
  });

  it("a shared subgraph: backward() on an inner node, then on the root built on it (reached, older than the log)", () => {
    const x = new Value(0.8);
    const square = x.mul(x);
    const sum = square.add(x);
    const inner = sum.tanh(); // tanh(x² + x)
    inner.backward();
    const innerSlope = (1 - Math.tanh(0.8 * 0.8 + 0.8) ** 2) * (2 * 0.8 + 1);
    expect(Math.abs(x.grad - innerSlope)).toBeLessThan(1e-15);
    for (const v of [x, square, sum, inner]) v.grad = 0;
    const root = inner.mul(inner).add(x); // built after inner's backward(): inner is no longer in the log
    root.backward();
    const t = Math.tanh(0.8 * 0.8 + 0.8);
    expect(Math.abs(x.grad - (2 * t * innerSlope + 1))).toBeLessThan(1e-15);
    // and the same sequence against the oracle, with the gradients left to accumulate
    runBoth([
      { op: "leaf", x: 0.8 }, { op: "mul", a: 0, b: 0 }, { op: "add", a: 1, b: 0 }, { op: "tanh", a: 2 },
      { op: "backward", a: 3 }, { op: "mul", a: 3, b: 3 }, { op: "add", a: 4, b: 0 }, { op: "backward", a: 5 },
    ]);
  });

  it("interleaved graphs sharing leaves, backward() on each in turn", () => {
    const steps: Step[] = [{ op: "leaf", x: 0.9 }, { op: "leaf", x: -0.4 }];
    // g1 uses even steps, g2 odd ones; their nodes alternate in creation order
    let g1 = 0, g2 = 1;
    for (let i = 0; i < 12; i++) {
      steps.push({ op: i % 3 === 0 ? "mul" : "add", a: g1, b: i % 2 ? 0 : 1 });
      g1 = steps.length - 1;
      steps.push({ op: i % 4 === 0 ? "tanh" : "add", a: g2, ...(i % 4 === 0 ? {} : { b: g1 }) } as Step);
      g2 = steps.length - 1;
    }
    steps.push({ op: "backward", a: g1 }, { op: "backward", a: g2 }, { op: "backward", a: g1 });
    runBoth(steps);
  });

  it("after backward() on the newest node the log keeps nothing alive", () => {
    const x = new Value(2);
    let y = x;
    for (let i = 0; i < 1000; i++) y = y.mul(1.001).add(x);
    expect(logLength()).toBeGreaterThanOrEqual(2000);
    y.backward();
    expect(logLength()).toBe(0);
    const z = x.mul(3);
    const w = z.add(1); // newer than z
    z.backward();
    expect(logLength()).toBe(1); // only w, made after the root
    w.backward();
    expect(logLength()).toBe(0);
  });

  it("the log never holds more than its limit: a dropped log leaves the classic path, still exact", () => {
    setLogLimitForTests(5);
    const x = new Value(0.3);
    let y = x;
    for (let i = 0; i < 40; i++) {
      y = y.mul(x).add(0.5);
      expect(logLength()).toBeLessThanOrEqual(5);
    }
    y.backward();
    // d/dx of y_{k+1} = y_k·x + 0.5, by forward-mode arithmetic (independent of both engines)
    let v = 0.3, dv = 1;
    for (let i = 0; i < 40; i++) [v, dv] = [v * 0.3 + 0.5, dv * 0.3 + v];
    expect(y.data).toBe(v);
    expect(Math.abs(x.grad - dv)).toBeLessThan(1e-12);
  });

  const rng = new PythonRandom(7);
  const scenarios = Array.from({ length: 40 }, (_, k) => ({ k, limit: k % 4 === 3 ? 3 + (k % 7) : undefined, steps: randomScenario(rng, 3, 40 + 5 * (k % 6), 4 + (k % 5)) }));
  it.each(scenarios)("random scenario #$k (log limit $limit): every grad after every backward()", ({ steps, limit }) => {
    if (limit !== undefined) setLogLimitForTests(limit);
    const { backwards } = runBoth(steps);
    expect(backwards).toBeGreaterThan(1);
  });

  it("the first backward() of each root against float64 central differences", () => {
    const r = new PythonRandom(99);
    for (let k = 0; k < 20; k++) {
      const steps = randomScenario(r, 3, 30, 1000).filter((s) => s.op !== "backward");
      const evalAt = (xs: number[]) => {
        const v: number[] = [];
        for (const s of steps) {
          if (s.op === "leaf") v.push(xs[v.length]!);
          else if (s.op === "add") v.push(v[s.a]! + v[s.b]!);
          else if (s.op === "mul") v.push(v[s.a]! * v[s.b]!);
          else if (s.op === "tanh") v.push(Math.tanh(v[s.a]!));
          else if (s.op === "relu") v.push(Math.max(0, v[s.a]!));
        }
        return v[v.length - 1]!;
      };
      const leaves = steps.filter((s) => s.op === "leaf").map((s) => (s as { x: number }).x);
      const vs: Value[] = [];
      for (const s of steps) {
        if (s.op === "leaf") vs.push(new Value(s.x));
        else if (s.op === "add" || s.op === "mul") vs.push(vs[s.a]![s.op](vs[s.b]!));
        else if (s.op === "tanh" || s.op === "relu") vs.push(vs[s.a]![s.op]());
      }
      new Value(1).add(2); // the root is not the newest node
      vs[vs.length - 1]!.backward();
      leaves.forEach((x, i) => {
        const h = 1e-6;
        const numeric = (evalAt(leaves.map((l, j) => (j === i ? x + h : l))) - evalAt(leaves.map((l, j) => (j === i ? x - h : l)))) / (2 * h);
        expect(Math.abs(vs[i]!.grad - numeric), `scenario ${k}, leaf ${i}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(numeric)));
      });
    }
  });
});
