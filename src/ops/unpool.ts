/**
 * Max unpooling, the partial inverse of max pooling (PyTorch's max_unpool2d): every pooled value
 * is written back at the position its index names, all other cells are zero. The indices are the
 * ones maxPool2dWithIndices (or adaptiveMaxPool2dWithIndices) returned: flat positions h*W + w
 * in each output plane. The gradient of each input value is the output gradient at its index.
 */
import { constant, fromOp } from "../autograd/record.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { backendOf, requireFloat, sameShape } from "./util.js";
import { batchedInput, inputWhere, sizeAtLeast, type Size } from "./pool-args.js";

export interface MaxUnpool2dOptions {
  /** The pooling's stride; defaults to the kernel size. */
  stride?: Size | null;
  /** The pooling's padding. */
  padding?: Size;
  /**
   * The output's [H, W] (or [N, C, H, W], of which the last two count): picks among the sizes
   * pooling maps to the same pooled size. Default (in - 1)·stride - 2·padding + kernel.
   */
  outputSize?: readonly number[] | null;
  /** The layer name used in error messages. */
  name?: string;
}

/**
 * The unpooled size per axis, PyTorch's `_unpool_output_size`: default (in-1)·stride - 2·pad +
 * kernel; a requested size must lie strictly between default - stride and default + stride.
 */
function unpoolSizes(inSizes: readonly number[], kernel: number[], stride: number[], padding: number[], requested: readonly number[] | null | undefined, where: string): number[] {
  const n = inSizes.length;
  const defaults = inSizes.map((s, d) => (s - 1) * stride[d] - 2 * padding[d] + kernel[d]);
  let sizes = defaults;
  if (requested !== null && requested !== undefined) {
    const r = requested.length === n + 2 ? requested.slice(2) : [...requested];
    if (r.length !== n || r.some((v) => !Number.isInteger(v))) {
      throw new ValueError(`${where}: outputSize must hold ${n} or ${n + 2} integers, got ${JSON.stringify(requested)}`);
    }
    r.forEach((v, d) => {
      const lo = defaults[d] - stride[d];
      const hi = defaults[d] + stride[d];
      if (!(lo < v && v < hi)) throw new ValueError(`${where}: outputSize ${JSON.stringify(requested)} is invalid: dim ${d} must be between ${lo} and ${hi} (exclusive); rule: default (in-1)*stride - 2*padding + kernel = ${defaults[d]}, ± stride`);
    });
    sizes = r;
  }
  if (sizes.some((v) => v < 1)) {
    throw new ShapeError(`${where}: the unpooled size would be [${sizes.join(", ")}]; rule: (in-1)*stride - 2*padding + kernel >= 1`);
  }
  return sizes;
}

/** Writes each value of x at its index in a zero [N, C, outH, outW] (or unbatched [C, outH, outW]). */
export function maxUnpool2d(x: Tensor, indices: Tensor, kernelSize: Size, options: MaxUnpool2dOptions = {}): Tensor {
  const where = inputWhere(options.name ?? "maxUnpool2d", x);
  requireFloat(x, where);
  if (indices.dtype !== "int32") throw new DTypeError(`${where}: indices must be int32 (as maxPool2dWithIndices returns them), got ${indices.dtype}`);
  if (!sameShape(x.shape, indices.shape)) throw new ShapeError(`${where}: indices have shape [${indices.shape.join(", ")}]; rule: indices must have the input's shape`);
  const b = batchedInput(x, 2, where);
  const idx = b.unbatched ? indices.unsqueeze(0) : indices;
  const kernel = sizeAtLeast(kernelSize, 2, 1, "kernelSize", where);
  const stride = options.stride === undefined || options.stride === null ? kernel : sizeAtLeast(options.stride, 2, 1, "stride", where);
  const padding = sizeAtLeast(options.padding ?? 0, 2, 0, "padding", where);
  const [N, C, H, W] = b.x.shape;
  const [outH, outW] = unpoolSizes([H, W], kernel, stride, padding, options.outputSize, where);
  const planes = N * C;
  const outPlane = outH * outW;
  const backend = backendOf(x);
  if (idx.numel > 0) {
    // Two reductions check every index before the kernel writes anything.
    const lo = idx.min().item();
    const hi = idx.max().item();
    if (lo < 0 || hi >= outPlane) {
      throw new ValueError(`${where}: found index ${lo < 0 ? lo : hi}, outside an output plane of ${outH}x${outW}; rule: 0 <= index < outH*outW`);
    }
  }
  const xb = b.x;
  const y = fromOp(backend.maxUnpool(xb.storage, idx.storage, planes, outPlane), [N, C, outH, outW], "maxUnpool2d", [xb], (g) => [
    constant(backend.gather(g.storage, planes, outPlane, 1, idx.storage, H * W), xb.shape),
  ]);
  return b.unbatched ? y.squeeze(0) : y;
}
