/**
 * Reading metric inputs: class scores (float logits or probabilities, class dimension 1, as for
 * crossEntropy) or predicted labels (int32), against int32 target labels. Metrics run on the
 * host over the tensors' values: they are a few comparisons per example, not worth a kernel.
 */
import type { Tensor } from "../tensor/tensor.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";

/** Predicted and true labels, one per sample (batch and any spatial positions, flattened). */
export interface LabelPairs {
  pred: ArrayLike<number>;
  target: ArrayLike<number>;
}

/** Class scores laid out [N, C, S] (S = product of the dimensions after the class dimension). */
export interface Scores {
  data: ArrayLike<number>;
  n: number;
  classes: number;
  inner: number;
}

export function checkTargets(op: string, target: Tensor): Int32Array {
  if (target.dtype !== "int32") throw new DTypeError(`${op}: targets must be int32 class labels, got ${target.dtype} (shape [${target.shape}])`);
  return target.data() as Int32Array;
}

/**
 * Scores [N, C, ...] against targets [N, ...]: the shapes must agree once the class dimension
 * (dimension 1) is taken out; every target must be a class in 0..C−1.
 */
export function readScores(op: string, scores: Tensor, target: Tensor): Scores & { target: Int32Array } {
  const t = checkTargets(op, target);
  if (scores.dtype === "int32") throw new DTypeError(`${op}: expected float class scores [N, C] (logits or probabilities), got int32 [${scores.shape}]`);
  const s = scores.shape;
  const expected = [s[0], ...s.slice(2)];
  if (s.length < 2 || target.ndim !== s.length - 1 || expected.some((d, i) => d !== target.shape[i])) {
    throw new ShapeError(`${op}: scores [${s}] (N, C, ...) need targets of shape [${s.length < 2 ? "N" : expected}], got targets [${target.shape}]`);
  }
  const classes = s[1];
  for (let i = 0; i < t.length; i++) {
    if (t[i] < 0 || t[i] >= classes) throw new ValueError(`${op}: target ${t[i]} at position ${i} is outside the ${classes} classes of scores [${s}] (0..${classes - 1})`);
  }
  return { data: scores.data(), n: s[0], classes, inner: s.slice(2).reduce((p, d) => p * d, 1), target: t };
}

/** argmax over the class dimension (the first maximum wins, a NaN counts as the maximum, like torch.argmax). */
export function argmaxLabels(sc: Scores): Int32Array {
  const { data, n, classes: C, inner: S } = sc;
  const out = new Int32Array(n * S);
  for (let b = 0; b < n; b++) {
    for (let s = 0; s < S; s++) {
      const base = b * C * S + s;
      let best = 0;
      let bestValue = data[base];
      for (let c = 1; c < C && !Number.isNaN(bestValue); c++) {
        const v = data[base + c * S];
        if (v > bestValue || Number.isNaN(v)) {
          best = c;
          bestValue = v;
        }
      }
      out[b * S + s] = best;
    }
  }
  return out;
}

/**
 * Predictions as labels: int32 labels of the targets' shape, or float scores [N, C, ...] reduced
 * by argmax over dimension 1.
 */
export function readLabels(op: string, preds: Tensor, target: Tensor): LabelPairs {
  if (preds.dtype === "int32") {
    const t = checkTargets(op, target);
    if (preds.ndim !== target.ndim || preds.shape.some((d, i) => d !== target.shape[i])) {
      throw new ShapeError(`${op}: predicted labels [${preds.shape}] and targets [${target.shape}] must have the same shape`);
    }
    return { pred: preds.data(), target: t };
  }
  if (preds.ndim === target.ndim) {
    throw new ShapeError(`${op}: float predictions [${preds.shape}] have no class dimension; pass scores [N, C, ...] (targets [${target.shape}]) or int32 labels`);
  }
  const sc = readScores(op, preds, target);
  return { pred: argmaxLabels(sc), target: sc.target };
}

export function checkClassCount(op: string, numClasses: number): void {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new ValueError(`${op}: numClasses must be an integer >= 1, got ${numClasses}`);
}

/** a / b, or 0 when b is 0 (sklearn's zero_division=0). */
export function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
