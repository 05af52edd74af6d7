/**
 * Stands in for modules the live page cannot have (node:fs, tslab) in the bundle: the library
 * code that imports them only calls them in Node, so reaching this is a bug worth a clear message.
 */
function unavailable(name: string): never {
  throw new Error(`${name} is not available in the live page (it runs in the browser, not in Node)`);
}
export const readFileSync = () => unavailable("node:fs");
export default new Proxy({}, { get: (_t, key) => unavailable(`tslab.${String(key)}`) });
