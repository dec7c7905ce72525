/**
 * The basic training and evaluation passes: one epoch of mini-batch gradient descent, and
 * accuracy / mean loss over a dataset. The CLI and the tests are built on these.
 */
import type { Module } from "../nn/module.js";
import type { Tensor } from "../tensor/tensor.js";
import type { DataLoader } from "../data/dataloader.js";
import { noGrad } from "../autograd/engine.js";

export type LossFn = (output: Tensor, target: Tensor) => Tensor;

/** What the train loop needs of an optimizer. */
export interface Stepper {
  zeroGrad(): void;
  step(): void;
}

export interface BatchReport {
  batch: number;
  batches: number;
  loss: number;
  examples: number;
}

export interface EpochResult {
  /** Mean training loss over the epoch's examples. */
  loss: number;
  examples: number;
  seconds: number;
}

export function trainEpoch(model: Module, loader: DataLoader, optimizer: Stepper, lossFn: LossFn, onBatch?: (r: BatchReport) => void): EpochResult {
  model.train();
  const start = performance.now();
  let total = 0;
  let examples = 0;
  let b = 0;
  for (const [x, y] of loader) {
    optimizer.zeroGrad();
    const loss = lossFn(model.forward(x), y);
    loss.backward();
    optimizer.step();
    const value = loss.item();
    const n = x.shape[0];
    total += value * n;
    examples += n;
    onBatch?.({ batch: ++b, batches: loader.length, loss: value, examples });
  }
  return { loss: total / Math.max(examples, 1), examples, seconds: (performance.now() - start) / 1000 };
}

export interface EvalResult {
  accuracy: number;
  loss: number;
  correct: number;
  examples: number;
}

/** Accuracy (argmax of the output = label) and mean loss, in eval mode and without the tape. */
export function evaluate(model: Module, loader: DataLoader, lossFn?: LossFn): EvalResult {
  const wasTraining = model.training;
  model.eval();
  let correct = 0;
  let examples = 0;
  let total = 0;
  noGrad(() => {
    for (const [x, y] of loader) {
      const out = model.forward(x);
      const pred = out.argmax(1).data();
      const labels = y.data();
      for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) correct++;
      if (lossFn) total += lossFn(out, y).item() * x.shape[0];
      examples += x.shape[0];
    }
  });
  model.train(wasTraining);
  return { accuracy: correct / Math.max(examples, 1), loss: total / Math.max(examples, 1), correct, examples };
}
