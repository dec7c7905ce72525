/**
 * Convolutions over 1, 2 and 3 spatial dims: argument checking, the padding forms
 * (conv-padding.ts), output-size arithmetic and autograd. The arithmetic itself is always the
 * backend's 2-D convolution (Backend.conv2d and its two gradients): the lectures' im2col + matrix
 * product on the reference backend, fused per-image tiles over threads on wasm. So:
 *
 * - conv2d takes (before, after) padding per dim straight to the backend, whose window starts at
 *   padTop / padLeft and whose output size implies the rest;
 * - conv1d is conv2d on [N, C, 1, L] with a [O, C/g, 1, k] kernel;
 * - conv3d unfolds the depth: for each output depth od and kernel depth kd it picks input depth
 *   od·sD + kd·dD (one index gather), making a batch of N·outD images with C·kD channels, and
 *   runs ONE conv2d with the weight [O, C/g·kD, kH, kW]: the depth sum becomes part of the
 *   channel sum. The gather's gradient is an index-add, so autograd needs nothing new;
 * - a paddingMode other than "zeros" pads first (padding.ts: reflect / replicate / circular),
 *   then convolves without padding, as PyTorch does.
 *
 * Output size per dim: o = ⌊(l + before + after - d(k-1) - 1) / s⌋ + 1 (window.ts).
 * The bias gradient is the sum of dY over all but the channel dim.
 */
import type { Conv2dSpec } from "../backend/types.js";
import { constant, fromOp } from "../autograd/record.js";
import { ShapeError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkPaddingMode, positiveNtuple, resolvePadding, type ConvPadding, type PaddingMode } from "./conv-padding.js";
import { padByMode } from "./padding.js";
import { indexSelect } from "./indexing.js";
import { pad } from "./shape.js";
import { backendOf, promote, requireFloat } from "./util.js";
import { convOutputSize, type Pair } from "./window.js";

export type { ConvPadding, PaddingMode, SidePadding } from "./conv-padding.js";

/** The padding forms of a 2-D convolution (kept under its older name). */
export type Padding2d = ConvPadding;

export type Triple = number | [number, number, number];

export interface ConvOptions<T = number | readonly number[]> {
  stride?: T;
  /** See conv-padding.ts: a number, per dim, per side, { total }, "valid", "same", "full". */
  padding?: ConvPadding;
  dilation?: T;
  groups?: number;
  /** How the padding is filled (PyTorch's padding_mode); default "zeros". */
  paddingMode?: PaddingMode;
  /** Names the layer in error messages, e.g. "features.0 (Conv2d)". */
  name?: string;
}

export type Conv1dOptions = ConvOptions<number | [number]>;
export type Conv2dOptions = ConvOptions<Pair>;
export type Conv3dOptions = ConvOptions<Triple>;

const SPATIAL = ["L", "H, W", "D, H, W"];
const KERNEL = ["k", "kH, kW", "kD, kH, kW"];

/** A checked convolution: the batched input (already padded when the mode is not "zeros"). */
interface Prepared {
  x: Tensor;
  weight: Tensor;
  bias: Tensor | null;
  stride: number[];
  dilation: number[];
  groups: number;
  /** (before, after) zero padding per spatial dim, left for the backend. */
  pads: [number, number][];
  /** Output size per spatial dim. */
  out: number[];
}

function prepare(dims: number, input: Tensor, weightIn: Tensor, biasIn: Tensor | null | undefined, options: ConvOptions, where: string, shown: readonly number[]): Prepared {
  const spatial = SPATIAL[dims - 1];
  const [x, weight] = promote(input, weightIn);
  requireFloat(x, where);
  if (x.ndim !== dims + 2) throw new ShapeError(`${where}: expects input [N, C, ${spatial}] or [C, ${spatial}], got shape [${x.shape}]`);
  if (weight.ndim !== dims + 2) throw new ShapeError(`${where}: weight must be [out, in/groups, ${KERNEL[dims - 1]}], got [${weight.shape}]`);
  const groups = options.groups ?? 1;
  const C = x.shape[1];
  const [O, Cg] = weight.shape;
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${where}: groups must be a positive integer, got ${groups}`);
  if (C % groups !== 0 || O % groups !== 0) throw new ValueError(`${where}: in channels ${C} and out channels ${O} must both be divisible by groups ${groups}`);
  if (Cg * groups !== C) {
    throw new ShapeError(`${where}: input has ${C} channels but the weight [${weight.shape}] expects ${Cg * groups} (${Cg} per group × ${groups} groups); input shape [${shown}]`);
  }
  const bias = biasIn ? promote(biasIn, x)[0] : null;
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O)) throw new ShapeError(`${where}: bias must be [${O}], got [${bias.shape}]`);
  const stride = positiveNtuple(options.stride ?? 1, dims, "stride", where);
  const dilation = positiveNtuple(options.dilation ?? 1, dims, "dilation", where);
  const kernel = weight.shape.slice(2);
  const size = x.shape.slice(2);
  let pads = resolvePadding(options.padding ?? 0, { kernel, stride, dilation }, size, where)!;
  const at = `${where} with input [${shown}]`;
  const out = size.map((l, i) => convOutputSize(l, kernel[i], stride[i], pads[i][0], pads[i][1], dilation[i], at));
  let padded = x;
  const mode = checkPaddingMode(options.paddingMode ?? "zeros", where);
  if (mode !== "zeros" && pads.some(([a, b]) => a > 0 || b > 0)) {
    padded = padByMode(x, pads, mode, at);
    pads = pads.map((): [number, number] => [0, 0]);
  }
  return { x: padded, weight, bias, stride, dilation, groups, pads, out };
}

/** The one call into the backend: x [N, C, H, W] ⋆ weight [O, C/g, kH, kW] (+ bias) with autograd. */
function conv2dCore(x: Tensor, weight: Tensor, bias: Tensor | null, p: { stride: number[]; dilation: number[]; groups: number; pads: [number, number][]; out: number[] }): Tensor {
  const [N, C, H, W] = x.shape;
  const [O, , kH, kW] = weight.shape;
  const [outH, outW] = p.out;
  const spec: Conv2dSpec = {
    batch: N, channels: C, inH: H, inW: W, kernelH: kH, kernelW: kW,
    strideH: p.stride[0], strideW: p.stride[1], padTop: p.pads[0][0], padLeft: p.pads[1][0],
    dilationH: p.dilation[0], dilationW: p.dilation[1], outH, outW, outChannels: O, groups: p.groups,
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

/**
 * Runs `body` on a batched input; an unbatched one ([C, ...]) gets a batch of 1 and loses it
 * again. `shown` is the shape the caller passed, for messages.
 */
function batched(dims: number, input: Tensor, body: (x: Tensor, shown: readonly number[]) => Tensor): Tensor {
  return input.ndim === dims + 1 ? body(input.unsqueeze(0), input.shape).squeeze(0) : body(input, input.shape);
}

/**
 * 2-D convolution (cross-correlation): x [N, C, H, W] (or [C, H, W]) ⋆ weight [O, C/groups, kH, kW]
 * (+ bias [O]) → [N, O, outH, outW].
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  const where = options.name ?? "conv2d";
  return batched(2, input, (x, shown) => {
    const p = prepare(2, x, weight, bias, options, where, shown);
    return conv2dCore(p.x, p.weight, p.bias, p);
  });
}

/** 1-D convolution: x [N, C, L] (or [C, L]) ⋆ weight [O, C/groups, k] (+ bias [O]) → [N, O, outL]. */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv1dOptions = {}): Tensor {
  const where = options.name ?? "conv1d";
  return batched(1, input, (x, shown) => {
    const p = prepare(1, x, weight, bias, options, where, shown);
    const y = conv2dCore(p.x.unsqueeze(2), p.weight.unsqueeze(2), p.bias, {
      stride: [1, p.stride[0]], dilation: [1, p.dilation[0]], groups: p.groups, pads: [[0, 0], p.pads[0]], out: [1, p.out[0]],
    });
    return y.squeeze(2);
  });
}

/**
 * 3-D convolution: x [N, C, D, H, W] (or [C, D, H, W]) ⋆ weight [O, C/groups, kD, kH, kW]
 * (+ bias [O]) → [N, O, outD, outH, outW], as one conv2d over the depth-unfolded input (see the
 * file comment).
 */
export function conv3d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv3dOptions = {}): Tensor {
  const where = options.name ?? "conv3d";
  return batched(3, input, (x, shown) => {
    const p = prepare(3, x, weight, bias, options, where, shown);
    const [N, C, , H, W] = p.x.shape;
    const [O, Cg, kD, kH, kW] = p.weight.shape;
    const [sD, sH, sW] = p.stride;
    const [dD, dH, dW] = p.dilation;
    const outD = p.out[0];
    // Depth padding is explicit (zeros here; other modes were applied in prepare).
    const [front, back] = p.pads[0];
    const xp = front || back ? pad(p.x, [0, 0, 0, 0, front, back]) : p.x;
    // cols[n, od, c, kd] = xp[n, c, od·sD + kd·dD]: N·outD images of C·kD channels.
    const depth = Array.from({ length: outD * kD }, (_, i) => Math.floor(i / kD) * sD + (i % kD) * dD);
    const picked = kD === 1 && sD === 1 && depth.length === xp.shape[2] ? xp : indexSelect(xp, 2, depth);
    const cols = picked.reshape([N, C, outD, kD, H, W]).permute(0, 2, 1, 3, 4, 5).reshape([N * outD, C * kD, H, W]);
    const y = conv2dCore(cols, p.weight.reshape([O, Cg * kD, kH, kW]), p.bias, {
      stride: [sH, sW], dilation: [dH, dW], groups: p.groups, pads: p.pads.slice(1), out: p.out.slice(1),
    });
    return y.reshape([N, outD, O, p.out[1], p.out[2]]).permute(0, 2, 1, 3, 4);
  });
}
