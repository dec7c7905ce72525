/**
 * The lectures' convolution and pooling arithmetic, step by step with the actual numbers.
 *
 * Along each spatial axis, an input of W cells, a filter of F cells dilated by d (so it spans
 * F' = d·(F − 1) + 1 cells), zero padding P on each side and stride S give
 *
 *   W2 = (W − F' + 2P) / S + 1                       (the lectures' formula, d = 1: F' = F)
 *
 * positions. When S does not divide W − F' + 2P the stride "cannot cover perfectly": the result
 * is not an integer and frameworks round it:
 * - PyTorch: ⌊(W − F' + 2P) / S⌋ + 1; the last (W − F' + 2P) mod S cells are never visited.
 *   Pooling with `ceilMode` takes ⌈·⌉ + 1 instead, minus one if that last window would start in
 *   the right padding.
 * - TensorFlow "valid" (no padding): ⌈(W − F' + 1) / S⌉.
 * - TensorFlow "same": ⌈W / S⌉, padding p = max((W2 − 1)·S + F' − W, 0) in total, ⌊p/2⌋ before
 *   and ⌈p/2⌉ after (the lectures' left/right rule).
 *
 * A convolution layer with K filters over D input channels (groups g) has (F·F·D/g)·K weights
 * plus K biases (the lectures' "(F·F·D)·K"), W2·H2·K output neurons, and each neuron costs
 * F·F·D/g multiply-accumulates. Pooling keeps the depth and has no parameters.
 */
import { ValueError } from "../errors.js";

export type Pair = number | readonly [number, number];

/** One axis of the arithmetic. */
export interface AxisArithmetic {
  /** Input cells W. */
  size: number;
  kernel: number;
  dilation: number;
  /** F' = d·(F − 1) + 1. */
  span: number;
  /** Padding on each side. */
  padding: number;
  stride: number;
  /** W − F' + 2P. */
  numerator: number;
  /** (W − F' + 2P) / S + 1, possibly fractional. */
  exact: number;
  /** Whether S divides W − F' + 2P. */
  coversPerfectly: boolean;
  /** Cells past the last window (numerator mod S). */
  uncovered: number;
  /** PyTorch: ⌊·⌋ + 1. */
  pytorch: number;
  /** PyTorch pooling with ceilMode. */
  pytorchCeil: number;
  tfValid: number;
  tfSame: number;
  /** The total padding TensorFlow "same" adds, and its split. */
  tfSamePadding: { total: number; before: number; after: number };
}

export interface ArithmeticOptions {
  /** Input size: [H, W, D] (the lectures' W1 x H1 x D1 for a square image), [H, W] or [L] (depth 1). */
  input: readonly number[];
  /** F, or [Fh, Fw]. */
  kernel: Pair;
  /** S (default 1 for a convolution, the kernel for a pooling, as PyTorch). */
  stride?: Pair;
  /** P on each side (default 0). */
  padding?: Pair;
  /** d (default 1). */
  dilation?: Pair;
}

export interface ConvArithmeticOptions extends ArithmeticOptions {
  /** Number of filters K. */
  filters: number;
  /** Groups g (default 1): each filter sees D/g channels. */
  groups?: number;
  /** Count K biases (default true). */
  bias?: boolean;
}

export interface Explanation {
  kind: "conv" | "pool";
  /** [H, W] or [L], and the input depth D. */
  inputSize: number[];
  depth: number;
  axes: AxisArithmetic[];
  /** PyTorch's output: spatial sizes and depth. */
  outputSize: number[];
  outputDepth: number;
  /** (F·F·D/g)·K, 0 for pooling. */
  weights: number;
  biases: number;
  params: number;
  /** Output volume size. */
  neurons: number;
  macs: number;
  /** The walk-through, one line each. */
  lines: string[];
}

const pair = (v: Pair, n: number): number[] => (typeof v === "number" ? new Array<number>(n).fill(v) : n === 1 ? [v[v.length - 1]] : [...v]);

function checkInt(v: number, what: string, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new ValueError(`explain: ${what} must be an integer >= ${min}, got ${v}`);
}

/** The arithmetic of one axis (see the file comment for each formula). */
export function axisArithmetic(size: number, kernel: number, stride = 1, padding = 0, dilation = 1): AxisArithmetic {
  checkInt(size, "input size", 1);
  checkInt(kernel, "kernel", 1);
  checkInt(stride, "stride", 1);
  checkInt(padding, "padding", 0);
  checkInt(dilation, "dilation", 1);
  const span = dilation * (kernel - 1) + 1;
  const numerator = size - span + 2 * padding;
  if (numerator < 0) {
    throw new ValueError(
      `explain: the filter spans ${span} cells${dilation > 1 ? ` (F' = d(F - 1) + 1 = ${dilation}*(${kernel} - 1) + 1)` : ""} but the padded input has only ${size} + 2*${padding} = ${size + 2 * padding}: W - F + 2P = ${numerator} < 0, no output`,
    );
  }
  const pytorch = Math.floor(numerator / stride) + 1;
  let pytorchCeil = Math.ceil(numerator / stride) + 1;
  if ((pytorchCeil - 1) * stride >= size + padding) pytorchCeil--; // PyTorch: the last window must start inside the input or left padding
  const tfValid = size >= span ? Math.ceil((size - span + 1) / stride) : 0;
  const tfSame = Math.ceil(size / stride);
  const total = Math.max((tfSame - 1) * stride + span - size, 0);
  return {
    size, kernel, dilation, span, padding, stride, numerator,
    exact: numerator / stride + 1,
    coversPerfectly: numerator % stride === 0,
    uncovered: numerator % stride,
    pytorch, pytorchCeil, tfValid, tfSame,
    tfSamePadding: { total, before: Math.floor(total / 2), after: Math.ceil(total / 2) },
  };
}

const fmt = (n: number): string => (Number.isInteger(n) ? n.toLocaleString("en-US") : n.toFixed(2));
const dims = (v: readonly number[]): string => v.join("x");
/** A hyper-parameter per axis: one number when every axis has the same. */
const hyper = (v: readonly number[]): string => (v.every((x) => x === v[0]) ? String(v[0]) : v.join("x"));

function split(o: ArithmeticOptions, kind: "conv" | "pool"): { spatial: number[]; depth: number; axes: AxisArithmetic[] } {
  const input = [...o.input];
  if (input.length < 1 || input.length > 3) throw new ValueError(`explain: input must be HxWxD, HxW or L, got [${input}]`);
  const spatial = input.length === 3 ? input.slice(0, 2) : input;
  const depth = input.length === 3 ? input[2] : 1;
  checkInt(depth, "input depth", 1);
  const n = spatial.length;
  const kernel = pair(o.kernel, n);
  const stride = pair(o.stride ?? (kind === "pool" ? o.kernel : 1), n);
  const padding = pair(o.padding ?? 0, n);
  const dilation = pair(o.dilation ?? 1, n);
  if (kind === "pool") {
    padding.forEach((p, i) => {
      if (p > Math.floor(kernel[i] / 2)) throw new ValueError(`explain pool: padding ${p} must be at most half the kernel ${kernel[i]} (PyTorch's rule)`);
    });
  }
  return { spatial, depth, axes: spatial.map((s, i) => axisArithmetic(s, kernel[i], stride[i], padding[i], dilation[i])) };
}

function axisLines(a: AxisArithmetic, label: string, kind: "conv" | "pool"): string[] {
  const pad = " ".repeat(label.length);
  const F = a.dilation > 1 ? "F'" : "F";
  const out: string[] = [];
  if (a.dilation > 1) out.push(`${label}: dilation d = ${a.dilation}: the filter spans F' = d(F - 1) + 1 = ${a.dilation}*(${a.kernel} - 1) + 1 = ${a.span} cell${a.span > 1 ? "s" : ""}`);
  out.push(
    `${label} = (W - ${F} + 2P)/S + 1`,
    `${pad} = (${a.size} - ${a.span} + 2*${a.padding})/${a.stride} + 1`,
    `${pad} = ${a.numerator}/${a.stride} + 1`,
  );
  if (a.coversPerfectly) {
    out.push(`${pad} = ${a.numerator / a.stride} + 1 = ${a.pytorch}`);
  } else {
    out.push(
      `${pad} = ${fmt(a.exact)}: the stride cannot cover perfectly (${a.numerator} is not a multiple of ${a.stride})`,
      `${pad}   PyTorch floors: ${a.pytorch}, and the last ${a.uncovered} cell${a.uncovered > 1 ? "s" : ""} of the padded input ${a.uncovered > 1 ? "are" : "is"} never covered`,
    );
    if (kind === "pool") out.push(`${pad}   PyTorch with ceilMode: ${a.pytorchCeil}`);
  }
  return out;
}

function frameworkLines(axes: AxisArithmetic[], kind: "conv" | "pool"): string[] {
  const show = (f: (a: AxisArithmetic) => number | string) => (axes.length === 2 && sameAxis(axes[0], axes[1]) ? String(f(axes[0])) : axes.map(f).join(", "));
  const sizes = (f: (a: AxisArithmetic) => number) => axes.map(f).join("x");
  const F = axes.some((a) => a.dilation > 1) ? "F'" : "F";
  const row = (label: string, value: string, how = "") => `  ${label.padEnd(30)}${value.padEnd(10)}${how}`.trimEnd();
  return [
    "What frameworks give:",
    row(`PyTorch (floor${kind === "pool" ? ", ceilMode false" : ""})`, sizes((a) => a.pytorch)),
    ...(kind === "pool" ? [row("PyTorch (ceilMode true)", sizes((a) => a.pytorchCeil))] : []),
    row('TensorFlow "valid" (P = 0)', sizes((a) => a.tfValid), `ceil((W - ${F} + 1)/S) = ${show((a) => `ceil(${a.size - a.span + 1}/${a.stride})`)}`),
    row('TensorFlow "same"', sizes((a) => a.tfSame), `ceil(W/S) = ${show((a) => `ceil(${a.size}/${a.stride})`)}; pads ${show((a) => `${a.tfSamePadding.total} = ${a.tfSamePadding.before} before + ${a.tfSamePadding.after} after`)}`),
  ];
}

/**
 * A convolution layer's arithmetic, as the lectures walk through it:
 * `explainConv({ input: [227, 227, 3], kernel: 11, stride: 4, filters: 96 })` gives 55x55x96,
 * 34,848 weights + 96 biases, 290,400 neurons, 105,415,200 MACs.
 */
export function explainConv(o: ConvArithmeticOptions): Explanation {
  const { spatial, depth, axes } = split(o, "conv");
  checkInt(o.filters, "filters", 1);
  const groups = o.groups ?? 1;
  checkInt(groups, "groups", 1);
  if (depth % groups !== 0 || o.filters % groups !== 0) throw new ValueError(`explain conv: depth ${depth} and filters ${o.filters} must both be divisible by groups ${groups}`);
  const perFilter = axes.reduce((n, a) => n * a.kernel, 1) * (depth / groups);
  const weights = perFilter * o.filters;
  const biases = o.bias === false ? 0 : o.filters;
  const outputSize = axes.map((a) => a.pytorch);
  const neurons = outputSize.reduce((a, b) => a * b, 1) * o.filters;
  const macs = neurons * perFilter;
  const labels = axes.length === 1 ? ["W2"] : axes[0].size === axes[1].size && sameAxis(axes[0], axes[1]) ? ["W2 = H2"] : ["H2 (height)", "W2 (width)"];
  const kernelText = dims(axes.map((a) => a.kernel));
  const lines = [
    `Convolution: input ${dims(o.input)} (${o.input.length === 3 ? "H x W x D" : o.input.length === 2 ? "H x W" : "length"}), ${o.filters} filters of ${kernelText}x${depth / groups}${groups > 1 ? ` (groups ${groups})` : ""}, stride ${hyper(axes.map((a) => a.stride))}, padding ${hyper(axes.map((a) => a.padding))}${axes.some((a) => a.dilation > 1) ? `, dilation ${hyper(axes.map((a) => a.dilation))}` : ""}`,
    "",
    ...(labels.length === 1 ? axisLines(axes[0], labels[0], "conv") : axes.flatMap((a, i) => axisLines(a, labels[i], "conv"))),
    "",
    `Output volume: ${dims(outputSize)}x${o.filters} (D2 = K = ${o.filters})`,
    `Weights: (${axes.map((a) => a.kernel).join("*")}*${depth / groups})*${o.filters} = ${fmt(perFilter)}*${o.filters} = ${fmt(weights)}${biases ? `, plus ${fmt(biases)} biases = ${fmt(weights + biases)} parameters` : " (no biases)"}`,
    `Neurons: ${dims(outputSize)}x${o.filters} = ${fmt(neurons)}`,
    `MACs: ${fmt(neurons)} neurons x ${fmt(perFilter)} = ${fmt(macs)} multiply-accumulates (bias adds not counted)`,
    "",
    ...frameworkLines(axes, "conv"),
  ];
  return { kind: "conv", inputSize: spatial, depth, axes, outputSize, outputDepth: o.filters, weights, biases, params: weights + biases, neurons, macs, lines };
}

/**
 * A pooling layer's arithmetic: `explainPool({ input: [55, 55, 96], kernel: 3, stride: 2 })`
 * gives 27x27x96 and no parameters. The stride defaults to the kernel, as in PyTorch.
 */
export function explainPool(o: ArithmeticOptions): Explanation {
  const { spatial, depth, axes } = split(o, "pool");
  const outputSize = axes.map((a) => a.pytorch);
  const neurons = outputSize.reduce((a, b) => a * b, 1) * depth;
  const labels = axes.length === 1 ? ["W2"] : sameAxis(axes[0], axes[1]) ? ["W2 = H2"] : ["H2 (height)", "W2 (width)"];
  const lines = [
    `Pooling: input ${dims(o.input)} (${o.input.length === 3 ? "H x W x D" : o.input.length === 2 ? "H x W" : "length"}), window ${dims(axes.map((a) => a.kernel))}, stride ${hyper(axes.map((a) => a.stride))}, padding ${hyper(axes.map((a) => a.padding))}${axes.some((a) => a.dilation > 1) ? `, dilation ${hyper(axes.map((a) => a.dilation))}` : ""}`,
    "",
    ...(labels.length === 1 ? axisLines(axes[0], labels[0], "pool") : axes.flatMap((a, i) => axisLines(a, labels[i], "pool"))),
    "",
    `Output volume: ${dims(outputSize)}x${depth} (pooling keeps the depth D2 = D1 = ${depth})`,
    "Parameters: 0 (a pooling layer has nothing to learn)",
    `Neurons: ${dims(outputSize)}x${depth} = ${fmt(neurons)}`,
    `MACs: 0 (each output compares or averages ${fmt(axes.reduce((n, a) => n * a.kernel, 1))} inputs)`,
    "",
    ...frameworkLines(axes, "pool"),
  ];
  return { kind: "pool", inputSize: spatial, depth, axes, outputSize, outputDepth: depth, weights: 0, biases: 0, params: 0, neurons, macs: 0, lines };
}

function sameAxis(a: AxisArithmetic, b: AxisArithmetic): boolean {
  return a.size === b.size && a.kernel === b.kernel && a.stride === b.stride && a.padding === b.padding && a.dilation === b.dilation;
}
