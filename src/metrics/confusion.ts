/**
 * The confusion matrix and what it gives: per-class precision, recall and F1 with their macro,
 * weighted and micro averages (scikit-learn's definitions).
 */
import type { Tensor } from "../tensor/tensor.js";
import { tensor } from "../tensor/create.js";
import { ValueError } from "../errors.js";
import { checkClassCount, ratio, readLabels } from "./inputs.js";

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

export interface PrecisionRecallF1 {
  /** Per class c: TP/(TP+FP), 0 when the class is never predicted. */
  precision: number[];
  /** Per class c: TP/(TP+FN), 0 when the class never occurs. */
  recall: number[];
  /** Per class c: 2·TP/(2·TP+FP+FN) (= 2PR/(P+R)), 0 when TP+FP+FN = 0. */
  f1: number[];
  /** Per class: how many samples truly are that class. */
  support: number[];
  /** Unweighted mean over all numClasses classes (sklearn average="macro", labels=0..C−1). */
  macro: Averages;
  /** Mean weighted by support (sklearn average="weighted"); 0 when there is no sample. */
  weighted: Averages;
  /** From the summed counts (sklearn average="micro"); all three equal the accuracy here. */
  micro: Averages;
}

/**
 * A confusion matrix accumulated over batches: `counts[t][p]` is how many samples of true class
 * t were predicted as p — rows are true classes, columns predictions, as sklearn's
 * `confusion_matrix(y_true, y_pred)`. Only the C×C counts are kept, so evaluating over a
 * DataLoader holds no predictions:
 *
 *   const cm = new metrics.ConfusionMatrix(10);
 *   for (const [x, y] of loader) cm.update(model.forward(x), y);
 *   cm.compute();             // int32 tensor [10, 10]
 *   cm.precisionRecallF1();   // per class and averaged
 */
export class ConfusionMatrix {
  readonly numClasses: number;
  private readonly counts: Float64Array;

  constructor(numClasses: number) {
    checkClassCount("ConfusionMatrix", numClasses);
    this.numClasses = numClasses;
    this.counts = new Float64Array(numClasses * numClasses);
  }

  /**
   * Adds a batch: `preds` are scores [N, C, ...] (argmax over dimension 1) or int32 labels
   * shaped like the int32 `targets`; every label must be a class in 0..numClasses−1.
   */
  update(preds: Tensor, targets: Tensor): this {
    const C = this.numClasses;
    if (preds.dtype !== "int32" && preds.ndim >= 2 && preds.shape[1] !== C) {
      throw new ValueError(`ConfusionMatrix: scores [${preds.shape}] have ${preds.shape[1]} classes, the matrix has ${C}`);
    }
    const { pred, target } = readLabels("ConfusionMatrix", preds, targets);
    for (let i = 0; i < target.length; i++) {
      const t = target[i];
      const p = pred[i];
      if (t < 0 || t >= C) throw new ValueError(`ConfusionMatrix: target ${t} at position ${i} is outside 0..${C - 1}`);
      if (p < 0 || p >= C) throw new ValueError(`ConfusionMatrix: prediction ${p} at position ${i} is outside 0..${C - 1}`);
    }
    for (let i = 0; i < target.length; i++) this.counts[target[i] * C + pred[i]]++;
    return this;
  }

  /** Samples seen since construction or the last reset. */
  get total(): number {
    let n = 0;
    for (const v of this.counts) n += v;
    return n;
  }

  /** The counts as an int32 tensor [C, C] (rows: true class, columns: predicted class). */
  compute(): Tensor {
    return tensor(Int32Array.from(this.counts), { shape: [this.numClasses, this.numClasses], dtype: "int32" });
  }

  /** The counts as nested arrays, rows = true class. */
  toArray(): number[][] {
    const C = this.numClasses;
    return Array.from({ length: C }, (_, t) => Array.from(this.counts.subarray(t * C, (t + 1) * C)));
  }

  /** Trace / total: the fraction predicted right (0 before any sample). */
  accuracy(): number {
    let correct = 0;
    for (let c = 0; c < this.numClasses; c++) correct += this.counts[c * this.numClasses + c];
    return ratio(correct, this.total);
  }

  /**
   * Per-class precision, recall, F1 and support, and their macro / weighted / micro averages, by
   * scikit-learn's definitions with zero_division = 0 and labels = 0..C−1 (a class that never
   * occurs and is never predicted counts as 0 in the macro average, as sklearn does when given
   * `labels=range(C)`).
   */
  precisionRecallF1(): PrecisionRecallF1 {
    const C = this.numClasses;
    const tp = new Array<number>(C).fill(0);
    const predicted = new Array<number>(C).fill(0); // column sums: TP + FP
    const support = new Array<number>(C).fill(0); // row sums: TP + FN
    for (let t = 0; t < C; t++) {
      for (let p = 0; p < C; p++) {
        const v = this.counts[t * C + p];
        support[t] += v;
        predicted[p] += v;
      }
      tp[t] = this.counts[t * C + t];
    }
    const precision = tp.map((v, c) => ratio(v, predicted[c]));
    const recall = tp.map((v, c) => ratio(v, support[c]));
    const f1 = tp.map((v, c) => ratio(2 * v, predicted[c] + support[c]));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / C;
    const total = support.reduce((a, b) => a + b, 0);
    const weightedMean = (xs: number[]) => ratio(xs.reduce((a, x, c) => a + x * support[c], 0), total);
    const micro = ratio(tp.reduce((a, b) => a + b, 0), total);
    return {
      precision, recall, f1, support,
      macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
      weighted: { precision: weightedMean(precision), recall: weightedMean(recall), f1: weightedMean(f1) },
      micro: { precision: micro, recall: micro, f1: micro },
    };
  }

  reset(): void {
    this.counts.fill(0);
  }
}

/** The confusion matrix of one batch: int32 [C, C], rows = true class (see ConfusionMatrix). */
export function confusionMatrix(preds: Tensor, targets: Tensor, numClasses: number): Tensor {
  return new ConfusionMatrix(numClasses).update(preds, targets).compute();
}

/** Per-class precision / recall / F1 and their averages for one batch (see ConfusionMatrix). */
export function precisionRecallF1(preds: Tensor, targets: Tensor, numClasses: number): PrecisionRecallF1 {
  return new ConfusionMatrix(numClasses).update(preds, targets).precisionRecallF1();
}
