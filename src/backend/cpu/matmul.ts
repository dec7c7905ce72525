/**
 * Matrix products in plain TypeScript, GotoBLAS-style: operands are packed into small panels
 * (which also absorbs every transpose combination: packing reads A or Aᵀ the same way), and a
 * 4×4 register tile of C is computed from a 4-row panel of A and a 4-column panel of B with
 * sixteen local accumulators, so the inner loop does 8 loads per 16 multiply-adds and never
 * touches C. Panels are packed as float64 once, so the hot loop does no float32 conversions.
 * Blocking over n (NC) and k (KC) bounds the packed B block, and a 4-column B panel stays in L1
 * while every A panel streams past it.
 */
import type { MatmulSpec, TypedArray } from "../types.js";

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 1024;

// Scratch panels, reused across calls (the kernels are synchronous, so one set suffices).
const packA = new Float64Array(MC * KC);
const packB = new Float64Array(KC * NC);

export function matmulInto(a: TypedArray, b: TypedArray, spec: MatmulSpec, out: TypedArray): void {
  const { batch, m, n, k, aBatchStride, bBatchStride, transA, transB, sumBatch } = spec;
  for (let p = 0; p < batch; p++) {
    gemm(a, p * aBatchStride, transA, b, p * bBatchStride, transB, out, sumBatch ? 0 : p * m * n, m, n, k);
  }
}

/** C[m,n] += op(A)[m,k] · op(B)[k,n], C contiguous with row stride n. */
function gemm(a: TypedArray, ao: number, transA: boolean, b: TypedArray, bo: number, transB: boolean, c: TypedArray, co: number, m: number, n: number, k: number): void {
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = Math.min(KC, k - k0);
      packPanels(b, bo, !transB, nc, k0, kc, n, k, packB, NR, j0);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        packPanels(a, ao, transA, mc, k0, kc, m, k, packA, MR, i0);
        macroKernel(packA, packB, c, co + i0 * n + j0, mc, nc, n, kc);
      }
    }
  }
}

/**
 * Packs `count` rows (or columns) of a matrix, from `first`, over k0..k0+kc, into panels of
 * `width`: panel q holds, for each p, the `width` values of rows q*width.. at depth p. Missing
 * rows past the edge are zero. `byColumn` says the rows to pack are the matrix's columns, i.e.
 * element (r, p) lives at p*rows + r (A transposed, or B not transposed); otherwise at r*k + p.
 */
function packPanels(src: TypedArray, off: number, byColumn: boolean, count: number, k0: number, kc: number, rows: number, k: number, dst: Float64Array, width: number, first = 0): void {
  const panels = Math.ceil(count / width);
  for (let q = 0; q < panels; q++) {
    const base = q * kc * width;
    const r0 = first + q * width;
    const valid = Math.min(width, first + count - r0);
    for (let w = 0; w < width; w++) {
      if (w >= valid) {
        for (let p = 0; p < kc; p++) dst[base + p * width + w] = 0;
        continue;
      }
      const r = r0 + w;
      if (byColumn) {
        let s = off + k0 * rows + r;
        for (let p = 0; p < kc; p++, s += rows) dst[base + p * width + w] = src[s];
      } else {
        const s = off + r * k + k0;
        for (let p = 0; p < kc; p++) dst[base + p * width + w] = src[s + p];
      }
    }
  }
}

/** The mc×nc block of C starting at `co` (row stride ldc) += packed A block · packed B block. */
function macroKernel(pa: Float64Array, pb: Float64Array, c: TypedArray, co: number, mc: number, nc: number, ldc: number, kc: number): void {
  const aPanels = Math.ceil(mc / MR);
  const bPanels = Math.ceil(nc / NR);
  for (let q = 0; q < aPanels; q++) {
    const aBase = q * kc * MR;
    const rows = Math.min(MR, mc - q * MR);
    const cRow = co + q * MR * ldc;
    for (let r = 0; r < bPanels; r++) {
      const bBase = r * kc * NR;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, ai = aBase, bi = bBase; p < kc; p++, ai += MR, bi += NR) {
        const b0 = pb[bi], b1 = pb[bi + 1], b2 = pb[bi + 2], b3 = pb[bi + 3];
        let x = pa[ai];
        c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
        x = pa[ai + 1];
        c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
        x = pa[ai + 2];
        c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
        x = pa[ai + 3];
        c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
      }
      const j = r * NR;
      const cols = Math.min(NR, nc - j);
      if (rows === MR && cols === NR) {
        let o = cRow + j;
        c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03;
        o += ldc;
        c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13;
        o += ldc;
        c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23;
        o += ldc;
        c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
      } else {
        const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) c[cRow + y * ldc + j + x] += tile[y * 4 + x];
      }
    }
  }
}
