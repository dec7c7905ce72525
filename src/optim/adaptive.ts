/**
 * What the adaptive optimizers (Adagrad ... NAdam) share: their per-parameter state buffers and
 * the call of the fused backend update, plus the checks of `betas`.
 */
import type { Tensor } from "../tensor/tensor.js";
import type { OptimRule, Storage } from "../backend/types.js";
import { keep } from "../tensor/scope.js";
import { fullLike } from "../tensor/create.js";
import { ValueError } from "../errors.js";
import { checkRange } from "./optimizer.js";

export type ParamState = Record<string, Tensor | number>;

/**
 * The state tensor `name` of a parameter, created on first use filled with `fill` in the
 * parameter's dtype. Kept: it must outlive the scope (DataLoader iteration) of the step that
 * made it, as SGD's momentum buffer does.
 */
export function stateBuffer(state: ParamState, name: string, p: Tensor, fill = 0): Tensor {
  let t = state[name] as Tensor | undefined;
  if (!t) state[name] = t = keep(fullLike(p, fill));
  return t;
}

/** Increments and returns the parameter's step count t (1 on the first step). */
export function nextStep(state: ParamState): number {
  const t = ((state.step as number | undefined) ?? 0) + 1;
  state.step = t;
  return t;
}

/** Runs one fused update (Backend.optimUpdate) of `p` and its `buffers` in place. */
export function applyRule(p: Tensor, grad: Tensor, buffers: Record<string, Tensor>, rule: OptimRule): void {
  const g = grad.dtype === p.dtype ? grad : grad.to(p.dtype);
  const storages: Record<string, Storage> = {};
  for (const [name, t] of Object.entries(buffers)) storages[name] = t.storage;
  p.storage.backend.optimUpdate(p.storage, g.storage, storages, rule);
}

/** `betas` must be two coefficients in [0, 1). */
export function checkBetas(betas: readonly number[], optimizer: string): void {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new ValueError(`${optimizer}: betas must be a pair [beta1, beta2] with both in [0, 1), got ${JSON.stringify(betas)}`);
  }
  betas.forEach((b, i) => checkRange(b, `betas[${i}]`, optimizer, b >= 0 && b < 1, "in [0, 1)"));
}

/** lr >= 0, eps >= 0, weightDecay >= 0: the checks every optimizer makes. */
export function checkCommon(o: { lr: number; eps: number; weightDecay: number }, optimizer: string): void {
  checkRange(o.lr, "lr", optimizer, o.lr >= 0, "a number >= 0");
  checkRange(o.eps, "eps", optimizer, o.eps >= 0, "a number >= 0");
  checkRange(o.weightDecay, "weightDecay", optimizer, o.weightDecay >= 0, "a number >= 0");
}
