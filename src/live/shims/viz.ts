/**
 * `@viz-js/viz` as the library's graphviz.ts sees it in the live page: the same `instance()`,
 * loading Graphviz (a large WebAssembly module) from its own chunk on first use.
 */
import type { Viz } from "@viz-js/viz";

export function instance(): Promise<Viz> {
  return import("@viz-js/viz").then((viz) => viz.instance());
}
