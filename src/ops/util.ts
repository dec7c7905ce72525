/** Small helpers every op family shares: operand conversion, dims, broadcasting. */
import type { Backend, DType, StridedView } from "../backend/types.js";
import { contiguousStrides } from "../backend/layout.js";
import { promoteTypes } from "../backend/dtype.js";
import { ShapeError, ValueError } from "../errors.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";

/** Turns a JavaScript number into a 0-d tensor that fits next to `like` (PyTorch's scalar rule: a number never widens a float tensor). */
export function asTensor(x: TensorLike, like: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  const dtype: DType = like.dtype === "int32" && !Number.isInteger(x) ? "float32" : like.dtype;
  return new Tensor(like.storage.backend.full(dtype, 1, x), []);
}

/** Casts both operands to their promoted dtype (no-op when they agree). */
export function promote(a: Tensor, b: Tensor): [Tensor, Tensor] {
  if (a.dtype === b.dtype) return [a, b];
  const d = promoteTypes(a.dtype, b.dtype);
  return [a.dtype === d ? a : a.to(d), b.dtype === d ? b : b.to(d)];
}

export function backendOf(t: Tensor): Backend {
  return t.storage.backend;
}

/** Resolves a possibly negative dim against a rank, naming the op when it is out of range. */
export function normalizeDim(dim: number, rank: number, op: string): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(dim) || dim < -r || dim >= r) {
    throw new ValueError(`${op}: dim ${dim} is out of range for a tensor of rank ${rank} (expected ${-r}..${r - 1})`);
  }
  return dim < 0 ? dim + r : dim;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy/PyTorch broadcasting: align on the right; each pair of sizes must match or contain a 1. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new ShapeError(`${op}: shapes [${a}] and [${b}] cannot be broadcast (size ${x} vs ${y} at dim ${i - n})`);
    }
    out[i] = x === 1 ? y : x;
  }
  return out;
}

/** A view that reads a contiguous tensor of `shape` as if it were broadcast to `outShape`. */
export function broadcastView(shape: readonly number[], outShape: readonly number[]): StridedView {
  const own = contiguousStrides(shape);
  const lead = outShape.length - shape.length;
  const strides = outShape.map((d, i) => (i < lead || shape[i - lead] === 1 ? 0 : own[i - lead]));
  return { shape: outShape, strides, offset: 0 };
}

/** Views x as [outer, size, inner] around `dim` (how reductions and indexing kernels see it). */
export function splitAt(shape: readonly number[], dim: number): { outer: number; size: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  return { outer, size: shape[dim] ?? 1, inner };
}

export function requireFloat(t: Tensor, op: string): void {
  if (t.dtype === "int32") throw new ValueError(`${op}: needs a float tensor, got int32 (shape [${t.shape}]); convert with .float()`);
}
