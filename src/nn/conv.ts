import type { Tensor } from "../tensor/tensor.js";
import { conv2d, resolveConvPadding, type Padding2d } from "../ops/conv.js";
import { pair, positivePair, type Pair } from "../ops/window.js";
import { ShapeError, ValueError } from "../errors.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { zeros } from "../tensor/create.js";
import { pytorchDefault_ } from "./init.js";

export interface Conv2dOptions {
  stride?: Pair;
  /** Number or [h, w] for both sides, "valid" (no padding) or "same" (output size = input size; stride 1). */
  padding?: Padding2d;
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch and the lectures) over NCHW input.
 *
 * Shape: [N, inChannels, H, W] → [N, outChannels, outH, outW] with
 * outH = floor((H + padTop + padBottom - dilation·(kH-1) - 1) / stride) + 1.
 * Weight [outChannels, inChannels/groups, kH, kW], bias [outChannels].
 *
 * @example new Conv2d(1, 6, 5, { padding: 2 }) // LeNet-5's first layer on 28x28 digits
 */
export class Conv2d extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: Padding2d;
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    options: Conv2dOptions = {},
  ) {
    super();
    const name = "Conv2d";
    for (const [label, v] of [["inChannels", inChannels], ["outChannels", outChannels]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ValueError(`${name}: ${label} must be a positive integer, got ${v}`);
    }
    this.kernelSize = positivePair(kernelSize, "kernelSize", name);
    this.stride = positivePair(options.stride ?? 1, "stride", name);
    this.dilation = positivePair(options.dilation ?? 1, "dilation", name);
    this.groups = options.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups < 1) throw new ValueError(`${name}: groups must be a positive integer, got ${this.groups}`);
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw new ValueError(`${name}(${inChannels}, ${outChannels}): channels must be divisible by groups ${this.groups}`);
    }
    this.padding = options.padding ?? 0;
    if (typeof this.padding !== "string") pair(this.padding, "padding", name);
    // Validates "same" against the stride now rather than at the first forward.
    resolveConvPadding(this.padding, this.kernelSize, this.dilation, this.stride, name);
    this.weight = new Parameter(zeros([outChannels, inChannels / this.groups, ...this.kernelSize]));
    this.bias = options.bias === false ? null : new Parameter(zeros([outChannels]));
    pytorchDefault_(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    const channelDim = x.ndim === 3 ? 0 : 1;
    if ((x.ndim !== 3 && x.ndim !== 4) || x.shape[channelDim] !== this.inChannels) {
      throw new ShapeError(`${this.describe()}: expects input [N, ${this.inChannels}, H, W], got shape [${x.shape}]`);
    }
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups, name: this.describe(),
    });
  }

  override extraRepr(): string {
    const parts = [`${this.inChannels}, ${this.outChannels}, kernelSize=${fmt(this.kernelSize)}`];
    if (this.stride.some((s) => s !== 1)) parts.push(`stride=${fmt(this.stride)}`);
    if (this.padding !== 0) parts.push(`padding=${typeof this.padding === "string" ? JSON.stringify(this.padding) : fmt(pair(this.padding, "padding", "Conv2d"))}`);
    if (this.dilation.some((d) => d !== 1)) parts.push(`dilation=${fmt(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push("bias=false");
    return parts.join(", ");
  }
}

function fmt(p: [number, number]): string {
  return p[0] === p[1] ? String(p[0]) : `[${p[0]}, ${p[1]}]`;
}
