/**
 * `data` for the browser entry (see src/browser.ts): everything in `data` that works on tensors
 * and bytes already in memory, including the IDX parser. Left out: the file readers (readIdxFile,
 * the MNIST files and the `mnist` dataset built on them, readTextFile and the bundled first names),
 * which use node:fs — in a page, fetch the IDX bytes, parseIdx them and wrap them in a
 * ByteImageDataset, or fetch a text and give it to textDataset.
 */
export { TensorDataset, Subset, collate, type Dataset, type Example } from "./dataset.js";
export { DataLoader, type DataLoaderOptions } from "./dataloader.js";
export { ByteImageDataset, type ByteImageOptions } from "./byte-images.js";
export { parseIdx, type IdxArray } from "./idx-parse.js";
export * as transforms from "./transforms/index.js";
export { Vocabulary, LineDataset, ChunkDataset, textDataset, splitLines, targetLengths, LINE_MARKER, PAD_TARGET, type TextDatasetOptions } from "./text.js";
