/** Accuracy and top-k accuracy, as functions over one batch and as streaming accumulators. */
import type { Tensor } from "../tensor/tensor.js";
import { ValueError } from "../errors.js";
import { ratio, readLabels, readScores } from "./inputs.js";

/**
 * Fraction of samples whose predicted class is the target, accumulated over batches:
 * accuracy = correct / total (0 before any sample). `update(preds, targets)` takes scores
 * [N, C, ...] (argmax over dimension 1) or int32 labels shaped like the int32 targets.
 */
export class Accuracy {
  correct = 0;
  total = 0;

  update(preds: Tensor, targets: Tensor): this {
    const { pred, target } = readLabels("Accuracy", preds, targets);
    for (let i = 0; i < target.length; i++) if (pred[i] === target[i]) this.correct++;
    this.total += target.length;
    return this;
  }

  compute(): number {
    return ratio(this.correct, this.total);
  }

  reset(): void {
    this.correct = this.total = 0;
  }
}

/**
 * Fraction of samples whose target is among the k highest-scoring classes, accumulated over
 * batches. A sample counts when fewer than k classes score strictly higher than its target, so a
 * tie at the k-th place counts in the target's favour. `update(scores, targets)`: float scores
 * [N, C, ...] and int32 targets [N, ...]; 1 <= k <= C.
 */
export class TopKAccuracy {
  readonly k: number;
  correct = 0;
  total = 0;

  constructor(k: number) {
    if (!Number.isInteger(k) || k < 1) throw new ValueError(`TopKAccuracy: k must be an integer >= 1, got ${k}`);
    this.k = k;
  }

  update(scores: Tensor, targets: Tensor): this {
    const { data, n, classes: C, inner: S, target } = readScores("TopKAccuracy", scores, targets);
    if (this.k > C) throw new ValueError(`TopKAccuracy: k must be at most the ${C} classes of scores [${scores.shape}], got ${this.k}`);
    for (let b = 0; b < n; b++) {
      for (let s = 0; s < S; s++) {
        const base = b * C * S + s;
        const t = target[b * S + s];
        const score = data[base + t * S];
        let higher = 0;
        for (let c = 0; c < C && higher < this.k; c++) if (data[base + c * S] > score) higher++;
        if (higher < this.k && !Number.isNaN(score)) this.correct++;
      }
    }
    this.total += target.length;
    return this;
  }

  compute(): number {
    return ratio(this.correct, this.total);
  }

  reset(): void {
    this.correct = this.total = 0;
  }
}

/**
 * Accuracy of one batch: the fraction of samples predicted right. `preds` are scores [N, C, ...]
 * (logits or probabilities: the argmax over dimension 1 is the prediction) or int32 labels of the
 * targets' shape; `targets` are int32 labels [N, ...].
 *
 *   accuracy(model.forward(x), y)   // e.g. 0.9375
 */
export function accuracy(preds: Tensor, targets: Tensor): number {
  return new Accuracy().update(preds, targets).compute();
}

/** Top-k accuracy of one batch (see TopKAccuracy): scores [N, C, ...], int32 targets [N, ...]. */
export function topKAccuracy(scores: Tensor, targets: Tensor, k: number): number {
  return new TopKAccuracy(k).update(scores, targets).compute();
}
