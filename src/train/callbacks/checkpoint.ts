/** Saves a checkpoint after every epoch (see checkpoint.ts for the folder and its guarantees). */
import type { Callback, EpochLog } from "../callback.js";
import type { Trainer } from "../trainer.js";

export interface CheckpointOptions {
  /** Extra JSON stored with each checkpoint and returned by `trainer.loadCheckpoint` (run settings). */
  extra?: Record<string, unknown>;
  /** Save every `every` epochs (and always after the last one fit runs): default 1. */
  every?: number;
}

/**
 * Writes `trainer.saveCheckpoint(dir)` after each epoch, once every callback has updated its
 * state for it (the `afterEpoch` hook), so the checkpoint holds the epoch's final state: the
 * scheduler already stepped, early stopping's count already updated.
 */
export class Checkpoint implements Callback {
  private epochs = 0;

  constructor(
    readonly dir: string,
    private readonly options: CheckpointOptions = {},
  ) {}

  onFitStart(_t: Trainer, epochs: number): void {
    this.epochs = epochs;
  }

  afterEpoch(trainer: Trainer, log: EpochLog): void {
    const every = this.options.every ?? 1;
    if (log.epoch % every === 0 || log.epoch === this.epochs || trainer.stopReason !== null) trainer.saveCheckpoint(this.dir, this.options.extra ?? {});
  }
}
