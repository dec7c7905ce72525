/**
 * Step decays: StepLR, MultiStepLR, ExponentialLR (PyTorch 1.13's recursive forms: each step
 * multiplies the group's current lr, so a change made to the lr from outside carries on).
 */
import { ValueError } from "../../errors.js";
import { check, LRScheduler, type OptimizerLike, type SchedulerState } from "./scheduler.js";

export interface StepLROptions {
  /** Multiplicative decay: default 0.1 (the lectures' "divide by 10"). */
  gamma?: number;
}

/**
 * Multiplies the lr by `gamma` every `stepSize` epochs:
 *
 *   lr_t = lr₀ · γ^⌊t / stepSize⌋
 *
 * `new StepLR(opt, 30)`: 0.1 for epochs 0–29, 0.01 for 30–59, ... (`torch.optim.lr_scheduler.StepLR`).
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: OptimizerLike, stepSize: number, options: StepLROptions = {}) {
    const gamma = options.gamma ?? 0.1;
    check("StepLR", "stepSize", stepSize, Number.isInteger(stepSize) && stepSize >= 1, "an integer >= 1");
    check("StepLR", "gamma", gamma, gamma > 0, "a number > 0");
    super(optimizer);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }

  protected config(): SchedulerState {
    return { stepSize: this.stepSize, gamma: this.gamma };
  }
}

/**
 * Multiplies the lr by `gamma` at each milestone epoch (strictly increasing integers >= 0):
 *
 *   lr_t = lr₀ · γ^(number of milestones <= t)
 *
 * `new MultiStepLR(opt, [30, 80])` (`torch.optim.lr_scheduler.MultiStepLR`). A milestone 0 applies
 * at construction, as in PyTorch.
 */
export class MultiStepLR extends LRScheduler {
  readonly milestones: readonly number[];
  readonly gamma: number;

  constructor(optimizer: OptimizerLike, milestones: readonly number[], options: StepLROptions = {}) {
    const gamma = options.gamma ?? 0.1;
    if (!Array.isArray(milestones) || milestones.length === 0) throw new ValueError(`MultiStepLR: milestones must be a non-empty list of epochs, got ${JSON.stringify(milestones)}`);
    milestones.forEach((m, i) => {
      if (!Number.isInteger(m) || m < 0 || (i > 0 && m <= milestones[i - 1])) {
        throw new ValueError(`MultiStepLR: milestones must be strictly increasing integers >= 0, got [${milestones.join(", ")}] (position ${i})`);
      }
    });
    check("MultiStepLR", "gamma", gamma, gamma > 0, "a number > 0");
    super(optimizer);
    this.milestones = [...milestones];
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groupLrs();
    if (!this.milestones.includes(this.lastEpoch)) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length; // Python's bisect_right
    return this.baseLrs.map((base) => base * this.gamma ** passed);
  }

  protected config(): SchedulerState {
    return { milestones: [...this.milestones], gamma: this.gamma };
  }
}

/**
 * Multiplies the lr by `gamma` every epoch: lr_t = lr₀ · γ^t (`torch.optim.lr_scheduler.ExponentialLR`).
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: OptimizerLike, gamma: number) {
    check("ExponentialLR", "gamma", gamma, gamma > 0, "a number > 0");
    super(optimizer);
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groupLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }

  protected config(): SchedulerState {
    return { gamma: this.gamma };
  }
}
