/** LR scheduling as a Trainer callback: a scheduler stepped after every epoch or every batch. */
import { ValueError } from "../../errors.js";
import { LRScheduler, type Scheduler, type SchedulerState } from "../../optim/schedulers/scheduler.js";
import { ReduceLROnPlateau } from "../../optim/schedulers/plateau.js";
import type { BatchReport } from "../loop.js";
import type { Callback, CallbackState, EpochLog } from "../callback.js";
import { Monitor } from "../callback.js";
import type { Trainer } from "../trainer.js";

export interface LRSchedulingOptions {
  /** "epoch" (default): step after each epoch; "batch": after each optimizer step (OneCycleLR, per-step cosine). */
  interval?: "epoch" | "batch";
  /** The epoch-log metric ReduceLROnPlateau is stepped with: default "valLoss". */
  monitor?: string;
  /**
   * Step an LRScheduler by its closed form, `jumpTo(lastEpoch + 1)`, instead of the recursive
   * `step()`. The two agree in exact arithmetic; the closed form does not accumulate rounding
   * over thousands of per-batch steps (CosineAnnealingLR's recursive ratio drifts in the last
   * bits). Default false (PyTorch's behaviour).
   */
  closedForm?: boolean;
}

/**
 * Steps `scheduler` as PyTorch's protocol says: after the optimizer's steps of an epoch (or of a
 * batch). ReduceLROnPlateau is stepped once per epoch with the monitored metric. Its state is the
 * scheduler's, saved in checkpoints under `key` ("scheduler").
 */
export class LRScheduling implements Callback {
  readonly key: string;
  readonly interval: "epoch" | "batch";
  readonly closedForm: boolean;
  private readonly monitor: Monitor | null;

  constructor(
    readonly scheduler: Scheduler,
    options: LRSchedulingOptions & { key?: string } = {},
  ) {
    this.key = options.key ?? "scheduler";
    this.interval = options.interval ?? "epoch";
    this.closedForm = options.closedForm ?? false;
    if (this.interval !== "epoch" && this.interval !== "batch") throw new ValueError(`LRScheduling: interval must be "epoch" or "batch", got ${JSON.stringify(this.interval)}`);
    const plateau = scheduler instanceof ReduceLROnPlateau;
    if (plateau && this.interval === "batch") throw new ValueError("LRScheduling: ReduceLROnPlateau steps once per epoch with a metric; use interval \"epoch\"");
    if (!plateau && !(scheduler instanceof LRScheduler)) throw new ValueError("LRScheduling: expected an optim scheduler (an LRScheduler or ReduceLROnPlateau)");
    this.monitor = plateau ? new Monitor("LRScheduling", { monitor: options.monitor ?? "valLoss", mode: scheduler.mode }) : null;
  }

  onBatchEnd(_t: Trainer, _epoch: number, _r: BatchReport): void {
    if (this.interval === "batch") this.advance();
  }

  onEpochEnd(_t: Trainer, log: EpochLog): void {
    if (this.scheduler instanceof ReduceLROnPlateau) this.scheduler.step(this.monitor!.read("LRScheduling (ReduceLROnPlateau)", log));
    else if (this.interval === "epoch") this.advance();
  }

  stateDict(): CallbackState {
    return this.scheduler.stateDict();
  }

  loadStateDict(state: CallbackState): void {
    this.scheduler.loadStateDict(state as SchedulerState);
  }

  private advance(): void {
    const s = this.scheduler as LRScheduler;
    if (this.closedForm) s.jumpTo(s.lastEpoch + 1);
    else s.step();
  }
}
