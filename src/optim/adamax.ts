import type { Tensor } from "../tensor/tensor.js";
import { Optimizer, type ParamsArg } from "./optimizer.js";
import { applyRule, checkBetas, checkCommon, nextStep, stateBuffer, type ParamState } from "./adaptive.js";

export interface AdamaxOptions {
  [key: string]: number | boolean | readonly number[];
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
}

/**
 * Adamax (Kingma & Ba, 2015, section 7.1: Adam with the infinity norm), exactly PyTorch 1.13's
 * `torch.optim.Adamax`. At step t (from 1):
 *
 *   g ← ∇θ + λ·θ                     (weightDecay λ: L2 in the gradient)
 *   m ← β₁·m + (1 − β₁)·g            (state `expAvg`)
 *   u ← max(β₂·u, |g| + ε)           (state `expInf`: the exponentially weighted infinity norm)
 *   θ ← θ − η/(1 − β₁ᵗ) · m / u
 *
 * Defaults as PyTorch: lr 2e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0.
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: ParamsArg<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super(params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, ...options });
  }

  protected validate(o: AdamaxOptions): void {
    checkCommon(o, "Adamax");
    checkBetas(o.betas, "Adamax");
  }

  protected update(p: Tensor, grad: Tensor, o: AdamaxOptions, state: ParamState): void {
    const t = nextStep(state);
    const [beta1, beta2] = o.betas;
    const buffers = { expAvg: stateBuffer(state, "expAvg", p), expInf: stateBuffer(state, "expInf", p) };
    applyRule(p, grad, buffers, { kind: "adamax", beta1, beta2, eps: o.eps, weightDecay: o.weightDecay, clr: o.lr / (1 - beta1 ** t) });
  }
}
