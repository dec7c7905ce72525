import type { StridedView, TypedArray } from "../types.js";
import { collapse, contiguousStrides, forEachRow } from "./strided.js";

/** out (contiguous, view.shape) = the strided view of x. */
export function copyStridedInto(x: TypedArray, view: StridedView, out: TypedArray): void {
  const c = collapse(view.shape, [view.strides, contiguousStrides(view.shape)]);
  const last = c.shape.length - 1;
  const n = c.shape[last];
  const s = c.strides[0][last];
  forEachRow(c.shape, [{ strides: c.strides[0], offset: view.offset }, { strides: c.strides[1], offset: 0 }], (o) => {
    const xi = o[0], oi = o[1];
    if (s === 1) out.set(x.subarray(xi, xi + n), oi);
    else for (let i = 0; i < n; i++) out[oi + i] = x[xi + i * s];
  });
}

/** The strided region `view` of dst = contiguous src. */
export function writeStridedInto(dst: TypedArray, view: StridedView, src: TypedArray): void {
  const c = collapse(view.shape, [view.strides, contiguousStrides(view.shape)]);
  const last = c.shape.length - 1;
  const n = c.shape[last];
  const s = c.strides[0][last];
  forEachRow(c.shape, [{ strides: c.strides[0], offset: view.offset }, { strides: c.strides[1], offset: 0 }], (o) => {
    const di = o[0], si = o[1];
    if (s === 1) dst.set(src.subarray(si, si + n), di);
    else for (let i = 0; i < n; i++) dst[di + i * s] = src[si + i];
  });
}

export function indexSelectInto(x: TypedArray, outer: number, size: number, inner: number, index: TypedArray, out: TypedArray): void {
  const m = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * size + index[j]) * inner;
      out.set(x.subarray(src, src + inner), (o * m + j) * inner);
    }
  }
}

export function indexAddInto(src: TypedArray, outer: number, size: number, inner: number, index: TypedArray, out: TypedArray): void {
  const m = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const d = (o * size + index[j]) * inner;
      const s = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[d + i] += src[s + i];
    }
  }
}

export function gatherInto(x: TypedArray, outer: number, size: number, inner: number, index: TypedArray, idxSize: number, out: TypedArray): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idxSize; j++) {
      const r = (o * idxSize + j) * inner;
      for (let i = 0; i < inner; i++) out[r + i] = x[(o * size + index[r + i]) * inner + i];
    }
  }
}

export function scatterAddInto(src: TypedArray, outer: number, size: number, inner: number, index: TypedArray, idxSize: number, out: TypedArray): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idxSize; j++) {
      const r = (o * idxSize + j) * inner;
      for (let i = 0; i < inner; i++) out[(o * size + index[r + i]) * inner + i] += src[r + i];
    }
  }
}
