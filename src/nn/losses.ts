/**
 * Loss functions, PyTorch semantics. `reduction` is "mean" (default), "sum", "none", or
 * "batchmean" (sum divided by the batch size: the per-example total averaged over the batch).
 */
import type { Tensor } from "../tensor/tensor.js";
import { ShapeError, ValueError } from "../errors.js";
import { noGrad } from "../autograd/engine.js";
import { where } from "../ops/binary.js";
import { tensor } from "../tensor/create.js";

export type Reduction = "mean" | "sum" | "none" | "batchmean";

function reduce(loss: Tensor, reduction: Reduction, op: string, batch = loss.ndim > 0 ? loss.shape[0] : 1): Tensor {
  switch (reduction) {
    case "mean":
      return loss.mean();
    case "sum":
      return loss.sum();
    case "none":
      return loss;
    case "batchmean":
      return loss.sum().div(batch);
    default:
      throw new ValueError(`${op}: reduction must be "mean", "sum", "none" or "batchmean", got ${JSON.stringify(reduction)}`);
  }
}

function sameShapes(a: Tensor, b: Tensor, op: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(`${op}: input shape [${a.shape}] and target shape [${b.shape}] must match`);
  }
}

export interface MseLossOptions {
  reduction?: Reduction;
  /**
   * Multiply by 1/2, the lectures' convention C = ½‖y − a‖², whose gradient is simply (a − y).
   * With reduction "batchmean" this is exactly Nielsen's quadratic cost C = 1/(2n) Σ‖y − a‖².
   */
  half?: boolean;
}

/** Squared error (input − target)². */
export function mseLoss(input: Tensor, target: Tensor, options: MseLossOptions = {}): Tensor {
  sameShapes(input, target, "mseLoss");
  let loss = input.sub(target).square();
  if (options.half) loss = loss.mul(0.5);
  return reduce(loss, options.reduction ?? "mean", "mseLoss");
}

export interface ClassLossOptions {
  reduction?: Exclude<Reduction, "batchmean">;
  /**
   * A target value that contributes nothing: its loss is 0 ("none"), it is left out of the sum,
   * and "mean" divides by the number of the other targets (PyTorch's ignore_index, default −100).
   * What padded sequences use so the padding never reaches the loss or the gradient.
   */
  ignoreIndex?: number;
}

/** PyTorch's default ignore_index. */
const IGNORE_INDEX = -100;

/** Moves the class dim C of [N, C, d1, ...] last and flattens: [N·d1·..., C]. */
function classesLast(x: Tensor): Tensor {
  if (x.ndim <= 2) return x;
  const dims = [0, ...x.shape.slice(2).map((_, i) => i + 2), 1];
  return x.permute(dims).reshape([-1, x.shape[1]]);
}

function checkTarget(input: Tensor, target: Tensor, op: string, ignoreIndex: number): number {
  if (target.dtype !== "int32") throw new ValueError(`${op}: target must hold integer class indices (int32), got ${target.dtype}`);
  const expected = [input.shape[0], ...input.shape.slice(2)];
  if (input.ndim === 1 ? target.ndim !== 0 : target.ndim !== expected.length || target.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(`${op}: input [${input.shape}] needs target of shape [${input.ndim === 1 ? "" : expected}], got [${target.shape}]`);
  }
  const classes = input.ndim === 1 ? input.shape[0] : input.shape[1];
  const t = target.data();
  let ignored = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === ignoreIndex) ignored++;
    else if (t[i] < 0 || t[i] >= classes) throw new ValueError(`${op}: target ${t[i]} at position ${i} is outside 0..${classes - 1} (and is not ignoreIndex ${ignoreIndex})`);
  }
  return ignored;
}

/** −logProbs[target]: input holds log-probabilities [N, C] or [N, C, d1, ...], target class indices. */
export function nllLoss(logProbs: Tensor, target: Tensor, options: ClassLossOptions = {}): Tensor {
  const ignoreIndex = options.ignoreIndex ?? IGNORE_INDEX;
  if (!Number.isInteger(ignoreIndex)) throw new ValueError(`nllLoss: ignoreIndex must be an integer, got ${ignoreIndex}`);
  const ignored = checkTarget(logProbs, target, "nllLoss", ignoreIndex);
  const flat = logProbs.ndim === 1 ? logProbs.reshape([1, -1]) : classesLast(logProbs);
  const reduction = options.reduction ?? "mean";
  if (ignored === 0) {
    const picked = flat.gather(1, target.reshape([-1, 1])).reshape([-1]).neg();
    const shaped = logProbs.ndim === 1 ? picked.reshape([]) : picked.reshape([...target.shape]);
    return reduce(shaped, reduction, "nllLoss");
  }
  // Ignored targets pick class 0 (any valid index) and are then multiplied by a 0 mask, so they
  // add nothing to the value and send no gradient; "mean" divides by the kept count (0/0 = NaN
  // when every target is ignored, as in PyTorch).
  const t = target.data();
  const safe = new Int32Array(t.length);
  const keep = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) if (t[i] !== ignoreIndex) [safe[i], keep[i]] = [t[i], 1];
  const picked = flat.gather(1, tensor(safe, { shape: [t.length, 1], dtype: "int32" })).reshape([-1]).neg();
  const masked = picked.mul(tensor(keep, { dtype: picked.dtype }));
  const shaped = logProbs.ndim === 1 ? masked.reshape([]) : masked.reshape([...target.shape]);
  if (reduction === "mean") return shaped.sum().div(t.length - ignored);
  return reduce(shaped, reduction, "nllLoss");
}

/**
 * Softmax cross-entropy from raw scores (logits) [N, C] (or [N, C, d1, ...]) and integer class
 * targets — log-softmax and NLL in one, numerically safe.
 */
export function crossEntropy(logits: Tensor, target: Tensor, options: ClassLossOptions = {}): Tensor {
  return nllLoss(logits.logSoftmax(logits.ndim === 1 ? 0 : 1), target, options);
}

/** max(log q, −100), with a zero gradient (not 0/0 = NaN) where q = 0. */
function clampedLog(q: Tensor): Tensor {
  const positive = q.gt(0);
  return where(positive, where(positive, q, 1).log(), -100).clamp(-100);
}

/**
 * −[t·log p + (1−t)·log(1−p)] on probabilities p in [0, 1] (multi-label: one independent
 * yes/no per output). Logs are clamped at −100 as in PyTorch, so p = 0 or 1 stays finite.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  sameShapes(input, target, "binaryCrossEntropy");
  // Two reductions check the range (a NaN fails it too); only a bad input is read out to find the culprit.
  const ok = noGrad(() => input.numel === 0 || (input.min().item() >= 0 && input.max().item() <= 1));
  if (!ok) {
    const data = input.data();
    const i = data.findIndex((v) => !(v >= 0 && v <= 1));
    throw new ValueError(`binaryCrossEntropy: input must be probabilities in [0, 1]; found ${data[i]} at position ${i} (use bceWithLogits for raw scores)`);
  }
  const logP = clampedLog(input);
  const log1mP = clampedLog(input.neg().add(1));
  const loss = target.mul(logP).add(target.neg().add(1).mul(log1mP)).neg();
  return reduce(loss, options.reduction ?? "mean", "binaryCrossEntropy");
}

/**
 * Binary cross-entropy on raw scores x, computed stably (never the log of a rounded-off sigmoid):
 *   loss = (1 − t)·x + (1 + (w − 1)·t)·L,   L = −log σ(x) = log(1 + e^−|x|) + max(−x, 0)
 * where w is `posWeight` (per class, default 1), which scales the positive examples' term.
 */
export function bceWithLogits(input: Tensor, target: Tensor, options: { reduction?: Reduction; posWeight?: Tensor } = {}): Tensor {
  sameShapes(input, target, "bceWithLogits");
  // L = m + log(e^−m + e^(−x−m)) with m = max(−x, 0) held constant (the log-sum-exp trick): the
  // same values, and a gradient σ(x) − 1 that is right at x = 0 too (abs and clamp both kink there).
  const m = input.neg().clamp(0).detach();
  const negLogSigmoid = m.neg().exp().add(input.neg().sub(m).exp()).log().add(m);
  const weight = options.posWeight ? target.mul(options.posWeight.sub(1)).add(1) : null;
  const loss = target.neg().add(1).mul(input).add(weight ? weight.mul(negLogSigmoid) : negLogSigmoid);
  return reduce(loss, options.reduction ?? "mean", "bceWithLogits");
}
