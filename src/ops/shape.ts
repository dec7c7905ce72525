/**
 * Shape and movement ops. Storage is always contiguous, so reshape shares it and the rest copy
 * through one strided-copy kernel; each backward is the matching inverse movement.
 */
import { contiguousStrides, sizeOf } from "../backend/layout.js";
import { constant, fromOp } from "../autograd/record.js";
import { PartialGradient } from "../autograd/partial.js";
import { ShapeError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { backendOf, normalizeDim, sameShape } from "./util.js";
import { sumToShape } from "./reduce.js";


/** Resolves one -1 in a requested shape and checks the element count. */
function inferShape(shape: number[], numel: number, op: string, from: readonly number[]): number[] {
  const unknown = shape.indexOf(-1);
  if (shape.some((d, i) => !Number.isInteger(d) || d < -1 || (d === -1 && i !== unknown))) {
    throw new ShapeError(`${op}: invalid shape [${shape}] (sizes must be integers >= 0, at most one -1)`);
  }
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  const out = [...shape];
  if (unknown >= 0) {
    if (known === 0 || numel % known !== 0) throw new ShapeError(`${op}: cannot reshape [${from}] (${numel} elements) into [${shape}]`);
    out[unknown] = numel / known;
  }
  if (sizeOf(out) !== numel) throw new ShapeError(`${op}: cannot reshape [${from}] (${numel} elements) into [${shape}] (${sizeOf(out)} elements)`);
  return out;
}

export function reshape(x: Tensor, shape: number[]): Tensor {
  const target = inferShape(shape, x.numel, "reshape", x.shape);
  if (sameShape(target, x.shape)) return x;
  return fromOp(x.storage, target, "reshape", [x], (g) => [g.reshape([...x.shape])]);
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim(startDim, x.ndim, "flatten");
  const e = normalizeDim(endDim, x.ndim, "flatten");
  if (s > e) throw new ValueError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

export function squeeze(x: Tensor, dim?: number): Tensor {
  if (dim === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const d = normalizeDim(dim, x.ndim, "squeeze");
  if (x.shape[d] !== 1) return x;
  return reshape(x, x.shape.filter((_, i) => i !== d));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim + 1, "unsqueeze");
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return reshape(x, shape);
}

export function permute(x: Tensor, dims: number[]): Tensor {
  if (dims.length !== x.ndim) throw new ShapeError(`permute: got ${dims.length} dims [${dims}] for a tensor of rank ${x.ndim}`);
  const order = dims.map((d) => normalizeDim(d, x.ndim, "permute"));
  if (new Set(order).size !== order.length) throw new ValueError(`permute: dims [${dims}] repeat a dim`);
  if (order.every((d, i) => d === i)) return x;
  const strides = contiguousStrides(x.shape);
  const shape = order.map((d) => x.shape[d]);
  const storage = backendOf(x).copyStrided(x.storage, { shape, strides: order.map((d) => strides[d]), offset: 0 });
  const inverse = new Array<number>(order.length);
  order.forEach((d, i) => (inverse[d] = i));
  return fromOp(storage, shape, "permute", [x], (g) => [permute(g, inverse)]);
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim(dim0, x.ndim, "transpose");
  const b = normalizeDim(dim1, x.ndim, "transpose");
  const order = x.shape.map((_, i) => i);
  order[a] = b;
  order[b] = a;
  return permute(x, order);
}

/** Repeats size-1 dims (and adds leading ones) to reach `shape`; -1 keeps a size. */
export function expand(x: Tensor, shape: number[]): Tensor {
  const lead = shape.length - x.ndim;
  if (lead < 0) throw new ShapeError(`expand: cannot expand [${x.shape}] to fewer dims [${shape}]`);
  const target = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead] : d));
  const own = contiguousStrides(x.shape);
  const strides = target.map((d, i) => {
    if (i < lead) return 0;
    const s = x.shape[i - lead];
    if (s === d) return own[i - lead];
    if (s === 1) return 0;
    throw new ShapeError(`expand: size ${s} at dim ${i - lead} of [${x.shape}] cannot become ${d} (only size-1 dims expand)`);
  });
  if (sameShape(target, x.shape)) return x;
  const storage = backendOf(x).copyStrided(x.storage, { shape: target, strides, offset: 0 });
  return fromOp(storage, target, "expand", [x], (g) => [sumToShape(g, x.shape)]);
}

/** A contiguous copy with no history link to x's storage (history is kept for gradients). */
export function contiguousCopy(x: Tensor): Tensor {
  const storage = backendOf(x).copyStrided(x.storage, { shape: x.shape, strides: contiguousStrides(x.shape), offset: 0 });
  return fromOp(storage, x.shape, "clone", [x], (g) => [g]);
}

/** Python-style slice along one dim: start, start+step, ... up to (not including) end. */
export function slice(x: Tensor, dim: number, start: number, end?: number, step = 1): Tensor {
  const d = normalizeDim(dim, x.ndim, "slice");
  const n = x.shape[d];
  if (!Number.isInteger(step) || step < 1) throw new ValueError(`slice: step must be a positive integer, got ${step}`);
  const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  const s = clampIndex(start);
  const e = Math.max(clampIndex(end ?? n), s);
  const len = Math.ceil((e - s) / step);
  const shape = [...x.shape];
  shape[d] = len;
  const strides = contiguousStrides(x.shape);
  const view = { shape, strides: strides.map((st, i) => (i === d ? st * step : st)), offset: s * strides[d] };
  const backend = backendOf(x);
  // The gradient is g on the view and zero elsewhere: the engine adds it into x's accumulator.
  return fromOp(backend.copyStrided(x.storage, view), shape, "slice", [x], (g) => [new PartialGradient(g, view)]);
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, x.ndim, "narrow");
  const s = start < 0 ? start + x.shape[d] : start;
  if (s < 0 || length < 0 || s + length > x.shape[d]) {
    throw new ValueError(`narrow: start ${start} with length ${length} does not fit dim ${dim} of size ${x.shape[d]}`);
  }
  return slice(x, d, s, s + length);
}

/** Joins tensors along an existing dim; all other dims must agree. */
export function cat(tensors: Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new ValueError("cat: needs at least one tensor");
  const first = tensors[0];
  const d = normalizeDim(dim, first.ndim, "cat");
  tensors.forEach((t, k) => {
    if (t.ndim !== first.ndim || t.shape.some((s, i) => i !== d && s !== first.shape[i])) {
      throw new ShapeError(`cat: tensor ${k} has shape [${t.shape}], which does not match [${first.shape}] outside dim ${d}`);
    }
    if (t.dtype !== first.dtype) throw new ValueError(`cat: tensor ${k} is ${t.dtype} but tensor 0 is ${first.dtype}`);
  });
  const shape = [...first.shape];
  shape[d] = tensors.reduce((n, t) => n + t.shape[d], 0);
  const backend = backendOf(first);
  const out = backend.alloc(first.dtype, sizeOf(shape));
  const strides = contiguousStrides(shape);
  const offsets: number[] = [];
  let at = 0;
  for (const t of tensors) {
    offsets.push(at);
    backend.writeStrided(out, { shape: t.shape, strides, offset: at * strides[d] }, t.storage);
    at += t.shape[d];
  }
  return fromOp(out, shape, "cat", tensors, (g) => tensors.map((t, k) => (t.requiresGrad ? narrow(g, d, offsets[k], t.shape[d]) : null)));
}

/** Joins tensors of one shape along a new dim. */
export function stack(tensors: Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new ValueError("stack: needs at least one tensor");
  const d = normalizeDim(dim, tensors[0].ndim + 1, "stack");
  tensors.forEach((t, k) => {
    if (!sameShape(t.shape, tensors[0].shape)) throw new ShapeError(`stack: tensor ${k} has shape [${t.shape}] but tensor 0 has [${tensors[0].shape}]`);
  });
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

/**
 * Constant padding, PyTorch's F.pad convention: `pad` lists (before, after) pairs starting from
 * the last dim, e.g. [left, right, top, bottom] for an image.
 */
export function pad(x: Tensor, padding: number[], value = 0): Tensor {
  if (padding.length % 2 !== 0 || padding.length / 2 > x.ndim) {
    throw new ValueError(`pad: padding [${padding}] must hold (before, after) pairs for at most ${x.ndim} dims`);
  }
  if (padding.some((p) => !Number.isInteger(p) || p < 0)) throw new ValueError(`pad: padding [${padding}] must be non-negative integers`);
  const shape = [...x.shape];
  const before = new Array<number>(x.ndim).fill(0);
  for (let k = 0; k < padding.length / 2; k++) {
    const d = x.ndim - 1 - k;
    before[d] = padding[2 * k];
    shape[d] += padding[2 * k] + padding[2 * k + 1];
  }
  const strides = contiguousStrides(shape);
  const view = { shape: x.shape, strides, offset: before.reduce((o, b, i) => o + b * strides[i], 0) };
  const backend = backendOf(x);
  const out = backend.full(x.dtype, sizeOf(shape), value);
  backend.writeStrided(out, view, x.storage);
  return fromOp(out, shape, "pad", [x], (g) => [constant(backend.copyStrided(g.storage, view), x.shape)]);
}

