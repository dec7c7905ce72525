import type { Tensor } from "../tensor/tensor.js";
import { checkNorm, lpPool1d, lpPool2d } from "../ops/pool-lp.js";
import { single, type Size1 } from "../ops/pool1d.js";
import { sizeAtLeast } from "../ops/pool-args.js";
import type { Pair } from "../ops/window.js";
import { Module } from "./module.js";
import { poolRepr } from "./pool-repr.js";

export interface LPPool1dOptions {
  /** Defaults to kernelSize. */
  stride?: Size1 | null;
  ceilMode?: boolean;
}

/**
 * Power-average pooling over sequences (torch.nn.LPPool1d): out = (Σ_window x^p)^(1/p), p =
 * normType (2: L2 pooling, 1: sum pooling). No padding. Shape [N, C, L] or [C, L] → [..., Lout].
 * Computed as PyTorch does: (kernelSize · avgPool1d(x^p))^(1/p); a window summing to 0 passes no gradient.
 */
export class LPPool1d extends Module {
  readonly normType: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly ceilMode: boolean;

  constructor(normType: number, kernelSize: Size1, options: LPPool1dOptions = {}) {
    super();
    this.normType = checkNorm(normType, "LPPool1d");
    this.kernelSize = single(kernelSize, 1, "kernelSize", "LPPool1d");
    this.stride = single(options.stride ?? this.kernelSize, 1, "stride", "LPPool1d");
    this.ceilMode = options.ceilMode ?? false;
  }

  forward(x: Tensor): Tensor {
    return lpPool1d(x, this.normType, this.kernelSize, { stride: this.stride, ceilMode: this.ceilMode, name: this.describe() });
  }

  override extraRepr(): string {
    return poolRepr([["normType", this.normType, undefined], ["kernelSize", this.kernelSize, undefined], ["stride", this.stride, undefined], ["ceilMode", this.ceilMode, false]]);
  }
}

export interface LPPool2dOptions {
  /** Defaults to kernelSize. */
  stride?: Pair | null;
  ceilMode?: boolean;
}

/**
 * Power-average pooling over images (torch.nn.LPPool2d): out = (Σ_window x^p)^(1/p) over kh×kw
 * windows, p = normType (the lectures' L2 pooling is p = 2). No padding. Shape [N, C, H, W] or
 * [C, H, W]. Computed as PyTorch does: (kh·kw · avgPool2d(x^p))^(1/p).
 */
export class LPPool2d extends Module {
  readonly normType: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly ceilMode: boolean;

  constructor(normType: number, kernelSize: Pair, options: LPPool2dOptions = {}) {
    super();
    this.normType = checkNorm(normType, "LPPool2d");
    this.kernelSize = sizeAtLeast(kernelSize, 2, 1, "kernelSize", "LPPool2d") as [number, number];
    this.stride = sizeAtLeast(options.stride ?? this.kernelSize, 2, 1, "stride", "LPPool2d") as [number, number];
    this.ceilMode = options.ceilMode ?? false;
  }

  forward(x: Tensor): Tensor {
    return lpPool2d(x, this.normType, this.kernelSize, { stride: this.stride, ceilMode: this.ceilMode, name: this.describe() });
  }

  override extraRepr(): string {
    return poolRepr([["normType", this.normType, undefined], ["kernelSize", this.kernelSize, undefined], ["stride", this.stride, undefined], ["ceilMode", this.ceilMode, false]]);
  }
}
