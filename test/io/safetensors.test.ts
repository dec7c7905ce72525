/**
 * safetensors encoding / decoding (checked against the format spec, not only round trips), model
 * folders (saveModel / loadModel) and atomic writes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { DataFormatError, TesseraError } from "../../src/errors.js";
import { randn, scalar, tensor } from "../../src/tensor/create.js";
import type { Tensor } from "../../src/tensor/tensor.js";
import { manualSeed } from "../../src/random.js";
import { noGrad } from "../../src/autograd/engine.js";
import { decodeSafetensors, encodeSafetensors } from "../../src/io/safetensors.js";
import { loadModel, loadSafetensors, MODEL_FILE, saveModel, saveSafetensors, WEIGHTS_FILE, writeFileAtomic } from "../../src/io/files.js";
import { LeNet5 } from "../../src/models/lenet.js";
import { MLP } from "../../src/models/mlp.js";
import { withTempDir } from "../helpers/temp-dir.js";

/** Asserts a DataFormatError for `file` whose message contains every fragment. */
function assertDataError(fn: () => unknown, file: string, ...fragments: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DataFormatError, `expected DataFormatError, got ${String(err)}`);
    assert.equal(err.file, file);
    assert.ok(err.message.startsWith(`${file}: `), `message does not start with the file name: ${err.message}`);
    for (const f of fragments) assert.ok(err.message.includes(f), `message lacks "${f}": ${err.message}`);
    return true;
  });
}

/** The spec's layout, read by hand: u64 little-endian N, N bytes of JSON header, then the data. */
function parseByHand(bytes: Uint8Array): { n: number; headerText: string; header: Record<string, any>; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  assert.equal(hi, 0);
  const n = lo;
  const headerText = Buffer.from(bytes.subarray(8, 8 + n)).toString("utf8");
  return { n, headerText, header: JSON.parse(headerText), data: bytes.subarray(8 + n) };
}

/** A safetensors file made by hand from a header (object or raw text) and data bytes. */
function craft(header: unknown, data: Uint8Array = new Uint8Array(0), lengthOverride?: number): Uint8Array {
  const text = Buffer.from(typeof header === "string" ? header : JSON.stringify(header), "utf8");
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(lengthOverride ?? text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

const f32bytes = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

// ---- encode / decode -------------------------------------------------------------------------

test("round trip of float32, float64, int32 and 0-d tensors keeps dtype, shape, values and metadata", () => {
  const f32 = tensor([[0.1, -2.5, 1e-30], [3.4e38, -0, 7]], { dtype: "float32" });
  const f64 = tensor([Math.PI, 1 / 3, -1e-300, 2 ** 60 + 2 ** 8], { dtype: "float64" });
  const i32 = tensor([[-(2 ** 31), 2 ** 31 - 1], [0, -7], [42, 1]], { dtype: "int32" });
  const zeroD = scalar(3.75);
  const tensors = new Map<string, Tensor>([["layer.weight", f32], ["double", f64], ["labels", i32], ["scale", zeroD]]);
  const bytes = encodeSafetensors(tensors, { format: "pt", note: "hello" });
  const { tensors: back, metadata } = decodeSafetensors(bytes, "rt.safetensors");
  assert.deepEqual(metadata, { format: "pt", note: "hello" });
  assert.deepEqual([...back.keys()], ["layer.weight", "double", "labels", "scale"]);
  for (const [name, t] of tensors) {
    const u = back.get(name)!;
    assert.equal(u.dtype, t.dtype, name);
    assert.deepEqual([...u.shape], [...t.shape], name);
    assert.deepEqual(u.data(), t.data(), name); // typed arrays of the same type, bit for bit (-0 included)
  }
  assert.equal(back.get("scale")!.item(), 3.75);
  assert.equal(back.get("double")!.data()[1], 1 / 3);
});

test("the encoded file follows the spec: u64 LE header length, JSON header, contiguous LE data", () => {
  const a = tensor([[1.5, -2], [0.25, 8]], { dtype: "float32" });
  const b = tensor([-3, 5, 2 ** 31 - 1], { dtype: "int32" });
  const c = tensor([Math.E], { dtype: "float64" });
  const bytes = encodeSafetensors(new Map([["a", a], ["b", b], ["c", c]]), { who: "tessera" });
  const { n, headerText, header, data } = parseByHand(bytes);
  assert.equal((8 + n) % 8, 0, "data must start 8-byte aligned");
  assert.equal(headerText[0], "{");
  assert.match(headerText, /^\{.*\} *$/s, "only spaces may pad the header");
  assert.deepEqual(header.__metadata__, { who: "tessera" });
  assert.deepEqual(header.a, { dtype: "F32", shape: [2, 2], data_offsets: [0, 16] });
  assert.deepEqual(header.b, { dtype: "I32", shape: [3], data_offsets: [16, 28] });
  assert.deepEqual(header.c, { dtype: "F64", shape: [1], data_offsets: [28, 36] });
  assert.equal(data.length, 36);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  assert.deepEqual([0, 4, 8, 12].map((o) => dv.getFloat32(o, true)), [1.5, -2, 0.25, 8]);
  assert.deepEqual([16, 20, 24].map((o) => dv.getInt32(o, true)), [-3, 5, 2 ** 31 - 1]);
  assert.equal(dv.getFloat64(28, true), Math.E);
});

test("the header stays 8-byte aligned with non-ASCII names and metadata (UTF-8 bytes, not chars)", () => {
  for (const name of ["w", "wé", "权重", "emoji😀", "ab"]) {
    const bytes = encodeSafetensors(new Map([[name, tensor([1, 2, 3])]]), { note: `ü${name}` });
    const { n, header } = parseByHand(bytes);
    assert.equal((8 + n) % 8, 0, `misaligned for '${name}'`);
    assert.deepEqual(header[name].data_offsets, [0, 12]);
    const back = decodeSafetensors(bytes, "u.safetensors");
    assert.deepEqual(Array.from(back.tensors.get(name)!.data()), [1, 2, 3]);
    assert.equal(back.metadata.note, `ü${name}`);
  }
});

test("an empty state dict encodes to a valid, aligned file without metadata", () => {
  const bytes = encodeSafetensors(new Map());
  const { n, header, data } = parseByHand(bytes);
  assert.equal((8 + n) % 8, 0);
  assert.deepEqual(header, {});
  assert.equal(data.length, 0);
  const back = decodeSafetensors(bytes, "empty.safetensors");
  assert.equal(back.tensors.size, 0);
  assert.deepEqual(back.metadata, {});
});

test("decode reads a hand-made file whose data sits at an unaligned offset and out of order", () => {
  // Tensors stored in the reverse of header order and a header whose length is not a multiple of
  // 8: both allowed by the format (alignment is a writer's courtesy, not a reader's requirement).
  const data = new Uint8Array(20);
  const dv = new DataView(data.buffer);
  dv.setInt32(0, -9, true);
  dv.setInt32(4, 123456, true);
  [0.5, -1, 2].forEach((v, i) => dv.setFloat32(8 + 4 * i, v, true));
  const header = { __metadata__: { k: "v" }, y: { dtype: "F32", shape: [3], data_offsets: [8, 20] }, x: { dtype: "I32", shape: [2], data_offsets: [0, 8] } };
  let text = JSON.stringify(header);
  if ((8 + text.length) % 8 === 0) text += " ";
  const file = craft(text, data);
  assert.notEqual((file.length - 20) % 8, 0, "the crafted data start is meant to be unaligned");
  const back = decodeSafetensors(file, "h.safetensors");
  assert.deepEqual(Array.from(back.tensors.get("x")!.data()), [-9, 123456]);
  assert.deepEqual(Array.from(back.tensors.get("y")!.data()), [0.5, -1, 2]);
  assert.equal(back.tensors.get("y")!.dtype, "float32");
  assert.deepEqual(back.metadata, { k: "v" });
  // The same bytes read as 4 floats: 16 bytes needed, 12 given.
  const wrong = craft({ y: { dtype: "F32", shape: [2, 2], data_offsets: [8, 20] } }, data);
  assertDataError(() => decodeSafetensors(wrong, "h.safetensors"), "h.safetensors", "tensor 'y'", "needs 16 bytes but has 12");
});

// ---- decode errors ---------------------------------------------------------------------------

test("decode errors are DataFormatErrors naming the file and the problem", () => {
  const f = "model/weights.safetensors";
  assertDataError(() => decodeSafetensors(new Uint8Array(5), f), f, "too short", "5 bytes");
  assertDataError(() => decodeSafetensors(craft({}, new Uint8Array(0), 1000), f), f, "header length 1000", "10-byte file");
  assertDataError(() => decodeSafetensors(craft({}, new Uint8Array(0), 2 ** 40), f), f, `header length ${2 ** 40}`);
  assertDataError(() => decodeSafetensors(craft('{"a": {"dtype": "F32",'), f), f, "header is not valid JSON");
  assertDataError(() => decodeSafetensors(craft("[1, 2]"), f), f, "header is not a JSON object");
  assertDataError(() => decodeSafetensors(craft("null"), f), f, "header is not a JSON object");
  assertDataError(
    () => decodeSafetensors(craft({ w: { dtype: "BF16", shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)), f),
    f, "tensor 'w'", '"BF16"', "F32, F64 and I32",
  );
  assertDataError(() => decodeSafetensors(craft({ w: { shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)), f), f, "tensor 'w'", "dtype");
  assertDataError(
    () => decodeSafetensors(craft({ w: { dtype: "F32", shape: [2, -1], data_offsets: [0, 8] } }, new Uint8Array(8)), f),
    f, "tensor 'w'", "invalid shape [2,-1]",
  );
  assertDataError(
    () => decodeSafetensors(craft({ w: { dtype: "F32", shape: [100], data_offsets: [0, 400] } }, f32bytes([1, 2, 3])), f),
    f, "tensor 'w'", "data offsets [0, 400]", "12 data bytes",
  );
  assertDataError(
    () => decodeSafetensors(craft({ w: { dtype: "F32", shape: [1], data_offsets: [8, 4] } }, f32bytes([1, 2, 3])), f),
    f, "data offsets [8, 4]",
  );
  assertDataError(() => decodeSafetensors(craft({ w: { dtype: "F32", shape: [1] } }, f32bytes([1])), f), f, "tensor 'w'", "data offsets");
  assertDataError(
    () => decodeSafetensors(craft({ w: { dtype: "F32", shape: [2, 2], data_offsets: [0, 12] } }, f32bytes([1, 2, 3])), f),
    f, "tensor 'w' [2,2] F32 needs 16 bytes but has 12",
  );
  assertDataError(
    () => decodeSafetensors(craft({ w: { dtype: "F64", shape: [2], data_offsets: [0, 8] } }, f32bytes([1, 2])), f),
    f, "needs 16 bytes but has 8",
  );
  assertDataError(() => decodeSafetensors(craft({ w: null }), f), f, "tensor 'w'", "null");
  assertDataError(() => decodeSafetensors(craft({ w: 5 }), f), f, "tensor 'w'");
});

test("a truncated file is refused, naming the file", () => {
  const bytes = encodeSafetensors(new Map([["w", tensor(new Float32Array(64), { shape: [8, 8] })]]));
  const f = "cut.safetensors";
  // Cut inside the data, then inside the header, then inside the length.
  assertDataError(() => decodeSafetensors(bytes.subarray(0, bytes.length - 4), f), f, "tensor 'w'", "outside the 252 data bytes");
  assertDataError(() => decodeSafetensors(bytes.subarray(0, 20), f), f, "header length", "20-byte file");
  assertDataError(() => decodeSafetensors(bytes.subarray(0, 7), f), f, "too short", "7 bytes");
});

// ---- files -----------------------------------------------------------------------------------

test("saveSafetensors / loadSafetensors round trip through a file; a missing file is named", () => {
  withTempDir((dir) => {
    const path = join(dir, "sub", "w.safetensors");
    const t = tensor([[1, 2], [3, 4.5]], { dtype: "float64" });
    saveSafetensors(path, new Map([["t", t]]), { a: "b" });
    const raw = readFileSync(path);
    assert.deepEqual(decodeSafetensors(new Uint8Array(raw), path).metadata, { a: "b" });
    const back = loadSafetensors(path);
    assert.deepEqual(back.get("t")!.data(), t.data());
    assert.deepEqual(readdirSync(join(dir, "sub")), ["w.safetensors"]);
    const missing = join(dir, "nope.safetensors");
    assertDataError(() => loadSafetensors(missing), missing, "does not exist");
  });
});

test("saveModel / loadModel round trip of LeNet5 gives bit-identical outputs", () => {
  withTempDir((dir) => {
    manualSeed(21);
    const model = new LeNet5();
    const x = randn([3, 1, 28, 28]);
    const before = noGrad(() => model.forward(x)).data();
    assert.equal(before.length, 30);
    saveModel(dir, model, { name: "lenet5", options: { variant: "padded" } }, { note: "round trip", accuracy: 0.5 });
    assert.deepEqual(readdirSync(dir).sort(), [MODEL_FILE, WEIGHTS_FILE].sort());

    const description = JSON.parse(readFileSync(join(dir, MODEL_FILE), "utf8"));
    assert.equal(description.format, "tessera-model");
    assert.equal(description.version, 1);
    assert.deepEqual(description.model, { name: "lenet5", options: { variant: "padded" } });

    // A fresh model (other seed) really differs, so equal outputs below mean the weights loaded.
    manualSeed(22);
    const fresh = new LeNet5();
    assert.notDeepEqual(noGrad(() => fresh.forward(x)).data(), before);

    const loaded = loadModel(dir);
    assert.ok(loaded.model instanceof LeNet5);
    assert.deepEqual(loaded.spec, { name: "lenet5", options: { variant: "padded" } });
    assert.deepEqual(loaded.info, { version: 1, note: "round trip", accuracy: 0.5 });
    assert.deepEqual([...loaded.model.stateDict().keys()], [...model.stateDict().keys()]);
    assert.deepEqual(noGrad(() => loaded.model.forward(x)).data(), before);
  });
});

test("saveModel / loadModel keeps MLP options (sizes, activation)", () => {
  withTempDir((dir) => {
    manualSeed(4);
    const spec = { name: "mlp" as const, options: { sizes: [6, 5, 3], activation: "tanh" as const, init: "pytorch" as const } };
    const model = new MLP(spec.options);
    const x = randn([2, 6]);
    const before = noGrad(() => model.forward(x)).data();
    saveModel(dir, model, spec);
    const loaded = loadModel(dir);
    assert.deepEqual(loaded.spec, spec);
    assert.deepEqual(noGrad(() => loaded.model.forward(x)).data(), before);
    assert.deepEqual([...loaded.model.stateDict().get("layers.1.weight")!.shape], [3, 5]);
  });
});

test("loadModel errors name the file: no model.json, corrupt JSON, not a model, truncated or missing weights", () => {
  withTempDir((dir) => {
    const specPath = join(dir, MODEL_FILE);
    const weightsPath = join(dir, WEIGHTS_FILE);
    assertDataError(() => loadModel(dir), specPath, "does not exist");
    assertDataError(() => loadModel(join(dir, "missing-folder")), join(dir, "missing-folder", MODEL_FILE), "does not exist");

    writeFileSync(specPath, '{"format": "tessera-model", "model": ');
    assertDataError(() => loadModel(dir), specPath, "is not valid JSON");
    writeFileSync(specPath, "null");
    assertDataError(() => loadModel(dir), specPath, "is not a Tessera model description");
    writeFileSync(specPath, JSON.stringify({ format: "keras", model: { name: "mlp" } }));
    assertDataError(() => loadModel(dir), specPath, "is not a Tessera model description");

    manualSeed(5);
    saveModel(dir, new LeNet5(), { name: "lenet5" });
    const full = statSync(weightsPath).size;
    truncateSync(weightsPath, Math.floor(full / 2));
    assertDataError(() => loadModel(dir), weightsPath, "outside the");
    truncateSync(weightsPath, 3);
    assertDataError(() => loadModel(dir), weightsPath, "too short");
    rmSync(weightsPath);
    assertDataError(() => loadModel(dir), weightsPath, "does not exist");

    // Weights of another architecture: refused with the keys named.
    saveModel(dir, new MLP({ sizes: [4, 2] }), { name: "lenet5" });
    assert.throws(() => loadModel(dir), (e: unknown) => e instanceof TesseraError && e.message.includes("missing keys: features.0.weight") && e.message.includes("unexpected keys: layers.0.weight"));
  });
});

test("writeFileAtomic writes, replaces, creates folders and leaves no temporary files", () => {
  withTempDir((dir) => {
    const path = join(dir, "a", "b", "file.txt");
    writeFileAtomic(path, "first");
    assert.equal(readFileSync(path, "utf8"), "first");
    writeFileAtomic(path, new Uint8Array([104, 105]));
    assert.equal(readFileSync(path, "utf8"), "hi");
    writeFileAtomic(path, "");
    assert.equal(readFileSync(path, "utf8"), "");
    assert.deepEqual(readdirSync(join(dir, "a", "b")), ["file.txt"]);
  });
});

test("writeFileAtomic that throws leaves the previous content intact and no .tmp- file", () => {
  withTempDir((dir) => {
    // The target is a directory: the final rename fails; the directory and its file survive.
    const target = join(dir, "target");
    mkdirSync(target);
    writeFileSync(join(target, "keep.txt"), "precious");
    assert.throws(() => writeFileAtomic(target, "new content"), (e: unknown) => ["EISDIR", "ENOTEMPTY", "EEXIST"].includes((e as NodeJS.ErrnoException).code ?? ""));
    assert.ok(statSync(target).isDirectory());
    assert.equal(readFileSync(join(target, "keep.txt"), "utf8"), "precious");
    assert.deepEqual(readdirSync(dir), ["target"]);

    // The write itself fails (invalid data): the old file keeps its old content.
    const file = join(dir, "model.json");
    writeFileAtomic(file, "old content");
    assert.throws(() => writeFileAtomic(file, { not: "bytes" } as unknown as Uint8Array), (e: unknown) => (e as NodeJS.ErrnoException).code === "ERR_INVALID_ARG_TYPE");
    assert.equal(readFileSync(file, "utf8"), "old content");
    assert.deepEqual(readdirSync(dir).sort(), ["model.json", "target"]);
    assert.ok(readdirSync(dir).every((name) => !name.includes(".tmp-")));
  });
});
