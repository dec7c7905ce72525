/** `data`: datasets, the DataLoader and dataset readers. */
export { TensorDataset, Subset, collate, type Dataset, type Example } from "./dataset.js";
export { DataLoader, type DataLoaderOptions } from "./dataloader.js";
export { ByteImageDataset, type ByteImageOptions } from "./byte-images.js";
export { mnist, MNIST_MEAN, MNIST_STD, type MnistOptions } from "./mnist.js";
export { parseIdx, readIdxFile, type IdxArray } from "./idx.js";
export { mnistFiles, readMnistSplit, type MnistSplit } from "./mnist-files.js";
export * as transforms from "./transforms/index.js";
export { Vocabulary, LineDataset, ChunkDataset, textDataset, splitLines, targetLengths, LINE_MARKER, PAD_TARGET, type TextDatasetOptions } from "./text.js";
export { readTextFile, firstNames, FIRST_NAME_PACKAGES } from "./text-files.js";
