/**
 * A character-level language model (Karpathy's char-rnn; the lectures' "writing text one
 * character at a time"): each character index goes in as a learned vector (Embedding) or as a
 * one-hot vector, a stack of recurrent layers (LSTM, GRU or Elman RNN) carries the memory, and a
 * linear head scores every character of the vocabulary as the next one:
 *
 *   x_t (index) → e_t = E[x_t] (or onehot(x_t)) → h_t = cell(e_t, h_{t−1}) → logits_t = W h_t + b
 *
 * trained with cross-entropy between logits_t and x_{t+1}, so p(next | so far) = softmax(logits_t).
 * The vocabulary (the character of every index) is part of the options, so a saved model spec
 * ({ name: "charrnn", options }) can decode what it writes.
 *
 * State-dict keys: `embedding.weight` (embedding input only), `rnn.weight_ih_l0`, … (PyTorch's
 * nn.LSTM/GRU/RNN names, batch_first), `head.weight`, `head.bias` — those of the PyTorch module
 * with the same three attributes, so weights move across.
 */
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "../nn/module.js";
import { Embedding } from "../nn/embedding.js";
import { Linear } from "../nn/linear.js";
import { GRU, LSTM, RNN } from "../nn/recurrent/sequence.js";
import { oneHot } from "../nn/one-hot.js";
import { dropout } from "../ops/dropout.js";
import { ShapeError, ValueError } from "../errors.js";

export type CharRNNCell = "lstm" | "gru" | "rnn";
export const CHARRNN_CELLS: readonly CharRNNCell[] = ["lstm", "gru", "rnn"];

export interface CharRNNOptions {
  /**
   * The character of each index (required): vocab.length is the number of classes V. Each entry
   * is one character (a Unicode code point), except the marker entry (see `marker`).
   */
  vocab: string[];
  /**
   * Index of the start/end-of-line marker when the model was trained on lines (e.g. names: each
   * line is read as marker, characters…, marker), or null (default) for free-running text.
   * Sampling starts from it and stops when the model writes it.
   */
  marker?: number | null;
  /** The recurrent layer: "lstm" (default), "gru" or "rnn" (tanh). */
  cell?: CharRNNCell;
  /** Features of the recurrent state (default 128). */
  hiddenSize?: number;
  /** Stacked recurrent layers (default 1). */
  numLayers?: number;
  /**
   * Dropout probability on the output of every recurrent layer (between layers, and before the
   * head), in training only (default 0).
   */
  dropout?: number;
  /** "embedding" (default): a learned vector per character; "onehot": the one-hot vector itself. */
  input?: "embedding" | "onehot";
  /** Width of the embedding (default 32; ignored with one-hot input). */
  embeddingDim?: number;
}

/** The recurrent state carried between calls: h (and c for an LSTM), [numLayers, N, hidden]. */
export interface CharRNNState {
  h: Tensor;
  c?: Tensor;
}

export interface CharRNNRunOptions {
  /** Initial state (zeros when absent), e.g. the final state of the previous chunk. */
  state?: CharRNNState;
  /**
   * Valid length of each row of a padded batch: the final state is then each row's state after
   * its last valid character, and logits at padded steps depend on nothing but padding.
   */
  lengths?: number[] | Tensor;
}

export interface CharRNNResult {
  /** [N, T, V]: scores of the next character after each position. */
  logits: Tensor;
  /** The state after the last (valid) step, to continue from. */
  state: CharRNNState;
}

/**
 * @example
 *   const model = new CharRNN({ vocab: ["\n", "a", "b"], marker: 0, cell: "gru", hiddenSize: 64 });
 *   const { logits, state } = model.run(tensor([[0, 1, 2]], { dtype: "int32" })); // logits [1, 3, 3]
 */
export class CharRNN extends Module {
  embedding: Embedding | null;
  rnn: LSTM | GRU | RNN;
  head: Linear;
  readonly vocab: readonly string[];
  readonly marker: number | null;
  readonly cell: CharRNNCell;
  readonly input: "embedding" | "onehot";
  readonly dropout: number;

  constructor(options: CharRNNOptions) {
    super();
    const vocab = options?.vocab;
    if (!Array.isArray(vocab) || vocab.length < 2 || vocab.some((c) => typeof c !== "string" || c.length === 0)) {
      throw new ValueError(`CharRNN: vocab must be an array of at least 2 non-empty strings (the character of each index), got ${JSON.stringify(vocab)?.slice(0, 80)}`);
    }
    if (new Set(vocab).size !== vocab.length) throw new ValueError("CharRNN: vocab has a character twice; each index must decode to a different character");
    const V = vocab.length;
    this.vocab = [...vocab];
    this.marker = options.marker ?? null;
    if (this.marker !== null && !(Number.isInteger(this.marker) && this.marker >= 0 && this.marker < V)) {
      throw new ValueError(`CharRNN: marker must be an index in 0..${V - 1} or null, got ${this.marker}`);
    }
    this.cell = options.cell ?? "lstm";
    if (!CHARRNN_CELLS.includes(this.cell)) throw new ValueError(`CharRNN: cell must be one of ${CHARRNN_CELLS.join(", ")}, got ${JSON.stringify(this.cell)}`);
    this.input = options.input ?? "embedding";
    if (this.input !== "embedding" && this.input !== "onehot") throw new ValueError(`CharRNN: input must be "embedding" or "onehot", got ${JSON.stringify(this.input)}`);
    this.dropout = options.dropout ?? 0;
    if (typeof this.dropout !== "number" || !(this.dropout >= 0 && this.dropout < 1)) throw new ValueError(`CharRNN: dropout must be in [0, 1), got ${this.dropout}`);
    const hidden = options.hiddenSize ?? 128;
    const inSize = this.input === "embedding" ? options.embeddingDim ?? 32 : V;
    this.embedding = this.input === "embedding" ? new Embedding(V, inSize) : null;
    const rnnOptions = { numLayers: options.numLayers ?? 1, dropout: this.dropout, batchFirst: true };
    this.rnn = this.cell === "lstm" ? new LSTM(inSize, hidden, rnnOptions) : this.cell === "gru" ? new GRU(inSize, hidden, rnnOptions) : new RNN(inSize, hidden, rnnOptions);
    this.head = new Linear(hidden, V);
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  /** Logits [N, T, V] of int32 indices x [N, T], from a zero state. */
  forward(x: Tensor): Tensor {
    return this.run(x).logits;
  }

  /** Logits and the final state, from `state` (default zeros); see CharRNNRunOptions. */
  run(x: Tensor, options: CharRNNRunOptions = {}): CharRNNResult {
    const where = this.describe();
    if (x.dtype !== "int32" || x.ndim !== 2) throw new ShapeError(`${where}: input must be int32 character indices [N, T], got ${x.dtype} [${x.shape}]`);
    const features = this.embedding ? this.embedding.forward(x) : oneHot(x, this.vocabSize, this.head.weight.dtype);
    const { state, lengths } = options;
    const r = this.rnn.run(features, { h0: state?.h, c0: state?.c, lengths });
    const out = this.training && this.dropout > 0 ? dropout(r.output, this.dropout, { name: where }) : r.output;
    return { logits: this.head.forward(out), state: r.cN ? { h: r.hN, c: r.cN } : { h: r.hN } };
  }

  override extraRepr(): string {
    return `vocab=${this.vocabSize}, cell=${this.cell}${this.marker !== null ? `, marker=${this.marker}` : ""}`;
  }
}
