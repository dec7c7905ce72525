/**
 * What a Trainer tells its callbacks, and the monitored-metric rule that early stopping, the best
 * model and ReduceLROnPlateau share. A callback implements only the hooks it needs.
 */
import { ValueError } from "../errors.js";
import type { BatchReport } from "./loop.js";
import type { Trainer } from "./trainer.js";

/**
 * One epoch's numbers, as the JSON-lines log writes them. `lr` is the first group's learning rate
 * at the start of the epoch (per-batch schedules move it during the epoch); `seconds` is the
 * whole epoch, evaluation included, `trainSeconds` the training pass alone. Each evaluated set
 * adds `<name>Loss` and `<name>Accuracy` (argmax of the output = label): `valLoss`,
 * `valAccuracy` for the validation split, `testLoss`, `testAccuracy` for a set named "test".
 */
export interface EpochLog {
  epoch: number;
  trainLoss: number;
  /** The first parameter group's learning rate when the epoch started (per-batch schedules move it during the epoch). */
  lr: number;
  seconds: number;
  trainSeconds: number;
  examples: number;
  [metric: string]: number;
}

/** JSON-safe state a callback saves in a checkpoint. */
export type CallbackState = { [key: string]: unknown };

export interface Callback {
  /**
   * The name under which a checkpoint stores this callback's state (needed only with stateDict;
   * unique within a trainer).
   */
  readonly key?: string;
  /** Before the first epoch of `fit` (also when resuming: `trainer.epoch` epochs are done). */
  onFitStart?(trainer: Trainer, epochs: number): void;
  onEpochStart?(trainer: Trainer, epoch: number, batches: number): void;
  /** After each optimizer step (per-batch schedules step here). */
  onBatchEnd?(trainer: Trainer, epoch: number, report: BatchReport): void;
  /** The epoch is trained and evaluated; `log` is already in `trainer.history`. */
  onEpochEnd?(trainer: Trainer, log: EpochLog): void;
  /** After every callback's onEpochEnd, when the epoch's state is final: checkpoints save here. */
  afterEpoch?(trainer: Trainer, log: EpochLog): void;
  onFitEnd?(trainer: Trainer): void;
  stateDict?(): CallbackState;
  loadStateDict?(state: CallbackState): void;
}

export type Mode = "min" | "max";

export interface MonitorOptions {
  /** A key of the epoch log: "valLoss" (default), "valAccuracy", "trainLoss", ... */
  monitor?: string;
  /** "min" for a loss, "max" for an accuracy: default "max" when the name ends in "Accuracy", else "min". */
  mode?: Mode;
  /** An improvement smaller than this (>= 0) does not count: default 0. */
  minDelta?: number;
}

/**
 * A monitored metric: `improves(v, best)` is `v < best − minDelta` in "min" mode and
 * `v > best + minDelta` in "max" mode (Keras's rule; the first value always improves on ±∞).
 */
export class Monitor {
  readonly name: string;
  readonly mode: Mode;
  readonly minDelta: number;

  constructor(owner: string, options: MonitorOptions = {}) {
    this.name = options.monitor ?? "valLoss";
    this.mode = options.mode ?? (this.name.endsWith("Accuracy") ? "max" : "min");
    this.minDelta = options.minDelta ?? 0;
    if (this.mode !== "min" && this.mode !== "max") throw new ValueError(`${owner}: mode must be "min" or "max", got ${JSON.stringify(this.mode)}`);
    if (!(this.minDelta >= 0) || !Number.isFinite(this.minDelta)) throw new ValueError(`${owner}: minDelta must be a number >= 0, got ${this.minDelta}`);
  }

  /** The worst possible value: what `best` starts from. */
  get worst(): number {
    return this.mode === "min" ? Infinity : -Infinity;
  }

  improves(value: number, best: number): boolean {
    return this.mode === "min" ? value < best - this.minDelta : value > best + this.minDelta;
  }

  /** The metric in an epoch log; throws naming the metric and what the log has when it is missing. */
  read(owner: string, log: EpochLog): number {
    const v = log[this.name];
    if (typeof v !== "number") {
      throw new ValueError(`${owner}: monitors "${this.name}" but the epoch log has only ${Object.keys(log).join(", ")} (validation metrics need a validation set)`);
    }
    return v;
  }
}

/** ±Infinity as null for JSON, and back. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
