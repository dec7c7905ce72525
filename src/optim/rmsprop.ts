import type { Tensor } from "../tensor/tensor.js";
import { checkRange, Optimizer, type ParamsArg } from "./optimizer.js";
import { applyRule, checkCommon, nextStep, stateBuffer, type ParamState } from "./adaptive.js";

export interface RMSpropOptions {
  [key: string]: number | boolean | readonly number[];
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
}

/**
 * RMSprop (Hinton, Coursera lecture 6e), exactly PyTorch 1.13's `torch.optim.RMSprop`:
 *
 *   g ← ∇θ + λ·θ                       (weightDecay λ: L2 in the gradient)
 *   v ← α·v + (1 − α)·g²               (state `squareAvg`)
 *   centered: a ← α·a + (1 − α)·g,  d ← √(v − a²) + ε   (state `gradAvg`: v − a² estimates the variance)
 *   otherwise:                      d ← √v + ε
 *   momentum μ > 0: b ← μ·b + g/d, θ ← θ − η·b        (state `momentumBuffer`)
 *   otherwise:      θ ← θ − η·g/d
 *
 * The lectures' form, E[g²] ← 0.9·E[g²] + 0.1·g² and θ ← θ − η·g/√(E[g²] + ε), is alpha 0.9
 * (with ε added outside the root, as PyTorch does). Defaults as PyTorch: lr 1e-2, alpha 0.99,
 * eps 1e-8, weightDecay 0, momentum 0, centered false. Stricter than PyTorch: alpha must lie in
 * [0, 1] and momentum in [0, 1) (as SGD's), since anything else diverges.
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsArg<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, ...options });
  }

  protected validate(o: RMSpropOptions): void {
    checkCommon(o, "RMSprop");
    checkRange(o.alpha, "alpha", "RMSprop", o.alpha >= 0 && o.alpha <= 1, "in [0, 1]");
    checkRange(o.momentum, "momentum", "RMSprop", o.momentum >= 0 && o.momentum < 1, "in [0, 1)");
  }

  protected update(p: Tensor, grad: Tensor, o: RMSpropOptions, state: ParamState): void {
    nextStep(state);
    const buffers: Record<string, Tensor> = { squareAvg: stateBuffer(state, "squareAvg", p) };
    if (o.momentum > 0) buffers.momentumBuffer = stateBuffer(state, "momentumBuffer", p);
    if (o.centered) buffers.gradAvg = stateBuffer(state, "gradAvg", p);
    applyRule(p, grad, buffers, { kind: "rmsprop", lr: o.lr, alpha: o.alpha, eps: o.eps, weightDecay: o.weightDecay, momentum: o.momentum, centered: o.centered });
  }
}
