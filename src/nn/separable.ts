import type { Tensor } from "../tensor/tensor.js";
import type { Pair } from "../ops/window.js";
import type { ConvPadding, PaddingMode } from "../ops/conv-padding.js";
import { ValueError } from "../errors.js";
import { Module } from "./module.js";
import { Conv2d } from "./conv.js";

export interface SeparableConv2dOptions {
  /** Of the depthwise convolution (the pointwise one is 1x1, stride 1). */
  stride?: Pair;
  padding?: ConvPadding;
  dilation?: Pair;
  /** Depthwise filters per input channel (Keras's depth_multiplier); default 1. */
  depthMultiplier?: number;
  /** A bias on both convolutions (default true, as PyTorch's Conv2d default). */
  bias?: boolean;
  paddingMode?: PaddingMode;
}

/**
 * Depthwise-separable convolution (Xception, MobileNet): a depthwise k×k convolution that
 * filters each channel on its own (groups = inChannels), then a pointwise 1×1 convolution that
 * mixes channels. The lectures' cost comparison: c·kH·kW + c·f weights instead of f·c·kH·kW.
 *
 * Submodules `depthwise` (Conv2d(in, in·m, k, groups = in)) and `pointwise` (Conv2d(in·m, out, 1)),
 * so the state-dict keys are `depthwise.weight`, `depthwise.bias`, `pointwise.weight`,
 * `pointwise.bias`, as in the usual PyTorch implementations.
 *
 * @example new SeparableConv2d(32, 64, 3, { padding: 1 })
 */
export class SeparableConv2d extends Module {
  readonly depthwise: Conv2d;
  readonly pointwise: Conv2d;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    options: SeparableConv2dOptions = {},
  ) {
    super();
    const m = options.depthMultiplier ?? 1;
    if (!Number.isInteger(m) || m < 1) throw new ValueError(`SeparableConv2d: depthMultiplier must be a positive integer, got ${m}`);
    const { depthMultiplier: _, ...conv } = options;
    this.depthwise = new Conv2d(inChannels, inChannels * m, kernelSize, { ...conv, groups: inChannels });
    this.pointwise = new Conv2d(inChannels * m, outChannels, 1, { bias: options.bias });
  }

  forward(x: Tensor): Tensor {
    return this.pointwise.forward(this.depthwise.forward(x));
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}`;
  }
}
