/** OneCycleLR: Smith's 1cycle policy (super-convergence), as PyTorch 1.13 computes it. */
import { ValueError } from "../../errors.js";
import { check, LRScheduler, perGroup, stateNumbers, type OptimizerLike, type SchedulerState } from "./scheduler.js";

export interface OneCycleLROptions {
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch` (total = their product). */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent raising the lr, in [0, 1]: default 0.3. */
  pctStart?: number;
  /** "cos" (default) or "linear" annealing within each phase. */
  annealStrategy?: "cos" | "linear";
  /** Cycle momentum (SGD/RMSprop `momentum`, Adam's beta1) inversely to the lr: default true. */
  cycleMomentum?: boolean;
  /** Momentum at the lr peak, in [0, 1): default 0.85 (or one per group). */
  baseMomentum?: number | readonly number[];
  /** Momentum at the start and end, in [0, 1): default 0.95 (or one per group). */
  maxMomentum?: number | readonly number[];
  /** initial lr = maxLr / divFactor: default 25. */
  divFactor?: number;
  /** min lr = initial lr / finalDivFactor: default 1e4. */
  finalDivFactor?: number;
  /** Three phases (up, down to the initial lr, then down to the min lr) instead of two: default false. */
  threePhase?: boolean;
}

type Key = "initial" | "max" | "min";
interface Phase {
  endStep: number;
  startLr: Key;
  endLr: Key;
  startMomentum: "max" | "base";
  endMomentum: "max" | "base";
}

/** Where the optimizer keeps the momentum OneCycleLR cycles, if it has one. */
type MomentumKey = "betas" | "beta1" | "momentum";

/**
 * The 1cycle policy, stepped after every batch. With T = totalSteps, p = pctStart,
 * lr₀ = maxLr/divFactor and lr_min = lr₀/finalDivFactor, the lr moves
 *
 *   two phases (default): lr₀ → maxLr over steps [0, pT−1], then maxLr → lr_min until T−1;
 *   threePhase:           lr₀ → maxLr over [0, pT−1], maxLr → lr₀ until 2pT−2, lr₀ → lr_min until T−1,
 *
 * each phase going from a to b by cos, b + (a − b)/2 · (1 + cos(π·f)), or linearly, (b − a)·f + a,
 * f being the fraction of the phase done (f > 1 past the last step). Momentum moves the other
 * way, maxMomentum → baseMomentum → maxMomentum (held at maxMomentum in the third phase).
 * Stepping past T (T+1 calls to step()) throws, as in PyTorch.
 *
 * Momentum: the optimizer's groups' `betas` (an array, Adam-style: beta1 cycles), `beta1` or
 * `momentum` option is cycled. An optimizer with none of them (Adagrad, say) keeps its lr
 * schedule and skips momentum cycling (PyTorch would refuse); `cyclesMomentum` tells which.
 * Like PyTorch, SGD with momentum 0 gets its momentum cycled too (set cycleMomentum: false to
 * keep plain SGD). `torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr, ...)`.
 */
export class OneCycleLR extends LRScheduler {
  readonly maxLrs: readonly number[];
  readonly minLrs: readonly number[];
  readonly totalSteps: number;
  readonly pctStart: number;
  readonly annealStrategy: "cos" | "linear";
  readonly divFactor: number;
  readonly finalDivFactor: number;
  readonly threePhase: boolean;
  /** Whether momentum is being cycled (asked for, and the optimizer has a momentum). */
  readonly cyclesMomentum: boolean;
  readonly baseMomentums: readonly number[];
  readonly maxMomentums: readonly number[];
  private readonly momentumKey: MomentumKey | null;
  private readonly phases: Phase[];
  private lastMomentum: number[] = [];

  constructor(optimizer: OptimizerLike, maxLr: number | readonly number[], options: OneCycleLROptions = {}) {
    const N = "OneCycleLR";
    const groups = optimizer?.paramGroups?.length ?? 0;
    if (groups === 0) throw new ValueError(`${N}: expected an optimizer with at least one parameter group (an optim.Optimizer)`);
    const total = totalStepsOf(options);
    const pctStart = options.pctStart ?? 0.3;
    const anneal = options.annealStrategy ?? "cos";
    const divFactor = options.divFactor ?? 25;
    const finalDivFactor = options.finalDivFactor ?? 1e4;
    check(N, "pctStart", pctStart, pctStart >= 0 && pctStart <= 1, "in [0, 1]");
    if (anneal !== "cos" && anneal !== "linear") throw new ValueError(`${N}: annealStrategy must be "cos" or "linear", got ${JSON.stringify(anneal)}`);
    check(N, "divFactor", divFactor, divFactor > 0, "a number > 0");
    check(N, "finalDivFactor", finalDivFactor, finalDivFactor > 0, "a number > 0");
    const maxLrs = perGroup(N, "maxLr", maxLr, groups);
    maxLrs.forEach((v) => check(N, "maxLr", v, v > 0, "a number > 0"));
    const baseMomentums = perGroup(N, "baseMomentum", options.baseMomentum ?? 0.85, groups);
    const maxMomentums = perGroup(N, "maxMomentum", options.maxMomentum ?? 0.95, groups);
    for (const m of [...baseMomentums, ...maxMomentums]) check(N, "baseMomentum and maxMomentum", m, m >= 0 && m < 1, "in [0, 1)");

    const threePhase = options.threePhase ?? false;
    const phases = phasesOf(total, pctStart, threePhase);
    if (phases[0].endStep === 0) {
      throw new ValueError(`${N}: pctStart ${pctStart} × totalSteps ${total} = 1 leaves the warm-up phase empty (PyTorch divides by zero); choose pctStart·totalSteps ≠ 1`);
    }

    const initialLrs = maxLrs.map((m) => m / divFactor);
    super(optimizer, initialLrs);
    this.maxLrs = maxLrs;
    this.minLrs = initialLrs.map((lr) => lr / finalDivFactor);
    this.totalSteps = total;
    this.pctStart = pctStart;
    this.annealStrategy = anneal;
    this.divFactor = divFactor;
    this.finalDivFactor = finalDivFactor;
    this.threePhase = threePhase;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.momentumKey = (options.cycleMomentum ?? true) ? momentumKeyOf(optimizer.paramGroups[0].options) : null;
    this.cyclesMomentum = this.momentumKey !== null;
    this.phases = phases;
    if (this.cyclesMomentum) this.setMomentum(maxMomentums);
    this.initialStep();
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new ValueError(`OneCycleLR: tried to step ${step + 1} times; the cycle has totalSteps = ${this.totalSteps} (construction counts as one)`);
    }
    const anneal = this.annealStrategy === "cos" ? annealCos : annealLinear;
    const lrs: number[] = [];
    const momenta: number[] = [];
    for (let g = 0; g < this.optimizer.paramGroups.length; g++) {
      const lrOf = { initial: this.baseLrs[g], max: this.maxLrs[g], min: this.minLrs[g] };
      const momentumOf = { max: this.maxMomentums[g], base: this.baseMomentums[g] };
      let start = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i];
        if (step <= phase.endStep || i === this.phases.length - 1) {
          if (phase.endStep === start) {
            throw new ValueError(`OneCycleLR: phase ${i + 1} is empty (pctStart ${this.pctStart} × totalSteps ${this.totalSteps}); choose pctStart and totalSteps so that every phase has a length`);
          }
          const pct = (step - start) / (phase.endStep - start);
          lrs.push(anneal(lrOf[phase.startLr], lrOf[phase.endLr], pct));
          momenta.push(anneal(momentumOf[phase.startMomentum], momentumOf[phase.endMomentum], pct));
          break;
        }
        start = phase.endStep;
      }
    }
    if (this.cyclesMomentum) this.setMomentum(momenta);
    return lrs;
  }

  protected config(): SchedulerState {
    return {
      maxLrs: [...this.maxLrs], totalSteps: this.totalSteps, pctStart: this.pctStart, annealStrategy: this.annealStrategy,
      cycleMomentum: this.cyclesMomentum, baseMomentums: [...this.baseMomentums], maxMomentums: [...this.maxMomentums],
      divFactor: this.divFactor, finalDivFactor: this.finalDivFactor, threePhase: this.threePhase,
    };
  }

  /** Adds the momentum the last step set (null when momentum is not cycled). */
  override stateDict(): SchedulerState {
    return { ...super.stateDict(), lastMomentum: this.cyclesMomentum ? [...this.lastMomentum] : null };
  }

  override loadStateDict(state: SchedulerState): void {
    super.loadStateDict(state);
    if (this.cyclesMomentum) this.setMomentum(stateNumbers(state, "lastMomentum", this.optimizer.paramGroups.length, "OneCycleLR"));
  }

  private setMomentum(values: readonly number[]): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const o = g.options;
      if (this.momentumKey === "betas") o.betas = [values[i], ...(o.betas as number[]).slice(1)];
      else o[this.momentumKey as string] = values[i];
    });
    this.lastMomentum = [...values];
  }
}

/** Cosine from start (pct 0) to end (pct 1): end + (start − end)/2 · (1 + cos(π·pct)). */
function annealCos(start: number, end: number, pct: number): number {
  const cosOut = Math.cos(Math.PI * pct) + 1;
  return end + ((start - end) / 2) * cosOut;
}

/** Straight line from start (pct 0) to end (pct 1). */
function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

/** The phases' last steps (fractional, as in PyTorch) and what they move between. */
function phasesOf(total: number, pctStart: number, threePhase: boolean): Phase[] {
  return threePhase
    ? [
        { endStep: pctStart * total - 1, startLr: "initial", endLr: "max", startMomentum: "max", endMomentum: "base" },
        { endStep: 2 * pctStart * total - 2, startLr: "max", endLr: "initial", startMomentum: "base", endMomentum: "max" },
        { endStep: total - 1, startLr: "initial", endLr: "min", startMomentum: "max", endMomentum: "max" },
      ]
    : [
        { endStep: pctStart * total - 1, startLr: "initial", endLr: "max", startMomentum: "max", endMomentum: "base" },
        { endStep: total - 1, startLr: "max", endLr: "min", startMomentum: "base", endMomentum: "max" },
      ];
}

function momentumKeyOf(options: Record<string, unknown>): MomentumKey | null {
  if (Array.isArray(options.betas) && typeof options.betas[0] === "number") return "betas";
  if (typeof options.beta1 === "number") return "beta1";
  if (typeof options.momentum === "number") return "momentum";
  return null;
}

function totalStepsOf(o: OneCycleLROptions): number {
  const N = "OneCycleLR";
  if (o.totalSteps !== undefined) {
    check(N, "totalSteps", o.totalSteps, Number.isInteger(o.totalSteps) && o.totalSteps >= 1, "an integer >= 1");
    return o.totalSteps;
  }
  if (o.epochs === undefined || o.stepsPerEpoch === undefined) throw new ValueError(`${N}: give totalSteps, or both epochs and stepsPerEpoch`);
  check(N, "epochs", o.epochs, Number.isInteger(o.epochs) && o.epochs >= 1, "an integer >= 1");
  check(N, "stepsPerEpoch", o.stepsPerEpoch, Number.isInteger(o.stepsPerEpoch) && o.stepsPerEpoch >= 1, "an integer >= 1");
  return o.epochs * o.stepsPerEpoch;
}
