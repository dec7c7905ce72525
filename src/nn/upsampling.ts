import type { Tensor } from "../tensor/tensor.js";
import { interpolate, type InterpolateMode } from "../ops/interpolate.js";
import { ValueError } from "../errors.js";
import { Module } from "./module.js";

export interface UpsampleOptions {
  /** Output spatial size ([h, w], or one number for every spatial dim). Give this or scaleFactor. */
  size?: number | number[] | null;
  /** Spatial multiplier: output = floor(input · scaleFactor). */
  scaleFactor?: number | number[] | null;
  /** "nearest" (default), "linear" ([N, C, W]) or "bilinear" ([N, C, H, W]). */
  mode?: InterpolateMode;
  /** Linear modes: align corner pixels (true) or pixel centres (false, the default). */
  alignCorners?: boolean | null;
  /** Source positions from the size ratio instead of 1/scaleFactor. */
  recomputeScaleFactor?: boolean | null;
}

/**
 * Upsampling (or downsampling) of feature maps by `interpolate`, as PyTorch's nn.Upsample:
 * [N, C, H, W] → [N, C, outH, outW]. No parameters.
 *
 * @example new Upsample({ scaleFactor: 2, mode: "bilinear", alignCorners: false })
 */
export class Upsample extends Module {
  readonly options: Readonly<UpsampleOptions>;

  constructor(options: UpsampleOptions = {}) {
    super();
    const hasSize = options.size !== undefined && options.size !== null;
    const hasScale = options.scaleFactor !== undefined && options.scaleFactor !== null;
    if (hasSize === hasScale) throw new ValueError("Upsample: give exactly one of size and scaleFactor");
    const mode = options.mode ?? "nearest";
    if (mode !== "nearest" && mode !== "linear" && mode !== "bilinear") throw new ValueError(`Upsample: mode must be "nearest", "linear" or "bilinear", got ${JSON.stringify(mode)}`);
    if (mode === "nearest" && options.alignCorners !== undefined && options.alignCorners !== null) {
      throw new ValueError(`Upsample: alignCorners can only be set with the linear modes ("linear", "bilinear"), not "nearest"`);
    }
    this.options = Object.freeze({ ...options, mode });
  }

  forward(x: Tensor): Tensor {
    return interpolate(x, { ...this.options, name: this.describe() });
  }

  override extraRepr(): string {
    const o = this.options;
    const parts = [o.size != null ? `size=${JSON.stringify(o.size)}` : `scaleFactor=${JSON.stringify(o.scaleFactor)}`, `mode=${JSON.stringify(o.mode)}`];
    if (o.alignCorners != null) parts.push(`alignCorners=${o.alignCorners}`);
    return parts.join(", ");
  }
}
