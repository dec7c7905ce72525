/**
 * metrics: accuracy, top-k accuracy, confusion matrix, precision / recall / F1, multi-label
 * accuracy, and their streaming accumulators. The expected numbers are worked out by hand in the
 * comments (scikit-learn is not installed here); the definitions are sklearn's.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { data, DTypeError, metrics, ShapeError, tensor, ValueError, type Tensor } from "../../src/index.js";

const labels = (xs: number[], shape?: number[]) => tensor(Int32Array.from(xs), { dtype: "int32", shape: shape ?? [xs.length] });
const floats = (xs: number[][], dtype: "float32" | "float64" = "float32") => tensor(xs, { dtype });

// Ten samples, three classes. Confusion matrix (rows = true class, columns = prediction):
//   true 0: samples 0 → 0, 1 → 1, 7 → 0          [2, 1, 0]
//   true 1: samples 2, 3, 9 → 1; 4 → 2            [0, 3, 1]
//   true 2: samples 5, 8 → 2; 6 → 1               [0, 1, 2]
const TARGET = [0, 0, 1, 1, 1, 2, 2, 0, 2, 1];
const PRED = [0, 1, 1, 1, 2, 2, 1, 0, 2, 1];
const MATRIX = [
  [2, 1, 0],
  [0, 3, 1],
  [0, 1, 2],
];

/** Logits whose argmax is `pred`; sample 0 has a tie between classes 0 and 1 (the first wins). */
function logitsFor(pred: number[], classes = 3): number[][] {
  return pred.map((p, i) => {
    const row = Array.from({ length: classes }, (_, c) => Math.sin(i * 3 + c) * 0.5);
    row[p] = 2 + i * 0.1;
    if (i === 0) row[1] = row[0];
    return row;
  });
}

function close(actual: number, expected: number, label: string, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${label}: ${actual}, expected ${expected}`);
}

function closeAll(actual: number[], expected: number[], label: string): void {
  assert.equal(actual.length, expected.length, label);
  actual.forEach((a, i) => close(a, expected[i], `${label}[${i}]`));
}

describe("metrics.accuracy", () => {
  test("from labels and from logits (argmax over dim 1, first maximum on a tie)", () => {
    assert.equal(metrics.accuracy(labels(PRED), labels(TARGET)), 0.7); // trace 7 of 10
    assert.equal(metrics.accuracy(floats(logitsFor(PRED)), labels(TARGET)), 0.7);
    assert.equal(metrics.accuracy(floats(logitsFor(PRED), "float64"), labels(TARGET)), 0.7);
    assert.equal(metrics.accuracy(floats([[0, 1, 1]]), labels([1])), 1);
  });

  test("scores with spatial dimensions [N, C, H] against targets [N, H]", () => {
    // sample 0: positions → classes argmax [1, 0]; sample 1: [0, 0]
    const scores = tensor([[[0, 5], [1, 2]], [[3, 4], [1, 0]]], { dtype: "float32" }); // [2, 2, 2]
    assert.equal(metrics.accuracy(scores, labels([1, 0, 0, 1], [2, 2])), 0.75);
  });

  test("no samples gives 0 (the zero-division convention)", () => {
    assert.equal(metrics.accuracy(labels([]), labels([])), 0);
  });
});

describe("metrics.topKAccuracy", () => {
  const scores = floats([
    [0.1, 0.5, 0.2, 0.9, 0.3], // target 1: one class higher (0.9)          → top-2
    [2, 1, 0, -1, -2], //        target 0: the highest                    → top-1
    [0, 0, 0, 0, 1], //          target 2: one higher, tied with three     → top-2 (ties count for it)
    [5, 4, 3, 2, 1], //          target 4: four higher                     → top-5
  ]);
  const target = labels([1, 0, 2, 4]);

  test("k = 1 .. 5", () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((k) => metrics.topKAccuracy(scores, target, k)), [0.25, 0.75, 0.75, 0.75, 1]);
  });
  test("top-1 equals accuracy", () => {
    const s = floats(logitsFor(PRED).map((r, i) => (i === 0 ? [3, 1, 0] : r))); // no tie here
    assert.equal(metrics.topKAccuracy(s, labels(TARGET), 1), metrics.accuracy(s, labels(TARGET)));
  });
  test("k outside 1..C", () => {
    assert.throws(() => metrics.topKAccuracy(scores, target, 6), (e: unknown) => e instanceof ValueError && /k must be at most the 5 classes of scores \[4,5\], got 6/.test(e.message));
    assert.throws(() => metrics.topKAccuracy(scores, target, 0), (e: unknown) => e instanceof ValueError && /k must be an integer >= 1, got 0/.test(e.message));
  });
});

describe("metrics.confusionMatrix", () => {
  test("rows are true classes, columns predictions (sklearn's layout)", () => {
    const m = metrics.confusionMatrix(labels(PRED), labels(TARGET), 3);
    assert.equal(m.dtype, "int32");
    assert.deepEqual(m.toArray(), MATRIX);
    assert.deepEqual(metrics.confusionMatrix(floats(logitsFor(PRED)), labels(TARGET), 3).toArray(), MATRIX);
  });
  test("classes beyond the data give zero rows and columns", () => {
    const m = metrics.confusionMatrix(labels([0, 1]), labels([1, 1]), 4).toArray();
    assert.deepEqual(m, [
      [0, 0, 0, 0],
      [1, 1, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });
  test("labels outside 0..C−1 and a class-count mismatch are rejected", () => {
    assert.throws(() => metrics.confusionMatrix(labels([0, 3]), labels([0, 1]), 3), (e: unknown) => e instanceof ValueError && /prediction 3 at position 1 is outside 0..2/.test(e.message));
    assert.throws(() => metrics.confusionMatrix(labels([0, 1]), labels([-1, 1]), 3), (e: unknown) => e instanceof ValueError && /target -1 at position 0 is outside 0..2/.test(e.message));
    assert.throws(() => metrics.confusionMatrix(floats([[1, 2]]), labels([0]), 3), (e: unknown) => e instanceof ValueError && /scores \[1,2\] have 2 classes, the matrix has 3/.test(e.message));
    assert.throws(() => new metrics.ConfusionMatrix(0), (e: unknown) => e instanceof ValueError && /numClasses must be an integer >= 1, got 0/.test(e.message));
  });
});

describe("metrics.precisionRecallF1", () => {
  // Column sums (predicted): [2, 5, 3]; row sums (support): [3, 4, 3]; TP: [2, 3, 2].
  //   precision = TP / predicted = [1, 0.6, 2/3]
  //   recall    = TP / support   = [2/3, 0.75, 2/3]
  //   F1 = 2TP / (predicted + support) = [4/5, 6/9, 4/6] (= 2PR/(P+R))
  //   macro:    P (1 + 0.6 + 2/3)/3 = 34/45, R (2/3 + 3/4 + 2/3)/3 = 25/36, F1 (0.8 + 2/3 + 2/3)/3 = 32/45
  //   weighted: P (3·1 + 4·0.6 + 3·2/3)/10 = 0.74, R = accuracy = 0.7, F1 (3·0.8 + 4·2/3 + 3·2/3)/10 = 53/75
  //   micro: all 0.7
  test("per class and averaged, by hand", () => {
    const r = metrics.precisionRecallF1(labels(PRED), labels(TARGET), 3);
    closeAll(r.precision, [1, 0.6, 2 / 3], "precision");
    closeAll(r.recall, [2 / 3, 0.75, 2 / 3], "recall");
    closeAll(r.f1, [0.8, 2 / 3, 2 / 3], "f1");
    assert.deepEqual(r.support, [3, 4, 3]);
    close(r.macro.precision, 34 / 45, "macro precision");
    close(r.macro.recall, 25 / 36, "macro recall");
    close(r.macro.f1, 32 / 45, "macro f1");
    close(r.weighted.precision, 0.74, "weighted precision");
    close(r.weighted.recall, 0.7, "weighted recall");
    close(r.weighted.f1, 53 / 75, "weighted f1");
    assert.deepEqual(r.micro, { precision: 0.7, recall: 0.7, f1: 0.7 });
  });

  test("zero division gives 0: a class never predicted, a class never present", () => {
    // targets [0, 0, 1, 1], preds [0, 0, 0, 2] over 4 classes:
    //   class 1 never predicted → precision 0 (0/0), recall 0/2 = 0, F1 0
    //   class 2 predicted once, never present → precision 0/1 = 0, recall 0 (0/0), F1 0
    //   class 3 absent from both → all 0, and it still counts in the macro mean
    //   class 0: precision 2/3, recall 1, F1 4/5
    const r = metrics.precisionRecallF1(labels([0, 0, 0, 2]), labels([0, 0, 1, 1]), 4);
    closeAll(r.precision, [2 / 3, 0, 0, 0], "precision");
    closeAll(r.recall, [1, 0, 0, 0], "recall");
    closeAll(r.f1, [0.8, 0, 0, 0], "f1");
    close(r.macro.precision, 2 / 3 / 4, "macro precision");
    close(r.macro.f1, 0.2, "macro f1");
    close(r.weighted.precision, (2 * (2 / 3)) / 4, "weighted precision"); // supports [2, 2, 0, 0]
    close(r.weighted.recall, 0.5, "weighted recall");
    for (const v of Object.values(r.micro)) close(v, 0.5, "micro");
  });

  test("no samples: everything 0", () => {
    const r = new metrics.ConfusionMatrix(2).precisionRecallF1();
    assert.deepEqual(r.macro, { precision: 0, recall: 0, f1: 0 });
    assert.deepEqual(r.weighted, { precision: 0, recall: 0, f1: 0 });
    assert.equal(new metrics.ConfusionMatrix(2).accuracy(), 0);
  });
});

describe("metrics.multiLabelAccuracy", () => {
  // logits → on when sigmoid(logit) > 0.5, i.e. logit > 0 (a logit of exactly 0 is off):
  //   row 0: [2, -1, 0, 3]        → [1, 0, 0, 1]  target [1, 0, 0, 1]  all right
  //   row 1: [-2, 1, 1, -3]       → [0, 1, 1, 0]  target [0, 1, 0, 0]  label 2 wrong
  //   row 2: [0.5, 0.5, -0.5, -.5] → [1, 1, 0, 0]  target [1, 1, 0, 1]  label 3 wrong
  const logits = floats([
    [2, -1, 0, 3],
    [-2, 1, 1, -3],
    [0.5, 0.5, -0.5, -0.5],
  ]);
  const target = labels([1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1], [3, 4]);

  test("exact match 1/3, Hamming 10/12, per label [1, 1, 2/3, 2/3]", () => {
    const r = metrics.multiLabelAccuracy(logits, target);
    close(r.exactMatch, 1 / 3, "exactMatch");
    close(r.hamming, 10 / 12, "hamming");
    closeAll(r.perLabel, [1, 1, 2 / 3, 2 / 3], "perLabel");
  });

  test("threshold 0.7: sigmoid(0.5) = 0.62 is now off, sigmoid(1) = 0.73 still on", () => {
    // row 2 becomes [0, 0, 0, 0] against [1, 1, 0, 1]: three wrong
    const r = metrics.multiLabelAccuracy(logits, target, { threshold: 0.7 });
    close(r.exactMatch, 1 / 3, "exactMatch");
    close(r.hamming, 8 / 12, "hamming");
    closeAll(r.perLabel, [2 / 3, 2 / 3, 2 / 3, 2 / 3], "perLabel"); // labels 0, 1, 3 wrong in row 2; label 2 in row 1
  });

  test("probabilities (fromLogits false) and float 0/1 targets", () => {
    const probs = floats([
      [0.9, 0.2],
      [0.5, 0.51],
    ]);
    const r = metrics.multiLabelAccuracy(probs, floats([[1, 0], [0, 1]]), { fromLogits: false });
    assert.deepEqual(r, { exactMatch: 1, hamming: 1, perLabel: [1, 1] }); // 0.5 is not > 0.5
  });

  test("bad inputs", () => {
    assert.throws(() => metrics.multiLabelAccuracy(logits, labels([1, 0, 1], [3, 1])), (e: unknown) => e instanceof ShapeError && /scores \[3,4\] and targets \[3,1\]/.test(e.message));
    assert.throws(() => metrics.multiLabelAccuracy(logits, labels(new Array(12).fill(2), [3, 4])), (e: unknown) => e instanceof ValueError && /targets must be 0 or 1, got 2 at position 0/.test(e.message));
    assert.throws(() => metrics.multiLabelAccuracy(logits, target, { threshold: 1.5 }), (e: unknown) => e instanceof ValueError && /threshold must be a probability in \[0, 1\], got 1.5/.test(e.message));
  });
});

describe("metrics: input checks name the shapes", () => {
  const is = (cls: Function, re: RegExp) => (e: unknown) => e instanceof cls && re.test((e as Error).message);
  test("shape mismatches", () => {
    assert.throws(() => metrics.accuracy(floats(logitsFor(PRED)), labels([0, 1, 2])), is(ShapeError, /scores \[10,3\] \(N, C, \.\.\.\) need targets of shape \[10\], got targets \[3\]/));
    assert.throws(() => metrics.accuracy(labels([0, 1]), labels([0, 1, 2])), is(ShapeError, /predicted labels \[2\] and targets \[3\] must have the same shape/));
    assert.throws(() => metrics.accuracy(tensor([0.2, 0.9]), labels([0, 1])), is(ShapeError, /float predictions \[2\] have no class dimension/));
    assert.throws(() => metrics.topKAccuracy(floats([[1, 2]]), labels([0, 1]), 1), is(ShapeError, /scores \[1,2\] \(N, C, \.\.\.\) need targets of shape \[1\], got targets \[2\]/));
  });
  test("dtypes and label ranges", () => {
    assert.throws(() => metrics.accuracy(labels([0, 1]), tensor([0, 1])), is(DTypeError, /targets must be int32 class labels, got float32/));
    assert.throws(() => metrics.topKAccuracy(labels([0, 1], [1, 2]), labels([0]), 1), is(DTypeError, /expected float class scores \[N, C\]/));
    assert.throws(() => metrics.accuracy(floats([[1, 2]]), labels([2])), is(ValueError, /target 2 at position 0 is outside the 2 classes of scores \[1,2\]/));
  });
});

describe("metrics: streaming accumulators equal the one-shot numbers", () => {
  function batches(): [Tensor, Tensor][] {
    const logits = logitsFor(PRED);
    return [
      [floats(logits.slice(0, 3)), labels(TARGET.slice(0, 3))],
      [floats(logits.slice(3, 7)), labels(TARGET.slice(3, 7))],
      [floats(logits.slice(7)), labels(TARGET.slice(7))],
    ];
  }

  test("ConfusionMatrix, Accuracy, TopKAccuracy over three batches; reset starts over", () => {
    const cm = new metrics.ConfusionMatrix(3);
    const acc = new metrics.Accuracy();
    const top2 = new metrics.TopKAccuracy(2);
    for (const [x, y] of batches()) {
      cm.update(x, y);
      acc.update(x, y);
      top2.update(x, y);
    }
    assert.deepEqual(cm.compute().toArray(), MATRIX);
    assert.deepEqual(cm.toArray(), MATRIX);
    assert.equal(cm.total, 10);
    assert.equal(cm.accuracy(), 0.7);
    assert.equal(acc.compute(), 0.7);
    assert.deepEqual(cm.precisionRecallF1(), metrics.precisionRecallF1(labels(PRED), labels(TARGET), 3));
    const all = floats(logitsFor(PRED));
    assert.equal(top2.compute(), metrics.topKAccuracy(all, labels(TARGET), 2));
    cm.reset();
    acc.reset();
    assert.equal(cm.total, 0);
    assert.equal(acc.compute(), 0);
    cm.update(labels([1]), labels([1]));
    assert.deepEqual(cm.toArray(), [[0, 0, 0], [0, 1, 0], [0, 0, 0]]);
  });

  test("ConfusionMatrix over a DataLoader (batches released by the loader)", () => {
    const ds = new data.TensorDataset(floats(logitsFor(PRED)), labels(TARGET));
    const cm = new metrics.ConfusionMatrix(3);
    for (const [x, y] of new data.DataLoader(ds, { batchSize: 4 })) cm.update(x, y);
    assert.deepEqual(cm.toArray(), MATRIX);
  });

  test("MultiLabelAccuracy over two batches", () => {
    const m = new metrics.MultiLabelAccuracy();
    m.update(floats([[2, -1, 0, 3]]), labels([1, 0, 0, 1], [1, 4]));
    m.update(floats([[-2, 1, 1, -3], [0.5, 0.5, -0.5, -0.5]]), labels([0, 1, 0, 0, 1, 1, 0, 1], [2, 4]));
    const r = m.compute();
    close(r.exactMatch, 1 / 3, "exactMatch");
    close(r.hamming, 10 / 12, "hamming");
    assert.throws(() => m.update(floats([[1, 2]]), labels([1, 0], [1, 2])), (e: unknown) => e instanceof ShapeError && /have 2 labels, earlier batches had 4/.test(e.message));
    m.reset();
    assert.deepEqual(m.compute(), { exactMatch: 0, hamming: 0, perLabel: [] });
  });
});
