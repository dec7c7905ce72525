/**
 * Gradient clipping, in place on each parameter's `.grad`, as torch.nn.utils.clip_grad_norm_ and
 * clip_grad_value_ (PyTorch 1.13). Call it between `loss.backward()` and `optimizer.step()`.
 */
import { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../autograd/engine.js";
import { scope } from "../tensor/scope.js";
import { ValueError } from "../errors.js";

export interface ClipGradNormOptions {
  /** Throw when the total norm is NaN or infinite instead of scaling by it (PyTorch's default: false). */
  errorIfNonfinite?: boolean;
}

/**
 * Rescales the gradients so that their joint norm is at most `maxNorm`, and returns that norm
 * as it was before clipping (a number; PyTorch returns a 0-d tensor):
 *
 *   N = ‖(‖g₁‖ₚ, ‖g₂‖ₚ, …)‖ₚ               (the p-norm of all gradients as one vector;
 *                                          p = Infinity: N = max |gᵢⱼ|)
 *   gᵢ ← gᵢ · min(1, maxNorm / (N + 1e-6))
 *
 * As PyTorch, every gradient is multiplied, by exactly 1 when N is small enough; a NaN or
 * infinite N turns the gradients to NaN or zero unless `errorIfNonfinite`. Parameters without a
 * gradient are skipped; with none at all the norm is 0. The sums run in the gradients' dtype,
 * one whole-tensor reduction per gradient; the total is combined in double precision.
 */
export function clipGradNorm(params: Tensor | Iterable<Tensor>, maxNorm: number, normType = 2, options: ClipGradNormOptions = {}): number {
  if (!(maxNorm >= 0)) throw new ValueError(`clipGradNorm: maxNorm must be a number >= 0, got ${maxNorm}`);
  if (!(normType > 0)) throw new ValueError(`clipGradNorm: normType must be a number > 0 or Infinity, got ${normType}`);
  const grads = gradsOf(params);
  if (grads.length === 0) return 0;
  return noGrad(() =>
    scope(() => {
      let total: number;
      if (normType === Infinity) {
        total = Math.max(...grads.map((g) => g.abs().max().item()));
      } else {
        const norms = grads.map((g) => pNorm(g, normType));
        total = normType === 2 ? Math.sqrt(norms.reduce((s, n) => s + n * n, 0)) : norms.reduce((s, n) => s + n ** normType, 0) ** (1 / normType);
      }
      if (options.errorIfNonfinite && !Number.isFinite(total)) {
        throw new ValueError(`clipGradNorm: the total norm of order ${normType} of the gradients is ${total}, so they cannot be clipped (errorIfNonfinite is set)`);
      }
      const coef = Math.min(maxNorm / (total + 1e-6), 1); // Math.min keeps a NaN, as torch.clamp
      for (const g of grads) g.copy_(g.mul(coef));
      return total;
    }),
  );
}

/** Clamps every gradient element to [−clipValue, clipValue] (NaN stays NaN), as clip_grad_value_. */
export function clipGradValue(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new ValueError(`clipGradValue: clipValue must be a number >= 0, got ${clipValue}`);
  const grads = gradsOf(params);
  noGrad(() =>
    scope(() => {
      for (const g of grads) g.copy_(g.clamp(-clipValue, clipValue));
    }),
  );
}

function gradsOf(params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = params instanceof Tensor ? [params] : [...params];
  return list.map((p) => p.grad).filter((g): g is Tensor => g !== null && g !== undefined);
}

/** ‖g‖ₚ of one tensor, reduced in its dtype (the 2-norm as √Σg², the 1-norm as Σ|g|). */
function pNorm(g: Tensor, p: number): number {
  if (p === 2) return g.square().sum().sqrt().item();
  if (p === 1) return g.abs().sum().item();
  return g.abs().pow(p).sum().pow(1 / p).item();
}
