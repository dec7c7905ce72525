import { Adam, type AdamOptions } from "./adam.js";
import type { ParamsArg } from "./optimizer.js";

export type AdamWOptions = AdamOptions;

/**
 * AdamW (Loshchilov & Hutter, "Decoupled weight decay regularization"), exactly PyTorch 1.13's
 * `torch.optim.AdamW`: Adam whose weight decay shrinks the parameter directly instead of being
 * added to the gradient, so it is not rescaled by the adaptive denominator. At step t:
 *
 *   θ ← θ·(1 − η·λ)                  (decoupled weight decay; default λ = 1e-2)
 *   m ← β₁·m + (1 − β₁)·∇θ
 *   v ← β₂·v + (1 − β₂)·(∇θ)²
 *   vₘₐₓ ← max(vₘₐₓ, v), used for v below  (amsgrad only)
 *   θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
 *
 * Defaults as PyTorch: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 1e-2, amsgrad false.
 * State as Adam: `step`, `expAvg`, `expAvgSq`, `maxExpAvgSq`.
 */
export class AdamW extends Adam {
  constructor(params: ParamsArg<AdamWOptions>, options: Partial<AdamWOptions> = {}) {
    super(params, { weightDecay: 1e-2, ...options });
  }

  protected override get decoupled(): boolean {
    return true;
  }
}
