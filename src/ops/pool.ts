/** 2-D max and average pooling over NCHW (or CHW) inputs, PyTorch semantics. */
import type { Window2d, Window3d } from "../backend/types.js";
import { constant, fromOp } from "../autograd/record.js";
import { ShapeError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { backendOf, requireFloat } from "./util.js";
import { pair, poolOutputSize, positivePair, type Pair } from "./window.js";
import { checkDivisor, inputWhere } from "./pool-args.js";
import { avgPoolVolume } from "./pool3d.js";

export interface Pool2dOptions {
  /** Defaults to the kernel size (non-overlapping windows). */
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  /** Round the output size up, so a partial window at the end still produces an output. */
  ceilMode?: boolean;
  name?: string;
}

export interface AvgPool2dOptions extends Omit<Pool2dOptions, "dilation"> {
  /** Count padding cells in the divisor (PyTorch's default: true). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this non-zero integer instead of its size (PyTorch's divisor_override). */
  divisorOverride?: number | null;
}

function poolWindow(x: Tensor, kernelSize: Pair, o: Pool2dOptions, op: string): Window2d {
  const where = `${o.name ?? op} with input [${x.shape}]`;
  if (x.ndim !== 4) throw new ShapeError(`${o.name ?? op}: expects input [N, C, H, W] or [C, H, W], got shape [${x.shape}]`);
  const kernel = positivePair(kernelSize, "kernelSize", op);
  const stride = positivePair(o.stride ?? kernel, "stride", op);
  const padding = pair(o.padding ?? 0, "padding", op);
  if (padding[0] < 0 || padding[1] < 0) throw new ValueError(`${o.name ?? op}: padding must be >= 0, got ${JSON.stringify(o.padding)}`);
  const dilation = positivePair(o.dilation ?? 1, "dilation", op);
  const [N, C, H, W] = x.shape;
  const ceil = o.ceilMode ?? false;
  return {
    batch: N, channels: C, inH: H, inW: W, kernelH: kernel[0], kernelW: kernel[1],
    strideH: stride[0], strideW: stride[1], padTop: padding[0], padLeft: padding[1],
    dilationH: dilation[0], dilationW: dilation[1],
    outH: poolOutputSize(H, kernel[0], stride[0], padding[0], dilation[0], ceil, where),
    outW: poolOutputSize(W, kernel[1], stride[1], padding[1], dilation[1], ceil, where),
  };
}

/** Largest value of each window; the gradient goes to that winner only. */
export function maxPool2d(x: Tensor, kernelSize: Pair, options: Pool2dOptions = {}): Tensor {
  if (x.ndim === 3) return maxPool2d(x.unsqueeze(0), kernelSize, options).squeeze(0);
  return maxPool2dWithIndices(x, kernelSize, options).out;
}

/** Max pooling that also returns each winner's flat position h*W + w in its input plane. */
export function maxPool2dWithIndices(x: Tensor, kernelSize: Pair, options: Pool2dOptions = {}): { out: Tensor; indices: Tensor } {
  if (x.ndim === 3) {
    const r = maxPool2dWithIndices(x.unsqueeze(0), kernelSize, options);
    return { out: r.out.squeeze(0), indices: r.indices.squeeze(0) };
  }
  requireFloat(x, "maxPool2d");
  const w = poolWindow(x, kernelSize, options, "maxPool2d");
  const backend = backendOf(x);
  const { out, indices } = backend.maxPool2d(x.storage, w);
  const shape = [w.batch, w.channels, w.outH, w.outW];
  const result = fromOp(out, shape, "maxPool2d", [x], (g) => [constant(backend.maxPool2dBackward(g.storage, indices, w), x.shape)]);
  return { out: result, indices: constant(indices, shape) };
}

/** Mean of each window. */
export function avgPool2d(x: Tensor, kernelSize: Pair, options: AvgPool2dOptions = {}): Tensor {
  if (x.ndim === 3) return avgPool2d(x.unsqueeze(0), kernelSize, options).squeeze(0);
  requireFloat(x, "avgPool2d");
  const w = poolWindow(x, kernelSize, { ...options, dilation: 1 }, "avgPool2d");
  const include = options.countIncludePad ?? true;
  const divisor = checkDivisor(options.divisorOverride, inputWhere(options.name ?? "avgPool2d", x));
  if (divisor !== null) {
    // The 2-D kernels know no divisor override: pool the image as a volume of depth 1.
    const volume: Window3d = { ...w, inD: 1, kernelD: 1, strideD: 1, padFront: 0, dilationD: 1, outD: 1 };
    return avgPoolVolume(x.unsqueeze(2), volume, include, divisor).squeeze(2);
  }
  const backend = backendOf(x);
  const shape = [w.batch, w.channels, w.outH, w.outW];
  return fromOp(backend.avgPool2d(x.storage, w, include), shape, "avgPool2d", [x], (g) => [
    constant(backend.avgPool2dBackward(g.storage, w, include), x.shape),
  ]);
}
