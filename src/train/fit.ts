/** `fit()`: the common training run in one call, built from the Trainer and its callbacks. */
import { join } from "node:path";
import type { Module } from "../nn/module.js";
import type { Dataset } from "../data/dataset.js";
import { DataLoader } from "../data/dataloader.js";
import type { ModelSpec } from "../models/registry.js";
import type { Scheduler } from "../optim/schedulers/scheduler.js";
import { defaultGenerator, Generator } from "../random.js";
import { ValueError } from "../errors.js";
import type { Callback, EpochLog, Mode } from "./callback.js";
import type { LossFn } from "./loop.js";
import type { Progress } from "./progress.js";
import { Trainer, type TrainableOptimizer } from "./trainer.js";
import { trainValSplit } from "./split.js";
import { hasCheckpoint } from "./checkpoint.js";
import { LRScheduling } from "./callbacks/lr-scheduling.js";
import { EarlyStopping } from "./callbacks/early-stopping.js";
import { BestModel } from "./callbacks/best-model.js";
import { Checkpoint } from "./callbacks/checkpoint.js";
import { MetricsLog } from "./callbacks/metrics-log.js";
import { ProgressLogger } from "./callbacks/progress-logger.js";

export interface FitOptions {
  loss: LossFn;
  optimizer: TrainableOptimizer;
  epochs: number;
  /** Examples per training step: default 32. */
  batchSize?: number;
  /** Examples per evaluation batch: default 256. */
  evalBatchSize?: number;
  /** Fraction of the training set held out for validation, in [0, 1): default 0 (none). */
  valSplit?: number;
  /** Seed of the split's own generator (the global stream is not touched): default 0. */
  splitSeed?: number;
  /** A separate validation set instead of a split. */
  valData?: Dataset;
  /** More sets evaluated every epoch, e.g. { test } → testLoss, testAccuracy in the log. */
  evalData?: Record<string, Dataset>;
  /** The shuffling generator: default the global one (then it is already checkpointed). */
  shuffleGenerator?: Generator;
  scheduler?: Scheduler;
  /** When the scheduler steps: default "epoch" (ReduceLROnPlateau always per epoch, with the monitored metric). */
  schedulerInterval?: "epoch" | "batch";
  /** The metric early stopping, the best model and ReduceLROnPlateau watch: default "valLoss" with validation data, else "trainLoss". */
  monitor?: string;
  mode?: Mode;
  minDelta?: number;
  /** Stop after this many epochs without improvement of the monitored metric. */
  earlyStopping?: number;
  /** Clip the gradients' joint 2-norm to this before every step. */
  clipGradNorm?: number;
  /**
   * A run folder: `checkpoint/` after every epoch, `best/` (the best epoch's model, with
   * validation data), `metrics.jsonl`. With `resume`, a checkpoint found there is continued.
   */
  dir?: string;
  /** The model's zoo spec, so `best/` is a loadable saved model. */
  spec?: ModelSpec;
  /** Continue from `dir`'s checkpoint if there is one: default false. */
  resume?: boolean;
  /** Progress on stderr (default true), false for none, or a Progress to write to. */
  progress?: boolean | Progress;
  /** More callbacks, run after the built-in ones (before the checkpoint). */
  callbacks?: Callback[];
  /** Other generators the run draws from (an augmentation's), saved in checkpoints. */
  generators?: Record<string, Generator>;
}

export interface FitResult {
  trainer: Trainer;
  history: EpochLog[];
}

/**
 * Trains `model` on `trainSet`:
 *
 *   const { history } = train.fit(model, data.mnist({ normalize: true }), {
 *     loss: nn.crossEntropy, optimizer: new optim.AdamW(model.parameters()), epochs: 10,
 *     valSplit: 0.1, earlyStopping: 3, dir: "runs/lenet",
 *   });
 */
export function fit(model: Module, trainSet: Dataset, options: FitOptions): FitResult {
  const valSplit = options.valSplit ?? 0;
  if (!(valSplit >= 0 && valSplit < 1)) throw new ValueError(`fit: valSplit must be in [0, 1), got ${valSplit}`);
  if (valSplit > 0 && options.valData) throw new ValueError("fit: give valSplit or valData, not both");
  let train: Dataset = trainSet;
  let val = options.valData;
  if (valSplit > 0) [train, val] = trainValSplit(trainSet, valSplit, new Generator(options.splitSeed ?? 0));
  const evalBatch = options.evalBatchSize ?? 256;
  const loader = new DataLoader(train, { batchSize: options.batchSize ?? 32, shuffle: true, generator: options.shuffleGenerator });
  const monitor = { monitor: options.monitor ?? (val ? "valLoss" : "trainLoss"), mode: options.mode, minDelta: options.minDelta };

  const callbacks: Callback[] = [];
  if (options.progress !== false) callbacks.push(new ProgressLogger(options.progress === true || options.progress === undefined ? {} : { progress: options.progress }));
  if (options.scheduler) callbacks.push(new LRScheduling(options.scheduler, { interval: options.schedulerInterval, monitor: monitor.monitor }));
  if (options.earlyStopping !== undefined) callbacks.push(new EarlyStopping({ ...monitor, patience: options.earlyStopping }));
  if (options.dir && val) callbacks.push(new BestModel(join(options.dir, "best"), { ...monitor, spec: options.spec }));
  if (options.dir) callbacks.push(new MetricsLog(join(options.dir, "metrics.jsonl")));
  callbacks.push(...(options.callbacks ?? []));
  if (options.dir) callbacks.push(new Checkpoint(join(options.dir, "checkpoint")));

  const generators: Record<string, Generator> = { global: defaultGenerator, ...options.generators };
  if (options.shuffleGenerator && options.shuffleGenerator !== defaultGenerator) generators.shuffle = options.shuffleGenerator;
  const trainer = new Trainer({ model, optimizer: options.optimizer, loss: options.loss, callbacks, clipGradNorm: options.clipGradNorm, generators });
  if (options.resume && options.dir && hasCheckpoint(join(options.dir, "checkpoint"))) trainer.loadCheckpoint(join(options.dir, "checkpoint"));
  const history = trainer.fit(loader, {
    epochs: options.epochs,
    valLoader: val ? new DataLoader(val, { batchSize: evalBatch }) : undefined,
    evalLoaders: Object.fromEntries(Object.entries(options.evalData ?? {}).map(([k, d]) => [k, new DataLoader(d, { batchSize: evalBatch })])),
  });
  return { trainer, history };
}
