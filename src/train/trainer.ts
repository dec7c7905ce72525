/**
 * The Trainer: epochs of `trainEpoch` over a DataLoader, evaluation after each, and callbacks for
 * everything else (progress, metrics log, LR scheduling, early stopping, best model,
 * checkpoints). It owns the run's state — epochs done, history, whether to stop — and can save and
 * restore all of it, with the model, optimizer, RNG and callback states, as a checkpoint.
 *
 *   const trainer = new Trainer({ model, optimizer, loss: nn.crossEntropy, callbacks: [...] });
 *   trainer.fit(trainLoader, { epochs: 10, valLoader });
 *
 * (`fit()` in fit.ts builds all of this from one options object.)
 */
import type { Module } from "../nn/module.js";
import type { DataLoader } from "../data/dataloader.js";
import { defaultGenerator, type Generator } from "../random.js";
import { ValueError } from "../errors.js";
import { clipGradNorm } from "../optim/clip.js";
import { scope } from "../tensor/scope.js";
import { evaluate, trainEpoch, type LossFn, type Stepper } from "./loop.js";
import type { Callback, CallbackState, EpochLog } from "./callback.js";
import { readCheckpoint, saveCheckpoint, type CheckpointData, type OptimizerStateDict } from "./checkpoint.js";

/** What the Trainer needs of an optimizer: steps, groups with an lr, and a state dict (optim.Optimizer). */
export interface TrainableOptimizer extends Stepper {
  readonly paramGroups: readonly { options: Record<string, unknown> }[];
  stateDict(): OptimizerStateDict;
  loadStateDict(state: OptimizerStateDict): void;
}

export interface TrainerOptions {
  model: Module;
  optimizer: TrainableOptimizer;
  /** loss(output, target) → a scalar tensor (mean over the batch). */
  loss: LossFn;
  callbacks?: Callback[];
  /** Clip the gradients' joint 2-norm to this before every step (optim.clipGradNorm). */
  clipGradNorm?: number;
  /**
   * Every generator the run draws from, by name, so a checkpoint can save and restore them:
   * default `{ global: defaultGenerator }` (init, dropout, and the DataLoader's shuffling unless it
   * has its own). Add a DataLoader's or an augmentation's own generator here.
   */
  generators?: Record<string, Generator>;
}

export interface FitRunOptions {
  /** Train until this many epochs are done in total (a resumed trainer continues its count). */
  epochs: number;
  /** Evaluated after every epoch as "val": valLoss, valAccuracy (what monitors usually watch). */
  valLoader?: DataLoader;
  /** More sets evaluated after every epoch, e.g. { test: testLoader } → testLoss, testAccuracy. */
  evalLoaders?: Record<string, DataLoader>;
}

export class Trainer {
  readonly model: Module;
  readonly optimizer: TrainableOptimizer;
  readonly loss: LossFn;
  readonly callbacks: readonly Callback[];
  readonly clipGradNorm: number | null;
  readonly generators: Readonly<Record<string, Generator>>;
  /** Epochs completed (restored from a checkpoint when resuming). */
  epoch = 0;
  /** One log per completed epoch. */
  history: EpochLog[] = [];
  /** Set by `stop(reason)` (early stopping): fit ends after the current epoch. */
  stopReason: string | null = null;

  constructor(options: TrainerOptions) {
    this.model = options.model;
    this.optimizer = options.optimizer;
    this.loss = options.loss;
    this.callbacks = [...(options.callbacks ?? [])];
    this.generators = { ...(options.generators ?? { global: defaultGenerator }) };
    const clip = options.clipGradNorm;
    if (clip !== undefined && !(clip > 0 && Number.isFinite(clip))) throw new ValueError(`Trainer: clipGradNorm must be a number > 0, got ${clip}`);
    this.clipGradNorm = clip ?? null;
    const keys = new Set<string>();
    for (const c of this.callbacks) {
      if (!c.stateDict) continue;
      if (!c.key) throw new ValueError(`Trainer: a callback with state (${c.constructor.name}) needs a key to be saved under`);
      if (keys.has(c.key)) throw new ValueError(`Trainer: two callbacks have the key "${c.key}"; give each a different key`);
      keys.add(c.key);
    }
  }

  /** The first parameter group's learning rate now. */
  get lr(): number {
    return this.optimizer.paramGroups[0].options.lr as number;
  }

  /** Ends training after the current epoch (early stopping calls this). */
  stop(reason: string): void {
    this.stopReason = reason;
  }

  /**
   * Trains until `epochs` epochs are done (counting those of a restored checkpoint) or a callback
   * stops the run, evaluating after each epoch. Returns the history of every epoch.
   */
  fit(loader: DataLoader, options: FitRunOptions): EpochLog[] {
    const { epochs } = options;
    if (!Number.isInteger(epochs) || epochs < 1) throw new ValueError(`Trainer.fit: epochs must be an integer >= 1, got ${epochs}`);
    const evals: [string, DataLoader][] = [...(options.valLoader ? [["val", options.valLoader] as [string, DataLoader]] : []), ...Object.entries(options.evalLoaders ?? {})];
    const params = this.model.parameters();
    const clip = this.clipGradNorm;
    const stepper: Stepper =
      clip === null
        ? this.optimizer
        : {
            zeroGrad: () => this.optimizer.zeroGrad(),
            step: () => {
              clipGradNorm(params, clip);
              this.optimizer.step();
            },
          };
    this.emit((c) => c.onFitStart?.(this, epochs));
    while (this.epoch < epochs && this.stopReason === null) {
      const epoch = this.epoch + 1;
      const started = performance.now();
      const lr = this.lr;
      this.emit((c) => c.onEpochStart?.(this, epoch, loader.length));
      const train = trainEpoch(this.model, loader, stepper, this.loss, (r) => this.emit((c) => c.onBatchEnd?.(this, epoch, r)));
      const log: EpochLog = { epoch, trainLoss: train.loss, lr, seconds: 0, trainSeconds: train.seconds, examples: train.examples };
      for (const [name, evalLoader] of evals) {
        const r = evaluate(this.model, evalLoader, this.loss);
        log[`${name}Loss`] = r.loss;
        log[`${name}Accuracy`] = r.accuracy;
      }
      log.seconds = (performance.now() - started) / 1000;
      this.epoch = epoch;
      this.history.push(log);
      this.emit((c) => c.onEpochEnd?.(this, log));
      this.emit((c) => c.afterEpoch?.(this, log));
    }
    this.emit((c) => c.onFitEnd?.(this));
    return this.history;
  }

  /** Everything a checkpoint holds; `extra` is stored as given and returned on load. */
  checkpointData(extra: Record<string, unknown> = {}): CheckpointData {
    const callbacks: Record<string, CallbackState> = {};
    for (const c of this.callbacks) if (c.stateDict && c.key) callbacks[c.key] = c.stateDict();
    const rng: CheckpointData["rng"] = {};
    for (const [name, g] of Object.entries(this.generators)) rng[name] = g.getState();
    return {
      epoch: this.epoch,
      history: this.history.map((h) => ({ ...h })),
      stopReason: this.stopReason,
      model: this.model.stateDict(),
      optimizer: this.optimizer.stateDict(),
      rng,
      callbacks,
      extra,
    };
  }

  /** Writes a checkpoint to `dir` (atomically; see checkpoint.ts). */
  saveCheckpoint(dir: string, extra: Record<string, unknown> = {}): void {
    // A scope releases the optimizer-state copies once written (wasm memory).
    scope(() => saveCheckpoint(dir, this.checkpointData(extra)));
  }

  /**
   * Restores a checkpoint (a folder or what readCheckpoint returned): model weights, optimizer,
   * generators, callbacks, epoch, history. The next `fit` continues with the following epoch and
   * ends with the same weights as a run that was never interrupted. Returns the checkpoint's extra.
   */
  loadCheckpoint(source: string | CheckpointData): Record<string, unknown> {
    return scope(() => this.restore(source));
  }

  private restore(source: string | CheckpointData): Record<string, unknown> {
    const data = typeof source === "string" ? readCheckpoint(source) : source;
    const where = typeof source === "string" ? ` in ${source}` : "";
    for (const name of Object.keys(this.generators)) {
      if (!data.rng[name]) throw new ValueError(`Trainer.loadCheckpoint: the checkpoint${where} has no state for generator "${name}" (it has ${Object.keys(data.rng).join(", ") || "none"})`);
    }
    for (const c of this.callbacks) {
      if (c.loadStateDict && c.key && !data.callbacks[c.key]) throw new ValueError(`Trainer.loadCheckpoint: the checkpoint${where} has no state for callback "${c.key}" (it has ${Object.keys(data.callbacks).join(", ") || "none"})`);
    }
    this.model.loadStateDict(data.model);
    this.optimizer.loadStateDict(data.optimizer);
    for (const c of this.callbacks) if (c.loadStateDict && c.key) c.loadStateDict(data.callbacks[c.key]);
    for (const [name, g] of Object.entries(this.generators)) g.setState(data.rng[name]);
    this.epoch = data.epoch;
    this.history = data.history.map((h) => ({ ...h }));
    this.stopReason = data.stopReason;
    return data.extra;
  }

  private emit(call: (c: Callback) => void): void {
    for (const c of this.callbacks) call(c);
  }
}
