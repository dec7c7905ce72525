/**
 * `metrics`: accuracy, top-k accuracy, confusion matrix, per-class precision / recall / F1
 * (sklearn's definitions) and multi-label accuracy — as functions over one batch, and as
 * accumulators (`update` per batch, `compute` at the end) for evaluation over a DataLoader.
 */
export { Accuracy, TopKAccuracy, accuracy, topKAccuracy } from "./accuracy.js";
export { ConfusionMatrix, confusionMatrix, precisionRecallF1, type PrecisionRecallF1, type Averages } from "./confusion.js";
export { MultiLabelAccuracy, multiLabelAccuracy, type MultiLabelOptions, type MultiLabelResult } from "./multilabel.js";
