import type { Tensor } from "../tensor/tensor.js";
import { avgPool3d, maxPool3dWithIndices } from "../ops/pool3d.js";
import { checkDivisor, sizeAtLeast, type Size } from "../ops/pool-args.js";
import { Module } from "./module.js";
import { poolRepr } from "./pool-repr.js";

type Triple = [number, number, number];

const triple = (v: Size, min: number, what: string, layer: string): Triple => sizeAtLeast(v, 3, min, what, layer) as Triple;

export interface MaxPool3dOptions {
  /** Defaults to kernelSize. */
  stride?: Size | null;
  /** -inf padding on both sides of each axis, at most kernelSize/2. */
  padding?: Size;
  dilation?: Size;
  ceilMode?: boolean;
  /**
   * PyTorch's return_indices: the layer is meant to give its winners' positions too. A module's
   * forward returns one tensor (so it fits Sequential); call forwardWithIndices for the pair.
   */
  returnIndices?: boolean;
}

/**
 * 3-D max pooling (torch.nn.MaxPool3d) over volumes: [N, C, D, H, W] or [C, D, H, W] →
 * [..., Dout, Hout, Wout], each axis sized as MaxPool1d's length. Sizes, strides, paddings and
 * dilations are an int or a [d, h, w] triple. The gradient flows to each window's winner.
 */
export class MaxPool3d extends Module {
  readonly kernelSize: Triple;
  readonly stride: Triple;
  readonly padding: Triple;
  readonly dilation: Triple;
  readonly ceilMode: boolean;
  readonly returnIndices: boolean;

  constructor(kernelSize: Size, options: MaxPool3dOptions = {}) {
    super();
    this.kernelSize = triple(kernelSize, 1, "kernelSize", "MaxPool3d");
    this.stride = triple(options.stride ?? this.kernelSize, 1, "stride", "MaxPool3d");
    this.padding = triple(options.padding ?? 0, 0, "padding", "MaxPool3d");
    this.dilation = triple(options.dilation ?? 1, 1, "dilation", "MaxPool3d");
    this.ceilMode = options.ceilMode ?? false;
    this.returnIndices = options.returnIndices ?? false;
  }

  forward(x: Tensor): Tensor {
    return this.forwardWithIndices(x).out;
  }

  /** The pooled output and each winner's flat position (d*H + h)*W + w in its input volume. */
  forwardWithIndices(x: Tensor): { out: Tensor; indices: Tensor } {
    return maxPool3dWithIndices(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode, name: this.describe() });
  }

  override extraRepr(): string {
    return poolRepr([
      ["kernelSize", this.kernelSize, undefined], ["stride", this.stride, undefined], ["padding", this.padding, 0],
      ["dilation", this.dilation, 1], ["ceilMode", this.ceilMode, false], ["returnIndices", this.returnIndices, false],
    ]);
  }
}

export interface AvgPool3dOptions {
  /** Defaults to kernelSize. */
  stride?: Size | null;
  /** Zero padding on both sides of each axis, at most kernelSize/2. */
  padding?: Size;
  ceilMode?: boolean;
  /** Count padding cells in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this non-zero integer instead of its size. */
  divisorOverride?: number | null;
}

/**
 * 3-D average pooling (torch.nn.AvgPool3d): each window's sum over its in-input cells divided by
 * divisorOverride if given, else by the window's size clipped to the padded input (padding cells
 * counted when countIncludePad, PyTorch's rule).
 */
export class AvgPool3d extends Module {
  readonly kernelSize: Triple;
  readonly stride: Triple;
  readonly padding: Triple;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(kernelSize: Size, options: AvgPool3dOptions = {}) {
    super();
    this.kernelSize = triple(kernelSize, 1, "kernelSize", "AvgPool3d");
    this.stride = triple(options.stride ?? this.kernelSize, 1, "stride", "AvgPool3d");
    this.padding = triple(options.padding ?? 0, 0, "padding", "AvgPool3d");
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
    this.divisorOverride = checkDivisor(options.divisorOverride, "AvgPool3d");
  }

  forward(x: Tensor): Tensor {
    return avgPool3d(x, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride, name: this.describe(),
    });
  }

  override extraRepr(): string {
    return poolRepr([
      ["kernelSize", this.kernelSize, undefined], ["stride", this.stride, undefined], ["padding", this.padding, 0],
      ["ceilMode", this.ceilMode, false], ["countIncludePad", this.countIncludePad, true], ["divisorOverride", this.divisorOverride, null],
    ]);
  }
}
