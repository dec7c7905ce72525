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

export interface ByteImageOptions {
  /** Per-example shape of the images, e.g. [1, 28, 28] or [784]. */
  shape: number[];
  /** pixel → (pixel / 255 − shift) · scale */
  shift?: number;
  scale?: number;
}

export class ByteImageDataset implements Dataset {
  readonly exampleShape: number[];
  private readonly pixelsPerImage: number;
  private readonly shift: number;
  private readonly scale: number;

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

  /** All images as one float32 tensor [N, ...shape] (made on each call: mind the memory). */
  get inputs(): Tensor {
    return this.getBatch(Int32Array.from({ length: this.length }, (_, i) => i))[0];
  }

  /** All labels as an int32 tensor [N]. */
  get targets(): Tensor {
    return tensor(this.labels.slice());
  }
}
