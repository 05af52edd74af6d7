import { describe, expect, it } from "vitest";
import { drawNetwork, networkDot, neuronDot } from "../../src/viz/network";

describe("network diagrams", () => {
  it("networkDot(3, [4, 4, 1]) has the lecture's 9 + 1 circles and one arrow per weight (3·4 + 4·4 + 4·1 = 32)", () => {
    const dot = networkDot(3, [4, 4, 1]);
    expect(dot.match(/^ {4}n\d+_\d+/gm)?.length).toBe(3 + 4 + 4 + 1);
    expect(dot.match(/ -> /g)?.length).toBe(32);
    expect(dot).toContain('label="hidden 2"');
  });

  it("neuronDot draws one weighted arrow per input and keeps the activation's name plain", () => {
    const dot = neuronDot(2, 'tanh"];evil');
    expect(dot.match(/label="w\d"/g)).toEqual(['label="w1"', 'label="w2"']);
    expect(dot).toContain('label="tanhevil"');
  });

  it("refuses sizes that are not small whole numbers", () => {
    expect(() => networkDot(0, [1])).toThrow(/inputs must be a whole number/);
    expect(() => networkDot(2, [])).toThrow(/at least one layer/);
    expect(() => networkDot(2, [1.5])).toThrow(/layer 1's size/);
  });

  it("renders to an SVG element", async () => {
    const svg = await drawNetwork(2, [3, 1]);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<g class="node"/g)?.length).toBe(6);
  });
});
