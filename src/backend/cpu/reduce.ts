import type { ReduceOp, TypedArray } from "../types.js";

/**
 * Reduces x seen as [outer, size, inner] over the middle axis into out [outer, inner].
 * The loops run over `inner` innermost so memory is read in order whatever axis is reduced.
 */
export function reduceInto(op: ReduceOp, x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void {
  if (op === "argmax" || op === "argmin") {
    argReduce(op === "argmax", x, outer, size, inner, out);
    return;
  }
  const acc = new Float64Array(inner); // sum in double even for float32 tensors: long sums stay exact
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    if (op === "sum") {
      acc.fill(0);
      for (let s = 0; s < size; s++) {
        const row = base + s * inner;
        for (let i = 0; i < inner; i++) acc[i] += x[row + i];
      }
    } else {
      const isMax = op === "max";
      for (let i = 0; i < inner; i++) acc[i] = x[base + i];
      for (let s = 1; s < size; s++) {
        const row = base + s * inner;
        if (isMax) {
          for (let i = 0; i < inner; i++) {
            const v = x[row + i];
            if (v > acc[i] || v !== v) acc[i] = v;
          }
        } else {
          for (let i = 0; i < inner; i++) {
            const v = x[row + i];
            if (v < acc[i] || v !== v) acc[i] = v;
          }
        }
      }
    }
    out.set(acc, o * inner);
  }
}

function argReduce(isMax: boolean, x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void {
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let i = 0; i < inner; i++) {
      let best = x[base + i];
      let bestIdx = 0;
      for (let s = 1; s < size; s++) {
        const v = x[base + s * inner + i];
        if (best !== best) break; // a NaN wins and stays, as in PyTorch
        if (isMax ? v > best || v !== v : v < best || v !== v) {
          best = v;
          bestIdx = s;
        }
      }
      out[o * inner + i] = bestIdx;
    }
  }
}
