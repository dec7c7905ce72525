/**
 * Text for character-level language models: a vocabulary built from any UTF-8 text, and two
 * datasets of (input, target) index sequences where the target is the input shifted by one
 * character (the next character to predict):
 *
 * - `LineDataset`: one sequence per line (names, words): input = [marker, c1, …, cn],
 *   target = [c1, …, cn, marker], the marker being a reserved start/end-of-line index. Lines have
 *   different lengths; a batch is padded to its longest line with input `marker` and target
 *   `PAD_TARGET` (−100, cross-entropy's default ignoreIndex), so padding adds nothing to the loss.
 *   A recurrent model reads left to right, so padding after a line cannot change the outputs
 *   at that line's own positions either.
 * - `ChunkDataset`: running text cut into fixed-length chunks (input text[i..i+L), target
 *   text[i+1..i+L]).
 *
 * Characters are Unicode code points (so "é" or "😀" is one character, not two UTF-16 units).
 */
import type { Tensor } from "../tensor/tensor.js";
import { tensor } from "../tensor/create.js";
import { DataFormatError, ValueError } from "../errors.js";
import type { Dataset, Example } from "./dataset.js";

/** The character that stands for the start/end-of-line marker in a line vocabulary. */
export const LINE_MARKER = "\n";
/** The target of padded positions: cross-entropy's default ignoreIndex. */
export const PAD_TARGET = -100;

/** Characters ↔ indices. With a line marker, index 0 is the marker ("\n"); the rest sorted by code point. */
export class Vocabulary {
  readonly chars: readonly string[];
  /** Index of the start/end-of-line marker, or null. */
  readonly marker: number | null;
  private readonly index: Map<string, number>;

  constructor(chars: readonly string[], marker: number | null = null) {
    if (chars.length === 0) throw new ValueError("Vocabulary: needs at least one character");
    if (new Set(chars).size !== chars.length) throw new ValueError("Vocabulary: a character appears twice");
    if (marker !== null && !(Number.isInteger(marker) && marker >= 0 && marker < chars.length)) throw new ValueError(`Vocabulary: marker must be an index in 0..${chars.length - 1}, got ${marker}`);
    this.chars = [...chars];
    this.marker = marker;
    this.index = new Map(chars.map((c, i) => [c, i]));
  }

  /**
   * The sorted unique characters of `text` (by code point). With `lines`, line breaks are not
   * characters: index 0 is the marker (written "\n") and the others follow.
   */
  static fromText(text: string, options: { lines?: boolean } = {}): Vocabulary {
    const lines = options.lines ?? false;
    const set = new Set<string>();
    for (const ch of text) if (!(lines && (ch === "\n" || ch === "\r"))) set.add(ch);
    const sorted = [...set].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return lines ? new Vocabulary([LINE_MARKER, ...sorted], 0) : new Vocabulary(sorted);
  }

  get size(): number {
    return this.chars.length;
  }

  /** The index of each character; throws naming a character the vocabulary lacks. */
  encode(text: string): Int32Array {
    const chars = Array.from(text);
    const out = new Int32Array(chars.length);
    chars.forEach((ch, i) => {
      const k = this.index.get(ch);
      if (k === undefined) throw new ValueError(`Vocabulary: character ${JSON.stringify(ch)} (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}) at position ${i} is not in the vocabulary`);
      out[i] = k;
    });
    return out;
  }

  /** The characters of the indices (the marker decodes as "\n"). */
  decode(indices: ArrayLike<number>): string {
    let s = "";
    for (let i = 0; i < indices.length; i++) {
      const c = this.chars[indices[i]];
      if (c === undefined) throw new ValueError(`Vocabulary: index ${indices[i]} is outside 0..${this.size - 1}`);
      s += c;
    }
    return s;
  }

  has(ch: string): boolean {
    return this.index.has(ch);
  }
}

/** The non-empty lines of a text (\n or \r\n endings, trailing spaces kept). */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.length > 0);
}

/** A padded batch of index rows: inputs [B, T] padded with `inputPad`, targets with PAD_TARGET. */
function padBatch(rows: { input: Int32Array; target: Int32Array }[], inputPad: number): Example {
  const T = Math.max(...rows.map((r) => r.input.length));
  const x = new Int32Array(rows.length * T).fill(inputPad);
  const y = new Int32Array(rows.length * T).fill(PAD_TARGET);
  rows.forEach((r, b) => {
    x.set(r.input, b * T);
    y.set(r.target, b * T);
  });
  return [tensor(x, { shape: [rows.length, T], dtype: "int32" }), tensor(y, { shape: [rows.length, T], dtype: "int32" })];
}

/**
 * One example per line: input [marker, c1..cn], target [c1..cn, marker] (int32, length n + 1).
 * `getBatch` pads to the batch's longest line (see the file comment), so it works with a
 * shuffled DataLoader; `lengths(indices)` gives each row's valid length.
 */
export class LineDataset implements Dataset {
  readonly lines: readonly string[];
  private readonly encoded: Int32Array[];

  constructor(
    lines: readonly string[],
    readonly vocabulary: Vocabulary,
  ) {
    if (vocabulary.marker === null) throw new ValueError("LineDataset: the vocabulary needs a line marker (Vocabulary.fromText(text, { lines: true }))");
    if (lines.length === 0) throw new ValueError("LineDataset: no lines");
    this.lines = [...lines];
    this.encoded = this.lines.map((l) => vocabulary.encode(l));
  }

  get length(): number {
    return this.lines.length;
  }

  private row(index: number): { input: Int32Array; target: Int32Array } {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) throw new ValueError(`LineDataset: index ${index} is outside 0..${this.length - 1}`);
    const chars = this.encoded[index];
    const m = this.vocabulary.marker!;
    const input = new Int32Array(chars.length + 1);
    const target = new Int32Array(chars.length + 1);
    input[0] = m;
    input.set(chars, 1);
    target.set(chars, 0);
    target[chars.length] = m;
    return { input, target };
  }

  get(index: number): Example {
    const r = this.row(index);
    return [tensor(r.input, { dtype: "int32" }), tensor(r.target, { dtype: "int32" })];
  }

  getBatch(indices: Int32Array): Example {
    return padBatch(Array.from(indices, (i) => this.row(i)), this.vocabulary.marker!);
  }

  /** The valid length of each example (characters + 1). */
  lengths(indices: ArrayLike<number>): number[] {
    return Array.from(indices, (i) => this.encoded[i].length + 1);
  }

  /** Characters to predict over the given examples (every line's characters plus its end marker). */
  countTargets(indices?: ArrayLike<number>): number {
    const all = indices ?? Array.from({ length: this.length }, (_, i) => i);
    let n = 0;
    for (let i = 0; i < all.length; i++) n += this.encoded[all[i]].length + 1;
    return n;
  }
}

/**
 * Running text in chunks of `seqLength` characters: example i is input text[iL, iL+L) and target
 * text[iL+1, iL+L+1) (non-overlapping, the last partial chunk dropped).
 */
export class ChunkDataset implements Dataset {
  private readonly encoded: Int32Array;

  constructor(
    text: string,
    readonly vocabulary: Vocabulary,
    readonly seqLength: number,
  ) {
    if (!Number.isInteger(seqLength) || seqLength < 1) throw new ValueError(`ChunkDataset: seqLength must be a positive integer, got ${seqLength}`);
    this.encoded = vocabulary.encode(text);
    if (this.encoded.length < seqLength + 1) throw new ValueError(`ChunkDataset: the text has ${this.encoded.length} characters, fewer than one chunk of ${seqLength} + 1`);
  }

  get length(): number {
    return Math.floor((this.encoded.length - 1) / this.seqLength);
  }

  get(index: number): Example {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) throw new ValueError(`ChunkDataset: index ${index} is outside 0..${this.length - 1}`);
    const s = index * this.seqLength;
    return [
      tensor(this.encoded.slice(s, s + this.seqLength), { dtype: "int32" }),
      tensor(this.encoded.slice(s + 1, s + this.seqLength + 1), { dtype: "int32" }),
    ];
  }

  getBatch(indices: Int32Array): Example {
    const L = this.seqLength;
    const x = new Int32Array(indices.length * L);
    const y = new Int32Array(indices.length * L);
    indices.forEach((index, b) => {
      if (index < 0 || index >= this.length) throw new ValueError(`ChunkDataset: index ${index} is outside 0..${this.length - 1}`);
      x.set(this.encoded.subarray(index * L, index * L + L), b * L);
      y.set(this.encoded.subarray(index * L + 1, index * L + L + 1), b * L);
    });
    return [tensor(x, { shape: [indices.length, L], dtype: "int32" }), tensor(y, { shape: [indices.length, L], dtype: "int32" })];
  }
}

export interface TextDatasetOptions {
  /** "lines": one example per line (names, words); "chunks": running text (default). */
  mode?: "lines" | "chunks";
  /** Characters per chunk (chunks mode, default 100). */
  seqLength?: number;
  /** Lines mode: drop repeated lines (default true). */
  dedupe?: boolean;
}

/** A dataset and its vocabulary from a text (lines or chunks; see the options). */
export function textDataset(text: string, options: TextDatasetOptions = {}): { dataset: LineDataset | ChunkDataset; vocabulary: Vocabulary } {
  const mode = options.mode ?? "chunks";
  if (mode === "lines") {
    let lines = splitLines(text);
    if (options.dedupe ?? true) lines = [...new Set(lines)];
    if (lines.length === 0) throw new ValueError("textDataset: the text has no non-empty lines");
    const vocabulary = Vocabulary.fromText(lines.join("\n"), { lines: true });
    return { dataset: new LineDataset(lines, vocabulary), vocabulary };
  }
  if (mode !== "chunks") throw new ValueError(`textDataset: mode must be "lines" or "chunks", got ${JSON.stringify(mode)}`);
  const vocabulary = Vocabulary.fromText(text);
  return { dataset: new ChunkDataset(text, vocabulary, options.seqLength ?? 100), vocabulary };
}

/** Index rows [B, T] → the valid length of each (positions up to and including the last non-PAD target). */
export function targetLengths(targets: Tensor): number[] {
  const [B, T] = targets.shape;
  const t = targets.data();
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    let n = T;
    while (n > 0 && t[b * T + n - 1] === PAD_TARGET) n--;
    out.push(n);
  }
  return out;
}
