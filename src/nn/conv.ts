import type { Tensor } from "../tensor/tensor.js";
import { conv1d, conv2d, conv3d, type ConvOptions, type Triple } from "../ops/conv.js";
import { checkPaddingMode, positiveNtuple, resolvePadding, type ConvPadding, type PaddingMode } from "../ops/conv-padding.js";
import type { Pair } from "../ops/window.js";
import { ShapeError, ValueError } from "../errors.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { zeros } from "../tensor/create.js";
import { pytorchDefault_ } from "./init.js";

/** Options of Conv1d / Conv2d / Conv3d; `T` is a number or one number per spatial dim. */
export interface ConvLayerOptions<T> {
  stride?: T;
  /**
   * A number, one per dim, per side ([[top, bottom], [left, right]]), { total } (the lectures'
   * total padding, ⌊p/2⌋ before, ⌈p/2⌉ after), "valid", "same" (output ⌈input/stride⌉) or "full".
   */
  padding?: ConvPadding;
  dilation?: T;
  groups?: number;
  bias?: boolean;
  /** "zeros" (default), "reflect", "replicate" or "circular", as PyTorch's padding_mode. */
  paddingMode?: PaddingMode;
}

export type Conv1dOptions = ConvLayerOptions<number | [number]>;
export type Conv2dOptions = ConvLayerOptions<Pair>;
export type Conv3dOptions = ConvLayerOptions<Triple>;

const SPATIAL = ["L", "H, W", "D, H, W"];

/** Checks the positive integer channel counts and the groups that must divide them. */
export function checkChannels(name: string, inChannels: number, outChannels: number, groups: number): void {
  for (const [label, v] of [["inChannels", inChannels], ["outChannels", outChannels]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ValueError(`${name}: ${label} must be a positive integer, got ${v}`);
  }
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${name}: groups must be a positive integer, got ${groups}`);
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new ValueError(`${name}(${inChannels}, ${outChannels}): channels must be divisible by groups ${groups}`);
  }
}

/**
 * The shared body of Conv1d, Conv2d and Conv3d: configuration checked at construction (what
 * can be checked without an input), weight [out, in/groups, ...kernel] and bias [out] with
 * PyTorch's default initialisation, and the input check of the forward.
 */
abstract class ConvNd<T extends number[]> extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: T;
  readonly stride: T;
  readonly padding: ConvPadding;
  readonly dilation: T;
  readonly groups: number;
  readonly paddingMode: PaddingMode;

  constructor(
    private readonly dims: number,
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvLayerOptions<number | readonly number[]>,
  ) {
    super();
    const name = new.target.name;
    this.groups = options.groups ?? 1;
    checkChannels(name, inChannels, outChannels, this.groups);
    this.kernelSize = positiveNtuple(kernelSize, dims, "kernelSize", name) as T;
    this.stride = positiveNtuple(options.stride ?? 1, dims, "stride", name) as T;
    this.dilation = positiveNtuple(options.dilation ?? 1, dims, "dilation", name) as T;
    this.padding = options.padding ?? 0;
    // Validates the padding form now ("same" with stride > 1 resolves at the forward).
    resolvePadding(this.padding, { kernel: this.kernelSize, stride: this.stride, dilation: this.dilation }, null, name);
    this.paddingMode = checkPaddingMode(options.paddingMode ?? "zeros", name);
    this.weight = new Parameter(zeros([outChannels, inChannels / this.groups, ...this.kernelSize]));
    this.bias = options.bias === false ? null : new Parameter(zeros([outChannels]));
    pytorchDefault_(this.weight, this.bias);
  }

  protected options(): ConvOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups, paddingMode: this.paddingMode, name: this.describe() };
  }

  protected checkInput(x: Tensor): void {
    checkConvInput(this.describe(), this.dims, this.inChannels, x);
  }

  override extraRepr(): string {
    const parts = [`${this.inChannels}, ${this.outChannels}, kernelSize=${fmt(this.kernelSize)}`];
    if (this.stride.some((s) => s !== 1)) parts.push(`stride=${fmt(this.stride)}`);
    if (this.padding !== 0) parts.push(`padding=${fmtPadding(this.padding)}`);
    if (this.dilation.some((d) => d !== 1)) parts.push(`dilation=${fmt(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push("bias=false");
    if (this.paddingMode !== "zeros") parts.push(`paddingMode="${this.paddingMode}"`);
    return parts.join(", ");
  }
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch and the lectures) over NCHW input.
 *
 * Shape: [N, inChannels, H, W] → [N, outChannels, outH, outW] with
 * outH = floor((H + padTop + padBottom - dilation·(kH-1) - 1) / stride) + 1.
 * Weight [outChannels, inChannels/groups, kH, kW], bias [outChannels]. groups = inChannels is a
 * depthwise convolution; groups = 2 is AlexNet's two towers.
 *
 * @example new Conv2d(1, 6, 5, { padding: 2 }) // LeNet-5's first layer on 28x28 digits
 */
export class Conv2d extends ConvNd<[number, number]> {
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: Conv2dOptions = {}) {
    super(2, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    return conv2d(x, this.weight, this.bias, this.options() as Conv2dOptions);
  }
}

/**
 * 1-D convolution over [N, C, L] (sequences, signals): a Conv2d with height 1.
 *
 * Shape: [N, inChannels, L] → [N, outChannels, outL], weight [outChannels, inChannels/groups, k].
 *
 * @example new Conv1d(1, 1, 3, { padding: "same" }) // the lectures' x ⋆ [3, 2, 2] with ⌊p/2⌋, ⌈p/2⌉
 */
export class Conv1d extends ConvNd<[number]> {
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number], options: Conv1dOptions = {}) {
    super(1, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    return conv1d(x, this.weight, this.bias, this.options() as ConvOptions<number | [number]>);
  }
}

/**
 * 3-D convolution over [N, C, D, H, W] (video, volumes); runs as one 2-D convolution over the
 * depth-unfolded input (see ops/conv.ts).
 *
 * Shape: [N, inChannels, D, H, W] → [N, outChannels, outD, outH, outW], weight
 * [outChannels, inChannels/groups, kD, kH, kW].
 *
 * @example new Conv3d(3, 16, [3, 3, 3], { padding: 1 })
 */
export class Conv3d extends ConvNd<[number, number, number]> {
  constructor(inChannels: number, outChannels: number, kernelSize: Triple, options: Conv3dOptions = {}) {
    super(3, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    return conv3d(x, this.weight, this.bias, this.options() as ConvOptions<Triple>);
  }
}

/** 5 for [5, 5], "[2, 3]" otherwise. */
export function fmt(p: readonly number[]): string {
  return p.every((v) => v === p[0]) ? String(p[0]) : `[${p.join(", ")}]`;
}

export function fmtPadding(p: ConvPadding): string {
  if (typeof p === "number") return String(p);
  if (typeof p === "string") return JSON.stringify(p);
  if (Array.isArray(p) && p.every((v) => typeof v === "number")) return fmt(p as number[]);
  return JSON.stringify(p);
}

/** Batched [N, C, ...] or unbatched [C, ...] input with the layer's channel count, or a ShapeError. */
export function checkConvInput(layer: string, dims: number, inChannels: number, x: Tensor): void {
  const channelDim = x.ndim === dims + 1 ? 0 : 1;
  if ((x.ndim !== dims + 1 && x.ndim !== dims + 2) || x.shape[channelDim] !== inChannels) {
    throw new ShapeError(`${layer}: expects input [N, ${inChannels}, ${SPATIAL[dims - 1]}], got shape [${x.shape}]`);
  }
}
