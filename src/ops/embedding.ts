/**
 * Embedding lookup: row `index` of a table, for every index of an integer tensor of any shape.
 * Forward is one indexSelect over the rows; backward adds each output gradient into its row
 * (indexAdd), skipping the rows of `paddingIdx`, which therefore never learn (PyTorch's rule).
 */
import { constant, fromOp } from "../autograd/record.js";
import { ShapeError, ValueError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { backendOf } from "./util.js";

export interface EmbeddingOptions {
  /** Entries equal to this index get no gradient (may be negative, counting from the end). */
  paddingIdx?: number | null;
  /** Names the layer in error messages. */
  name?: string;
}

/** paddingIdx as a row number in [0, numEmbeddings), or null; negative counts from the end. */
export function resolvePaddingIdx(paddingIdx: number | null | undefined, numEmbeddings: number, where: string): number | null {
  if (paddingIdx === null || paddingIdx === undefined) return null;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings) {
    throw new ValueError(`${where}: paddingIdx ${paddingIdx} must be an integer within the ${numEmbeddings} embeddings (${-numEmbeddings}..${numEmbeddings - 1})`);
  }
  return paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
}

/**
 * weight [numEmbeddings, embeddingDim] looked up at `input` (int32, any shape) →
 * [...input.shape, embeddingDim]. Every index must lie in [0, numEmbeddings).
 */
export function embedding(input: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  const where = options.name ?? "embedding";
  if (input.dtype !== "int32") throw new ValueError(`${where}: indices must be an int32 tensor, got ${input.dtype} (shape [${input.shape}]); convert with .to("int32")`);
  if (weight.ndim !== 2) throw new ShapeError(`${where}: weight must be [numEmbeddings, embeddingDim], got [${weight.shape}]`);
  const [num, dim] = weight.shape;
  const pad = resolvePaddingIdx(options.paddingIdx, num, where);
  const idx = input.data();
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i];
    if (v < 0 || v >= num) {
      throw new ValueError(`${where}: index ${v} (at position ${i} of input shape [${input.shape}]) is out of range for ${num} embeddings; rule: 0 <= index < ${num}`);
    }
  }
  const backend = backendOf(weight);
  const flat = input.reshape([input.numel]);
  return fromOp(backend.indexSelect(weight.storage, 1, num, dim, flat.storage), [...input.shape, dim], "embedding", [weight], (g) => {
    let rows = g.reshape([input.numel, dim]);
    if (pad !== null) rows = rows.mul(flat.ne(pad).to(g.dtype).reshape([input.numel, 1]));
    return [constant(backend.indexAdd(rows.storage, 1, num, dim, flat.storage), weight.shape)];
  });
}
