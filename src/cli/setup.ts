/**
 * The optimizer and learning-rate schedule of a `tessera train` run, built from its settings.
 * Everything here is plain library code (optim, train); the CLI only picks the numbers.
 */
import type { Module } from "../nn/module.js";
import type { Tensor } from "../tensor/tensor.js";
import { SGD } from "../optim/sgd.js";
import { Adam } from "../optim/adam.js";
import { AdamW } from "../optim/adamw.js";
import { RMSprop } from "../optim/rmsprop.js";
import { Adagrad } from "../optim/adagrad.js";
import { Adadelta } from "../optim/adadelta.js";
import { Adamax } from "../optim/adamax.js";
import { NAdam } from "../optim/nadam.js";
import { paramGroupsWithoutDecay } from "../optim/groups.js";
import { CosineAnnealingLR } from "../optim/schedulers/cosine.js";
import { StepLR } from "../optim/schedulers/step.js";
import { OneCycleLR } from "../optim/schedulers/one-cycle.js";
import { ReduceLROnPlateau } from "../optim/schedulers/plateau.js";
import { LRScheduling } from "../train/callbacks/lr-scheduling.js";
import type { Mode } from "../train/callback.js";
import type { TrainableOptimizer } from "../train/trainer.js";
import type { OptimizerName, Schedule } from "./recipes.js";

/** Epochs without improvement before "plateau" divides the lr by 10. */
export const PLATEAU_PATIENCE = 2;

export interface OptimizerSettings {
  optimizer: OptimizerName;
  lr: number;
  /** SGD and RMSprop only. */
  momentum: number;
  weightDecay: number;
}

/**
 * The optimizer over the model's parameters. With weight decay, biases and normalization
 * parameters are left undecayed (optim.paramGroupsWithoutDecay); without, one group of every
 * parameter, exactly as before the flag existed.
 */
export function makeOptimizer(model: Module, s: OptimizerSettings): TrainableOptimizer {
  type Groups = { params: Tensor[]; options: { weightDecay: number } }[];
  const params: Tensor[] | Groups = s.weightDecay > 0 ? paramGroupsWithoutDecay(model, s.weightDecay) : model.parameters();
  const lr = s.lr;
  switch (s.optimizer) {
    case "sgd":
      return new SGD(params, { lr, momentum: s.momentum });
    case "rmsprop":
      return new RMSprop(params, { lr, momentum: s.momentum });
    case "adam":
      return new Adam(params, { lr });
    case "adamw":
      // AdamW's decay is decoupled and is its own option (default 0.01): pass it explicitly.
      return new AdamW(params, { lr, weightDecay: s.weightDecay });
    case "adagrad":
      return new Adagrad(params, { lr });
    case "adadelta":
      return new Adadelta(params, { lr });
    case "adamax":
      return new Adamax(params, { lr });
    case "nadam":
      return new NAdam(params, { lr });
  }
}

/**
 * The schedule as a Trainer callback, or null for "constant":
 *
 *   cosine    lr·(1 + cos(π·t/T))/2 after step t of T = epochs·batches, updated every batch (in
 *             closed form); ending at a small rate is what lets a one-epoch LeNet-5 settle above
 *             98.5 % whatever the seed
 *   step      lr·0.1^⌊e/s⌋ after epoch e, s = ⌈epochs/3⌉ (StepLR: two cuts over the run)
 *   onecycle  OneCycleLR with maxLr = lr over epochs·batches steps (it starts at lr/25, peaks at
 *             30 % of the run, ends near 0, and cycles momentum 0.95 → 0.85 → 0.95)
 *   plateau   ReduceLROnPlateau: lr ÷ 10 after PLATEAU_PATIENCE epochs without improvement of the
 *             monitored metric (validation accuracy with a validation split, else training loss)
 */
export function makeSchedule(optimizer: TrainableOptimizer, schedule: Schedule, epochs: number, batches: number, lr: number, monitor: { name: string; mode: Mode }): LRScheduling | null {
  switch (schedule) {
    case "constant":
      return null;
    case "cosine":
      return new LRScheduling(new CosineAnnealingLR(optimizer, epochs * batches), { interval: "batch", closedForm: true });
    case "step":
      return new LRScheduling(new StepLR(optimizer, Math.ceil(epochs / 3)));
    case "onecycle":
      return new LRScheduling(new OneCycleLR(optimizer, lr, { totalSteps: epochs * batches }), { interval: "batch" });
    case "plateau":
      return new LRScheduling(new ReduceLROnPlateau(optimizer, { mode: monitor.mode, patience: PLATEAU_PATIENCE }), { monitor: monitor.name });
  }
}
