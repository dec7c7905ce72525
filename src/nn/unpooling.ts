import { Tensor } from "../tensor/tensor.js";
import { maxUnpool2d } from "../ops/unpool.js";
import { sizeAtLeast, type Size } from "../ops/pool-args.js";
import { Module } from "./module.js";
import { poolRepr } from "./pool-repr.js";

export interface MaxUnpool2dOptions {
  /** The pooling's stride; defaults to kernelSize. */
  stride?: Size | null;
  /** The pooling's padding. */
  padding?: Size;
}

/**
 * Max unpooling (torch.nn.MaxUnpool2d), the partial inverse of MaxPool2d: each pooled value goes
 * back to the position its index names, every other cell is zero.
 *   const { out, indices } = pool.forwardWithIndices(x); const back = unpool.forward(out, indices, x);
 * Shape: [N, C, H, W] or [C, H, W] → [..., Hout, Wout], Hout = (H-1)·stride - 2·padding + kernel
 * unless outputSize picks another size pooling maps to H (within ± stride of that).
 */
export class MaxUnpool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(kernelSize: Size, options: MaxUnpool2dOptions = {}) {
    super();
    this.kernelSize = sizeAtLeast(kernelSize, 2, 1, "kernelSize", "MaxUnpool2d") as [number, number];
    this.stride = sizeAtLeast(options.stride ?? this.kernelSize, 2, 1, "stride", "MaxUnpool2d") as [number, number];
    this.padding = sizeAtLeast(options.padding ?? 0, 2, 0, "padding", "MaxUnpool2d") as [number, number];
  }

  /**
   * `outputSize`: [H, W] or [N, C, H, W] as PyTorch's forward takes it, or a tensor whose shape
   * gives it (typically the input of the pooling: `unpool.forward(y, idx, x)`).
   */
  forward(x: Tensor, indices: Tensor, outputSize?: readonly number[] | Tensor | null): Tensor {
    const size = outputSize instanceof Tensor ? outputSize.shape : outputSize;
    return maxUnpool2d(x, indices, this.kernelSize, { stride: this.stride, padding: this.padding, outputSize: size, name: this.describe() });
  }

  override extraRepr(): string {
    return poolRepr([["kernelSize", this.kernelSize, undefined], ["stride", this.stride, undefined], ["padding", this.padding, 0]]);
  }
}
