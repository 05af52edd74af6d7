/**
 * Warming up the engine in the live page's worker. V8 compiles a function for speed only after it
 * has run for a while, and sizes its young generation to what the program keeps alive, so a fresh
 * worker's first training steps are several times slower than later ones (lesson 8's moons in
 * Chromium: about 230 ms for the first ten steps, 35 ms for the ten after). So once a cell has
 * loaded the library, while no cell runs, the worker trains a small network of its own for a few
 * steps, one step per task: a cell that arrives meanwhile waits for one step at most.
 *
 * Nothing a lesson sees changes: the network, its data and its random generator are the warm-up's
 * own, every step ends with backward() (so the engine's creation log is empty again), and nothing
 * is printed. It runs the library's own code only: once a cell has replaced a method it uses (the
 * lessons patch Value's operations), or if anything throws, the warm-up stops.
 */
type Library = typeof import("../index.js");

export interface WarmUpOptions {
  /** Training steps in all (default 24: enough for the moons' first steps to run at full speed). */
  steps?: number;
  /** Whether a cell is running now: the warm-up waits while one is. */
  busy: () => boolean;
  /** Called after each step, and after the last (tests). */
  onStep?: (step: number) => void;
  done?: () => void;
}

/** The methods (and accessors) of these classes the warm-up calls, as they are now. */
function methodsOf(lib: Library): unknown[] {
  const protos = [lib.Value.prototype, lib.MLP.prototype, lib.Layer.prototype, lib.Neuron.prototype, lib.Module.prototype];
  return protos.flatMap((proto) => Object.values(Object.getOwnPropertyDescriptors(proto)).flatMap((d) => [d.value, d.get, d.set]));
}

export function warmUp(lib: Library, options: WarmUpOptions): void {
  const { steps = 24, busy, onStep, done } = options;
  const methods = methodsOf(lib);
  const patched = () => methodsOf(lib).some((m, i) => m !== methods[i]);
  // The shapes the lessons train: 2 inputs, two hidden layers of 16, one output; 100 points.
  const points = Array.from({ length: 100 }, (_, i) => [Math.cos(i * 0.7) * (1 + (i % 3) / 3), Math.sin(i * 1.3)]);
  const labels = points.map(([x0, x1]) => (x0! * x1! > 0 ? 1 : -1));
  const nets = [
    new lib.MLP(2, [16, 16, 1], { activation: "relu", linearOutput: true, bias: "zero", rng: new lib.PythonRandom(1) }),
    new lib.MLP(2, [16, 16, 1], { activation: "tanh", rng: new lib.PythonRandom(2) }),
  ];
  let step = 0;
  const next = (): void => {
    if (step >= steps) return done?.();
    if (busy()) {
      setTimeout(next, 50);
      return;
    }
    if (patched()) return; // a learner's code now: not ours to run
    try {
      const net = nets[step % nets.length]!;
      // A max-margin loss (as lesson 8) for one net, squared error (as lesson 7) for the other.
      let loss = new lib.Value(0);
      points.forEach((x, i) => {
        const score = net.output(x);
        const y = labels[i]!;
        loss = loss.add(step % 2 === 0 ? score.mul(-y).add(1).relu() : score.sub(y).pow(2));
      });
      loss = loss.mul(1 / points.length);
      net.zeroGrad();
      loss.backward();
      for (const p of net.parameters()) p.data -= 0.05 * p.grad;
    } catch {
      return; // the library is not what it was: no more warming up
    }
    step++;
    onStep?.(step);
    setTimeout(next, 0);
  };
  setTimeout(next, 0);
}
