import type { Tensor } from "../tensor/tensor.js";
import { Optimizer, type ParamsArg } from "./optimizer.js";
import { applyRule, checkBetas, checkCommon, nextStep, stateBuffer, type ParamState } from "./adaptive.js";

export interface AdamOptions {
  [key: string]: number | boolean | readonly number[];
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
}

/**
 * Adam (Kingma & Ba, 2015), exactly PyTorch 1.13's `torch.optim.Adam`. At step t (from 1):
 *
 *   g ← ∇θ + λ·θ                     (weightDecay λ: L2 in the gradient; see AdamW for decoupled)
 *   m ← β₁·m + (1 − β₁)·g            (first moment; state `expAvg`)
 *   v ← β₂·v + (1 − β₂)·g²           (second moment; state `expAvgSq`)
 *   vₘₐₓ ← max(vₘₐₓ, v), used for v below  (amsgrad only; state `maxExpAvgSq`)
 *   θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
 *
 * which is the lectures' θ ← θ − η·m̂/(√v̂ + ε) with the bias-corrected moments m̂ = m/(1−β₁ᵗ),
 * v̂ = v/(1−β₂ᵗ), evaluated in PyTorch's order. Defaults as PyTorch: lr 1e-3,
 * betas [0.9, 0.999], eps 1e-8, weightDecay 0, amsgrad false. Each parameter counts its own
 * steps (state `step`), so a parameter that first gets a gradient later starts at t = 1.
 * One fused backend pass per parameter (`Backend.optimUpdate`).
 *
 * @example
 *   const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 *   opt.zeroGrad(); loss.backward(); opt.step();
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: ParamsArg<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, ...options });
  }

  /** True in AdamW: weight decay shrinks θ directly instead of entering the gradient. */
  protected get decoupled(): boolean {
    return false;
  }

  protected validate(o: AdamOptions): void {
    const name = this.constructor.name;
    checkCommon(o, name);
    checkBetas(o.betas, name);
  }

  protected update(p: Tensor, grad: Tensor, o: AdamOptions, state: ParamState): void {
    const t = nextStep(state);
    const [beta1, beta2] = o.betas;
    const buffers: Record<string, Tensor> = { expAvg: stateBuffer(state, "expAvg", p), expAvgSq: stateBuffer(state, "expAvgSq", p) };
    if (o.amsgrad) buffers.maxExpAvgSq = stateBuffer(state, "maxExpAvgSq", p);
    applyRule(p, grad, buffers, {
      kind: "adam",
      beta1,
      beta2,
      eps: o.eps,
      weightDecay: this.decoupled ? 0 : o.weightDecay,
      decay: this.decoupled ? 1 - o.lr * o.weightDecay : 1,
      stepSize: o.lr / (1 - beta1 ** t),
      bc2Sqrt: Math.sqrt(1 - beta2 ** t),
      amsgrad: o.amsgrad,
    });
  }
}
