/**
 * `node:crypto` in the live page's bundle: only what the library uses (createHash("sha256") to
 * name SVG ids after their content), with the same digests as Node's, so a chart's ids are the
 * same in Jupyter and in the page.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

export function createHash(algorithm: string) {
  if (algorithm !== "sha256") throw new Error(`createHash("${algorithm}"): the live page has sha256 only`);
  const hash = sha256.create();
  const digester = {
    update(text: string) {
      hash.update(utf8ToBytes(text));
      return digester;
    },
    digest(encoding: "hex") {
      if (encoding !== "hex") throw new Error(`digest("${encoding}"): the live page has hex only`);
      return bytesToHex(hash.digest());
    },
  };
  return digester;
}
