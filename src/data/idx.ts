/**
 * The IDX format (LeCun's MNIST format): two zero bytes, a type byte, a byte with the number of
 * dimensions, each dimension as a big-endian uint32, then the elements, big-endian, row-major.
 *
 * Reading files (with node:fs and node:zlib); the parser itself is in idx-parse.ts, free of Node
 * imports, so that browsers (fetch + arrayBuffer) and Node share the exact same validation.
 */

import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

import { DataFormatError } from "../errors.js";
import { parseIdx, type IdxArray } from "./idx-parse.js";

export { parseIdx, type IdxArray };

/**
 * Reads and parses an IDX file, gunzipping it first when it starts with the gzip magic 1f 8b.
 *
 * MNIST is distributed as `.gz` files and people often keep them that way; detecting gzip by its
 * content rather than the file name also copes with files renamed after decompressing (or not).
 * A missing file becomes a `DataFormatError` so data-loading code has one error type to catch.
 */
export function readIdxFile(path: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new DataFormatError(path, "does not exist");
    if (code === "EISDIR") throw new DataFormatError(path, "is a directory, not an IDX file");
    throw err;
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new DataFormatError(
        path,
        `starts with the gzip magic 1f 8b but cannot be decompressed: ${(err as Error).message}`,
      );
    }
  }
  return parseIdx(bytes, path);
}
