import { afterEach, describe, expect, it, vi } from "vitest";
import { SeededRandom } from "../../src/random";

const draw = (rng: { random(): number }, n = 8) => Array.from({ length: n }, () => rng.random());

describe("freshRng()", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it("is a SeededRandom seeded from crypto.getRandomValues", async () => {
    vi.resetModules();
    vi.stubGlobal("crypto", { getRandomValues: (a: Uint32Array) => (a.fill(12345), a) });
    const { freshRng } = await import("../../src/notebook/fresh-rng");
    const random = await import("../../src/random"); // the module instance fresh-rng loaded
    const rng = freshRng();
    expect(rng).toBeInstanceOf(random.SeededRandom);
    expect(draw(rng)).toEqual(draw(new SeededRandom(12345)));
  });

  it("gives a different generator on every call", async () => {
    const { freshRng } = await import("../../src/notebook/fresh-rng");
    const a = draw(freshRng()), b = draw(freshRng());
    expect(a).not.toEqual(b);
    for (const x of [...a, ...b]) expect(x >= 0 && x < 1).toBe(true);
  });

  it("keeps the crypto it found at load: replacing globalThis.crypto later changes nothing", async () => {
    vi.resetModules();
    const { freshRng } = await import("../../src/notebook/fresh-rng");
    vi.stubGlobal("crypto", { getRandomValues: (a: Uint32Array) => (a.fill(7), a) });
    expect(draw(freshRng())).not.toEqual(draw(freshRng()));
  });

  it("is exported by the library", async () => {
    const lib = await import("../../src/index");
    expect(typeof lib.freshRng).toBe("function");
  });
});
