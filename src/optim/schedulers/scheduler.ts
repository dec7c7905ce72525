/**
 * The learning-rate scheduler base, PyTorch's `_LRScheduler` (1.13): a scheduler owns a counter
 * (`lastEpoch`), reads each parameter group's learning rate from `group.options.lr` and writes
 * the new one back there, so it drives any optimizer built on `Optimizer`.
 *
 * Protocol, as in PyTorch: construction performs step 0 (it may already change the lr, e.g. a
 * warmup's start factor); then call `step()` once after each epoch (OneCycleLR: after each
 * batch), after `optimizer.step()`. `getLastLr()` is what the last step set.
 *
 * Each group remembers the lr it started from as `options.initialLr` (PyTorch's `initial_lr`):
 * the first scheduler attached to an optimizer sets it, later ones read it, so a warmup and the
 * schedule that follows it agree on the base rate.
 */
import { ValueError } from "../../errors.js";

/** What a scheduler needs of an optimizer: its parameter groups' options (an `Optimizer` fits). */
export interface OptimizerLike {
  readonly paramGroups: readonly { options: Record<string, unknown> }[];
}

/**
 * A scheduler's state: plain JSON (numbers, strings, booleans, null, arrays, nested states), so
 * a checkpoint can write it with `JSON.stringify` and read it back unchanged.
 */
export type SchedulerState = { [key: string]: SchedulerValue };
export type SchedulerValue = number | string | boolean | null | SchedulerValue[] | SchedulerState;

/** What every scheduler (ReduceLROnPlateau included) offers a training loop or a checkpoint. */
export interface Scheduler {
  readonly optimizer: OptimizerLike;
  getLastLr(): number[];
  stateDict(): SchedulerState;
  loadStateDict(state: SchedulerState): void;
}

export abstract class LRScheduler implements Scheduler {
  readonly optimizer: OptimizerLike;
  /** The lr each group started from (its `initialLr`): the rate the schedule is relative to. */
  readonly baseLrs: number[];
  /** Steps taken: 0 right after construction (which performs step 0). */
  lastEpoch = -1;
  /** Calls to step() since the last restart (PyTorch's `_step_count`; CosineAnnealingLR reads it). */
  protected stepCount = 0;
  protected lastLr: number[] = [];

  /**
   * Records each group's `initialLr` (keeping one an earlier scheduler set, unless
   * `initialLrs` overrides it, as OneCycleLR does). Subclasses set their own fields, then call
   * `initialStep()` at the end of their constructor.
   */
  protected constructor(optimizer: OptimizerLike, initialLrs?: readonly number[]) {
    checkOptimizer(optimizer, this.constructor.name);
    this.optimizer = optimizer;
    optimizer.paramGroups.forEach((g, i) => {
      if (initialLrs) g.options.initialLr = initialLrs[i];
      else if (typeof g.options.initialLr !== "number") g.options.initialLr = lrOf(g.options, i, this.constructor.name);
    });
    this.baseLrs = optimizer.paramGroups.map((g) => g.options.initialLr as number);
  }

  /** The new learning rate of every group for `lastEpoch` (PyTorch's recursive `get_lr`). */
  protected abstract getLr(): number[];

  /**
   * The learning rates as a function of `lastEpoch` alone (PyTorch's `_get_closed_form_lr`),
   * for schedulers that have one; SequentialLR starts a scheduler with it.
   */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** The settings a saved state must agree with (compared on load). */
  protected abstract config(): SchedulerState;

  /** Step 0: resets the counters and applies the schedule's first value. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** `initialStep` of another scheduler (SequentialLR restarts the first one with it). */
  protected static restart(scheduler: LRScheduler): void {
    scheduler.initialStep();
  }

  /** Advances the schedule by one epoch (or one batch for OneCycleLR) and sets every group's lr. */
  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    this.apply(this.getLr());
  }

  /**
   * Jumps to `epoch` and sets the closed-form learning rates there (the recursive form where
   * there is no closed form): PyTorch's `step(epoch)`, which SequentialLR uses (with 0) to start
   * the next scheduler at its milestone.
   */
  jumpTo(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < 0) throw new ValueError(`${this.constructor.name}.jumpTo: epoch must be an integer >= 0, got ${epoch}`);
    this.stepCount++;
    this.lastEpoch = epoch;
    this.apply(this.closedFormLr() ?? this.getLr());
  }

  /** The learning rate of every group as the last step set it. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Where the schedule is (counters, base and last rates) plus its settings; JSON-safe. */
  stateDict(): SchedulerState {
    return { ...this.config(), lastEpoch: this.lastEpoch, stepCount: this.stepCount, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
  }

  /**
   * Continues a saved schedule. The settings must match this scheduler's (else a ValueError names
   * the first that differs). Unlike PyTorch, it also writes the saved last lr into the groups, so
   * the result is the same whether the optimizer's state is loaded before or after.
   */
  loadStateDict(state: SchedulerState): void {
    checkConfig(this.constructor.name, this.config(), state);
    this.lastEpoch = stateNumber(state, "lastEpoch", this.constructor.name);
    this.stepCount = stateNumber(state, "stepCount", this.constructor.name);
    const base = stateNumbers(state, "baseLrs", this.optimizer.paramGroups.length, this.constructor.name);
    base.forEach((v, i) => {
      this.baseLrs[i] = v;
      this.optimizer.paramGroups[i].options.initialLr = v;
    });
    this.apply(stateNumbers(state, "lastLr", this.optimizer.paramGroups.length, this.constructor.name));
  }

  /** Writes one lr per group and remembers them as the last lr. */
  protected apply(lrs: readonly number[]): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.options.lr = lrs[i];
    });
    this.lastLr = [...lrs];
  }

  /** The current lr of every group. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g, i) => lrOf(g.options, i, this.constructor.name));
  }
}

// ---- shared checks --------------------------------------------------------------------------------

export function checkOptimizer(optimizer: OptimizerLike, name: string): void {
  if (!optimizer || !Array.isArray(optimizer.paramGroups) || optimizer.paramGroups.length === 0) {
    throw new ValueError(`${name}: expected an optimizer with at least one parameter group (an optim.Optimizer)`);
  }
}

export function lrOf(options: Record<string, unknown>, group: number, name: string): number {
  const lr = options.lr;
  if (typeof lr !== "number" || !Number.isFinite(lr)) throw new ValueError(`${name}: parameter group ${group} has no numeric lr (got ${String(lr)})`);
  return lr;
}

/** Throws `name: what must be <range>, got <value>` unless ok (and the value is finite). */
export function check(name: string, what: string, value: number, ok: boolean, range: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || !ok) throw new ValueError(`${name}: ${what} must be ${range}, got ${value}`);
}

/** Python's modulo (the result has the divisor's sign), which the recursive forms rely on. */
export function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** One value per parameter group: a number repeated, or a list of the right length. */
export function perGroup(name: string, what: string, value: number | readonly number[], groups: number): number[] {
  if (typeof value === "number") return new Array<number>(groups).fill(value);
  if (!Array.isArray(value) || value.length !== groups) {
    throw new ValueError(`${name}: ${what} must be a number or one number per parameter group (${groups}), got ${JSON.stringify(value)}`);
  }
  return [...value];
}

/** A number saved in a state (a ValueError naming the key otherwise). */
export function stateNumber(state: SchedulerState, key: string, name: string): number {
  const v = state[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new ValueError(`${name}.loadStateDict: "${key}" must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** One number per parameter group saved in a state. */
export function stateNumbers(state: SchedulerState, key: string, length: number, name: string): number[] {
  const v = state[key];
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => typeof x === "number")) {
    throw new ValueError(`${name}.loadStateDict: "${key}" must be ${length} numbers (one per parameter group), got ${JSON.stringify(v)}`);
  }
  return v as number[];
}

/** Throws if a saved setting differs from this scheduler's (the schedule would not continue). */
export function checkConfig(name: string, mine: SchedulerState, saved: SchedulerState): void {
  if (!saved || typeof saved !== "object") throw new ValueError(`${name}.loadStateDict: expected a state object, got ${JSON.stringify(saved)}`);
  for (const [key, value] of Object.entries(mine)) {
    if (JSON.stringify(saved[key]) !== JSON.stringify(value)) {
      throw new ValueError(`${name}.loadStateDict: the saved state has ${key} = ${JSON.stringify(saved[key])} but this scheduler has ${JSON.stringify(value)}; build it with the same settings`);
    }
  }
}
