import type { Tensor } from "../tensor/tensor.js";
import { avgPool1d, maxPool1dWithIndices, single, type Size1 } from "../ops/pool1d.js";
import { Module } from "./module.js";
import { poolRepr } from "./pool-repr.js";

export interface MaxPool1dOptions {
  /** Defaults to kernelSize. */
  stride?: Size1 | null;
  /** -inf padding on both ends, at most kernelSize/2. */
  padding?: Size1;
  dilation?: Size1;
  ceilMode?: boolean;
  /**
   * PyTorch's return_indices: the layer is meant to give its winners' positions too. A module's
   * forward returns one tensor (so it fits Sequential); call forwardWithIndices for the pair.
   */
  returnIndices?: boolean;
}

/**
 * 1-D max pooling (torch.nn.MaxPool1d): out[n, c, i] = max_k x[n, c, i·stride - padding + k·dilation].
 * Shape: [N, C, L] or [C, L] → [..., Lout], Lout = ⌊(L + 2·padding - dilation·(kernel-1) - 1)/stride⌋ + 1
 * (⌈⌉ with ceilMode, dropping a last window that would start in the right padding).
 * The gradient flows to each window's winner only.
 */
export class MaxPool1d extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly ceilMode: boolean;
  readonly returnIndices: boolean;

  constructor(kernelSize: Size1, options: MaxPool1dOptions = {}) {
    super();
    this.kernelSize = single(kernelSize, 1, "kernelSize", "MaxPool1d");
    this.stride = single(options.stride ?? this.kernelSize, 1, "stride", "MaxPool1d");
    this.padding = single(options.padding ?? 0, 0, "padding", "MaxPool1d");
    this.dilation = single(options.dilation ?? 1, 1, "dilation", "MaxPool1d");
    this.ceilMode = options.ceilMode ?? false;
    this.returnIndices = options.returnIndices ?? false;
  }

  forward(x: Tensor): Tensor {
    return this.forwardWithIndices(x).out;
  }

  /** The pooled output and each winner's position along the sequence. */
  forwardWithIndices(x: Tensor): { out: Tensor; indices: Tensor } {
    return maxPool1dWithIndices(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode, name: this.describe() });
  }

  override extraRepr(): string {
    return poolRepr([
      ["kernelSize", this.kernelSize, undefined], ["stride", this.stride, undefined], ["padding", this.padding, 0],
      ["dilation", this.dilation, 1], ["ceilMode", this.ceilMode, false], ["returnIndices", this.returnIndices, false],
    ]);
  }
}

export interface AvgPool1dOptions {
  /** Defaults to kernelSize. */
  stride?: Size1 | null;
  /** Zero padding on both ends, at most kernelSize/2. */
  padding?: Size1;
  ceilMode?: boolean;
  /** Count padding cells in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
}

/**
 * 1-D average pooling (torch.nn.AvgPool1d): the mean of each window, sizes as MaxPool1d with
 * dilation 1. PyTorch's AvgPool1d has no divisorOverride; AvgPool2d/3d do.
 */
export class AvgPool1d extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(kernelSize: Size1, options: AvgPool1dOptions = {}) {
    super();
    this.kernelSize = single(kernelSize, 1, "kernelSize", "AvgPool1d");
    this.stride = single(options.stride ?? this.kernelSize, 1, "stride", "AvgPool1d");
    this.padding = single(options.padding ?? 0, 0, "padding", "AvgPool1d");
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
  }

  forward(x: Tensor): Tensor {
    return avgPool1d(x, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, name: this.describe() });
  }

  override extraRepr(): string {
    return poolRepr([
      ["kernelSize", this.kernelSize, undefined], ["stride", this.stride, undefined], ["padding", this.padding, 0],
      ["ceilMode", this.ceilMode, false], ["countIncludePad", this.countIncludePad, true],
    ]);
  }
}
