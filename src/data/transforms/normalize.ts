/**
 * Normalize: out[c] = (in[c] − mean[c]) / std[c] per channel, as torchvision's Normalize. Put it
 * after the geometric transforms, so that their zero fill is the black of the raw image (MNIST's
 * `normalize` option already does this when a transform is given, see `mnist()`).
 */
import { ShapeError, ValueError } from "../../errors.js";
import { Transform, checkImageShape, type ImageShape } from "./transform.js";

export class Normalize extends Transform {
  readonly name = "Normalize";
  readonly mean: readonly number[];
  readonly std: readonly number[];

  /** @param mean, std one number for every channel, or one per channel */
  constructor(mean: number | readonly number[], std: number | readonly number[]) {
    super();
    this.mean = typeof mean === "number" ? [mean] : [...mean];
    this.std = typeof std === "number" ? [std] : [...std];
    if (this.mean.length === 0 || !this.mean.every(Number.isFinite)) throw new ValueError(`${this.name}: mean must be finite numbers (one, or one per channel), got [${this.mean}]`);
    if (this.std.length === 0 || !this.std.every((s) => Number.isFinite(s) && s > 0)) {
      throw new ValueError(`${this.name}: std must be finite numbers > 0 (one, or one per channel); dividing by ${this.std.find((s) => !(s > 0)) ?? "it"} is undefined, got [${this.std}]`);
    }
  }

  override outputShape(shape: ImageShape): ImageShape {
    const [c] = checkImageShape(this.name, shape);
    for (const [what, v] of [["mean", this.mean], ["std", this.std]] as const) {
      if (v.length !== 1 && v.length !== c) throw new ShapeError(`${this.name}: ${what} has ${v.length} values but the image [${shape}] has ${c} channels (give one value, or one per channel)`);
    }
    return shape;
  }

  applyTo(src: Float32Array, shape: ImageShape, out: Float32Array): void {
    this.outputShape(shape);
    const [c, h, w] = shape;
    const plane = h * w;
    for (let ch = 0; ch < c; ch++) {
      const m = this.mean.length === 1 ? this.mean[0] : this.mean[ch];
      const s = this.std.length === 1 ? this.std[0] : this.std[ch];
      for (let i = ch * plane, end = i + plane; i < end; i++) out[i] = (src[i] - m) / s;
    }
  }

  protected override extraRepr(): string {
    return `mean=[${this.mean.join(", ")}], std=[${this.std.join(", ")}]`;
  }
}
