/** Reductions over dims (sum, mean, max, min, argmax, argmin, logsumexp) and `sumToShape`. */
import type { ReduceOp } from "../backend/types.js";
import { fromOp, constant } from "../autograd/record.js";
import type { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../autograd/engine.js";
import { where } from "./binary.js";
import { backendOf, normalizeDim, sameShape, splitAt } from "./util.js";

type Dims = number | number[] | null | undefined;

/** The dims to reduce, normalised, unique, sorted; undefined/null means all of them. */
function resolveDims(x: Tensor, dims: Dims, op: string): number[] {
  if (dims === null || dims === undefined) return x.shape.map((_, i) => i);
  const list = (Array.isArray(dims) ? dims : [dims]).map((d) => normalizeDim(d, x.ndim, op));
  return [...new Set(list)].sort((a, b) => a - b);
}

function reducedShape(shape: readonly number[], dims: number[], keepdim: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!dims.includes(i)) out.push(d);
    else if (keepdim) out.push(1);
  });
  return out;
}

/**
 * Reduces the listed dims with the backend kernel, one run of adjacent dims at a time from the
 * last. Adjacent dims reduce as one, their elements being contiguous: [N, C, H, W] summed over
 * H and W (a convolution's bias gradient) is one pass over rows of H·W, not one over rows of W
 * and another over rows of H.
 */
function reduceKernel(op: ReduceOp, x: Tensor, dims: number[]) {
  const backend = backendOf(x);
  if (dims.length === x.ndim) return backend.reduce(op, x.storage, 1, x.numel, 1);
  let storage = x.storage;
  const shape = [...x.shape];
  const product = (from: number, to: number) => shape.slice(from, to).reduce((n, d) => n * d, 1);
  for (let last = dims.length - 1; last >= 0; ) {
    let first = last;
    while (first > 0 && dims[first - 1] === dims[first] - 1) first--;
    const lo = dims[first], hi = dims[last];
    storage = backend.reduce(op, storage, product(0, lo), product(lo, hi + 1), product(hi + 1, shape.length));
    for (let d = lo; d <= hi; d++) shape[d] = 1;
    last = first - 1;
  }
  return storage;
}

export function sum(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const dims = resolveDims(x, dim, "sum");
  const keptShape = reducedShape(x.shape, dims, true);
  return fromOp(reduceKernel("sum", x, dims), reducedShape(x.shape, dims, keepdim), "sum", [x], (g) => [
    g.reshape(keptShape).expand(x.shape),
  ]);
}

/** Mean over dims; integer tensors are averaged as float32. */
export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const dims = resolveDims(x, dim, "mean");
  const count = dims.reduce((n, d) => n * x.shape[d], 1);
  const input = x.dtype === "int32" ? x.float() : x;
  return sum(input, dims, keepdim).div(count);
}

/**
 * Max or min over one dim (or over everything). Over one dim the gradient goes to the position
 * argmax/argmin picks (the first on ties); over everything, tied positions share it equally,
 * as in PyTorch (`max(Tensor self)` uses evenly_distribute_backward).
 */
function extreme(op: "max" | "min", x: Tensor, dim: number | null | undefined, keepdim: boolean): Tensor {
  if (dim === null || dim === undefined) {
    const value = backendOf(x).reduce(op, x.storage, 1, x.numel, 1);
    return fromOp(value, [], op, [x], (g) => {
      const v = constant(value, []);
      const mask = Number.isNaN(v.item()) ? x.ne(x) : x.eq(v);
      return [mask.mul(g.div(mask.sum()))];
    });
  }
  const d = normalizeDim(dim, x.ndim, op);
  if (x.ndim === 0) return x;
  const { outer, size, inner } = splitAt(x.shape, d);
  const backend = backendOf(x);
  const values = backend.reduce(op, x.storage, outer, size, inner);
  return fromOp(values, reducedShape(x.shape, [d], keepdim), op, [x], (g) => {
    const index = backend.reduce(op === "max" ? "argmax" : "argmin", x.storage, outer, size, inner);
    const routed = backend.scatterAdd(g.storage, outer, size, inner, index, 1);
    return [constant(routed, x.shape)];
  });
}

export const max = (x: Tensor, dim?: number | null, keepdim = false): Tensor => extreme("max", x, dim, keepdim);
export const min = (x: Tensor, dim?: number | null, keepdim = false): Tensor => extreme("min", x, dim, keepdim);

function argExtreme(op: "argmax" | "argmin", x: Tensor, dim: number | null | undefined, keepdim: boolean): Tensor {
  if (dim === null || dim === undefined) return argExtreme(op, x.reshape([x.numel]), 0, false);
  const d = normalizeDim(dim, x.ndim, op);
  const { outer, size, inner } = splitAt(x.shape, d);
  return constant(backendOf(x).reduce(op, x.storage, outer, size, inner), reducedShape(x.shape, [d], keepdim));
}

/** Index of the largest value along dim (of the flattened tensor when dim is omitted), int32. */
export const argmax = (x: Tensor, dim?: number | null, keepdim = false): Tensor => argExtreme("argmax", x, dim, keepdim);
export const argmin = (x: Tensor, dim?: number | null, keepdim = false): Tensor => argExtreme("argmin", x, dim, keepdim);

/**
 * log(sum(exp(x))) over dims, computed as m + log(sum(exp(x - m))) with m the max, so large
 * inputs do not overflow. m is a constant for the gradient, which is then softmax(x) exactly.
 */
export function logsumexp(x: Tensor, dim: number | number[], keepdim = false): Tensor {
  const dims = resolveDims(x, dim, "logsumexp");
  let m = noGrad(() => {
    let acc = x;
    for (const d of dims) acc = acc.max(d, true);
    return acc;
  });
  // Rows of all -Infinity would give NaN from (-inf) - (-inf); shift those by 0 instead.
  m = noGrad(() => where(m.abs().lt(Infinity), m, 0));
  const out = x.sub(m).exp().sum(dims, true).log().add(m);
  return keepdim ? out : out.reshape(reducedShape(x.shape, dims, false));
}

/**
 * Sums a gradient of a broadcast result back to the shape of the input that was broadcast:
 * over the leading dims the input lacked and over dims where it had size 1.
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  return dims.length === 0 ? g.reshape([...shape]) : sum(g, dims, true).reshape([...shape]);
}
