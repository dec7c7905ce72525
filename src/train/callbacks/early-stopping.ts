/** Early stopping: end training when a monitored metric stops improving (the lectures' "sweet spot"). */
import { ValueError } from "../../errors.js";
import { finiteOrNull, Monitor, type Callback, type CallbackState, type EpochLog, type MonitorOptions } from "../callback.js";
import type { Trainer } from "../trainer.js";

export interface EarlyStoppingOptions extends MonitorOptions {
  /** Epochs without improvement after which training stops (an integer >= 1). */
  patience: number;
}

/**
 * After each epoch: if the monitored metric improves on the best so far (by more than minDelta,
 * see Monitor), it becomes the best and the count of bad epochs is reset; otherwise the count
 * grows, and when it reaches `patience` the trainer stops (Keras's EarlyStopping rule). With the
 * BestModel callback on the same metric, the weights of the sweet spot are kept.
 */
export class EarlyStopping implements Callback {
  readonly key = "earlyStopping";
  readonly patience: number;
  readonly monitor: Monitor;
  best: number;
  bestEpoch = 0;
  /** Epochs since the last improvement. */
  wait = 0;

  constructor(options: EarlyStoppingOptions) {
    this.monitor = new Monitor("EarlyStopping", options);
    this.patience = options.patience;
    if (!Number.isInteger(this.patience) || this.patience < 1) throw new ValueError(`EarlyStopping: patience must be an integer >= 1, got ${options.patience}`);
    this.best = this.monitor.worst;
  }

  onEpochEnd(trainer: Trainer, log: EpochLog): void {
    const value = this.monitor.read("EarlyStopping", log);
    if (this.monitor.improves(value, this.best)) {
      this.best = value;
      this.bestEpoch = log.epoch;
      this.wait = 0;
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      trainer.stop(`early stopping: ${this.monitor.name} has not improved for ${this.wait} epoch(s); best ${this.best} after epoch ${this.bestEpoch}`);
    }
  }

  stateDict(): CallbackState {
    return { monitor: this.monitor.name, best: finiteOrNull(this.best), bestEpoch: this.bestEpoch, wait: this.wait };
  }

  loadStateDict(state: CallbackState): void {
    if (state.monitor !== this.monitor.name) throw new ValueError(`EarlyStopping.loadStateDict: the saved state monitors "${String(state.monitor)}", this one "${this.monitor.name}"`);
    this.best = state.best === null ? this.monitor.worst : Number(state.best);
    this.bestEpoch = Number(state.bestEpoch);
    this.wait = Number(state.wait);
  }
}
