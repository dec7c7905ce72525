/**
 * The matmul kernel and the differentiable `gemm` / `matmul` / `linear` ops against a naive
 * triple loop: every transpose combination, sizes that are not multiples of any tile or block
 * size, batches with shared (stride 0) operands, sumBatch, float32 and float64.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import type { DType, MatmulSpec } from "../../src/backend/types.js";
import { getBackend } from "../../src/backend/registry.js";
import { tensor } from "../../src/tensor/create.js";
import { gemm, linear, matmul } from "../../src/ops/matmul.js";
import { gradcheck } from "../../src/autograd/gradcheck.js";
import { Generator, manualSeed } from "../../src/random.js";
import { assertClose } from "../helpers/fixtures.js";
import { rand64 } from "../helpers/tensors.js";

function randomArray(n: number, g: Generator): Float64Array {
  // Multiples of 1/64 in [-4, 4): float32 products and short sums are exact, so float32 and
  // float64 results can be checked tightly.
  return Float64Array.from({ length: n }, () => Math.floor(g.uniform() * 512 - 256) / 64);
}

/** C = sum over batches (or per batch) of op(A)·op(B), the slow obvious way. */
function reference(a: Float64Array, b: Float64Array, spec: MatmulSpec): Float64Array {
  const { batch, m, n, k, aBatchStride, bBatchStride, transA, transB, sumBatch } = spec;
  const out = new Float64Array((sumBatch ? 1 : batch) * m * n);
  for (let p = 0; p < batch; p++) {
    const ao = p * aBatchStride;
    const bo = p * bBatchStride;
    const co = sumBatch ? 0 : p * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) {
          const av = transA ? a[ao + q * m + i] : a[ao + i * k + q];
          const bv = transB ? b[bo + j * k + q] : b[bo + q * n + j];
          s += av * bv;
        }
        out[co + i * n + j] += s;
      }
    }
  }
  return out;
}

function runKernel(spec: MatmulSpec, dtype: DType, seed: number): void {
  const g = new Generator(seed);
  const aBatches = spec.aBatchStride === 0 ? 1 : spec.batch;
  const bBatches = spec.bBatchStride === 0 ? 1 : spec.batch;
  const a = randomArray(aBatches * spec.m * spec.k, g);
  const b = randomArray(bBatches * spec.k * spec.n, g);
  const backend = getBackend();
  const out = backend.read(backend.matmul(backend.fromArray(a, dtype), backend.fromArray(b, dtype), spec));
  const expected = reference(a, b, spec);
  assert.equal(out.length, expected.length, "output size");
  const label = `${dtype} ${JSON.stringify(spec)}`;
  // Float32 accumulation over k terms of exactly representable products; allow its rounding.
  const tol = dtype === "float64" ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-4 * Math.sqrt(spec.k) };
  assertClose(out, { shape: [expected.length], data: expected }, tol, label);
}

describe("matmul kernel against a naive reference", () => {
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [1, 5, 3],
    [3, 1, 2],
    [2, 3, 1],
    [4, 4, 4],
    [5, 7, 3],
    [7, 9, 13],
    [17, 3, 33],
    [33, 65, 9],
    [130, 6, 20], // m crosses a 128-row block
    [9, 70, 5],
    [6, 5, 300], // k crosses a 256-deep block
    [131, 67, 259],
  ];
  let seed = 1;
  for (const [m, n, k] of sizes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const s = seed++;
        test(`m=${m} n=${n} k=${k} transA=${transA} transB=${transB}`, () => {
          for (const dtype of ["float64", "float32"] as const) {
            runKernel({ batch: 1, m, n, k, aBatchStride: m * k, bBatchStride: k * n, transA, transB, sumBatch: false }, dtype, s);
          }
        });
      }
    }
  }

  const batched: [string, (m: number, n: number, k: number) => Partial<MatmulSpec>][] = [
    ["both batched", (m, n, k) => ({ aBatchStride: m * k, bBatchStride: k * n })],
    ["A shared across the batch", (_m, n, k) => ({ aBatchStride: 0, bBatchStride: k * n })],
    ["B shared across the batch", (m, _n, k) => ({ aBatchStride: m * k, bBatchStride: 0 })],
    ["sumBatch", (m, n, k) => ({ aBatchStride: m * k, bBatchStride: k * n, sumBatch: true })],
    ["sumBatch with A shared", (_m, n, k) => ({ aBatchStride: 0, bBatchStride: k * n, sumBatch: true })],
  ];
  for (const [label, strides] of batched) {
    for (const [m, n, k] of [[3, 5, 7], [6, 9, 4], [1, 1, 3]] as [number, number, number][]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const s = seed++;
          test(`batch 3, ${label}, m=${m} n=${n} k=${k} transA=${transA} transB=${transB}`, () => {
            runKernel({ batch: 3, m, n, k, transA, transB, sumBatch: false, ...strides(m, n, k) } as MatmulSpec, "float64", s);
          });
        }
      }
    }
  }

  test("k = 0 gives zeros", () => {
    const backend = getBackend();
    const out = backend.read(
      backend.matmul(backend.alloc("float64", 0), backend.alloc("float64", 0), {
        batch: 1, m: 2, n: 3, k: 0, aBatchStride: 0, bBatchStride: 0, transA: false, transB: false, sumBatch: false,
      }),
    );
    assert.deepEqual(Array.from(out), [0, 0, 0, 0, 0, 0]);
  });

  test("large float32 values keep float32 precision, not worse", () => {
    const backend = getBackend();
    const a = Float64Array.from({ length: 64 }, (_, i) => 1 + i / 1024);
    const b = Float64Array.from({ length: 64 }, (_, i) => 1 - i / 2048);
    const spec: MatmulSpec = { batch: 1, m: 1, n: 1, k: 64, aBatchStride: 64, bBatchStride: 64, transA: false, transB: false, sumBatch: false };
    const out = backend.read(backend.matmul(backend.fromArray(a, "float32"), backend.fromArray(b, "float32"), spec));
    const exact = reference(a, b, spec)[0];
    assert.ok(Math.abs(out[0] - exact) <= 1e-5 * exact, `${out[0]} vs ${exact}`);
  });
});

describe("gemm / matmul / linear ops", () => {
  test("gemm with every transpose combination matches matmul of explicit transposes", () => {
    manualSeed(3);
    const a = rand64([3, 4], { requiresGrad: false });
    const b = rand64([4, 5], { requiresGrad: false });
    const expected = matmul(a, b);
    const exp = { shape: expected.shape, data: expected.data() };
    const tol = { rtol: 1e-12, atol: 1e-12 };
    assertClose(gemm(a, b), exp, tol, "NN");
    assertClose(gemm(a.T, b, true), exp, tol, "TN");
    assertClose(gemm(a, b.T, false, true), exp, tol, "NT");
    assertClose(gemm(a.T, b.T, true, true), exp, tol, "TT");
  });

  const gemmCases: [string, number[], number[], boolean, boolean][] = [
    ["NN 2-D", [3, 4], [4, 2], false, false],
    ["TN 2-D", [4, 3], [4, 2], true, false],
    ["NT 2-D", [3, 4], [2, 4], false, true],
    ["TT 2-D", [4, 3], [2, 4], true, true],
    ["NN batched", [2, 3, 4], [2, 4, 2], false, false],
    ["TT batched", [2, 4, 3], [2, 2, 4], true, true],
    ["TN shared A", [4, 3], [2, 4, 2], true, false],
    ["NT shared B", [2, 3, 4], [2, 4], false, true],
    ["TT shared B", [2, 4, 3], [2, 4], true, true],
    ["TT shared A", [4, 3], [2, 2, 4], true, true],
  ];
  for (const [label, sa, sb, ta, tb] of gemmCases) {
    test(`gradcheck gemm ${label}`, () => {
      manualSeed(sa.length * 100 + sb.length * 10 + (ta ? 2 : 0) + (tb ? 1 : 0));
      assert.equal(gradcheck((a, b) => gemm(a, b, ta, tb), [rand64(sa), rand64(sb)]), true);
    });
  }

  test("matmul of [2,1,3,4] and [3,4,2] equals per-pair products", () => {
    manualSeed(11);
    const a = rand64([2, 1, 3, 4], { requiresGrad: false });
    const b = rand64([3, 4, 2], { requiresGrad: false });
    const out = matmul(a, b);
    assert.deepEqual(out.shape, [2, 3, 3, 2]);
    const ad = a.data();
    const bd = b.data();
    const expected: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        for (let r = 0; r < 3; r++)
          for (let c = 0; c < 2; c++) {
            let s = 0;
            for (let q = 0; q < 4; q++) s += ad[i * 12 + r * 4 + q] * bd[j * 8 + q * 2 + c];
            expected.push(s);
          }
    assertClose(out, { shape: [2, 3, 3, 2], data: expected }, { rtol: 1e-12, atol: 1e-12 }, "broadcast matmul");
  });

  test("linear equals x·Wᵀ + b", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" });
    const w = tensor([[1, 0, -1], [2, 1, 0]], { dtype: "float64" });
    const b = tensor([0.5, -1], { dtype: "float64" });
    assertClose(linear(x, w, b), { shape: [2, 2], data: [-1.5, 3, -1.5, 12] }, { rtol: 0, atol: 0 }, "linear");
    assertClose(linear(x, w), { shape: [2, 2], data: [-2, 4, -2, 13] }, { rtol: 0, atol: 0 }, "linear without bias");
  });

  test("a large float32 matmul (crossing every block size) matches float64 closely", () => {
    manualSeed(12);
    const a = rand64([140, 270], { requiresGrad: false });
    const b = rand64([270, 70], { requiresGrad: false });
    const ref = matmul(a, b);
    const f32 = matmul(a.float(), b.float());
    assert.equal(f32.dtype, "float32");
    assertClose(f32, { shape: ref.shape, data: ref.data() }, { rtol: 1e-4, atol: 1e-4 }, "float32 vs float64");
  });
});
