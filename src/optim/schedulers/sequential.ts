/** SequentialLR: one scheduler after another (a warmup, then the real schedule). */
import { ValueError } from "../../errors.js";
import { checkConfig, LRScheduler, stateNumber, stateNumbers, type OptimizerLike, type SchedulerState } from "./scheduler.js";

/**
 * Runs `schedulers[0]` until `milestones[0]`, then `schedulers[1]` (started afresh at its own
 * epoch 0, from its closed form) until `milestones[1]`, and so on — exactly PyTorch 1.13's
 * `SequentialLR(optimizer, schedulers, milestones)`. Build the schedulers first, on the same
 * optimizer, in order; SequentialLR resets the lr to its initial value and replays step 0 of the
 * first one, undoing what the others' constructors did.
 *
 *   const warmup = new LinearWarmup(opt, 5, { startFactor: 0.1 });
 *   const schedule = new SequentialLR(opt, [warmup, new CosineAnnealingLR(opt, 25)], [5]);
 *   for (let epoch = 0; epoch < 30; epoch++) { train(); schedule.step(); }
 */
export class SequentialLR extends LRScheduler {
  readonly schedulers: readonly LRScheduler[];
  readonly milestones: readonly number[];

  constructor(optimizer: OptimizerLike, schedulers: readonly LRScheduler[], milestones: readonly number[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0) throw new ValueError("SequentialLR: expected a non-empty list of schedulers");
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw new ValueError(`SequentialLR: schedulers[${i}] is not an LRScheduler (ReduceLROnPlateau cannot be chained)`);
      if (s.optimizer !== optimizer) throw new ValueError(`SequentialLR: schedulers[${i}] drives a different optimizer than the one given`);
    });
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new ValueError(`SequentialLR: expected ${schedulers.length - 1} milestones (one fewer than the ${schedulers.length} schedulers), got ${JSON.stringify(milestones)}`);
    }
    milestones.forEach((m, i) => {
      if (!Number.isInteger(m) || m < 1 || (i > 0 && m <= milestones[i - 1])) {
        throw new ValueError(`SequentialLR: milestones must be strictly increasing integers >= 1, got [${milestones.join(", ")}] (position ${i})`);
      }
    });
    super(optimizer);
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = 0;
    // Back to the initial lr, undo each scheduler's step 0, and replay the first one's.
    this.apply(this.baseLrs);
    for (const s of this.schedulers) s.lastEpoch -= 1;
    LRScheduler.restart(this.schedulers[0]);
    this.lastLr = this.schedulers[0].getLastLr();
  }

  /** One epoch on the scheduler whose turn it is; at a milestone, the next one starts at 0. */
  override step(): void {
    this.lastEpoch++;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length; // bisect_right
    const s = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.jumpTo(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }

  /** Not available: a sequence only moves forward one step at a time. */
  override jumpTo(): void {
    throw new ValueError("SequentialLR.jumpTo: a sequence of schedulers only moves with step()");
  }

  protected getLr(): number[] {
    return this.groupLrs();
  }

  protected config(): SchedulerState {
    return { milestones: [...this.milestones], schedulerTypes: this.schedulers.map((s) => s.constructor.name) };
  }

  override stateDict(): SchedulerState {
    return { ...this.config(), lastEpoch: this.lastEpoch, lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  override loadStateDict(state: SchedulerState): void {
    checkConfig("SequentialLR", this.config(), state);
    const subs = state.schedulers;
    if (!Array.isArray(subs) || subs.length !== this.schedulers.length) throw new ValueError(`SequentialLR.loadStateDict: expected ${this.schedulers.length} scheduler states, got ${JSON.stringify(subs)?.slice(0, 80)}`);
    this.schedulers.forEach((s, i) => s.loadStateDict(subs[i] as SchedulerState));
    this.lastEpoch = stateNumber(state, "lastEpoch", "SequentialLR");
    // Last, so the active scheduler's lr wins over the stale ones of the others.
    this.apply(stateNumbers(state, "lastLr", this.optimizer.paramGroups.length, "SequentialLR"));
  }
}
