/**
 * The IDX format (LeCun's MNIST format): two zero bytes, a type byte, a byte with the number of
 * dimensions, each dimension as a big-endian uint32, then the elements, big-endian, row-major.
 *
 * The parser, on bytes in memory. It has a file of its own, free of Node imports, so that
 * browsers (fetch + arrayBuffer, through the browser entry) and Node (readIdxFile in idx.ts)
 * share the exact same validation.
 */

import { DataFormatError } from "../errors.js";

/** A parsed IDX file: its dimensions and its elements in row-major order, in host byte order. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

interface IdxType {
  name: string;
  size: number;
}

/** Type codes of the format; anything else means the file is not IDX or is corrupt. */
const IDX_TYPES: ReadonlyMap<number, IdxType> = new Map([
  [0x08, { name: "uint8", size: 1 }],
  [0x09, { name: "int8", size: 1 }],
  [0x0b, { name: "int16", size: 2 }],
  [0x0c, { name: "int32", size: 4 }],
  [0x0d, { name: "float32", size: 4 }],
  [0x0e, { name: "float64", size: 8 }],
]);

const hex2 = (byte: number): string => byte.toString(16).padStart(2, "0");

const knownTypes = (): string =>
  [...IDX_TYPES].map(([code, t]) => `0x${hex2(code)} ${t.name}`).join(", ");

/**
 * Parses an IDX file already in memory.
 *
 * Every way a file can be wrong is reported as a `DataFormatError` naming `file`, because a
 * half-downloaded or mislabelled dataset otherwise surfaces much later as NaN losses or garbage
 * images. uint8 and int8 data are returned as views on `bytes` (no copy: the MNIST training images
 * are 47 MB); wider types are decoded from big-endian into new arrays, since typed arrays use the
 * host's byte order.
 *
 * @param bytes the whole file (not gzipped; see `readIdxFile`)
 * @param file the name used in error messages
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) {
    throw new DataFormatError(
      file,
      `too short to be an IDX file: ${bytes.length} bytes, an IDX header needs at least 4`,
    );
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const found = `0x${hex2(bytes[0])}${hex2(bytes[1])}${hex2(bytes[2])}${hex2(bytes[3])}`;
    const hint =
      bytes[0] === 0x1f && bytes[1] === 0x8b
        ? " (the file looks gzip-compressed: gunzip it first, or use readIdxFile which does)"
        : "";
    throw new DataFormatError(
      file,
      `bad magic ${found}: an IDX file starts with two zero bytes (0x0000TTNN, TT = type, NN = number of dimensions)${hint}`,
    );
  }
  const code = bytes[2];
  const type = IDX_TYPES.get(code);
  if (type === undefined) {
    throw new DataFormatError(
      file,
      `unknown IDX type code 0x${hex2(code)} (known: ${knownTypes()})`,
    );
  }
  const ndims = bytes[3];
  const headerLength = 4 + 4 * ndims;
  if (bytes.length < headerLength) {
    throw new DataFormatError(
      file,
      `truncated header: ${ndims} dimensions need a ${headerLength}-byte header, found ${bytes.length} bytes`,
    );
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));

  // BigInt because the product of up to 255 uint32 dimensions can exceed 2^53, and a corrupt
  // header must still give an exact, honest "expected N bytes" rather than a rounded one.
  const count = dims.reduce((acc, d) => acc * BigInt(d), 1n);
  const expected = count * BigInt(type.size);
  const found = BigInt(bytes.length - headerLength);
  if (found < expected) {
    throw new DataFormatError(
      file,
      `truncated: expected ${expected} bytes of data, found ${found} (${type.name} [${dims.join(", ")}])`,
    );
  }
  if (found > expected) {
    throw new DataFormatError(
      file,
      `has ${found - expected} trailing bytes after the ${expected} bytes of data (${type.name} [${dims.join(", ")}])`,
    );
  }

  const n = Number(count);
  const start = bytes.byteOffset + headerLength;
  switch (code) {
    case 0x08:
      // A plain Uint8Array view, not bytes.subarray: that would keep a Buffer subclass from Node.
      return { dims, data: new Uint8Array(bytes.buffer, start, n) };
    case 0x09:
      return { dims, data: new Int8Array(bytes.buffer, start, n) };
    case 0x0b: {
      const data = new Int16Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getInt16(headerLength + 2 * i, false);
      return { dims, data };
    }
    case 0x0c: {
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getInt32(headerLength + 4 * i, false);
      return { dims, data };
    }
    case 0x0d: {
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(headerLength + 4 * i, false);
      return { dims, data };
    }
    default: {
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat64(headerLength + 8 * i, false);
      return { dims, data };
    }
  }
}
