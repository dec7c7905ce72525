import type { Tensor } from "../tensor/tensor.js";
import {
  adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool1dWithIndices, adaptiveMaxPool2dWithIndices, type AdaptiveSize,
} from "../ops/pool-adaptive.js";
import { ValueError } from "../errors.js";
import { Module } from "./module.js";

/** Checks an output size up front: integers >= 1, or null (keep the input's size) where allowed. */
function checkSize(size: AdaptiveSize, n: number, allowNull: boolean, layer: string): void {
  const list: (number | null)[] = size === null || typeof size === "number" ? [size] : [...size];
  const ok = (typeof size === "number" || size === null || list.length === n) && list.every((v) => (v === null ? allowNull : Number.isInteger(v) && v >= 1));
  if (!ok) throw new ValueError(`${layer}: outputSize must be an integer >= 1${allowNull ? ", null (keep the input size)" : ""}${n > 1 ? ` or a list of ${n} of those` : ""}, got ${JSON.stringify(size)}`);
}

function showSize(size: AdaptiveSize): string {
  return `outputSize=${Array.isArray(size) ? `[${size.map(String).join(", ")}]` : String(size)}`;
}

/**
 * Adaptive average pooling over sequences (torch.nn.AdaptiveAvgPool1d): [N, C, L] or [C, L] →
 * [..., outputSize], output i averaging inputs ⌊i·L/out⌋ .. ⌈(i+1)·L/out⌉ - 1.
 */
export class AdaptiveAvgPool1d extends Module {
  constructor(readonly outputSize: number) {
    super();
    checkSize(outputSize, 1, false, "AdaptiveAvgPool1d");
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool1d(x, this.outputSize, { name: this.describe() });
  }

  override extraRepr(): string {
    return showSize(this.outputSize);
  }
}

/**
 * Adaptive average pooling over images (torch.nn.AdaptiveAvgPool2d): [N, C, H, W] or [C, H, W]
 * → [..., oH, oW], windows ⌊i·H/oH⌋ .. ⌈(i+1)·H/oH⌉ - 1 (and likewise along W). outputSize is an
 * int, an [oH, oW] pair, or null in either place to keep that size. AdaptiveAvgPool2d(1) is
 * global average pooling (one mean per feature map), as at the end of GoogLeNet and ResNet.
 */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: AdaptiveSize) {
    super();
    checkSize(outputSize, 2, true, "AdaptiveAvgPool2d");
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize, { name: this.describe() });
  }

  override extraRepr(): string {
    return showSize(this.outputSize);
  }
}

export interface AdaptiveMaxPoolOptions {
  /**
   * PyTorch's return_indices: the layer is meant to give its winners' positions too. A module's
   * forward returns one tensor (so it fits Sequential); call forwardWithIndices for the pair.
   */
  returnIndices?: boolean;
}

/** Adaptive max pooling over sequences (torch.nn.AdaptiveMaxPool1d), windows as AdaptiveAvgPool1d. */
export class AdaptiveMaxPool1d extends Module {
  readonly returnIndices: boolean;

  constructor(
    readonly outputSize: number,
    options: AdaptiveMaxPoolOptions = {},
  ) {
    super();
    checkSize(outputSize, 1, false, "AdaptiveMaxPool1d");
    this.returnIndices = options.returnIndices ?? false;
  }

  forward(x: Tensor): Tensor {
    return this.forwardWithIndices(x).out;
  }

  /** The pooled output and each winner's position along the sequence. */
  forwardWithIndices(x: Tensor): { out: Tensor; indices: Tensor } {
    return adaptiveMaxPool1dWithIndices(x, this.outputSize, { name: this.describe() });
  }

  override extraRepr(): string {
    return `${showSize(this.outputSize)}${this.returnIndices ? ", returnIndices=true" : ""}`;
  }
}

/**
 * Adaptive max pooling over images (torch.nn.AdaptiveMaxPool2d), windows as AdaptiveAvgPool2d;
 * the gradient flows to each window's winner. Its indices (h*W + w per plane) feed MaxUnpool2d.
 */
export class AdaptiveMaxPool2d extends Module {
  readonly returnIndices: boolean;

  constructor(
    readonly outputSize: AdaptiveSize,
    options: AdaptiveMaxPoolOptions = {},
  ) {
    super();
    checkSize(outputSize, 2, true, "AdaptiveMaxPool2d");
    this.returnIndices = options.returnIndices ?? false;
  }

  forward(x: Tensor): Tensor {
    return this.forwardWithIndices(x).out;
  }

  /** The pooled output and each winner's flat position h*W + w in its input plane. */
  forwardWithIndices(x: Tensor): { out: Tensor; indices: Tensor } {
    return adaptiveMaxPool2dWithIndices(x, this.outputSize, { name: this.describe() });
  }

  override extraRepr(): string {
    return `${showSize(this.outputSize)}${this.returnIndices ? ", returnIndices=true" : ""}`;
  }
}
