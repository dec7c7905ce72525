/**
 * 2-D convolution: argument checking, output-size arithmetic and autograd. The arithmetic itself
 * is the backend's (Backend.conv2d and its two gradients): the lectures' im2col + matrix product
 * on the reference backend, fused per-image tiles on wasm. The bias gradient is the sum of dY.
 */
import type { Conv2dSpec } from "../backend/types.js";
import { constant, fromOp } from "../autograd/record.js";
import { ShapeError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { backendOf, promote, requireFloat } from "./util.js";
import { convOutputSize, pair, positivePair, type Pair } from "./window.js";

export type Padding2d = Pair | "same" | "valid";

export interface Conv2dOptions {
  stride?: Pair;
  /** A number or [h, w] pair for both sides, or "valid" (none) or "same" (output = input, stride 1 only). */
  padding?: Padding2d;
  dilation?: Pair;
  groups?: number;
  /** Names the layer in error messages, e.g. "features.0 (Conv2d)". */
  name?: string;
}

/** Padding [top, bottom, left, right]; "same" puts the odd pixel at the bottom/right as PyTorch does. */
export function resolveConvPadding(padding: Padding2d, kernel: [number, number], dilation: [number, number], stride: [number, number], where: string): [number, number, number, number] {
  if (padding === "valid") return [0, 0, 0, 0];
  if (padding === "same") {
    if (stride[0] !== 1 || stride[1] !== 1) throw new ValueError(`${where}: padding "same" needs stride 1, got stride [${stride}]`);
    const th = dilation[0] * (kernel[0] - 1);
    const tw = dilation[1] * (kernel[1] - 1);
    return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  }
  const [ph, pw] = pair(padding, "padding", where);
  if (ph < 0 || pw < 0) throw new ValueError(`${where}: padding must be >= 0, got ${JSON.stringify(padding)}`);
  return [ph, ph, pw, pw];
}

/**
 * x [N, C, H, W] (or [C, H, W]) ⋆ weight [O, C/groups, kH, kW] (+ bias [O]) → [N, O, outH, outW].
 */
export function conv2d(input: Tensor, weightIn: Tensor, biasIn?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  const where = options.name ?? "conv2d";
  if (input.ndim === 3) return conv2d(input.unsqueeze(0), weightIn, biasIn, options).squeeze(0);
  const [x, weight] = promote(input, weightIn);
  requireFloat(x, where);
  if (x.ndim !== 4) throw new ShapeError(`${where}: expects input [N, C, H, W] or [C, H, W], got shape [${x.shape}]`);
  if (weight.ndim !== 4) throw new ShapeError(`${where}: weight must be [out, in/groups, kH, kW], got [${weight.shape}]`);
  const groups = options.groups ?? 1;
  const [N, C, H, W] = x.shape;
  const [O, Cg, kH, kW] = weight.shape;
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${where}: groups must be a positive integer, got ${groups}`);
  if (C % groups !== 0 || O % groups !== 0) throw new ValueError(`${where}: in channels ${C} and out channels ${O} must both be divisible by groups ${groups}`);
  if (Cg * groups !== C) {
    throw new ShapeError(`${where}: input has ${C} channels but the weight [${weight.shape}] expects ${Cg * groups} (${Cg} per group × ${groups} groups); input shape [${x.shape}]`);
  }
  const bias = biasIn ? promote(biasIn, x)[0] : null;
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O)) throw new ShapeError(`${where}: bias must be [${O}], got [${bias.shape}]`);
  const stride = positivePair(options.stride ?? 1, "stride", where);
  const dilation = positivePair(options.dilation ?? 1, "dilation", where);
  const [pt, pb, pl, pr] = resolveConvPadding(options.padding ?? 0, [kH, kW], dilation, stride, where);
  const at = `${where} with input [${x.shape}]`;
  const outH = convOutputSize(H, kH, stride[0], pt, pb, dilation[0], at);
  const outW = convOutputSize(W, kW, stride[1], pl, pr, dilation[1], at);
  const spec: Conv2dSpec = {
    batch: N, channels: C, inH: H, inW: W, kernelH: kH, kernelW: kW,
    strideH: stride[0], strideW: stride[1], padTop: pt, padLeft: pl,
    dilationH: dilation[0], dilationW: dilation[1], outH, outW, outChannels: O, groups,
  };

  const backend = backendOf(x);
  const out = backend.conv2d(x.storage, weight.storage, bias ? bias.storage : null, spec);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return fromOp(out, [N, O, outH, outW], "conv2d", inputs, (g) => {
    const gx = x.requiresGrad ? constant(backend.conv2dBackwardInput(g.storage, weight.storage, spec), x.shape) : null;
    const gw = weight.requiresGrad ? constant(backend.conv2dBackwardWeight(g.storage, x.storage, spec), weight.shape) : null;
    const gb = bias?.requiresGrad ? g.sum([0, 2, 3]) : null;
    return bias ? [gx, gw, gb] : [gx, gw];
  });
}
