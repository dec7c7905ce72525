/** Keeps the model of the best epoch (by a monitored metric) in a folder. */
import { join } from "node:path";
import type { AnyModelSpec } from "../../models/registry.js";
import { saveModel, saveSafetensors, writeFileAtomic } from "../../io/files.js";
import { ValueError } from "../../errors.js";
import { replaceFolderAtomic } from "../atomic.js";
import { finiteOrNull, Monitor, type Callback, type CallbackState, type EpochLog, type MonitorOptions } from "../callback.js";
import type { Trainer } from "../trainer.js";

export interface BestModelOptions extends MonitorOptions {
  /** The zoo spec: with it the folder is a full saved model (model.json + weights), loadable by io.loadModel and `tessera evaluate`. */
  spec?: AnyModelSpec;
}

/**
 * After each epoch whose monitored metric improves on the best so far, saves the model to `dir`:
 * `weights.safetensors` plus `model.json` (with a spec; it records the epoch and the metric under
 * "best") or `best.json` (without). The folder is replaced as a whole (replaceFolderAtomic), so it
 * always holds one epoch's complete model.
 */
export class BestModel implements Callback {
  readonly key = "bestModel";
  readonly monitor: Monitor;
  best: number;
  bestEpoch = 0;

  constructor(
    readonly dir: string,
    private readonly options: BestModelOptions = {},
  ) {
    this.monitor = new Monitor("BestModel", options);
    this.best = this.monitor.worst;
  }

  onEpochEnd(trainer: Trainer, log: EpochLog): void {
    const value = this.monitor.read("BestModel", log);
    if (!this.monitor.improves(value, this.best)) return;
    this.best = value;
    this.bestEpoch = log.epoch;
    const best = { epoch: log.epoch, monitor: this.monitor.name, value };
    replaceFolderAtomic(this.dir, (tmp) => {
      if (this.options.spec) saveModel(tmp, trainer.model, this.options.spec, { best });
      else {
        saveSafetensors(join(tmp, "weights.safetensors"), trainer.model.stateDict());
        writeFileAtomic(join(tmp, "best.json"), JSON.stringify(best, null, 2) + "\n");
      }
    });
  }

  stateDict(): CallbackState {
    return { monitor: this.monitor.name, best: finiteOrNull(this.best), bestEpoch: this.bestEpoch };
  }

  loadStateDict(state: CallbackState): void {
    if (state.monitor !== this.monitor.name) throw new ValueError(`BestModel.loadStateDict: the saved state monitors "${String(state.monitor)}", this one "${this.monitor.name}"`);
    this.best = state.best === null ? this.monitor.worst : Number(state.best);
    this.bestEpoch = Number(state.bestEpoch);
  }
}
