import { test } from "node:test";
import assert from "node:assert/strict";
import { WasmBackend } from "../../src/backend/wasm/index.js";
import { cpuBackend } from "../../src/backend/cpu/index.js";
import type { MatmulSpec } from "../../src/backend/types.js";
import { Generator } from "../../src/random.js";

const gen = new Generator(7);
const randomArray = (n: number) => Float32Array.from({ length: n }, () => gen.normal());

function spec(m: number, n: number, k: number, transA: boolean, transB: boolean): MatmulSpec {
  return { batch: 1, m, n, k, aBatchStride: 0, bBatchStride: 0, transA, transB, sumBatch: false };
}

test("a gemm split over 2 threads equals the 1-thread result bit for bit, and the cpu result closely", () => {
  const wasm = new WasmBackend();
  wasm.setNumThreads(2);
  assert.equal(wasm.waitForThreads(), 1, "the worker became ready");
  const single = new WasmBackend();
  // Shapes large enough to be split (m*n*k >= 2^19), with ragged panel edges; the last one has
  // A packed once for all threads in several row and depth blocks (ragged at both ends).
  for (const [m, n, k] of [[64, 300, 400], [6, 50176 / 8, 25], [130, 517, 97], [5, 1001, 211], [139, 70, 301]] as const) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = randomArray(m * k), b = randomArray(k * n);
        const s = spec(m, n, k, transA, transB);
        const two = wasm.read(wasm.matmul(wasm.fromArray(a, "float32"), wasm.fromArray(b, "float32"), s));
        const one = single.read(single.matmul(single.fromArray(a, "float32"), single.fromArray(b, "float32"), s));
        const ref = cpuBackend.read(cpuBackend.matmul(cpuBackend.fromArray(a, "float32"), cpuBackend.fromArray(b, "float32"), s));
        const label = `${m}x${n}x${k} transA=${transA} transB=${transB}`;
        assert.deepEqual(two, one, label);
        for (let i = 0; i < ref.length; i++) {
          assert.ok(Math.abs(two[i] - ref[i]) <= 1e-4 * (1 + Math.abs(ref[i])) * Math.sqrt(k), `${label} at ${i}: ${two[i]} vs ${ref[i]}`);
        }
      }
    }
  }
  wasm.setNumThreads(1);
  assert.equal(wasm.numThreads, 1);
});

test("setNumThreads rejects a count outside 1..64", () => {
  const wasm = new WasmBackend();
  assert.throws(() => wasm.setNumThreads(0), /integer from 1 to 64, got 0/);
  assert.throws(() => wasm.setNumThreads(1.5), /got 1.5/);
});

test("large unary, binary and max-pooling kernels shared over 2 threads equal the 1-thread results bit for bit", () => {
  const two = new WasmBackend();
  two.setNumThreads(2);
  assert.equal(two.waitForThreads(), 1, "the worker became ready");
  const one = new WasmBackend();
  // Over PARALLEL_ELEMENTS floats, with a ragged last part and planes that do not split evenly.
  const n = 3 * 7 * 97 * 101;
  const data = Float32Array.from(randomArray(n));
  for (const op of ["relu", "exp", "tanh", "sigmoid"] as const) {
    const a = two.read(two.unary(op, two.fromArray(data, "float32")));
    const b = one.read(one.unary(op, one.fromArray(data, "float32")));
    assert.deepEqual(a, b, op);
  }
  // Same-shape binary ops (a ReLU gradient, gradient sums): shared by ranges, equal to the cpu reference.
  const other = Float32Array.from(randomArray(n));
  const view = { shape: [n], offset: 0, strides: [1] };
  for (const op of ["add", "mul", "div", "maximum", "reluGrad"] as const) {
    const a = two.read(two.binary(op, two.fromArray(data, "float32"), view, two.fromArray(other, "float32"), view, [n], "float32"));
    const b = one.read(one.binary(op, one.fromArray(data, "float32"), view, one.fromArray(other, "float32"), view, [n], "float32"));
    const ref = cpuBackend.read(cpuBackend.binary(op, cpuBackend.fromArray(data, "float32"), view, cpuBackend.fromArray(other, "float32"), view, [n], "float32"));
    assert.deepEqual(a, b, op);
    assert.deepEqual(a, ref, `${op} against the cpu reference`);
  }
  // Reductions by rows (a convolution's bias gradient), and max pooling's gradient by planes.
  for (const [outer, size, inner] of [[21, 9797, 1], [7, 97, 303], [3 * 7 * 97, 101, 1]]) {
    for (const op of ["sum", "max", "argmax"] as const) {
      const a = two.read(two.reduce(op, two.fromArray(data, "float32"), outer, size, inner));
      const b = one.read(one.reduce(op, one.fromArray(data, "float32"), outer, size, inner));
      assert.deepEqual(a, b, `${op} over [${outer}, ${size}, ${inner}]`);
    }
  }
  for (const [k, s] of [[2, 2], [3, 1], [3, 2]]) {
    const w = { batch: 3, channels: 7, inH: 97, inW: 101, kernelH: k, kernelW: k, strideH: s, strideW: s, padTop: 0, padLeft: 0, dilationH: 1, dilationW: 1, outH: Math.floor((97 - k) / s) + 1, outW: Math.floor((101 - k) / s) + 1 };
    const a = two.maxPool2d(two.fromArray(data, "float32"), w);
    const b = one.maxPool2d(one.fromArray(data, "float32"), w);
    assert.deepEqual(two.read(a.out), one.read(b.out), `max pool ${k}x${k} stride ${s}`);
    assert.deepEqual(two.read(a.indices), one.read(b.indices), `max pool ${k}x${k} stride ${s} indices`);
    const g = randomArray(w.batch * w.channels * w.outH * w.outW);
    const gradTwo = two.read(two.maxPool2dBackward(two.fromArray(g, "float32"), a.indices, w));
    const gradOne = one.read(one.maxPool2dBackward(one.fromArray(g, "float32"), b.indices, w));
    assert.deepEqual(gradTwo, gradOne, `max pool ${k}x${k} stride ${s} gradient`);
  }
  // A bad index in any plane is reported at its first position, as on one thread.
  const w = { batch: 3, channels: 7, inH: 97, inW: 101, kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, padTop: 0, padLeft: 0, dilationH: 1, dilationW: 1, outH: 48, outW: 50 };
  const outSize = w.batch * w.channels * w.outH * w.outW;
  const indices = new Int32Array(outSize).fill(0);
  indices[outSize - 5] = 97 * 101;
  indices[outSize - 3] = -1 + 97 * 101 + 7;
  const g = randomArray(outSize);
  for (const backend of [two, one]) {
    assert.throws(() => backend.maxPool2dBackward(backend.fromArray(g, "float32"), backend.fromArray(indices, "int32"), w), /index 9797 at position 50395 is out of range/);
  }
  two.setNumThreads(1);
});
