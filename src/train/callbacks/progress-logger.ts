/** Progress on a terminal (a live bar) or plain log lines (a pipe, CI), one summary line per epoch. */
import type { BatchReport } from "../loop.js";
import type { Callback, EpochLog } from "../callback.js";
import { createProgress, type Progress } from "../progress.js";
import type { Trainer } from "../trainer.js";

export interface ProgressLoggerOptions {
  /** Where to write: default a bar on process.stderr if it is a terminal, else lines. */
  progress?: Progress;
  /** The line written after each epoch: default epochLine. */
  format?: (log: EpochLog, epochs: number) => string;
}

/** `epoch 3/10: train loss 0.1234, val loss 0.0567, val accuracy 98.12%, lr 0.01, 12.3 s` */
export function epochLine(log: EpochLog, epochs: number): string {
  const parts = [`train loss ${log.trainLoss.toFixed(4)}`];
  for (const [key, value] of Object.entries(log)) {
    const m = /^(.+)(Loss|Accuracy)$/.exec(key);
    if (!m || m[1] === "train") continue;
    parts.push(m[2] === "Loss" ? `${m[1]} loss ${value.toFixed(4)}` : `${m[1]} accuracy ${(100 * value).toFixed(2)}%`);
  }
  parts.push(`lr ${Number(log.lr.toPrecision(4))}`, `${log.seconds.toFixed(1)} s`);
  return `epoch ${log.epoch}/${epochs}: ${parts.join(", ")}`;
}

export class ProgressLogger implements Callback {
  readonly progress: Progress;
  private readonly format: (log: EpochLog, epochs: number) => string;
  private epochs = 0;
  private started = 0;

  constructor(options: ProgressLoggerOptions = {}) {
    this.progress = options.progress ?? createProgress(process.stderr);
    this.format = options.format ?? epochLine;
  }

  onFitStart(_t: Trainer, epochs: number): void {
    this.epochs = epochs;
  }

  onEpochStart(_t: Trainer, epoch: number, batches: number): void {
    this.progress.start(`epoch ${epoch}/${this.epochs}`, batches);
    this.started = performance.now();
  }

  onBatchEnd(_t: Trainer, _epoch: number, r: BatchReport): void {
    this.progress.update(r.batch, r.loss, r.examples / ((performance.now() - this.started) / 1000));
  }

  onEpochEnd(_t: Trainer, log: EpochLog): void {
    this.progress.stop();
    this.progress.log(this.format(log, this.epochs));
  }

  onFitEnd(trainer: Trainer): void {
    if (trainer.stopReason) this.progress.log(trainer.stopReason);
  }
}
