import type { Tensor } from "../tensor/tensor.js";
import { checkRange, Optimizer, type ParamsArg } from "./optimizer.js";
import { applyRule, checkBetas, checkCommon, nextStep, stateBuffer, type ParamState } from "./adaptive.js";

export interface NAdamOptions {
  [key: string]: number | boolean | readonly number[];
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  momentumDecay: number;
}

/**
 * NAdam (Dozat, 2016: Adam with Nesterov momentum), exactly PyTorch 1.13's `torch.optim.NAdam`.
 * At step t (from 1), with momentumDecay ψ:
 *
 *   g ← ∇θ + λ·θ                         (weightDecay λ: L2 in the gradient)
 *   μₜ ← β₁·(1 − ½·0.96^(t·ψ)),  μₜ₊₁ ← β₁·(1 − ½·0.96^((t+1)·ψ))
 *   Πₜ ← Πₜ₋₁·μₜ                          (state `muProduct`, Π₀ = 1)
 *   m ← β₁·m + (1 − β₁)·g                (state `expAvg`)
 *   v ← β₂·v + (1 − β₂)·g²               (state `expAvgSq`)
 *   d ← √(v / (1 − β₂ᵗ)) + ε
 *   θ ← θ − η·(1 − μₜ)/(1 − Πₜ) · g/d − η·μₜ₊₁/(1 − Πₜ·μₜ₊₁) · m/d
 *
 * (PyTorch 1.13 writes the last product as Πₜ·μₜ·μₜ₊₁ — an extra factor μₜ — and so does this
 * class, to follow its trajectory.) `muProduct` is a double here; PyTorch keeps it in a tensor of
 * the default dtype, float32 unless changed, so float32 runs may differ from PyTorch's in the last
 * bits. Defaults as PyTorch: lr 2e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0, momentumDecay 4e-3.
 */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: ParamsArg<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super(params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, ...options });
  }

  protected validate(o: NAdamOptions): void {
    checkCommon(o, "NAdam");
    checkBetas(o.betas, "NAdam");
    checkRange(o.momentumDecay, "momentumDecay", "NAdam", o.momentumDecay >= 0, "a number >= 0");
  }

  protected update(p: Tensor, grad: Tensor, o: NAdamOptions, state: ParamState): void {
    const t = nextStep(state);
    const [beta1, beta2] = o.betas;
    const mu = beta1 * (1 - 0.5 * 0.96 ** (t * o.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * o.momentumDecay));
    const muProduct = ((state.muProduct as number | undefined) ?? 1) * mu;
    state.muProduct = muProduct;
    const muProductNext = muProduct * mu * muNext;
    const buffers = { expAvg: stateBuffer(state, "expAvg", p), expAvgSq: stateBuffer(state, "expAvgSq", p) };
    applyRule(p, grad, buffers, {
      kind: "nadam",
      beta1,
      beta2,
      eps: o.eps,
      weightDecay: o.weightDecay,
      bc2: 1 - beta2 ** t,
      gradCoef: (-o.lr * (1 - mu)) / (1 - muProduct),
      avgCoef: (-o.lr * muNext) / (1 - muProductNext),
    });
  }
}
