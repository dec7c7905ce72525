/**
 * Parameter groups that keep weight decay off biases and normalization parameters.
 */
import type { Tensor } from "../tensor/tensor.js";

/** Anything with PyTorch-style named parameters (every nn.Module). */
export interface HasNamedParameters {
  namedParameters(): [string, Tensor][];
}

export interface DecayGroup {
  params: Tensor[];
  options: { weightDecay: number };
}

/**
 * Splits a model's trainable parameters into two optimizer groups: `[decayed, notDecayed]`,
 * with options `{ weightDecay }` and `{ weightDecay: 0 }`. A parameter is not decayed when it has
 * at most one dimension (biases, and the per-channel weights of BatchNorm, LayerNorm, GroupNorm)
 * or its name ends in `bias`. This is the lectures' regularized gradient D = Δ/n + λΘ for j ≠ 0,
 * D = Δ/n for the bias column, and the usual practice for Adam(W) and SGD alike: shrinking a
 * bias or a normalization scale towards 0 does not reduce the capacity that decay is meant to
 * limit. Parameters with `requiresGrad` false (frozen) are left out. Both groups are always
 * returned (either may be empty), so the optimizer's groups do not depend on the model.
 *
 * @example
 *   const opt = new optim.AdamW(optim.paramGroupsWithoutDecay(model, 0.05), { lr: 1e-3 });
 */
export function paramGroupsWithoutDecay(model: HasNamedParameters, weightDecay: number): [DecayGroup, DecayGroup] {
  const decay: Tensor[] = [];
  const noDecay: Tensor[] = [];
  for (const [name, p] of model.namedParameters()) {
    if (!p.requiresGrad) continue;
    (p.ndim <= 1 || name.endsWith("bias") ? noDecay : decay).push(p);
  }
  return [
    { params: decay, options: { weightDecay } },
    { params: noDecay, options: { weightDecay: 0 } },
  ];
}
