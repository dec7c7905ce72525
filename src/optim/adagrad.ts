import type { Tensor } from "../tensor/tensor.js";
import { checkRange, Optimizer, type ParamsArg } from "./optimizer.js";
import { applyRule, checkCommon, nextStep, stateBuffer, type ParamState } from "./adaptive.js";

export interface AdagradOptions {
  [key: string]: number | boolean | readonly number[];
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
}

/**
 * Adagrad (Duchi et al., 2011), exactly PyTorch 1.13's `torch.optim.Adagrad`. At step t (from 1):
 *
 *   g ← ∇θ + λ·θ                     (weightDecay λ: L2 in the gradient)
 *   η̃ ← η / (1 + (t − 1)·δ)          (lrDecay δ)
 *   s ← s + g²                       (state `sum`, starting at initialAccumulatorValue)
 *   θ ← θ − η̃ · g / (√s + ε)
 *
 * Every coordinate's step shrinks with the squared gradients it has seen so far: large for rare
 * features, small for frequent ones. Defaults as PyTorch: lr 1e-2, lrDecay 0, weightDecay 0,
 * initialAccumulatorValue 0, eps 1e-10.
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: ParamsArg<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, ...options });
  }

  protected validate(o: AdagradOptions): void {
    checkCommon(o, "Adagrad");
    checkRange(o.lrDecay, "lrDecay", "Adagrad", o.lrDecay >= 0, "a number >= 0");
    checkRange(o.initialAccumulatorValue, "initialAccumulatorValue", "Adagrad", o.initialAccumulatorValue >= 0, "a number >= 0");
  }

  protected update(p: Tensor, grad: Tensor, o: AdagradOptions, state: ParamState): void {
    // PyTorch fills `sum` when the optimizer is built; filling it on first use gives the same
    // numbers unless initialAccumulatorValue changes in between.
    const sum = stateBuffer(state, "sum", p, o.initialAccumulatorValue);
    const t = nextStep(state);
    applyRule(p, grad, { sum }, { kind: "adagrad", clr: o.lr / (1 + (t - 1) * o.lrDecay), eps: o.eps, weightDecay: o.weightDecay });
  }
}
