/**
 * Writing with a CharRNN, one character at a time: feed the prefix, then repeatedly draw the next
 * character from
 *
 *   p_i ∝ exp(z_i / T)  over the k highest logits z (top-k), 0 elsewhere,
 *
 * and feed it back. The temperature T > 0 sharpens (T < 1) or flattens (T > 1) the model's
 * distribution; as T → 0 the draw becomes the argmax, and top-k = 1 is greedy decoding at any T.
 * Draws come from a seeded Generator, so the same seed writes the same text.
 */
import type { Tensor } from "../tensor/tensor.js";
import { tensor } from "../tensor/create.js";
import { noGrad } from "../autograd/engine.js";
import { scope, keep, release } from "../tensor/scope.js";
import { defaultGenerator, type Generator } from "../random.js";
import { ValueError } from "../errors.js";
import type { CharRNN, CharRNNState } from "./charrnn.js";

/**
 * The sampling distribution of one row of logits: softmax(z / T) restricted to the `topK`
 * largest logits (0 or ≥ V: all of them), computed in float64 with the maximum subtracted, so
 * a tiny T gives the one-hot of the argmax instead of overflowing. Ties at the k-th value are
 * broken towards the lower index.
 */
export function nextCharDistribution(logits: ArrayLike<number>, temperature: number, topK = 0): Float64Array {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new ValueError(`sample: temperature must be a number > 0, got ${temperature}`);
  if (!Number.isInteger(topK) || topK < 0) throw new ValueError(`sample: topK must be an integer >= 0 (0: no limit), got ${topK}`);
  const V = logits.length;
  const keepSet = new Uint8Array(V).fill(1);
  if (topK > 0 && topK < V) {
    keepSet.fill(0);
    const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => logits[b] - logits[a] || a - b);
    for (let i = 0; i < topK; i++) keepSet[order[i]] = 1;
  }
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (keepSet[i] && logits[i] > max) max = logits[i];
  const p = new Float64Array(V);
  let total = 0;
  for (let i = 0; i < V; i++) {
    if (!keepSet[i]) continue;
    p[i] = Math.exp((logits[i] - max) / temperature);
    total += p[i];
  }
  for (let i = 0; i < V; i++) p[i] /= total;
  return p;
}

/** An index drawn from probabilities p (summing to 1) with one uniform number. */
export function drawIndex(p: ArrayLike<number>, generator: Generator): number {
  const u = generator.uniform();
  let acc = 0;
  let last = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] <= 0) continue;
    acc += p[i];
    last = i;
    if (u < acc) return i;
  }
  return last; // u within rounding of 1
}

export interface SampleOptions {
  /** Text to start from (it is part of each result). Default "". */
  prefix?: string;
  /**
   * Most characters to write after the prefix (default 200). A line model (one with a marker)
   * also stops at its end-of-line marker, which is not included in the result.
   */
  length?: number;
  /** Temperature T > 0 (default 1). */
  temperature?: number;
  /** Draw only among the k likeliest characters (default 0: all). */
  topK?: number;
  /** How many texts to write, side by side in one batch (default 1). */
  count?: number;
  /** Where the draws come from (default the global generator). */
  generator?: Generator;
}

/**
 * Texts written by `model` (in eval mode, without the tape). A line model starts each text
 * from its marker, as if at the beginning of a line; a text model with no prefix starts from a
 * random character of its vocabulary.
 */
export function sampleText(model: CharRNN, options: SampleOptions = {}): string[] {
  const prefix = options.prefix ?? "";
  const length = options.length ?? 200;
  const temperature = options.temperature ?? 1;
  const topK = options.topK ?? 0;
  const count = options.count ?? 1;
  const generator = options.generator ?? defaultGenerator;
  if (!Number.isInteger(length) || length < 0) throw new ValueError(`sample: length must be an integer >= 0, got ${length}`);
  if (!Number.isInteger(count) || count < 1) throw new ValueError(`sample: count must be an integer >= 1, got ${count}`);
  nextCharDistribution([0, 0], temperature, topK); // validates both
  const vocab = model.vocab;
  const index = new Map(vocab.map((c, i) => [c, i]));
  const prefixIds = Array.from(prefix, (ch, i) => {
    const k = index.get(ch);
    if (k === undefined || k === model.marker) throw new ValueError(`sample: the prefix's character ${JSON.stringify(ch)} at position ${i} is not in the model's vocabulary`);
    return k;
  });
  const start = model.marker !== null ? [model.marker, ...prefixIds] : prefixIds.length > 0 ? prefixIds : null;
  const written: number[][] = Array.from({ length: count }, () => []);
  const done = new Array<boolean>(count).fill(false);
  const V = vocab.length;

  const wasTraining = model.training;
  model.eval();
  let state: CharRNNState | undefined;
  try {
    // The first input: the start sequence for every row (or one random character each).
    let input: number[][] = start ? Array.from({ length: count }, () => start) : Array.from({ length: count }, () => [generator.int(V)]);
    if (!start) input.forEach((row, b) => written[b].push(row[0]));
    for (let step = 0; step < length && !done.every(Boolean); step++) {
      const { logits, next } = noGrad(() =>
        scope(() => {
          const x = tensor(Int32Array.from(input.flat()), { shape: [count, input[0].length], dtype: "int32" });
          const r = model.run(x, { state });
          const T = x.shape[1];
          return { logits: r.logits.narrow(1, T - 1, 1).reshape([count, V]).data(), next: r.state };
        }),
      );
      for (const t of Object.values(state ?? {}) as Tensor[]) release(t);
      state = { h: keep(next.h), ...(next.c ? { c: keep(next.c) } : {}) };
      const chosen: number[] = [];
      for (let b = 0; b < count; b++) {
        const k = drawIndex(nextCharDistribution(logits.subarray(b * V, (b + 1) * V), temperature, topK), generator);
        chosen.push(k);
        if (done[b]) continue;
        if (k === model.marker) done[b] = true;
        else written[b].push(k);
      }
      input = chosen.map((k) => [k]);
    }
  } finally {
    for (const t of Object.values(state ?? {}) as Tensor[]) release(t);
    model.train(wasTraining);
  }
  return written.map((ids) => prefix + ids.map((k) => vocab[k]).join(""));
}
