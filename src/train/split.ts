/** Seeded random splits of a dataset (a validation split carved from the training set). */
import type { Dataset } from "../data/dataset.js";
import { Subset } from "../data/dataset.js";
import { ValueError } from "../errors.js";
import { defaultGenerator, type Generator } from "../random.js";

/**
 * PyTorch's `random_split`: a random permutation of the dataset's indices cut into consecutive
 * pieces of the given lengths. Lengths are counts summing to the dataset's length, or fractions
 * summing to 1 (each piece gets ⌊n·f⌋, the remainder is handed out one by one from the first).
 */
export function randomSplit(dataset: Dataset, lengths: readonly number[], generator: Generator = defaultGenerator): Subset[] {
  const n = dataset.length;
  let counts = [...lengths];
  const total = counts.reduce((a, b) => a + b, 0);
  if (counts.length === 0 || counts.some((c) => !(c >= 0) || !Number.isFinite(c))) throw new ValueError(`randomSplit: lengths must be numbers >= 0, got [${lengths}]`);
  if (Math.abs(total - 1) < 1e-9 && counts.some((c) => !Number.isInteger(c))) {
    counts = counts.map((f) => Math.floor(n * f));
    const rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < rest; i++) counts[i % counts.length]++;
  } else if (counts.some((c) => !Number.isInteger(c)) || total !== n) {
    throw new ValueError(`randomSplit: lengths [${lengths}] must be counts summing to the dataset's length ${n} or fractions summing to 1`);
  }
  const order = generator.permutation(n);
  let start = 0;
  return counts.map((c) => new Subset(dataset, order.slice(start, (start += c))));
}

/**
 * Carves a validation set out of a training set: `[train, val]` with ⌊n·valFraction⌋ examples
 * in val (at least 1), chosen by a permutation from `generator`. Give it its own generator (e.g.
 * `new Generator(seed)`) so the split does not move the global stream that init and shuffling use.
 */
export function trainValSplit(dataset: Dataset, valFraction: number, generator: Generator): [Subset, Subset] {
  if (!(valFraction > 0 && valFraction < 1)) throw new ValueError(`trainValSplit: valFraction must be in (0, 1), got ${valFraction}`);
  const n = dataset.length;
  const nVal = Math.max(1, Math.floor(n * valFraction));
  if (nVal >= n) throw new ValueError(`trainValSplit: a ${valFraction} split of ${n} examples leaves none to train on`);
  const [train, val] = randomSplit(dataset, [n - nVal, nVal], generator);
  return [train, val];
}

/**
 * A seed for a separate random stream derived from a run's seed and the stream's name (FNV-1a
 * of the name, xor'ed into the seed's low 32 bits), so "augment" and "split" get generators
 * unrelated to the global one while staying fixed by the one --seed.
 */
export function deriveSeed(seed: number, stream: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193) >>> 0;
  const high = Math.floor(seed / 0x100000000);
  return high * 0x100000000 + (((seed >>> 0) ^ h) >>> 0);
}
