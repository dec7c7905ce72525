/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to { dtype, shape, data_offsets }, then the raw little-endian bytes.
 * PyTorch reads and writes it (`safetensors.torch`), so weights move both ways by state-dict key.
 * Pure functions over bytes, usable in browsers; file handling lives in ./files.ts.
 */
import type { DType } from "../backend/types.js";
import { DataFormatError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { tensor } from "../tensor/create.js";
import { sizeOf } from "../backend/layout.js";

const CODES: Record<DType, string> = { float32: "F32", float64: "F64", int32: "I32" };
const FROM_CODE: Record<string, { dtype: DType; bytes: number }> = {
  F32: { dtype: "float32", bytes: 4 },
  F64: { dtype: "float64", bytes: 8 },
  I32: { dtype: "int32", bytes: 4 },
};

/** Largest header we accept: a guard against reading a garbage length as gigabytes. */
const MAX_HEADER = 100 * 1024 * 1024;

export function encodeSafetensors(tensors: Map<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const [name, t] of tensors) {
    const data = t.data();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    header[name] = { dtype: CODES[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  // Pad by UTF-8 byte length (not json.length, which counts UTF-16 units) so that non-ASCII
  // names or metadata still keep the data 8-byte aligned.
  json += " ".repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface DecodedSafetensors {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** Parses safetensors bytes; every inconsistency is a DataFormatError naming `file`. */
export function decodeSafetensors(bytes: Uint8Array, file: string): DecodedSafetensors {
  if (bytes.length < 8) throw new DataFormatError(file, `too short for safetensors: ${bytes.length} bytes (the header length alone takes 8)`);
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
    throw new DataFormatError(file, `header length ${headerLength} does not fit in the ${bytes.length}-byte file (truncated or not safetensors)`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new DataFormatError(file, `header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) throw new DataFormatError(file, "header is not a JSON object");
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, Tensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = entry as Record<string, string>;
      continue;
    }
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw new DataFormatError(file, `tensor '${name}' has entry ${JSON.stringify(entry)}; expected an object { dtype, shape, data_offsets }`);
    const e = entry as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    const kind = e.dtype ? FROM_CODE[e.dtype] : undefined;
    if (!kind) throw new DataFormatError(file, `tensor '${name}' has dtype ${JSON.stringify(e.dtype)}; Tessera reads F32, F64 and I32`);
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isInteger(d) || d < 0)) throw new DataFormatError(file, `tensor '${name}' has an invalid shape ${JSON.stringify(e.shape)}`);
    const [begin, end] = e.data_offsets ?? [-1, -1];
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < begin || end > dataLength) {
      throw new DataFormatError(file, `tensor '${name}' has data offsets [${begin}, ${end}] outside the ${dataLength} data bytes (truncated file?)`);
    }
    const expected = sizeOf(e.shape) * kind.bytes;
    if (end - begin !== expected) throw new DataFormatError(file, `tensor '${name}' [${e.shape}] ${e.dtype} needs ${expected} bytes but has ${end - begin}`);
    // Copy into an aligned buffer: the data may sit at any byte offset in the file.
    const raw = bytes.slice(dataStart + begin, dataStart + end);
    const view =
      kind.dtype === "float32" ? new Float32Array(raw.buffer) : kind.dtype === "float64" ? new Float64Array(raw.buffer) : new Int32Array(raw.buffer);
    tensors.set(name, tensor(view, { shape: e.shape, dtype: kind.dtype }));
  }
  return { tensors, metadata };
}
