/**
 * Adaptive pooling: the caller names the output size and the windows follow, PyTorch's rule
 * along each axis: output cell i pools input cells ⌊i·in/out⌋ .. ⌈(i+1)·in/out⌉ - 1. When out
 * divides in these are plain non-overlapping windows of in/out cells; otherwise neighbouring
 * windows may overlap by a cell and differ in size by one.
 *
 * Average: the window mean is separable, so out = Ph · X · Pwᵀ with Ph[i, j] = 1/|window i| for j
 * in window i (and Pw likewise) — two matrix products whose gradient autograd already knows.
 * Output 1x1 is the mean over H and W (global average pooling); sizes that divide the input use
 * the average-pooling kernel (kernel = stride = in/out). Max: a kernel that records each winner's
 * position, the gradient going to the winner as in max pooling.
 */
import { constant, fromOp } from "../autograd/record.js";
import { ShapeError, ValueError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { backendOf, requireFloat } from "./util.js";
import { avgPool2d } from "./pool.js";
import { gemm } from "./matmul.js";
import { batchedInput, inputWhere } from "./pool-args.js";

/** An output size: an int for every axis, or one per axis; null keeps that axis's input size. */
export type AdaptiveSize = number | null | readonly (number | null)[];

interface NameOption {
  /** The layer name used in error messages. */
  name?: string;
}

/** Resolves an output size against the input's spatial sizes; every entry must be an integer >= 1. */
function outputSizes(size: AdaptiveSize, inSizes: readonly number[], where: string): number[] {
  const n = inSizes.length;
  const list = size === null || typeof size === "number" ? new Array<number | null>(n).fill(size) : [...size];
  if (list.length !== n) throw new ValueError(`${where}: outputSize must be an integer, null or a list of ${n}, got ${JSON.stringify(size)}`);
  const out = list.map((v, i) => v ?? inSizes[i]);
  if (out.some((v) => !Number.isInteger(v) || v < 1)) throw new ValueError(`${where}: outputSize must hold integers >= 1 (or null to keep a size), got ${JSON.stringify(size)}`);
  if (inSizes.some((v) => v < 1)) throw new ShapeError(`${where}: every pooled axis needs at least 1 element; rule: non-empty input`);
  return out;
}

/** [out, in] averaging matrix of one axis: row i holds 1/|window i| over window i. */
function averagingMatrix(like: Tensor, inSize: number, outSize: number): Tensor {
  const values = new Float64Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const lo = Math.floor((i * inSize) / outSize);
    const hi = Math.ceil(((i + 1) * inSize) / outSize);
    for (let j = lo; j < hi; j++) values[i * inSize + j] = 1 / (hi - lo);
  }
  return new Tensor(backendOf(like).fromArray(values, like.dtype), [outSize, inSize]);
}

/** Adaptive average pooling of a batched [N, C, H, W] input to [N, C, oH, oW]. */
function adaptiveAvg4d(x: Tensor, oH: number, oW: number): Tensor {
  const [N, C, H, W] = x.shape;
  if (oH === 1 && oW === 1) return x.mean([2, 3], true);
  if (H % oH === 0 && W % oW === 0) return avgPool2d(x, [H / oH, W / oW]);
  let y = x.reshape([N * C * H, W]);
  if (oW !== W) y = gemm(y, averagingMatrix(x, W, oW), false, true); // [N·C·H, oW]
  y = y.reshape([N * C, H, oW]);
  if (oH !== H) y = gemm(averagingMatrix(x, H, oH), y); // [N·C, oH, oW]
  return y.reshape([N, C, oH, oW]);
}

/** Average over PyTorch's adaptive windows of the last axis: [N, C, L] or [C, L] → [..., outputSize]. */
export function adaptiveAvgPool1d(x: Tensor, outputSize: number | readonly [number], options: NameOption = {}): Tensor {
  const where = inputWhere(options.name ?? "adaptiveAvgPool1d", x);
  requireFloat(x, where);
  const b = batchedInput(x, 1, where);
  const [oL] = outputSizes(outputSize, [b.x.shape[2]], where);
  const y = adaptiveAvg4d(b.x.unsqueeze(2), 1, oL).squeeze(2);
  return b.unbatched ? y.squeeze(0) : y;
}

/** Average over PyTorch's adaptive windows of H and W: [N, C, H, W] or [C, H, W] → [..., oH, oW]. */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveSize, options: NameOption = {}): Tensor {
  const where = inputWhere(options.name ?? "adaptiveAvgPool2d", x);
  requireFloat(x, where);
  const b = batchedInput(x, 2, where);
  const [oH, oW] = outputSizes(outputSize, b.x.shape.slice(2), where);
  const y = adaptiveAvg4d(b.x, oH, oW);
  return b.unbatched ? y.squeeze(0) : y;
}

/**
 * Global average pooling: the mean of each feature map, [N, C, H, W] → [N, C, 1, 1] (the same as
 * adaptiveAvgPool2d(x, 1); flatten it for a classifier head).
 */
export function globalAvgPool2d(x: Tensor, options: NameOption = {}): Tensor {
  return adaptiveAvgPool2d(x, 1, { name: options.name ?? "globalAvgPool2d" });
}

/**
 * Adaptive max pooling that also returns each winner's flat position h*W + w in its input plane
 * (PyTorch's `return_indices=True`, usable by maxUnpool2d).
 */
export function adaptiveMaxPool2dWithIndices(x: Tensor, outputSize: AdaptiveSize, options: NameOption = {}): { out: Tensor; indices: Tensor } {
  const where = inputWhere(options.name ?? "adaptiveMaxPool2d", x);
  requireFloat(x, where);
  const b = batchedInput(x, 2, where);
  const [N, C, H, W] = b.x.shape;
  const [outH, outW] = outputSizes(outputSize, [H, W], where);
  const backend = backendOf(x);
  const { out, indices } = backend.adaptiveMaxPool2d(b.x.storage, { batch: N, channels: C, inH: H, inW: W, outH, outW });
  const shape = [N, C, outH, outW];
  const xb = b.x;
  const y = fromOp(out, shape, "adaptiveMaxPool2d", [xb], (g) => [constant(backend.maxPoolBackward(g.storage, indices, N * C, H * W), xb.shape)]);
  const idx = constant(indices, shape);
  return b.unbatched ? { out: y.squeeze(0), indices: idx.squeeze(0) } : { out: y, indices: idx };
}

/** Largest value over PyTorch's adaptive windows of H and W. */
export function adaptiveMaxPool2d(x: Tensor, outputSize: AdaptiveSize, options: NameOption = {}): Tensor {
  return adaptiveMaxPool2dWithIndices(x, outputSize, options).out;
}

/** Adaptive max pooling of the last axis, with each winner's position along it. */
export function adaptiveMaxPool1dWithIndices(x: Tensor, outputSize: number | readonly [number], options: NameOption = {}): { out: Tensor; indices: Tensor } {
  const where = inputWhere(options.name ?? "adaptiveMaxPool1d", x);
  requireFloat(x, where);
  const b = batchedInput(x, 1, where);
  const [oL] = outputSizes(outputSize, [b.x.shape[2]], where);
  const r = adaptiveMaxPool2dWithIndices(b.x.unsqueeze(2), [1, oL], { name: where });
  const out = r.out.squeeze(2);
  const indices = r.indices.squeeze(2); // in a height-1 plane h*W + w is w
  return b.unbatched ? { out: out.squeeze(0), indices: indices.squeeze(0) } : { out, indices };
}

/** Largest value over PyTorch's adaptive windows of the last axis. */
export function adaptiveMaxPool1d(x: Tensor, outputSize: number | readonly [number], options: NameOption = {}): Tensor {
  return adaptiveMaxPool1dWithIndices(x, outputSize, options).out;
}
