// The public surface of micrograd-ts: what `import { … } from "micrograd-ts"` gives a notebook.
export { Value, topologicalOrder } from "./engine.js";
export type { Operand } from "./engine.js";
