/**
 * `io` for the browser entry (see src/browser.ts): the safetensors codec on bytes in memory.
 * Left out: saveModel/loadModel and the other file helpers (files.ts), which use node:fs — in a
 * page, fetch the bytes and call decodeSafetensors, or encode and offer them as a download.
 */
export { encodeSafetensors, decodeSafetensors, type DecodedSafetensors } from "./safetensors.js";
