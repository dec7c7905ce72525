import type { Tensor } from "../tensor/tensor.js";
import { checkRange, Optimizer, type ParamsArg } from "./optimizer.js";
import { applyRule, checkCommon, nextStep, stateBuffer, type ParamState } from "./adaptive.js";

export interface AdadeltaOptions {
  [key: string]: number | boolean | readonly number[];
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
}

/**
 * Adadelta (Zeiler, 2012), exactly PyTorch 1.13's `torch.optim.Adadelta`:
 *
 *   g ← ∇θ + λ·θ                             (weightDecay λ: L2 in the gradient)
 *   v ← ρ·v + (1 − ρ)·g²                     (state `squareAvg`)
 *   Δ ← √(u + ε) / √(v + ε) · g              (the step in the units of θ)
 *   u ← ρ·u + (1 − ρ)·Δ²                     (state `accDelta`)
 *   θ ← θ − η·Δ
 *
 * Defaults as PyTorch: lr 1.0, rho 0.9, eps 1e-6, weightDecay 0.
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: ParamsArg<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(params, { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, ...options });
  }

  protected validate(o: AdadeltaOptions): void {
    checkCommon(o, "Adadelta");
    checkRange(o.rho, "rho", "Adadelta", o.rho >= 0 && o.rho <= 1, "in [0, 1]");
  }

  protected update(p: Tensor, grad: Tensor, o: AdadeltaOptions, state: ParamState): void {
    nextStep(state);
    const buffers = { squareAvg: stateBuffer(state, "squareAvg", p), accDelta: stateBuffer(state, "accDelta", p) };
    applyRule(p, grad, buffers, { kind: "adadelta", lr: o.lr, rho: o.rho, eps: o.eps, weightDecay: o.weightDecay });
  }
}
