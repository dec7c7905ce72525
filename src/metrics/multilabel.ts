/** Multi-label accuracy: each sample carries L independent yes/no labels, decided by a threshold. */
import type { Tensor } from "../tensor/tensor.js";
import { ShapeError, ValueError } from "../errors.js";
import { ratio } from "./inputs.js";

export interface MultiLabelOptions {
  /** A label is predicted on when its probability is > threshold, in [0, 1]: default 0.5. */
  threshold?: number;
  /** The scores are logits (default): the probability is sigmoid(score). false: they are probabilities. */
  fromLogits?: boolean;
}

export interface MultiLabelResult {
  /** Fraction of samples with every one of their L labels right (sklearn's accuracy_score on multi-label data, "subset accuracy"). */
  exactMatch: number;
  /** Fraction of the N·L label decisions that are right: 1 − sklearn's hamming_loss. */
  hamming: number;
  /** Per label: the fraction of samples for which that label is right. */
  perLabel: number[];
}

/**
 * Multi-label accuracy accumulated over batches. `update(scores, targets)`: scores [N, L] (logits
 * unless fromLogits is false) and targets [N, L] of 0/1 (int32 or float). A label is predicted
 * on when sigmoid(score) > threshold (strictly: a logit of 0 with the default 0.5 is "off").
 * `compute()` gives both common definitions (see MultiLabelResult): the strict exact-match
 * ratio and the per-label (Hamming) accuracy.
 */
export class MultiLabelAccuracy {
  readonly threshold: number;
  readonly fromLogits: boolean;
  private exact = 0;
  private samples = 0;
  private rightPerLabel: number[] | null = null;

  constructor(options: MultiLabelOptions = {}) {
    const threshold = options.threshold ?? 0.5;
    if (typeof threshold !== "number" || !(threshold >= 0 && threshold <= 1)) {
      throw new ValueError(`MultiLabelAccuracy: threshold must be a probability in [0, 1], got ${threshold}`);
    }
    this.threshold = threshold;
    this.fromLogits = options.fromLogits ?? true;
  }

  update(scores: Tensor, targets: Tensor): this {
    const N = "MultiLabelAccuracy";
    if (scores.dtype === "int32") throw new ValueError(`${N}: scores must be float logits or probabilities, got int32 [${scores.shape}]`);
    if (scores.ndim !== 2 || targets.ndim !== 2 || scores.shape[0] !== targets.shape[0] || scores.shape[1] !== targets.shape[1]) {
      throw new ShapeError(`${N}: scores [${scores.shape}] and targets [${targets.shape}] must both be [N, L] with the same shape`);
    }
    const [n, L] = scores.shape;
    if (this.rightPerLabel && this.rightPerLabel.length !== L) {
      throw new ShapeError(`${N}: scores [${scores.shape}] have ${L} labels, earlier batches had ${this.rightPerLabel.length}`);
    }
    const s = scores.data();
    const t = targets.data();
    for (let i = 0; i < t.length; i++) {
      if (t[i] !== 0 && t[i] !== 1) throw new ValueError(`${N}: targets must be 0 or 1, got ${t[i]} at position ${i}`);
    }
    const right = (this.rightPerLabel ??= new Array<number>(L).fill(0));
    for (let b = 0; b < n; b++) {
      let all = true;
      for (let l = 0; l < L; l++) {
        const on = this.probability(s[b * L + l]) > this.threshold ? 1 : 0;
        if (on === t[b * L + l]) right[l]++;
        else all = false;
      }
      if (all) this.exact++;
    }
    this.samples += n;
    return this;
  }

  compute(): MultiLabelResult {
    const perLabel = (this.rightPerLabel ?? []).map((r) => ratio(r, this.samples));
    const decisions = this.samples * perLabel.length;
    const right = (this.rightPerLabel ?? []).reduce((a, b) => a + b, 0);
    return { exactMatch: ratio(this.exact, this.samples), hamming: ratio(right, decisions), perLabel };
  }

  reset(): void {
    this.exact = this.samples = 0;
    this.rightPerLabel = null;
  }

  private probability(score: number): number {
    return this.fromLogits ? 1 / (1 + Math.exp(-score)) : score;
  }
}

/** Multi-label accuracy of one batch: exact-match ratio, Hamming accuracy and per-label accuracy. */
export function multiLabelAccuracy(scores: Tensor, targets: Tensor, options: MultiLabelOptions = {}): MultiLabelResult {
  return new MultiLabelAccuracy(options).update(scores, targets).compute();
}
