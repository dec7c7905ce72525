/**
 * Elementwise kernels. Each op has its own tight loop (a switch outside the loop, never a
 * closure per element), which is what lets V8 compile them to straight-line machine code.
 */
import type { BinaryOp, StridedView, TypedArray, UnaryOp } from "../types.js";
import { collapse, contiguousStrides, forEachRow } from "./strided.js";

export function unaryInto(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  const n = x.length;
  switch (op) {
    case "neg":
      for (let i = 0; i < n; i++) out[i] = -x[i];
      return;
    case "exp":
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      return;
    case "log":
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      return;
    case "sqrt":
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      return;
    case "abs":
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
      return;
    case "sign":
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0;
      return;
    case "sigmoid":
      // Two branches keep exp() from overflowing for large |x|.
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          out[i] = e / (1 + e);
        }
      }
      return;
    case "tanh":
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      return;
    case "relu":
      for (let i = 0; i < n; i++) out[i] = x[i] < 0 ? 0 : x[i]; // NaN passes through, as in PyTorch
      return;
    case "square":
      for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
      return;
    case "reciprocal":
      for (let i = 0; i < n; i++) out[i] = 1 / x[i];
      return;
  }
}

/**
 * One row of a binary op: n elements, each operand read with its own stride (0 = broadcast).
 * Comparison results are written as 1 / 0.
 */
function binaryRow(
  op: BinaryOp,
  a: TypedArray,
  ai: number,
  sa: number,
  b: TypedArray,
  bi: number,
  sb: number,
  out: TypedArray,
  oi: number,
  n: number,
): void {
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai] + b[bi];
      return;
    case "sub":
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai] - b[bi];
      return;
    case "mul":
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai] * b[bi];
      return;
    case "div":
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai] / b[bi];
      return;
    case "pow":
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = Math.pow(a[ai], b[bi]);
      return;
    case "maximum":
      // NaN propagates, as in PyTorch.
      for (let i = 0; i < n; i++, ai += sa, bi += sb) {
        const x = a[ai], y = b[bi];
        out[oi + i] = x > y || x !== x ? x : y;
      }
      return;
    case "minimum":
      for (let i = 0; i < n; i++, ai += sa, bi += sb) {
        const x = a[ai], y = b[bi];
        out[oi + i] = x < y || x !== x ? x : y;
      }
      return;
    case "eq":
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai] === b[bi] ? 1 : 0;
      return;
    case "ne":
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai] !== b[bi] ? 1 : 0;
      return;
    case "lt":
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai] < b[bi] ? 1 : 0;
      return;
    case "le":
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai] <= b[bi] ? 1 : 0;
      return;
    case "gt":
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai] > b[bi] ? 1 : 0;
      return;
    case "ge":
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = a[ai] >= b[bi] ? 1 : 0;
      return;
    case "reluGrad":
      for (let i = 0; i < n; i++, ai += sa, bi += sb) out[oi + i] = b[bi] > 0 ? a[ai] : 0;
      return;
  }
}

export function binaryInto(
  op: BinaryOp,
  a: TypedArray,
  aView: StridedView,
  b: TypedArray,
  bView: StridedView,
  outShape: readonly number[],
  out: TypedArray,
): void {
  const outStrides = contiguousStrides(outShape);
  const c = collapse(outShape, [aView.strides, bView.strides, outStrides]);
  const last = c.shape.length - 1;
  const n = c.shape[last];
  const sa = c.strides[0][last];
  const sb = c.strides[1][last];
  forEachRow(
    c.shape,
    [
      { strides: c.strides[0], offset: aView.offset },
      { strides: c.strides[1], offset: bView.offset },
      { strides: c.strides[2], offset: 0 },
    ],
    (o) => binaryRow(op, a, o[0], sa, b, o[1], sb, out, o[2], n),
  );
}

export function whereInto(
  cond: TypedArray,
  cView: StridedView,
  a: TypedArray,
  aView: StridedView,
  b: TypedArray,
  bView: StridedView,
  outShape: readonly number[],
  out: TypedArray,
): void {
  const c = collapse(outShape, [cView.strides, aView.strides, bView.strides, contiguousStrides(outShape)]);
  const last = c.shape.length - 1;
  const n = c.shape[last];
  const [sc, sa, sb] = [c.strides[0][last], c.strides[1][last], c.strides[2][last]];
  forEachRow(
    c.shape,
    c.strides.map((strides, v) => ({ strides, offset: [cView.offset, aView.offset, bView.offset, 0][v] })),
    (o) => {
      let ci = o[0], ai = o[1], bi = o[2];
      const oi = o[3];
      for (let i = 0; i < n; i++, ci += sc, ai += sa, bi += sb) out[oi + i] = cond[ci] !== 0 ? a[ai] : b[bi];
    },
  );
}

export function powScalarInto(x: TypedArray, exponent: number, out: TypedArray): void {
  if (exponent === 2) for (let i = 0; i < x.length; i++) out[i] = x[i] * x[i];
  else for (let i = 0; i < x.length; i++) out[i] = Math.pow(x[i], exponent);
}

export function leakyReluInto(x: TypedArray, slope: number, out: TypedArray): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : slope * x[i];
}

/** min(max(v, min), max) as PyTorch: when min > max every value becomes max. NaN stays NaN. */
export function clampInto(x: TypedArray, min: number, max: number, out: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i] < min ? min : x[i];
    out[i] = v > max ? max : v;
  }
}

/** Converts between dtypes; to int32 truncates toward zero. */
export function castInto(x: TypedArray, out: TypedArray): void {
  if (out instanceof Int32Array) for (let i = 0; i < x.length; i++) out[i] = Math.trunc(x[i]);
  else out.set(x);
}
