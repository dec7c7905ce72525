/**
 * The base of every image transform: one sample at a time, on plain Float32Arrays.
 *
 * Augmentation runs on the data side, per sample, while a batch is drawn (see TransformedDataset
 * and the `transform` option of `mnist()`), so the pixel work is done on typed arrays in
 * JavaScript rather than as backend ops: no tensors, no autograd, no per-pixel closures. A
 * transform also works on tensors ([C, H, W] or a batch [N, C, H, W]) through `forward`.
 */
import type { Tensor } from "../../tensor/tensor.js";
import { tensor } from "../../tensor/create.js";
import { DTypeError, ShapeError } from "../../errors.js";

/** The shape of one image: channels, height, width (the NCHW layout without N). */
export type ImageShape = readonly [channels: number, height: number, width: number];

/** Number of values in an image of this shape. */
export function imageSize(shape: ImageShape): number {
  return shape[0] * shape[1] * shape[2];
}

/** Checks that `shape` is a real image shape [C, H, W] of positive integers. */
export function checkImageShape(name: string, shape: readonly number[]): ImageShape {
  if (shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ShapeError(`${name}: an image must have shape [C, H, W] with positive sizes, got [${shape}]`);
  }
  return shape as unknown as ImageShape;
}

export abstract class Transform {
  /** The name used in error messages and printing, e.g. "RandomRotation". */
  abstract readonly name: string;

  /**
   * The shape of one output image for an input image of `shape`. Throws (naming the transform,
   * the shape and the rule) when the transform cannot take such an image; it is called before
   * any pixel work, so a bad configuration fails on the first sample.
   */
  outputShape(shape: ImageShape): ImageShape {
    return checkImageShape(this.name, shape);
  }

  /**
   * Transforms one image: `src` holds C·H·W values of `shape` (row-major), `out` receives
   * `outputShape(shape)` values. `src` is only read and `out` must not overlap it. Random
   * transforms draw this sample's parameters from their generator here.
   */
  abstract applyTo(src: Float32Array, shape: ImageShape, out: Float32Array): void;

  /**
   * Transforms `count` images stored one after another in `src`, each drawing its own random
   * parameters, into a new array of `count` output images.
   */
  applyBatch(src: Float32Array, count: number, shape: ImageShape): { data: Float32Array; shape: ImageShape } {
    const outShape = this.outputShape(shape);
    const inSize = imageSize(shape);
    const outSize = imageSize(outShape);
    if (src.length !== count * inSize) {
      throw new ShapeError(`${this.name}: ${src.length} values do not hold ${count} images of shape [${shape}]`);
    }
    const out = new Float32Array(count * outSize);
    for (let i = 0; i < count; i++) {
      this.applyTo(src.subarray(i * inSize, (i + 1) * inSize), shape, out.subarray(i * outSize, (i + 1) * outSize));
    }
    return { data: out, shape: outShape };
  }

  /**
   * Transforms a float32 image [C, H, W], or each image of a batch [N, C, H, W] independently
   * (each with its own random parameters). Returns a new tensor; nothing is recorded for autograd.
   */
  forward(x: Tensor): Tensor {
    if (x.dtype !== "float32") throw new DTypeError(`${this.name}: images must be float32, got ${x.dtype} (shape [${x.shape}])`);
    if (x.ndim !== 3 && x.ndim !== 4) {
      throw new ShapeError(`${this.name}: expected an image [C, H, W] or a batch [N, C, H, W], got shape [${x.shape}]`);
    }
    const batched = x.ndim === 4;
    const count = batched ? x.shape[0] : 1;
    const shape = checkImageShape(this.name, x.shape.slice(batched ? 1 : 0));
    const { data, shape: outShape } = this.applyBatch(x.data() as Float32Array, count, shape);
    return tensor(data, { shape: batched ? [count, ...outShape] : [...outShape] });
  }

  /** The options, as in `RandomRotation(degrees=[-10, 10])`. */
  protected extraRepr(): string {
    return "";
  }

  toString(): string {
    return `${this.name}(${this.extraRepr()})`;
  }
}
