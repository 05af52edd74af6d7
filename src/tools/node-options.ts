/**
 * Node flags for the processes that train networks: the lessons' kernel and the bench.
 *
 * A training step builds ~69k Values and keeps them all alive until backward() is done.
 * With V8's default young generation (16 MB semi-spaces) the scavenger runs about once a
 * step and copies the live graph each time, which costs more than the arithmetic. 64 MB
 * semi-spaces let several steps' garbage die young before a collection: the demo trains
 * ~1.5× faster. It must be set when Node starts (setting it later has no effect), so the
 * kernelspec passes it through NODE_OPTIONS.
 */
export const TRAINING_NODE_FLAGS = ["--max-semi-space-size=64"];
