/**
 * 1-D max and average pooling over NCL (or CL) inputs, PyTorch semantics. A sequence is pooled as
 * an image of height 1 (as PyTorch's avg_pool1d does), so the 2-D kernels, including the wasm
 * SIMD ones, serve both; only the argument checks and messages are 1-D.
 */
import type { Tensor } from "../tensor/tensor.js";
import { requireFloat } from "./util.js";
import { avgPool2d, maxPool2dWithIndices } from "./pool.js";
import { batchedInput, inputWhere, poolGeometry, sizeAtLeast, type PoolGeometry } from "./pool-args.js";

/** An int, or a list of one int (PyTorch accepts both). */
export type Size1 = number | readonly [number];

export interface MaxPool1dOptions {
  /** Defaults to the kernel size (non-overlapping windows). */
  stride?: Size1 | null;
  /** Implicit -inf padding on both ends; at most half the kernel. */
  padding?: Size1;
  dilation?: Size1;
  /** Round the output length up (a partial last window counts if it starts inside the input or left padding). */
  ceilMode?: boolean;
  /** The layer name used in error messages. */
  name?: string;
}

export interface AvgPool1dOptions extends Omit<MaxPool1dOptions, "dilation"> {
  /** Count padding cells in the divisor (PyTorch's default: true). */
  countIncludePad?: boolean;
}

/** Checks the 1-D arguments (so messages speak of lengths, not of a height-1 image). */
function geometry1d(x: Tensor, kernelSize: Size1, o: MaxPool1dOptions, op: string): { where: string; xb: Tensor; unbatched: boolean; g: PoolGeometry } {
  const where = inputWhere(o.name ?? op, x);
  requireFloat(x, where);
  const b = batchedInput(x, 1, where);
  const g = poolGeometry(where, [b.x.shape[2]], kernelSize, { stride: o.stride, padding: o.padding, dilation: o.dilation, ceilMode: o.ceilMode });
  return { where, xb: b.x.unsqueeze(2), unbatched: b.unbatched, g };
}

/**
 * Max pooling that also returns each winner's position along the sequence (PyTorch's
 * `return_indices=True`).
 */
export function maxPool1dWithIndices(x: Tensor, kernelSize: Size1, options: MaxPool1dOptions = {}): { out: Tensor; indices: Tensor } {
  const { where, xb, unbatched, g } = geometry1d(x, kernelSize, options, "maxPool1d");
  const r = maxPool2dWithIndices(xb, [1, g.kernel[0]], {
    stride: [1, g.stride[0]], padding: [0, g.padding[0]], dilation: [1, g.dilation[0]], ceilMode: options.ceilMode, name: where,
  });
  // In a height-1 plane the flat index h*W + w is w: the position in the sequence.
  const out = r.out.squeeze(2);
  const indices = r.indices.squeeze(2);
  return unbatched ? { out: out.squeeze(0), indices: indices.squeeze(0) } : { out, indices };
}

/** Largest value of each window along the last axis. */
export function maxPool1d(x: Tensor, kernelSize: Size1, options: MaxPool1dOptions = {}): Tensor {
  return maxPool1dWithIndices(x, kernelSize, options).out;
}

/** Mean of each window along the last axis. */
export function avgPool1d(x: Tensor, kernelSize: Size1, options: AvgPool1dOptions = {}): Tensor {
  const { where, xb, unbatched, g } = geometry1d(x, kernelSize, options, "avgPool1d");
  const out = avgPool2d(xb, [1, g.kernel[0]], {
    stride: [1, g.stride[0]], padding: [0, g.padding[0]], ceilMode: options.ceilMode, countIncludePad: options.countIncludePad, name: where,
  }).squeeze(2);
  return unbatched ? out.squeeze(0) : out;
}

/** A 1-D size argument as one int >= min (for modules checking their configuration up front). */
export function single(v: Size1, min: number, what: string, where: string): number {
  return sizeAtLeast(v, 1, min, what, where)[0];
}
