/**
 * 3-D max and average pooling over NCDHW (or CDHW) inputs, PyTorch semantics: sizes as
 * poolOutputSize gives them per axis, max pooling routes each gradient to its window's winner,
 * average pooling spreads it evenly over the window's in-input cells (each / the divisor).
 */
import type { Window3d } from "../backend/types.js";
import { constant, fromOp } from "../autograd/record.js";
import type { Tensor } from "../tensor/tensor.js";
import { backendOf, requireFloat } from "./util.js";
import { batchedInput, checkDivisor, inputWhere, poolGeometry, type PoolGeometry, type Size } from "./pool-args.js";

export interface MaxPool3dOptions {
  /** Defaults to the kernel size (non-overlapping windows). */
  stride?: Size | null;
  /** Implicit -inf padding on both sides of each axis; at most half the kernel. */
  padding?: Size;
  dilation?: Size;
  /** Round output sizes up (a partial last window counts if it starts inside the input or left padding). */
  ceilMode?: boolean;
  /** The layer name used in error messages. */
  name?: string;
}

export interface AvgPool3dOptions extends Omit<MaxPool3dOptions, "dilation"> {
  /** Count padding cells in the divisor (PyTorch's default: true). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this non-zero integer instead of its size. */
  divisorOverride?: number | null;
}

function window3d(x: Tensor, g: PoolGeometry): Window3d {
  const [batch, channels, inD, inH, inW] = x.shape;
  return {
    batch, channels, inD, inH, inW,
    kernelD: g.kernel[0], kernelH: g.kernel[1], kernelW: g.kernel[2],
    strideD: g.stride[0], strideH: g.stride[1], strideW: g.stride[2],
    padFront: g.padding[0], padTop: g.padding[1], padLeft: g.padding[2],
    dilationD: g.dilation[0], dilationH: g.dilation[1], dilationW: g.dilation[2],
    outD: g.out[0], outH: g.out[1], outW: g.out[2],
  };
}

/**
 * Max pooling that also returns each winner's flat position (d*H + h)*W + w in its input volume
 * (PyTorch's `return_indices=True`); MaxUnpool3d-style consumers and the backward use these.
 */
export function maxPool3dWithIndices(x: Tensor, kernelSize: Size, options: MaxPool3dOptions = {}): { out: Tensor; indices: Tensor } {
  const where = inputWhere(options.name ?? "maxPool3d", x);
  requireFloat(x, where);
  const b = batchedInput(x, 3, where);
  const w = window3d(b.x, poolGeometry(where, b.x.shape.slice(2), kernelSize, options));
  const backend = backendOf(x);
  const { out, indices } = backend.maxPool3d(b.x.storage, w);
  const shape = [w.batch, w.channels, w.outD, w.outH, w.outW];
  const planes = w.batch * w.channels;
  const volume = w.inD * w.inH * w.inW;
  const xb = b.x;
  const y = fromOp(out, shape, "maxPool3d", [xb], (g) => [constant(backend.maxPoolBackward(g.storage, indices, planes, volume), xb.shape)]);
  const idx = constant(indices, shape);
  return b.unbatched ? { out: y.squeeze(0), indices: idx.squeeze(0) } : { out: y, indices: idx };
}

/** Largest value of each 3-D window. */
export function maxPool3d(x: Tensor, kernelSize: Size, options: MaxPool3dOptions = {}): Tensor {
  return maxPool3dWithIndices(x, kernelSize, options).out;
}

/** Mean of each 3-D window (see AvgPool3dOptions for the divisor). */
export function avgPool3d(x: Tensor, kernelSize: Size, options: AvgPool3dOptions = {}): Tensor {
  const where = inputWhere(options.name ?? "avgPool3d", x);
  requireFloat(x, where);
  const b = batchedInput(x, 3, where);
  const g = poolGeometry(where, b.x.shape.slice(2), kernelSize, { stride: options.stride, padding: options.padding, ceilMode: options.ceilMode });
  const y = avgPoolVolume(b.x, window3d(b.x, g), options.countIncludePad ?? true, checkDivisor(options.divisorOverride, where));
  return b.unbatched ? y.squeeze(0) : y;
}

/**
 * The differentiable 3-D average pooling over a checked window: out = clipped window sum /
 * divisor, d out / d x = 1 / divisor for every in-input cell of the window. Also serves 2-D
 * pooling with a divisorOverride (as a volume of depth 1).
 */
export function avgPoolVolume(x: Tensor, w: Window3d, countIncludePad: boolean, divisorOverride: number | null): Tensor {
  const backend = backendOf(x);
  const shape = [w.batch, w.channels, w.outD, w.outH, w.outW];
  return fromOp(backend.avgPool3d(x.storage, w, countIncludePad, divisorOverride), shape, "avgPool3d", [x], (g) => [
    constant(backend.avgPool3dBackward(g.storage, w, countIncludePad, divisorOverride), x.shape),
  ]);
}
