/**
 * RandomCrop: pad the image with zeros, then cut a window of `size` at a random position — the
 * classic "shift by a few pixels" augmentation (CIFAR's pad 4, crop 32), as torchvision's
 * RandomCrop with padding_mode "constant" and fill 0. It is a shift by whole pixels, so it
 * composes with the other geometric transforms and alone is a plain row copy.
 */
import { ShapeError, ValueError } from "../../errors.js";
import { GeometricTransform, type RandomOptions } from "./geometric.js";
import { checkImageShape, type ImageShape } from "./transform.js";
import type { Warp } from "./warp.js";

export interface RandomCropOptions extends RandomOptions {
  /**
   * Zero padding added before cropping: p (all sides), [left/right, top/bottom] or
   * [left, top, right, bottom], as torchvision's. Default 0.
   */
  padding?: number | readonly [number, number] | readonly [number, number, number, number];
}

export class RandomCrop extends GeometricTransform {
  readonly name = "RandomCrop";
  /** Output [height, width]. */
  readonly size: readonly [number, number];
  /** [left, top, right, bottom]. */
  readonly padding: readonly [number, number, number, number];

  /** @param size output size: s (square) or [height, width] */
  constructor(size: number | readonly [number, number], options: RandomCropOptions = {}) {
    super(options);
    const s = typeof size === "number" ? [size, size] : size;
    if (!Array.isArray(s) || s.length !== 2 || !s.every((v) => Number.isInteger(v) && v >= 1)) {
      throw new ValueError(`${this.name}: size must be a positive integer or [height, width] of positive integers, got ${JSON.stringify(size)}`);
    }
    this.size = [s[0], s[1]];
    const p = options.padding ?? 0;
    const pads = typeof p === "number" ? [p, p, p, p] : p.length === 2 ? [p[0], p[1], p[0], p[1]] : p.length === 4 ? [...p] : null;
    if (!pads || !pads.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new ValueError(`${this.name}: padding must be a non-negative integer, [left/right, top/bottom] or [left, top, right, bottom], got ${JSON.stringify(p)}`);
    }
    this.padding = [pads[0], pads[1], pads[2], pads[3]];
  }

  override outputShape(shape: ImageShape): ImageShape {
    const [c, h, w] = checkImageShape(this.name, shape);
    const [left, top, right, bottom] = this.padding;
    const [th, tw] = this.size;
    if (th > h + top + bottom || tw > w + left + right) {
      throw new ShapeError(
        `${this.name}: crop size [${th}, ${tw}] is larger than the padded image [${h + top + bottom}, ${w + left + right}] ` +
          `(input [${shape}], padding [${this.padding}]); the crop must fit inside the padded image`,
      );
    }
    return [c, th, tw];
  }

  /** Draws the crop's top-left corner (row i, column j) in the padded image, as torchvision. */
  sampleOffset(height: number, width: number): [number, number] {
    const [left, top, right, bottom] = this.padding;
    const [th, tw] = this.size;
    const hp = height + top + bottom;
    const wp = width + left + right;
    if (hp === th && wp === tw) return [0, 0];
    return [this.generator.int(hp - th + 1), this.generator.int(wp - tw + 1)];
  }

  sampleInto(warp: Warp): void {
    const [i, j] = this.sampleOffset(warp.height, warp.width);
    // out(y, x) = padded(y + i, x + j) = in(y + i − top, x + j − left)
    warp.then(1, 0, j - this.padding[0], 0, 1, i - this.padding[1], this.size[0], this.size[1]);
  }

  protected override extraRepr(): string {
    return `size=[${this.size.join(", ")}], padding=[${this.padding.join(", ")}]`;
  }
}
