import { describe, expect, it } from "vitest";
import { inspect } from "node:util";
import { Value, topologicalOrder } from "../../src/engine.js";

/** Symmetric finite difference of a one-input expression. */
function numericSlope(f: (x: number) => number, x: number, h = 1e-6): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

describe("micrograd's own engine tests", () => {
  it("sanity check: y = −20, x.grad = 46", () => {
    const x = new Value(-4.0);
    const z = x.mul(2).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    const y = h.add(q).add(q.mul(x));
    y.backward();
    expect(y.data).toBe(-20);
    expect(x.grad).toBe(46);
  });

  it("more ops: g = 24.70408163265306, a.grad = 138.83381924198252, b.grad = 645.5772594752186", () => {
    const a = new Value(-4.0);
    const b = new Value(2.0);
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1));
    c = c.add(new Value(1).add(c).add(a.neg()));
    d = d.add(d.mul(2).add(b.add(a).relu()));
    d = d.add(d.mul(3).add(b.sub(a).relu()));
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2.0);
    g = g.add(new Value(10.0).div(f));
    g.backward();
    expect(g.data).toBeCloseTo(24.70408163265306, 12);
    expect(a.grad).toBeCloseTo(138.83381924198252, 10);
    expect(b.grad).toBeCloseTo(645.5772594752186, 10);
  });
});

describe("the lecture's examples", () => {
  it("L = (a·b + c)·f = −8 with the lecture's gradients", () => {
    const a = new Value(2.0, "a");
    const b = new Value(-3.0, "b");
    const c = new Value(10.0, "c");
    const e = a.mul(b).named("e");
    const d = e.add(c).named("d");
    const f = new Value(-2.0, "f");
    const L = d.mul(f).named("L");
    L.backward();
    expect(L.data).toBe(-8);
    expect([L.grad, a.grad, b.grad, c.grad, f.grad, e.grad, d.grad]).toEqual([1, 6, -4, -2, 4, -2, -2]);
  });

  function neuron(tanh: (n: Value) => Value) {
    const x1 = new Value(2.0, "x1");
    const x2 = new Value(0.0, "x2");
    const w1 = new Value(-3.0, "w1");
    const w2 = new Value(1.0, "w2");
    const b = new Value(6.881373587019543, "b");
    const n = x1.mul(w1).add(x2.mul(w2)).add(b).named("n");
    const o = tanh(n).named("o");
    o.backward();
    return { x1, x2, w1, w2, b, n, o };
  }

  it("the tanh neuron: o = 0.7071067811865476 and its gradients", () => {
    const { x1, x2, w1, w2, n, o } = neuron((n) => n.tanh());
    expect(n.data).toBe(0.8813735870195432);
    expect(Math.abs(o.data - 0.7071067811865476)).toBeLessThanOrEqual(1e-15);
    // Math.tanh rounds o to …477, so 1 − o² is a hair under 0.5: gradients agree to 1e-14.
    expect(x1.grad).toBeCloseTo(-1.5, 14);
    expect(w1.grad).toBeCloseTo(1.0, 14);
    expect(x2.grad).toBeCloseTo(0.5, 14);
    expect(w2.grad).toBe(0);
  });

  it("the same neuron with tanh written as (e^2n − 1)/(e^2n + 1) through exp and div", () => {
    const { x1, x2, w1, w2, o } = neuron((n) => {
      const e = n.mul(2).exp();
      return e.sub(1).div(e.add(1));
    });
    expect(o.data).toBe(0.7071067811865476);
    expect(x1.grad).toBeCloseTo(-1.5, 12);
    expect(w1.grad).toBeCloseTo(1.0, 12);
    expect(x2.grad).toBeCloseTo(0.5, 12);
    expect(w2.grad).toBe(0);
  });

  it("a value used twice gets both contributions: b = a + a gives a.grad 2", () => {
    const a = new Value(3.0, "a");
    const b = a.add(a);
    b.backward();
    expect(b.data).toBe(6);
    expect(a.grad).toBe(2);
  });

  it("a = −2, b = 3, f = (a·b)·(a + b): a.grad −3, b.grad −8", () => {
    const a = new Value(-2.0);
    const b = new Value(3.0);
    const f = a.mul(b).mul(a.add(b));
    f.backward();
    expect(f.data).toBe(-6);
    expect(a.grad).toBe(-3);
    expect(b.grad).toBe(-8);
  });
});

describe("every operation's derivative against a symmetric finite difference", () => {
  const unary: Record<string, { f: (v: Value) => Value; at: number[] }> = {
    neg: { f: (v) => v.neg(), at: [-2, 0, 3] },
    exp: { f: (v) => v.exp(), at: [-3, 0, 1.5] },
    log: { f: (v) => v.log(), at: [0.1, 1, 7] },
    tanh: { f: (v) => v.tanh(), at: [-2, 0, 0.8813735870195432, 3] },
    // both sides of the kink at 0
    relu: { f: (v) => v.relu(), at: [-1e-3, -2, 1e-3, 2] },
    sigmoid: { f: (v) => v.sigmoid(), at: [-4, 0, 2.5] },
    "pow 3": { f: (v) => v.pow(3), at: [-2, 0.5, 2] },
    "pow 2.5": { f: (v) => v.pow(2.5), at: [0.3, 3] },
    "pow -1": { f: (v) => v.pow(-1), at: [-2, 0.5, 4] },
    "add number": { f: (v) => v.add(5), at: [-1, 2] },
    "sub number": { f: (v) => v.sub(5), at: [-1, 2] },
    "mul number": { f: (v) => v.mul(-3), at: [-1, 2] },
    "div number": { f: (v) => v.div(4), at: [-1, 2] },
    "number div": { f: (v) => new Value(3).div(v), at: [-1, 2] },
  };
  for (const [name, { f, at }] of Object.entries(unary)) {
    it(name, () => {
      for (const x0 of at) {
        const x = new Value(x0);
        const y = f(x);
        y.backward();
        const slope = numericSlope((t) => f(new Value(t)).data, x0);
        expect(x.grad, `${name} at ${x0}`).toBeCloseTo(slope, 6);
      }
    });
  }

  const binary: Record<string, (a: Value, b: Value) => Value> = {
    add: (a, b) => a.add(b),
    sub: (a, b) => a.sub(b),
    mul: (a, b) => a.mul(b),
    div: (a, b) => a.div(b),
  };
  for (const [name, f] of Object.entries(binary)) {
    it(`${name} (both operands)`, () => {
      for (const [x0, y0] of [
        [1.5, -2],
        [-3, 0.7],
        [2, 2],
      ]) {
        const a = new Value(x0);
        const b = new Value(y0);
        f(a, b).backward();
        expect(a.grad).toBeCloseTo(numericSlope((t) => f(new Value(t), new Value(y0)).data, x0), 6);
        expect(b.grad).toBeCloseTo(numericSlope((t) => f(new Value(x0), new Value(t)).data, y0), 6);
      }
    });
  }
});

describe("numerically sound where the textbook formula is not", () => {
  it("tanh(1000) is 1 with gradient 0", () => {
    const x = new Value(1000);
    const y = x.tanh();
    y.backward();
    expect(y.data).toBe(1);
    expect(x.grad).toBe(0);
    const z = new Value(-1000).tanh();
    expect(z.data).toBe(-1);
  });

  it("sigmoid(−1000) is 0 and sigmoid(1000) is 1, with gradient 0, no NaN", () => {
    const x = new Value(-1000);
    const s = x.sigmoid();
    s.backward();
    expect(s.data).toBe(0);
    expect(x.grad).toBe(0);
    expect(new Value(1000).sigmoid().data).toBe(1);
    expect(new Value(0).sigmoid().data).toBe(0.5);
  });

  it("large exp overflows to Infinity, not NaN", () => {
    const x = new Value(1000);
    const e = x.exp();
    e.backward();
    expect(e.data).toBe(Infinity);
    expect(x.grad).toBe(Infinity);
  });
});

describe("the graph", () => {
  it("records inputs, op and local derivatives", () => {
    const a = new Value(2, "a");
    const b = new Value(-3, "b");
    const e = a.mul(b);
    expect(e.op).toBe("*");
    expect(e.inputs).toEqual([a, b]);
    expect(e.localGrads).toEqual([-3, 2]);
    expect(a.inputs).toEqual([]);
    expect(a.op).toBe("");
    expect(a.tanh().inputs).toEqual([a]);
    expect(a.pow(3).op).toBe("**3");
  });

  it("a number operand becomes a leaf", () => {
    const a = new Value(2);
    const s = a.add(3);
    expect(s.inputs[1]).toBeInstanceOf(Value);
    expect(s.inputs[1].data).toBe(3);
  });

  it("topological order puts every input before its result, each node once", () => {
    const a = new Value(1, "a");
    const b = a.mul(2).named("b");
    const c = a.add(b).named("c");
    const d = c.mul(c).named("d");
    const order = topologicalOrder(d);
    expect(order[order.length - 1]).toBe(d);
    expect(new Set(order).size).toBe(order.length);
    expect(order.length).toBe(5); // a, the constant 2, b, c, d
    for (const v of order) for (const input of v.inputs) expect(order.indexOf(input)).toBeLessThan(order.indexOf(v));
  });

  it("gradients accumulate across backward calls (the forgotten zero-grad bug)", () => {
    const a = new Value(3);
    const y = a.mul(a);
    y.backward();
    expect(a.grad).toBe(6);
    y.backward();
    expect(a.grad).toBe(12);
  });

  it("backward handles a chain of 1,000,000 nodes without overflowing the stack", () => {
    const x = new Value(0.5);
    let y = x;
    for (let i = 0; i < 1_000_000; i++) y = y.add(1);
    y.backward();
    expect(y.data).toBe(1_000_000.5);
    expect(x.grad).toBe(1);
  });
});

describe("printing", () => {
  it("reads like the lecture's repr, also through Node's inspect (what tslab shows)", () => {
    const a = new Value(2.0, "a");
    const b = a.mul(-3);
    b.backward();
    expect(String(b)).toBe("Value(data=-6, grad=1)");
    expect(inspect(a)).toBe("Value(data=2, grad=-3)");
    expect(inspect([a])).toBe("[ Value(data=2, grad=-3) ]");
  });
});

describe("bad operands throw a TypeError naming the operation and what it got", () => {
  const a = new Value(1);
  const cases: [string, () => unknown, RegExp][] = [
    ["add a string", () => a.add("2" as never), /Value\.add: expected a Value or a number, got the string "2"/],
    ["mul undefined", () => a.mul(undefined as never), /Value\.mul: expected a Value or a number, got undefined/],
    ["sub an object", () => a.sub({ data: 1 } as never), /Value\.sub: expected a Value or a number, got an object/],
    ["div null", () => a.div(null as never), /Value\.div: expected a Value or a number, got null/],
    ["pow a Value", () => a.pow(new Value(2) as never), /Value\.pow: the exponent must be a number, got a Value/],
    ["pow a string", () => a.pow("2" as never), /Value\.pow: the exponent must be a number, got the string "2"/],
    ["new Value of a string", () => new Value("3" as never), /new Value: expected a number, got the string "3"/],
    ["new Value with inputs, as the lessons' own classes take them", () => new Value(3, "c", [new Value(1)] as never, "+" as never), /new Value\(data, label\): the further parameters are the engine's own/],
  ];
  for (const [name, f, message] of cases) {
    it(name, () => {
      expect(f).toThrow(TypeError);
      expect(f).toThrow(message);
    });
  }
});
