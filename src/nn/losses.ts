/**
 * Loss functions, PyTorch semantics. `reduction` is "mean" (default), "sum", "none", or
 * "batchmean" (sum divided by the batch size: the per-example total averaged over the batch).
 */
import type { Tensor } from "../tensor/tensor.js";
import { ShapeError, ValueError } from "../errors.js";
import { noGrad } from "../autograd/engine.js";
import { where } from "../ops/binary.js";

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
}

/** Moves the class dim C of [N, C, d1, ...] last and flattens: [N·d1·..., C]. */
function classesLast(x: Tensor): Tensor {
  if (x.ndim <= 2) return x;
  const dims = [0, ...x.shape.slice(2).map((_, i) => i + 2), 1];
  return x.permute(dims).reshape([-1, x.shape[1]]);
}

function checkTarget(input: Tensor, target: Tensor, op: string): void {
  if (target.dtype !== "int32") throw new ValueError(`${op}: target must hold integer class indices (int32), got ${target.dtype}`);
  const expected = [input.shape[0], ...input.shape.slice(2)];
  if (input.ndim === 1 ? target.ndim !== 0 : target.ndim !== expected.length || target.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(`${op}: input [${input.shape}] needs target of shape [${input.ndim === 1 ? "" : expected}], got [${target.shape}]`);
  }
  const classes = input.ndim === 1 ? input.shape[0] : input.shape[1];
  const t = target.data();
  for (let i = 0; i < t.length; i++) {
    if (t[i] < 0 || t[i] >= classes) throw new ValueError(`${op}: target ${t[i]} at position ${i} is outside 0..${classes - 1}`);
  }
}

/** −logProbs[target]: input holds log-probabilities [N, C] or [N, C, d1, ...], target class indices. */
export function nllLoss(logProbs: Tensor, target: Tensor, options: ClassLossOptions = {}): Tensor {
  checkTarget(logProbs, target, "nllLoss");
  const flat = logProbs.ndim === 1 ? logProbs.reshape([1, -1]) : classesLast(logProbs);
  const picked = flat.gather(1, target.reshape([-1, 1])).reshape([-1]).neg();
  const shaped = logProbs.ndim === 1 ? picked.reshape([]) : picked.reshape([...target.shape]);
  return reduce(shaped, options.reduction ?? "mean", "nllLoss");
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
