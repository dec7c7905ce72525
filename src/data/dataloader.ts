/** DataLoader: mini-batches over a dataset, shuffled by the seeded generator. */
import { ValueError } from "../errors.js";
import { defaultGenerator, type Generator } from "../random.js";
import { collate, type Dataset, type Example } from "./dataset.js";
import { getBackend } from "../backend/registry.js";

export interface DataLoaderOptions {
  batchSize?: number;
  /** Reshuffle the order at the start of every epoch. */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize. */
  dropLast?: boolean;
  /** The generator for shuffling (defaults to the global one seeded by manualSeed). */
  generator?: Generator;
}

/**
 * Iterates a dataset in mini-batches: `for (const [x, y] of loader) ...`. Each `for` loop is one
 * epoch; with `shuffle` each epoch draws a new permutation. On the `wasm` backend, tensors made in
 * one iteration are released when the next begins; keep one for later with `t.keep()`.
 */
export class DataLoader implements Iterable<Example> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly generator: Generator;

  constructor(
    readonly dataset: Dataset,
    options: DataLoaderOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new ValueError(`DataLoader: batchSize must be a positive integer, got ${options.batchSize}`);
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.generator = options.generator ?? defaultGenerator;
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<Example> {
    const n = this.dataset.length;
    const order = this.shuffle ? this.generator.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
    const memory = getBackend().memory;
    for (let b = 0; b < this.length; b++) {
      // Each iteration (the batch and everything the loop body computes from it) is a memory
      // scope, closed when the next batch is requested or the loop ends: that is what keeps a
      // training loop's memory flat on backends that manage their own (see tensor/scope.ts).
      const scopeId = memory?.beginScope() ?? 0;
      try {
        const indices = order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, n));
        const batch = this.dataset.getBatch ? this.dataset.getBatch(indices) : collate(Array.from(indices, (i) => this.dataset.get(i)));
        // The batch itself stays readable after its iteration (copied out, not released).
        for (const t of batch) memory?.preserve(t.storage);
        yield batch;
      } finally {
        memory?.endScope([], scopeId);
      }
    }
  }
}
