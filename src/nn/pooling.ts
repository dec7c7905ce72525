import type { Tensor } from "../tensor/tensor.js";
import { avgPool2d, maxPool2dWithIndices } from "../ops/pool.js";
import { checkDivisor } from "../ops/pool-args.js";
import { pair, positivePair, type Pair } from "../ops/window.js";
import { ShapeError } from "../errors.js";
import { Module } from "./module.js";

export interface MaxPool2dOptions {
  /** Defaults to kernelSize. */
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
  /**
   * PyTorch's return_indices: the layer is meant to give its winners' positions too. A module's
   * forward returns one tensor (so it fits Sequential); call forwardWithIndices for the pair.
   */
  returnIndices?: boolean;
}

function checkInput(m: Module, x: Tensor): void {
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(`${m.describe()}: expects input [N, C, H, W] or [C, H, W], got shape [${x.shape}]`);
}

/**
 * Max pooling: each output is the largest value in its window; the gradient flows to that
 * winner only. Shape: [N, C, H, W] → [N, C, outH, outW], sizes as for a convolution (padding
 * never wins; with ceilMode a partial last window counts).
 */
export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly ceilMode: boolean;
  readonly returnIndices: boolean;

  constructor(kernelSize: Pair, options: MaxPool2dOptions = {}) {
    super();
    this.kernelSize = positivePair(kernelSize, "kernelSize", "MaxPool2d");
    this.stride = positivePair(options.stride ?? this.kernelSize, "stride", "MaxPool2d");
    this.padding = pair(options.padding ?? 0, "padding", "MaxPool2d");
    this.dilation = positivePair(options.dilation ?? 1, "dilation", "MaxPool2d");
    this.ceilMode = options.ceilMode ?? false;
    this.returnIndices = options.returnIndices ?? false;
  }

  forward(x: Tensor): Tensor {
    return this.forwardWithIndices(x).out;
  }

  /** The pooled output and each winner's flat position h*W + w in its input plane (for MaxUnpool2d). */
  forwardWithIndices(x: Tensor): { out: Tensor; indices: Tensor } {
    checkInput(this, x);
    return maxPool2dWithIndices(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode, name: this.describe() });
  }

  override extraRepr(): string {
    return `kernelSize=${fmt(this.kernelSize)}, stride=${fmt(this.stride)}${this.padding.some(Boolean) ? `, padding=${fmt(this.padding)}` : ""}${this.ceilMode ? ", ceilMode=true" : ""}${this.returnIndices ? ", returnIndices=true" : ""}`;
  }
}

export interface AvgPool2dOptions {
  stride?: Pair | null;
  padding?: Pair;
  ceilMode?: boolean;
  /** Count padding cells in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this non-zero integer instead of its size. */
  divisorOverride?: number | null;
}

/** Average pooling: each output is the mean of its window. */
export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(kernelSize: Pair, options: AvgPool2dOptions = {}) {
    super();
    this.kernelSize = positivePair(kernelSize, "kernelSize", "AvgPool2d");
    this.stride = positivePair(options.stride ?? this.kernelSize, "stride", "AvgPool2d");
    this.padding = pair(options.padding ?? 0, "padding", "AvgPool2d");
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
    this.divisorOverride = checkDivisor(options.divisorOverride, "AvgPool2d");
  }

  forward(x: Tensor): Tensor {
    checkInput(this, x);
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride, name: this.describe(),
    });
  }

  override extraRepr(): string {
    const extras = `${this.ceilMode ? ", ceilMode=true" : ""}${this.countIncludePad ? "" : ", countIncludePad=false"}${this.divisorOverride === null ? "" : `, divisorOverride=${this.divisorOverride}`}`;
    return `kernelSize=${fmt(this.kernelSize)}, stride=${fmt(this.stride)}${this.padding.some(Boolean) ? `, padding=${fmt(this.padding)}` : ""}${extras}`;
  }
}

/** 2 for [2, 2], "[2, 3]" otherwise (as Conv2d's repr). */
function fmt(p: [number, number]): string {
  return p[0] === p[1] ? String(p[0]) : `[${p[0]}, ${p[1]}]`;
}
