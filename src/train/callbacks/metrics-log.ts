/** The JSON-lines metrics log: one line per epoch, every number of the epoch log. */
import { appendFileSync } from "node:fs";
import { writeFileAtomic } from "../../io/files.js";
import type { Callback, EpochLog } from "../callback.js";
import type { Trainer } from "../trainer.js";

/**
 * Writes each epoch's log as one JSON object per line to `path`:
 *
 *   {"epoch":1,"trainLoss":0.31,"lr":0.02,"seconds":12.1,"trainSeconds":11.5,"examples":54000,"valLoss":0.09,"valAccuracy":0.972}
 *
 * When fit starts the file is rewritten from the trainer's history, so a resumed run's log holds
 * each epoch once (an epoch logged after the last checkpoint, then redone, is not repeated).
 */
export class MetricsLog implements Callback {
  constructor(readonly path: string) {}

  onFitStart(trainer: Trainer): void {
    writeFileAtomic(this.path, trainer.history.map(line).join(""));
  }

  onEpochEnd(_t: Trainer, log: EpochLog): void {
    appendFileSync(this.path, line(log));
  }
}

/** JSON has no NaN or Infinity: a diverged loss is written as null. */
const line = (log: EpochLog): string => JSON.stringify(log) + "\n";
