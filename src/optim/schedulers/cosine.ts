/** CosineAnnealingLR: the cosine part of SGDR (Loshchilov & Hutter), as PyTorch 1.13 computes it. */
import { check, LRScheduler, pyMod, type OptimizerLike, type SchedulerState } from "./scheduler.js";

export interface CosineAnnealingLROptions {
  /** The lr at the bottom of the cosine: default 0. */
  etaMin?: number;
}

/**
 * Anneals the lr from its initial value η_max to `etaMin` along half a cosine over `tMax` epochs:
 *
 *   η_t = η_min + ½(η_max − η_min)(1 + cos(π·t / T_max))            (closed form)
 *
 * Each step actually applies PyTorch's recursive form, which follows the closed form while the lr
 * is left alone and carries on from the current lr when something else changed it:
 *
 *   η_t = η_min + (η_{t−1} − η_min) · (1 + cos(π·t/T_max)) / (1 + cos(π·(t−1)/T_max)),
 *   η_t = η_{t−1} + ½(η_max − η_min)(1 − cos(π/T_max))    when (t − 1 − T_max) mod 2·T_max = 0
 *
 * (the second line is the step off the bottom, where the ratio would divide by zero). Past
 * `tMax` the lr climbs back up: the schedule is periodic with period 2·T_max, as in PyTorch.
 * `torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min)`.
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: OptimizerLike, tMax: number, options: CosineAnnealingLROptions = {}) {
    const etaMin = options.etaMin ?? 0;
    check("CosineAnnealingLR", "tMax", tMax, Number.isInteger(tMax) && tMax >= 1, "an integer >= 1");
    check("CosineAnnealingLR", "etaMin", etaMin, etaMin >= 0, "a number >= 0");
    super(optimizer);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: t, tMax: T, etaMin } = this;
    const lrs = this.groupLrs();
    if (t === 0) return lrs;
    if (this.stepCount === 1 && t > 0) return this.closedFormLr();
    if (pyMod(t - 1 - T, 2 * T) === 0) {
      return lrs.map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T));
    return lrs.map((lr) => ratio * (lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    const c = 1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax);
    return this.baseLrs.map((base) => this.etaMin + ((base - this.etaMin) * c) / 2);
  }

  protected config(): SchedulerState {
    return { tMax: this.tMax, etaMin: this.etaMin };
  }
}
