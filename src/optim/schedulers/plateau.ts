/** ReduceLROnPlateau: cut the lr when a monitored metric stops improving. */
import { ValueError } from "../../errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import { check, checkConfig, checkOptimizer, lrOf, perGroup, stateNumber, stateNumbers, type OptimizerLike, type Scheduler, type SchedulerState } from "./scheduler.js";

export interface ReduceLROnPlateauOptions {
  /** "min" (default): a loss, lower is better; "max": an accuracy, higher is better. */
  mode?: "min" | "max";
  /** lr ← lr · factor on a plateau, in [0, 1): default 0.1 ("divide by 10"). */
  factor?: number;
  /** Epochs without improvement tolerated before cutting: default 10. */
  patience?: number;
  /** How much better counts as better, >= 0: default 1e-4. */
  threshold?: number;
  /** "rel" (default): better than best·(1 ∓ threshold); "abs": better than best ∓ threshold. */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a cut before counting bad epochs again: default 0. */
  cooldown?: number;
  /** Floor of the lr, >= 0, one for all groups or one per group: default 0. */
  minLr?: number | readonly number[];
  /** A cut smaller than eps is skipped: default 1e-8. */
  eps?: number;
}

/**
 * The lectures' "learning rate divided by 10 every time validation accuracy plateaus" (AlexNet,
 * ResNet), exactly PyTorch 1.13's `ReduceLROnPlateau`. Call `step(metric)` once per epoch with
 * the validation metric:
 *
 *   better:  metric < best·(1 − threshold)   (min, rel)     metric < best − threshold   (min, abs)
 *            metric > best·(1 + threshold)   (max, rel)     metric > best + threshold   (max, abs)
 *   a better metric becomes `best` and clears the bad-epoch count; otherwise the count grows
 *   (but is held at 0 during `cooldown` epochs after a cut). When it exceeds `patience`:
 *   lr ← max(lr·factor, minLr) for each group whose lr would fall by more than eps, then the
 *   cooldown starts and the count is cleared.
 *
 *   const plateau = new ReduceLROnPlateau(opt, { mode: "max" });
 *   for (...) { train(); plateau.step(validationAccuracy); }
 */
export class ReduceLROnPlateau implements Scheduler {
  readonly optimizer: OptimizerLike;
  readonly mode: "min" | "max";
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: "rel" | "abs";
  readonly cooldown: number;
  readonly minLrs: readonly number[];
  readonly eps: number;
  /** The best metric so far (±Infinity before the first step). */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  /** Calls to step() so far. */
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: OptimizerLike, options: ReduceLROnPlateauOptions = {}) {
    const N = "ReduceLROnPlateau";
    checkOptimizer(optimizer, N);
    const o = { mode: "min", factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: "rel", cooldown: 0, minLr: 0, eps: 1e-8, ...options };
    if (o.mode !== "min" && o.mode !== "max") throw new ValueError(`${N}: mode must be "min" or "max", got ${JSON.stringify(o.mode)}`);
    if (o.thresholdMode !== "rel" && o.thresholdMode !== "abs") throw new ValueError(`${N}: thresholdMode must be "rel" or "abs", got ${JSON.stringify(o.thresholdMode)}`);
    check(N, "factor", o.factor, o.factor >= 0 && o.factor < 1, "in [0, 1) (new lr = lr · factor)");
    check(N, "patience", o.patience, Number.isInteger(o.patience) && o.patience >= 0, "an integer >= 0");
    check(N, "threshold", o.threshold, o.threshold >= 0, "a number >= 0");
    check(N, "cooldown", o.cooldown, Number.isInteger(o.cooldown) && o.cooldown >= 0, "an integer >= 0");
    check(N, "eps", o.eps, o.eps >= 0, "a number >= 0");
    const minLrs = perGroup(N, "minLr", o.minLr, optimizer.paramGroups.length);
    minLrs.forEach((m) => check(N, "minLr", m, m >= 0, "a number >= 0"));
    this.optimizer = optimizer;
    this.mode = o.mode;
    this.factor = o.factor;
    this.patience = o.patience;
    this.threshold = o.threshold;
    this.thresholdMode = o.thresholdMode;
    this.cooldown = o.cooldown;
    this.minLrs = minLrs;
    this.eps = o.eps;
    this.best = this.modeWorse;
    this.lastLr = this.groupLrs();
  }

  /** Records one epoch's metric (a number or a one-element tensor) and cuts the lr on a plateau. */
  step(metric: number | Tensor): void {
    const current = typeof metric === "number" ? metric : metric.item();
    this.lastEpoch++;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.inCooldown) {
      this.cooldownCounter--;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.groupLrs();
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether metric `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === "min") return this.thresholdMode === "rel" ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === "rel" ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Settings and progress; `best` is null while it is still ±Infinity (JSON has no infinities). */
  stateDict(): SchedulerState {
    return {
      ...this.config(),
      best: Number.isFinite(this.best) ? this.best : null,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch,
      lastLr: [...this.lastLr],
    };
  }

  /** Continues a saved run (settings must match); also writes the saved lr into the groups. */
  loadStateDict(state: SchedulerState): void {
    const N = "ReduceLROnPlateau";
    checkConfig(N, this.config(), state);
    this.best = state.best === null ? this.modeWorse : stateNumber(state, "best", N);
    this.numBadEpochs = stateNumber(state, "numBadEpochs", N);
    this.cooldownCounter = stateNumber(state, "cooldownCounter", N);
    this.lastEpoch = stateNumber(state, "lastEpoch", N);
    this.lastLr = stateNumbers(state, "lastLr", this.optimizer.paramGroups.length, N);
    this.optimizer.paramGroups.forEach((g, i) => {
      g.options.lr = this.lastLr[i];
    });
  }

  private config(): SchedulerState {
    return {
      mode: this.mode, factor: this.factor, patience: this.patience, threshold: this.threshold, thresholdMode: this.thresholdMode,
      cooldown: this.cooldown, minLrs: [...this.minLrs], eps: this.eps,
    };
  }

  private get modeWorse(): number {
    return this.mode === "min" ? Infinity : -Infinity;
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const old = lrOf(g.options, i, "ReduceLROnPlateau");
      const lr = Math.max(old * this.factor, this.minLrs[i]);
      if (old - lr > this.eps) g.options.lr = lr;
    });
  }

  private groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g, i) => lrOf(g.options, i, "ReduceLROnPlateau"));
  }
}
