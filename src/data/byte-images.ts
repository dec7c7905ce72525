/**
 * Images kept as the bytes they were stored as (one uint8 per pixel), turned into float32 tensors
 * a batch at a time. For MNIST that is 47 MB instead of 188 MB of float32 held for the whole run
 * (and nothing of it in a backend's own memory), which is what keeps a training run's footprint
 * small.
 */
import type { Tensor } from "../tensor/tensor.js";
import { tensor } from "../tensor/create.js";
import { ValueError } from "../errors.js";
import type { Dataset, Example } from "./dataset.js";
import { checkImageShape, imageSize, type ImageShape, type Transform } from "./transforms/transform.js";

export interface ByteImageOptions {
  /** Per-example shape of the images, e.g. [1, 28, 28] or [784]. */
  shape: number[];
  /** pixel → (pixel / 255 − shift) · scale */
  shift?: number;
  scale?: number;
  /**
   * Augmentation applied per image each time a batch is drawn, to the pixels scaled to [0, 1],
   * before shift and scale (so the zero fill of geometric transforms is the images' black):
   * pixel → (transform(pixel / 255) − shift) · scale.
   */
  transform?: Transform;
  /** The [C, H, W] shape the transform sees when `shape` is flat (e.g. [1, 28, 28] for [784]); default `shape`. */
  imageShape?: number[];
}

export class ByteImageDataset implements Dataset {
  readonly exampleShape: number[];
  private readonly pixelsPerImage: number;
  private readonly shift: number;
  private readonly scale: number;
  private readonly transform: Transform | null;
  private readonly imageShape: ImageShape | null;

  constructor(
    /** count × pixelsPerImage bytes. */
    readonly pixels: Uint8Array,
    /** One class index per image. */
    readonly labels: Int32Array,
    options: ByteImageOptions,
  ) {
    this.exampleShape = options.shape;
    this.pixelsPerImage = options.shape.reduce((a, b) => a * b, 1);
    this.shift = options.shift ?? 0;
    this.scale = options.scale ?? 1;
    if (pixels.length !== labels.length * this.pixelsPerImage) {
      throw new ValueError(`ByteImageDataset: ${pixels.length} bytes do not hold ${labels.length} images of shape [${options.shape}]`);
    }
    this.transform = options.transform ?? null;
    this.imageShape = null;
    if (this.transform) {
      const image = checkImageShape("ByteImageDataset transform", options.imageShape ?? options.shape);
      if (imageSize(image) !== this.pixelsPerImage) throw new ValueError(`ByteImageDataset: imageShape [${image}] does not hold the ${this.pixelsPerImage} pixels of shape [${options.shape}]`);
      this.imageShape = image;
      // The transform may change the size (a crop); flat examples stay flat.
      const out = this.transform.outputShape(image);
      this.exampleShape = options.shape.length === 3 ? [...out] : [imageSize(out)];
    }
  }

  get length(): number {
    return this.labels.length;
  }

  get(index: number): Example {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) throw new ValueError(`ByteImageDataset: index ${index} is outside 0..${this.length - 1}`);
    const [x, y] = this.getBatch(Int32Array.of(index));
    return [x.squeeze(0), y.squeeze(0)];
  }

  getBatch(indices: Int32Array): Example {
    if (this.transform) return this.getTransformedBatch(indices, this.transform, this.imageShape!);
    const n = this.pixelsPerImage;
    const out = new Float32Array(indices.length * n);
    const labels = new Int32Array(indices.length);
    const { shift, scale } = this;
    for (let b = 0; b < indices.length; b++) {
      const i = indices[b];
      if (!(i >= 0 && i < this.length)) throw new ValueError(`ByteImageDataset: index ${i} is outside 0..${this.length - 1}`);
      const src = i * n;
      const dst = b * n;
      for (let p = 0; p < n; p++) out[dst + p] = (this.pixels[src + p] / 255 - shift) * scale;
      labels[b] = this.labels[i];
    }
    return [tensor(out, { shape: [indices.length, ...this.exampleShape] }), tensor(labels)];
  }

  /** Bytes → [0, 1] → transform, image by image → shift and scale. */
  private getTransformedBatch(indices: Int32Array, transform: Transform, imageShape: ImageShape): Example {
    const n = this.pixelsPerImage;
    const raw = new Float32Array(indices.length * n);
    const labels = new Int32Array(indices.length);
    for (let b = 0; b < indices.length; b++) {
      const i = indices[b];
      if (!(i >= 0 && i < this.length)) throw new ValueError(`ByteImageDataset: index ${i} is outside 0..${this.length - 1}`);
      const src = i * n;
      const dst = b * n;
      for (let p = 0; p < n; p++) raw[dst + p] = this.pixels[src + p] / 255;
      labels[b] = this.labels[i];
    }
    const { data } = transform.applyBatch(raw, indices.length, imageShape);
    const { shift, scale } = this;
    if (shift !== 0 || scale !== 1) for (let p = 0; p < data.length; p++) data[p] = (data[p] - shift) * scale;
    return [tensor(data, { shape: [indices.length, ...this.exampleShape] }), tensor(labels)];
  }

  /** All images as one float32 tensor [N, ...shape] (made on each call: mind the memory; transformed when a transform is set). */
  get inputs(): Tensor {
    return this.getBatch(Int32Array.from({ length: this.length }, (_, i) => i))[0];
  }

  /** All labels as an int32 tensor [N]. */
  get targets(): Tensor {
    return tensor(this.labels.slice());
  }
}
