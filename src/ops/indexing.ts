/** Picking elements by integer index: indexSelect and gather, with their scatter adjoints. */
import { constant, fromOp } from "../autograd/record.js";
import { ShapeError, ValueError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { backendOf, normalizeDim, splitAt } from "./util.js";
import { narrow } from "./shape.js";

function indexTensor(index: Tensor | number[], like: Tensor, op: string): Tensor {
  const t = index instanceof Tensor ? index : new Tensor(backendOf(like).fromArray(index, "int32"), [index.length]);
  if (t.dtype !== "int32") throw new ValueError(`${op}: index must be an int32 tensor, got ${t.dtype}`);
  return t;
}

function checkRange(index: Tensor, size: number, op: string, dim: number): void {
  const data = index.data();
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < 0 || v >= size) throw new ValueError(`${op}: index ${v} (at position ${i}) is out of range for dim ${dim} of size ${size}`);
  }
}

/** Entries `index` of dim `dim` (a 1-D list of positions), in that order; repeats allowed. */
export function indexSelect(x: Tensor, dim: number, index: Tensor | number[]): Tensor {
  const d = normalizeDim(dim, x.ndim, "indexSelect");
  const idx = indexTensor(index, x, "indexSelect");
  if (idx.ndim > 1) throw new ShapeError(`indexSelect: index must be 1-D, got shape [${idx.shape}]`);
  checkRange(idx, x.shape[d], "indexSelect", d);
  const { outer, size, inner } = splitAt(x.shape, d);
  const backend = backendOf(x);
  const shape = [...x.shape];
  shape[d] = idx.numel;
  return fromOp(backend.indexSelect(x.storage, outer, size, inner, idx.storage), shape, "indexSelect", [x], (g) => [
    constant(backend.indexAdd(g.storage, outer, size, inner, idx.storage), x.shape),
  ]);
}

/**
 * out[i][j][k] = x[index[i][j][k]][j][k] for dim 0 (and likewise for other dims), PyTorch's
 * gather. `index` has x's rank; outside `dim` its sizes may be smaller than x's.
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim, "gather");
  if (index.dtype !== "int32") throw new ValueError(`gather: index must be an int32 tensor, got ${index.dtype}`);
  if (index.ndim !== x.ndim) throw new ShapeError(`gather: index has rank ${index.ndim} (shape [${index.shape}]) but input has rank ${x.ndim} (shape [${x.shape}])`);
  let source = x;
  for (let i = 0; i < x.ndim; i++) {
    if (i === d) continue;
    if (index.shape[i] > x.shape[i]) throw new ShapeError(`gather: index shape [${index.shape}] exceeds input shape [${x.shape}] at dim ${i}`);
    if (index.shape[i] < x.shape[i]) source = narrow(source, i, 0, index.shape[i]);
  }
  checkRange(index, x.shape[d], "gather", d);
  const { outer, size, inner } = splitAt(source.shape, d);
  const idxSize = index.shape[d];
  const backend = backendOf(x);
  return fromOp(backend.gather(source.storage, outer, size, inner, index.storage, idxSize), index.shape, "gather", [source], (g) => [
    constant(backend.scatterAdd(g.storage, outer, size, inner, index.storage, idxSize), source.shape),
  ]);
}
