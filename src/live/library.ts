/**
 * What `import … from "micrograd-ts"` gives a cell in the live page: the library itself
 * (src/index.ts), bundled. Loaded by the worker when a cell first imports it.
 */
export * from "../index.js";
