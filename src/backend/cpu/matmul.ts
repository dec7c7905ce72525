/**
 * Matrix products in plain TypeScript. The loop orders keep the innermost loop walking memory
 * contiguously for every transpose combination, and the common case (neither transposed) is
 * blocked so a panel of B stays in cache while four rows of C are updated from it at once.
 */
import type { MatmulSpec, TypedArray } from "../types.js";

const K_BLOCK = 128;
const N_BLOCK = 512;

export function matmulInto(a: TypedArray, b: TypedArray, spec: MatmulSpec, out: TypedArray): void {
  const { batch, m, n, k, aBatchStride, bBatchStride, transA, transB, sumBatch } = spec;
  const mn = m * n;
  // With sumBatch every batch entry accumulates into the one output; otherwise each gets its own.
  for (let p = 0; p < batch; p++) {
    const ao = p * aBatchStride;
    const bo = p * bBatchStride;
    const co = sumBatch ? 0 : p * mn;
    if (!transA && !transB) gemmNN(a, ao, b, bo, out, co, m, n, k);
    else if (!transA && transB) gemmNT(a, ao, b, bo, out, co, m, n, k);
    else if (transA && !transB) gemmTN(a, ao, b, bo, out, co, m, n, k);
    else gemmTT(a, ao, b, bo, out, co, m, n, k);
  }
}

/** C[m,n] += A[m,k] · B[k,n]. */
function gemmNN(a: TypedArray, ao: number, b: TypedArray, bo: number, c: TypedArray, co: number, m: number, n: number, k: number): void {
  for (let k0 = 0; k0 < k; k0 += K_BLOCK) {
    const k1 = Math.min(k0 + K_BLOCK, k);
    for (let j0 = 0; j0 < n; j0 += N_BLOCK) {
      const j1 = Math.min(j0 + N_BLOCK, n);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const c0 = co + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
        const a0 = ao + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        for (let p = k0; p < k1; p++) {
          const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
          const br = bo + p * n;
          for (let j = j0; j < j1; j++) {
            const y = b[br + j];
            c[c0 + j] += x0 * y;
            c[c1 + j] += x1 * y;
            c[c2 + j] += x2 * y;
            c[c3 + j] += x3 * y;
          }
        }
      }
      for (; i < m; i++) {
        const cr = co + i * n;
        const ar = ao + i * k;
        for (let p = k0; p < k1; p++) {
          const x = a[ar + p];
          if (x === 0) continue;
          const br = bo + p * n;
          for (let j = j0; j < j1; j++) c[cr + j] += x * b[br + j];
        }
      }
    }
  }
}

/** C[m,n] += A[m,k] · B[n,k]ᵀ: each output is a dot product of two contiguous rows. */
function gemmNT(a: TypedArray, ao: number, b: TypedArray, bo: number, c: TypedArray, co: number, m: number, n: number, k: number): void {
  for (let i = 0; i < m; i++) {
    const ar = ao + i * k;
    const cr = co + i * n;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const b0 = bo + j * k, b1 = b0 + k;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < k; p++) {
        const x = a[ar + p];
        s0 += x * b[b0 + p];
        s1 += x * b[b1 + p];
      }
      c[cr + j] += s0;
      c[cr + j + 1] += s1;
    }
    for (; j < n; j++) {
      const br = bo + j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ar + p] * b[br + p];
      c[cr + j] += s;
    }
  }
}

/** C[m,n] += A[k,m]ᵀ · B[k,n]: walk k outermost so both A and B rows are read in order. */
function gemmTN(a: TypedArray, ao: number, b: TypedArray, bo: number, c: TypedArray, co: number, m: number, n: number, k: number): void {
  for (let p = 0; p < k; p++) {
    const ar = ao + p * m;
    const br = bo + p * n;
    for (let i = 0; i < m; i++) {
      const x = a[ar + i];
      if (x === 0) continue;
      const cr = co + i * n;
      for (let j = 0; j < n; j++) c[cr + j] += x * b[br + j];
    }
  }
}

/** C[m,n] += A[k,m]ᵀ · B[n,k]ᵀ: rare; transpose A into a scratch copy and reuse NT. */
function gemmTT(a: TypedArray, ao: number, b: TypedArray, bo: number, c: TypedArray, co: number, m: number, n: number, k: number): void {
  const at = new Float64Array(m * k);
  for (let p = 0; p < k; p++) for (let i = 0; i < m; i++) at[i * k + p] = a[ao + p * m + i];
  gemmNT(at as unknown as TypedArray, 0, b, bo, c, co, m, n, k);
}
