/**
 * Graphviz (compiled to WebAssembly by @viz-js/viz), loaded once per process.
 *
 * Loading the WebAssembly module takes a few hundred milliseconds; every drawing
 * after the first reuses the same instance.
 */
import { instance, type Viz } from "@viz-js/viz";

let viz: Promise<Viz> | undefined;

// Start compiling the WebAssembly as soon as the drawing code is loaded, so that the
// first drawing in a notebook is ready within the cell that asks for it. A failure
// here is reported by the first drawing, not at import.
graphviz().catch(() => {});

function graphviz(): Promise<Viz> {
  viz ??= instance();
  return viz;
}

/**
 * Lay out a DOT graph and return the SVG element alone: no XML prolog, DOCTYPE or
 * comments, so the markup can be inlined in an HTML page as well as saved as a file.
 */
export async function renderDot(dot: string): Promise<string> {
  const svg = (await graphviz()).renderString(dot, { format: "svg" });
  return svgElementOnly(svg);
}

function svgElementOnly(svg: string): string {
  const start = svg.indexOf("<svg");
  if (start < 0) throw new Error("Graphviz returned no <svg> element");
  return (
    svg
      .slice(start)
      .replace(/<!--[\s\S]*?-->\n?/g, "")
      // Graphviz numbers its groups graph0, node1, edge1… in every drawing; several drawings
      // on one page would repeat those ids, and nothing refers to them.
      .replace(/ id="(?:graph|node|edge|clust)\d+"/g, "")
      // Let a wide graph shrink to the notebook's width instead of forcing a scrollbar.
      .replace("<svg ", '<svg style="max-width:100%;height:auto" ')
      .trimEnd() + "\n"
  );
}
