/** LinearLR (PyTorch's) and LinearWarmup, its warmup form. */
import { check, LRScheduler, type OptimizerLike, type SchedulerState } from "./scheduler.js";

export interface LinearLROptions {
  /** Factor at epoch 0, in (0, 1]: default 1/3. */
  startFactor?: number;
  /** Factor from epoch `totalIters` on, in [0, 1]: default 1. */
  endFactor?: number;
  /** Epochs the ramp takes: default 5. */
  totalIters?: number;
}

/**
 * Moves the lr linearly from startFactor·lr₀ to endFactor·lr₀ over `totalIters` epochs, then
 * holds it:
 *
 *   lr_t = lr₀ · (s + (e − s) · min(t, T) / T)                 (closed form)
 *
 * Each step applies PyTorch's recursive form, lr_t = lr_{t−1} · (1 + (e − s) / (T·s + (t−1)(e − s)))
 * for 1 ≤ t ≤ T. `torch.optim.lr_scheduler.LinearLR`; with endFactor 1 it is a warmup.
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: OptimizerLike, options: LinearLROptions = {}) {
    const name = new.target.name;
    const startFactor = options.startFactor ?? 1 / 3;
    const endFactor = options.endFactor ?? 1;
    const totalIters = options.totalIters ?? 5;
    check(name, "startFactor", startFactor, startFactor > 0 && startFactor <= 1, "in (0, 1]");
    check(name, "endFactor", endFactor, endFactor >= 0 && endFactor <= 1, "in [0, 1]");
    check(name, "totalIters", totalIters, Number.isInteger(totalIters) && totalIters >= 1, "an integer >= 1");
    super(optimizer);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: T } = this;
    const lrs = this.groupLrs();
    if (t === 0) return lrs.map((lr) => lr * s);
    if (t > T) return lrs;
    return lrs.map((lr) => lr * (1 + (e - s) / (T * s + (t - 1) * (e - s))));
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: T } = this;
    return this.baseLrs.map((base) => base * (s + ((e - s) * Math.min(T, t)) / T));
  }

  protected config(): SchedulerState {
    return { startFactor: this.startFactor, endFactor: this.endFactor, totalIters: this.totalIters };
  }
}

export interface LinearWarmupOptions {
  /** Factor of the first step's lr, in (0, 1]: default 1/3 (PyTorch LinearLR's). */
  startFactor?: number;
}

/**
 * Linear warmup: the lr climbs from startFactor·lr₀ to lr₀ over `warmupSteps` steps, then stays
 * (LinearLR with endFactor 1). To follow it with another schedule, chain both:
 *
 *   const warmup = new LinearWarmup(opt, 5, { startFactor: 0.1 });
 *   const cosine = new CosineAnnealingLR(opt, 25);
 *   const schedule = new SequentialLR(opt, [warmup, cosine], [5]);
 */
export class LinearWarmup extends LinearLR {
  constructor(optimizer: OptimizerLike, warmupSteps: number, options: LinearWarmupOptions = {}) {
    check("LinearWarmup", "warmupSteps", warmupSteps, Number.isInteger(warmupSteps) && warmupSteps >= 1, "an integer >= 1");
    super(optimizer, { startFactor: options.startFactor, endFactor: 1, totalIters: warmupSteps });
  }
}
