/**
 * The deterministic transforms behind the random ones, on tensors (torchvision's
 * transforms.functional): `affine`, `rotate`, `hflip`, `vflip`, `crop`, `elastic`, `normalize`.
 * Each takes a float32 image [C, H, W] or a batch [N, C, H, W] and resamples bilinearly with zero
 * fill, as the random transforms do.
 */
import type { Tensor } from "../../tensor/tensor.js";
import { ShapeError } from "../../errors.js";
import { Transform, checkImageShape, type ImageShape } from "./transform.js";
import { Warp } from "./warp.js";
import { appendAffine, type AffineParams } from "./affine.js";
import { Normalize } from "./normalize.js";

/** A fixed geometric map, built on a warp for each image shape. */
class FixedWarp extends Transform {
  private readonly warp = new Warp();

  constructor(
    readonly name: string,
    private readonly build: (warp: Warp) => void,
  ) {
    super();
  }

  override outputShape(shape: ImageShape): ImageShape {
    this.warp.reset(checkImageShape(this.name, shape));
    this.build(this.warp);
    return this.warp.outputShape;
  }

  applyTo(src: Float32Array, shape: ImageShape, out: Float32Array): void {
    this.warp.reset(shape);
    this.build(this.warp);
    this.warp.resample(src, out);
  }
}

/**
 * An affine transform about the image centre (torchvision's F.affine with bilinear
 * interpolation; the formula is in affine.ts): `angle` in degrees, positive clockwise on screen;
 * `translate` in pixels; `scale`; `shear` [x, y] in degrees; `stretch` (x·s, y/s).
 */
export function affine(x: Tensor, params: AffineParams): Tensor {
  return new FixedWarp("affine", (w) => appendAffine(w, params)).forward(x);
}

/** Rotates by `angle` degrees counter-clockwise about the centre (torchvision's F.rotate). */
export function rotate(x: Tensor, angle: number): Tensor {
  return new FixedWarp("rotate", (w) => appendAffine(w, { angle: -angle })).forward(x);
}

/** Mirrors left–right. */
export function hflip(x: Tensor): Tensor {
  return new FixedWarp("hflip", (w) => w.then(-1, 0, w.width - 1, 0, 1, 0)).forward(x);
}

/** Mirrors top–bottom. */
export function vflip(x: Tensor): Tensor {
  return new FixedWarp("vflip", (w) => w.then(1, 0, 0, 0, -1, w.height - 1)).forward(x);
}

/** The height × width window whose top-left pixel is (top, left); zero outside the image (torchvision's F.crop). */
export function crop(x: Tensor, top: number, left: number, height: number, width: number): Tensor {
  if (![top, left, height, width].every(Number.isInteger) || height < 1 || width < 1) {
    throw new ShapeError(`crop: top and left must be integers and height, width positive integers, got top=${top} left=${left} height=${height} width=${width}`);
  }
  return new FixedWarp("crop", (w) => w.then(1, 0, left, 0, 1, top, height, width)).forward(x);
}

/**
 * Moves every pixel by a given displacement: out(y, x) = in(y + dy[y, x], x + dx[y, x]), bilinear,
 * zero fill (the resampling step of an elastic distortion, with the field supplied). `dx` and `dy`
 * are float32 tensors [H, W] in pixels.
 */
export function elastic(x: Tensor, dx: Tensor, dy: Tensor): Tensor {
  const fx = Float32Array.from(dx.data());
  const fy = Float32Array.from(dy.data());
  return new FixedWarp("elastic", (w) => {
    if (dx.ndim !== 2 || dx.shape[0] !== w.height || dx.shape[1] !== w.width || dy.shape.join() !== dx.shape.join()) {
      throw new ShapeError(`elastic: the displacements dx [${dx.shape}] and dy [${dy.shape}] must both be [H, W] = [${w.height}, ${w.width}], the image's height and width`);
    }
    w.thenField(fx, fy);
  }).forward(x);
}

/** (x − mean[c]) / std[c] per channel. */
export function normalize(x: Tensor, mean: number | readonly number[], std: number | readonly number[]): Tensor {
  return new Normalize(mean, std).forward(x);
}
