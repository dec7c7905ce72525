/**
 * Transposed convolutions (PyTorch's conv_transpose1d / conv_transpose2d), built on the backend's
 * three convolution kernels. A transposed convolution with weight W [in, out/groups, kH, kW] is
 * the adjoint of the convolution C that maps out → in channels with the same W, stride, padding
 * and dilation (C's weight layout [O = in, C/g = out/g, kH, kW] is exactly W's). So:
 *   forward          y  = Cᵀ x          = conv2dBackwardInput(x as C's output gradient, W)
 *   input gradient   dx = C dy          = conv2d(dy, W)
 *   weight gradient  dW = conv2dBackwardWeight(x as C's output gradient, dy as C's input)
 * and the bias gradient is the sum of dy. No new kernel: the wasm backend's fused kernels run it.
 *
 * Output size per dim: o = (l - 1)·s - before - after + d(k - 1) + outputPadding + 1, where
 * `padding` crops the full result (PyTorch: before = after = padding) and outputPadding adds
 * rows at the end; PyTorch's rule: outputPadding < stride or outputPadding < dilation.
 */
import type { Conv2dSpec } from "../backend/types.js";
import { constant, fromOp } from "../autograd/record.js";
import { ShapeError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { ntuple, positiveNtuple, resolvePadding, type SidePadding } from "./conv-padding.js";
import { backendOf, promote, requireFloat } from "./util.js";

export interface ConvTransposeOptions<T = number | readonly number[]> {
  stride?: T;
  /**
   * Cropped from both ends of each dim of the full output: a number, one per dim, or per side
   * ([[top, bottom], [left, right]]; an extension: PyTorch takes symmetric padding only).
   * The string forms ("same", ...) are not defined for a transposed convolution.
   */
  padding?: number | readonly SidePadding[];
  /** Extra rows / columns at the end of the output (to pick among the sizes a strided conv maps to one size). */
  outputPadding?: T;
  groups?: number;
  dilation?: T;
  /** Names the layer in error messages. */
  name?: string;
}

export type ConvTranspose1dOptions = ConvTransposeOptions<number | [number]>;
export type ConvTranspose2dOptions = ConvTransposeOptions<number | [number, number]>;

interface Geometry {
  stride: number[];
  dilation: number[];
  groups: number;
  pads: [number, number][];
  outputPadding: number[];
}

/** Output sizes of a transposed convolution; throws with the rule when one is below 1. */
export function convTransposeOutputSize(l: number, k: number, s: number, before: number, after: number, d: number, outputPadding: number, where: string): number {
  const o = (l - 1) * s - before - after + d * (k - 1) + outputPadding + 1;
  if (o < 1) {
    throw new ShapeError(
      `${where}: output size (${l}-1)·${s} - ${before} - ${after} + ${d}·(${k}-1) + ${outputPadding} + 1 = ${o} is below 1; rule: (in-1)·stride - padding + dilation·(kernel-1) + outputPadding + 1 >= 1`,
    );
  }
  return o;
}

/** Checks the options of a transposed convolution over `dims` spatial dims (usable at construction). */
export function convTransposeGeometry(dims: number, kernel: readonly number[], options: ConvTransposeOptions, where: string): Geometry {
  const stride = positiveNtuple(options.stride ?? 1, dims, "stride", where);
  const dilation = positiveNtuple(options.dilation ?? 1, dims, "dilation", where);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${where}: groups must be a positive integer, got ${groups}`);
  const padding = options.padding ?? 0;
  if (typeof padding === "string" || (typeof padding === "object" && !Array.isArray(padding))) {
    throw new ValueError(`${where}: padding ${JSON.stringify(padding)} is not supported by a transposed convolution; rule: give numbers (per dim or per side), as PyTorch's ConvTranspose takes`);
  }
  const pads = resolvePadding(padding, { kernel, stride, dilation }, null, where)!;
  const outputPadding = ntuple(options.outputPadding ?? 0, dims, "outputPadding", where);
  if (outputPadding.some((p, i) => p < 0 || (p >= stride[i] && p >= dilation[i]))) {
    throw new ValueError(
      `${where}: outputPadding [${outputPadding}] must be >= 0 and smaller than either stride [${stride}] or dilation [${dilation}] in each dim; rule (PyTorch's): outputPadding < stride or outputPadding < dilation`,
    );
  }
  return { stride, dilation, groups, pads, outputPadding };
}

/**
 * x [N, in, H, W] with weight [in, out/g, kH, kW] → [N, out, outH, outW] (no bias): the input
 * gradient of the matching convolution. Output rows past the last window (outputPadding beyond
 * the cropped padding) get no contribution; the backends' kernels leave them zero.
 */
function convTranspose2dCore(x: Tensor, weight: Tensor, g: Geometry, where: string, inputShape: readonly number[]): Tensor {
  const [N, , H, W] = x.shape;
  const [, Cog, kH, kW] = weight.shape;
  const size = [H, W];
  const kernel = [kH, kW];
  const out = size.map((l, i) => convTransposeOutputSize(l, kernel[i], g.stride[i], g.pads[i][0], g.pads[i][1], g.dilation[i], g.outputPadding[i], `${where} with input [${inputShape}]`));
  const reach = size.map((l, i) => (l - 1) * g.stride[i] + g.dilation[i] * (kernel[i] - 1) + 1 - g.pads[i][0]);
  if (reach.some((r) => r < 1)) {
    throw new ShapeError(`${where} with input [${inputShape}]: padding [${g.pads.map((p) => p[0])}] crops away every output the input reaches; rule: padding before <= (in-1)·stride + dilation·(kernel-1)`);
  }
  const [cH, cW] = out;
  const spec: Conv2dSpec = {
    batch: N, channels: Cog * g.groups, inH: cH, inW: cW, kernelH: kH, kernelW: kW,
    strideH: g.stride[0], strideW: g.stride[1], padTop: g.pads[0][0], padLeft: g.pads[1][0],
    dilationH: g.dilation[0], dilationW: g.dilation[1], outH: H, outW: W, outChannels: x.shape[1], groups: g.groups,
  };
  const backend = backendOf(x);
  return fromOp(backend.conv2dBackwardInput(x.storage, weight.storage, spec), [N, spec.channels, cH, cW], "convTranspose2d", [x, weight], (dy) => [
    x.requiresGrad ? constant(backend.conv2d(dy.storage, weight.storage, null, spec), x.shape) : null,
    weight.requiresGrad ? constant(backend.conv2dBackwardWeight(x.storage, dy.storage, spec), weight.shape) : null,
  ]);
}

function convTransposeNd(dims: 1 | 2, input: Tensor, weightIn: Tensor, biasIn: Tensor | null | undefined, options: ConvTransposeOptions, op: string): Tensor {
  const where = options.name ?? op;
  const spatial = dims === 1 ? "L" : "H, W";
  if (input.ndim === dims + 1) return convTransposeNd(dims, input.unsqueeze(0), weightIn, biasIn, options, op).squeeze(0);
  const [x, weight] = promote(input, weightIn);
  requireFloat(x, where);
  if (x.ndim !== dims + 2) throw new ShapeError(`${where}: expects input [N, C, ${spatial}] or [C, ${spatial}], got shape [${x.shape}]`);
  if (weight.ndim !== dims + 2) throw new ShapeError(`${where}: weight must be [in, out/groups, ${dims === 1 ? "k" : "kH, kW"}], got [${weight.shape}]`);
  const g = convTransposeGeometry(dims, weight.shape.slice(2), options, where);
  const C = x.shape[1];
  if (C % g.groups !== 0) throw new ValueError(`${where}: in channels ${C} must be divisible by groups ${g.groups}`);
  if (weight.shape[0] !== C) {
    throw new ShapeError(`${where}: input has ${C} channels but the weight [${weight.shape}] (layout [in, out/groups, ...]) expects ${weight.shape[0]}; input shape [${x.shape}]`);
  }
  const outChannels = weight.shape[1] * g.groups;
  const bias = biasIn ? promote(biasIn, x)[0] : null;
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outChannels)) throw new ShapeError(`${where}: bias must be [${outChannels}], got [${bias.shape}]`);
  let y: Tensor;
  if (dims === 2) {
    y = convTranspose2dCore(x, weight, g, where, x.shape);
  } else {
    const g2: Geometry = { groups: g.groups, stride: [1, ...g.stride], dilation: [1, ...g.dilation], pads: [[0, 0], ...g.pads], outputPadding: [0, ...g.outputPadding] };
    y = convTranspose2dCore(x.unsqueeze(2), weight.unsqueeze(2), g2, where, x.shape).squeeze(2);
  }
  return bias ? y.add(bias.reshape(dims === 1 ? [outChannels, 1] : [outChannels, 1, 1])) : y;
}

/**
 * Transposed 2-D convolution ("deconvolution"): x [N, in, H, W] (or [in, H, W]), weight
 * [in, out/groups, kH, kW], bias [out] → [N, out, outH, outW].
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTranspose2dOptions = {}): Tensor {
  return convTransposeNd(2, input, weight, bias, options, "convTranspose2d");
}

/** Transposed 1-D convolution: x [N, in, L] (or [in, L]), weight [in, out/groups, k] → [N, out, outL]. */
export function convTranspose1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTranspose1dOptions = {}): Tensor {
  return convTransposeNd(1, input, weight, bias, options, "convTranspose1d");
}
