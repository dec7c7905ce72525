import { Tensor } from "../tensor/tensor.js";
import { randn } from "../tensor/create.js";
import { noGrad } from "../autograd/engine.js";
import { embedding, resolvePaddingIdx } from "../ops/embedding.js";
import { where } from "../ops/binary.js";
import { ShapeError, ValueError } from "../errors.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";

export interface EmbeddingOptions {
  /**
   * An index whose row is initialised to zero and never receives a gradient, e.g. the padding
   * token of variable-length sequences. Negative counts from the end.
   */
  paddingIdx?: number | null;
}

export interface FromPretrainedOptions extends EmbeddingOptions {
  /** Keep the table fixed (requiresGrad false); default true, as in PyTorch. */
  freeze?: boolean;
}

/**
 * A lookup table of learned vectors: integer index i → row i of `weight`
 * [numEmbeddings, embeddingDim] (a one-hot vector times a matrix, without the matrix product).
 *
 * Shape: int32 indices of any shape [*] → [*, embeddingDim]. Weight initialised N(0, 1) as in
 * PyTorch, with the row of `paddingIdx` zeroed.
 *
 * @example new Embedding(65, 16).forward(tensor([[0, 5, 9]], { dtype: "int32" })) // [1, 3, 16]
 */
export class Embedding extends Module {
  weight: Parameter;
  /** The padding row as a non-negative index, or null. */
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingOptions = {},
  ) {
    super();
    for (const [name, v] of [["numEmbeddings", numEmbeddings], ["embeddingDim", embeddingDim]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ValueError(`Embedding: ${name} must be a positive integer, got ${v}`);
    }
    this.paddingIdx = resolvePaddingIdx(options.paddingIdx, numEmbeddings, "Embedding");
    let w = randn([numEmbeddings, embeddingDim]);
    if (this.paddingIdx !== null) {
      const keep = new Float32Array(numEmbeddings).fill(1);
      keep[this.paddingIdx] = 0;
      w = where(new Tensor(w.storage.backend.fromArray(keep, w.dtype), [numEmbeddings, 1]), w, 0); // +0, not -0 from w·0
    }
    this.weight = new Parameter(w);
  }

  /**
   * An Embedding holding a copy of `embeddings` [numEmbeddings, embeddingDim] (PyTorch's
   * from_pretrained). The padding row is kept as given, but gets no gradient.
   */
  static fromPretrained(embeddings: Tensor, options: FromPretrainedOptions = {}): Embedding {
    if (embeddings.ndim !== 2) throw new ShapeError(`Embedding.fromPretrained: embeddings must be 2-D [numEmbeddings, embeddingDim], got [${embeddings.shape}]`);
    const layer = new Embedding(embeddings.shape[0], embeddings.shape[1], { paddingIdx: options.paddingIdx });
    layer.weight = new Parameter(noGrad(() => embeddings.clone()), !(options.freeze ?? true));
    return layer;
  }

  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, { paddingIdx: this.paddingIdx, name: this.describe() });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ""}`;
  }
}
