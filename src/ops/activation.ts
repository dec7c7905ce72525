/** Softmax and log-softmax, with the closed-form backwards instead of a chain of small ops. */
import { fromOp } from "../autograd/record.js";
import { noGrad } from "../autograd/engine.js";
import type { Tensor } from "../tensor/tensor.js";
import { normalizeDim, requireFloat } from "./util.js";

/** exp(x) / sum(exp(x)) along dim, shifted by the max so it never overflows. */
export function softmax(x: Tensor, dim: number): Tensor {
  requireFloat(x, "softmax");
  const d = normalizeDim(dim, x.ndim, "softmax");
  const y = noGrad(() => {
    const e = x.sub(x.max(d, true)).exp();
    return e.div(e.sum(d, true));
  });
  // dL/dx = y * (g - sum(g * y))
  return fromOp(y.storage, x.shape, "softmax", [x], (g) => [y.mul(g.sub(g.mul(y).sum(d, true)))]);
}

/** x - logsumexp(x) along dim: the numerically safe log of softmax. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  requireFloat(x, "logSoftmax");
  const d = normalizeDim(dim, x.ndim, "logSoftmax");
  const y = noGrad(() => x.sub(x.logsumexp(d, true)));
  // dL/dx = g - softmax(x) * sum(g)
  return fromOp(y.storage, x.shape, "logSoftmax", [x], (g) => [g.sub(y.exp().mul(g.sum(d, true)))]);
}
