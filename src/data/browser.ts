/**
 * `data` for the browser entry (see src/browser.ts): everything in `data` that works on tensors
 * and bytes already in memory, including the IDX parser. Left out: the file readers (readIdxFile,
 * the MNIST files and the `mnist` dataset built on them), which use node:fs — in a page, fetch
 * the IDX bytes, parseIdx them and wrap them in a ByteImageDataset.
 */
export { TensorDataset, Subset, collate, type Dataset, type Example } from "./dataset.js";
export { DataLoader, type DataLoaderOptions } from "./dataloader.js";
export { ByteImageDataset, type ByteImageOptions } from "./byte-images.js";
export { parseIdx, type IdxArray } from "./idx-parse.js";
export * as transforms from "./transforms/index.js";
