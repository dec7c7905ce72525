/**
 * The optimizer base: parameter groups with their own hyper-parameters and lazily created
 * per-parameter state, over a small per-parameter update each subclass defines.
 */
import type { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../autograd/engine.js";
import { keep, release } from "../tensor/scope.js";
import { ValueError } from "../errors.js";

/** A group's hyper-parameters: numbers, flags, and number tuples (Adam's `betas`). */
export type Hyper = Record<string, number | boolean | readonly number[]>;

export interface ParamGroup<H extends Hyper> {
  params: Tensor[];
  options: H;
}

export type ParamsArg<H extends Hyper> = Tensor[] | { params: Tensor[]; options?: Partial<H> }[];

export abstract class Optimizer<H extends Hyper> {
  readonly paramGroups: ParamGroup<H>[];
  /** Per-parameter state (momentum buffers, moment estimates), created on first use. */
  protected state = new Map<Tensor, Record<string, Tensor | number>>();

  constructor(params: ParamsArg<H>, defaults: H) {
    const list = Array.isArray(params) ? params : [];
    if (list.length === 0) throw new ValueError(`${this.constructor.name}: got an empty parameter list`);
    const groups = (list[0] as { params?: unknown }).params !== undefined ? (list as { params: Tensor[]; options?: Partial<H> }[]) : [{ params: list as Tensor[] }];
    this.paramGroups = groups.map((g) => {
      const options = copyOptions({ ...defaults, ...(g as { options?: Partial<H> }).options } as H);
      this.validate(options);
      return { params: g.params, options };
    });
  }

  /** Throws a ValueError naming the hyper-parameter and its allowed range. */
  protected abstract validate(options: H): void;

  /** Updates one parameter from its gradient (called inside noGrad). */
  protected abstract update(param: Tensor, grad: Tensor, options: H, state: Record<string, Tensor | number>): void;

  /** One optimisation step over every parameter that has a gradient. */
  step(): void {
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (!p.grad) continue;
          let s = this.state.get(p);
          if (!s) this.state.set(p, (s = {}));
          this.update(p, p.grad, group.options, s);
        }
      }
    });
  }

  /** Clears every parameter's gradient (set to null, as PyTorch's set_to_none=True). */
  zeroGrad(): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        release(p.grad);
        p.grad = null;
      }
    }
  }

  /** Learning rate of the first group (schedulers set each group's `options.lr`). */
  get lr(): number {
    return this.paramGroups[0].options.lr as number;
  }

  /** Per-parameter state by flat parameter index, and the groups' hyper-parameters. */
  stateDict(): { state: Record<number, Record<string, Tensor | number>>; paramGroups: H[] } {
    const state: Record<number, Record<string, Tensor | number>> = {};
    let i = 0;
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        const s = this.state.get(p);
        if (s) state[i] = snapshot(s);
        i++;
      }
    }
    return { state, paramGroups: this.paramGroups.map((g) => copyOptions(g.options)) };
  }

  loadStateDict(dict: { state: Record<number, Record<string, Tensor | number>>; paramGroups: H[] }): void {
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new ValueError(`${this.constructor.name}.loadStateDict: ${dict.paramGroups.length} parameter groups in the state, ${this.paramGroups.length} here`);
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    // Check everything before changing anything, so a refused dict leaves the optimizer as it was.
    params.forEach((p, i) => {
      for (const [k, v] of Object.entries(dict.state[i] ?? {})) {
        if (typeof v !== "number" && v.numel !== p.numel) {
          throw new ValueError(`${this.constructor.name}.loadStateDict: state ${i}.${k} has shape [${v.shape}], parameter ${i} has shape [${p.shape}]`);
        }
      }
    });
    this.state.clear();
    this.paramGroups.forEach((g, gi) => (g.options = copyOptions(dict.paramGroups[gi])));
    params.forEach((p, i) => {
      if (dict.state[i]) this.state.set(p, snapshot(dict.state[i], true));
    });
  }
}

/** A copy of a group's options that shares no array (betas) with the original. */
function copyOptions<H extends Hyper>(o: H): H {
  const out: Hyper = {};
  for (const [k, v] of Object.entries(o)) out[k] = Array.isArray(v) ? [...(v as number[])] : v;
  return out as H;
}

/** A copy of one parameter's state whose tensors share nothing with the original (kept when live). */
function snapshot(s: Record<string, Tensor | number>, live = false): Record<string, Tensor | number> {
  const out: Record<string, Tensor | number> = {};
  for (const [k, v] of Object.entries(s)) out[k] = typeof v === "number" ? v : live ? keep(v.clone().detach()) : v.clone().detach();
  return out;
}

export function checkRange(value: number, name: string, optimizer: string, ok: boolean, range: string): void {
  if (!Number.isFinite(value) || !ok) throw new ValueError(`${optimizer}: ${name} must be ${range}, got ${value}`);
}
