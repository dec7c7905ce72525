/**
 * The activation functions beyond ReLU / sigmoid / tanh / leaky ReLU (those are unary kernels in
 * elementwise.ts): ELU, SELU, GELU, SiLU, Softplus, Hardtanh, ReLU6, PReLU, maxout, and erf.
 *
 * Each forward is composed of existing kernels under noGrad, and each backward is PyTorch's
 * closed form written with ops beside it (so the gradient at a kink is PyTorch's, not whatever
 * a chain of compositions would give, and second derivatives still flow). Branches that would
 * overflow are clamped before exp, so a masked-out branch never turns 0·inf into NaN.
 */
import { noGrad } from "../autograd/engine.js";
import { fromOp } from "../autograd/record.js";
import { ShapeError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { where } from "./binary.js";
import { backendOf, normalizeDim, requireFloat } from "./util.js";

const TWO_OVER_SQRT_PI = 1.1283791670955126; // M_2_SQRTPI
const SQRT1_2 = 0.7071067811865476; // M_SQRT1_2
const SQRT2 = 1.4142135623730951; // M_SQRT2

/** SELU's constants (Klambauer et al. 2017), as PyTorch spells them. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** The error function 2/√π ∫₀ˣ e^(−t²) dt (torch.erf). d/dx = 2/√π · e^(−x²). */
export function erf(x: Tensor): Tensor {
  requireFloat(x, "erf");
  return fromOp(backendOf(x).erf(x.storage), x.shape, "erf", [x], (g) => [g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI))]);
}

/**
 * scale · x for x > 0, scale · alpha · (eˣ − 1) for x ≤ 0. PyTorch's elu kernel, shared by ELU
 * (scale 1) and SELU. The gradient at 0 comes from the x ≤ 0 side: scale · alpha.
 */
function eluLike(x: Tensor, alpha: number, scale: number, name: string): Tensor {
  requireFloat(x, name);
  const negcoef = alpha * scale;
  const y = noGrad(() => where(x.gt(0), x.mul(scale), x.clamp(null, 0).exp().sub(1).mul(negcoef)));
  return fromOp(y.storage, x.shape, name, [x], (g) => [g.mul(where(x.gt(0), scale, x.clamp(null, 0).exp().mul(negcoef)))]);
}

/** ELU(x) = x for x > 0, alpha · (eˣ − 1) otherwise (Clevert et al. 2015). */
export function elu(x: Tensor, alpha = 1): Tensor {
  return eluLike(x, alpha, 1, "elu");
}

/** SELU(x) = scale · ELU(x, alpha) with PyTorch's fixed alpha ≈ 1.6733 and scale ≈ 1.0507. */
export function selu(x: Tensor): Tensor {
  return eluLike(x, SELU_ALPHA, SELU_SCALE, "selu");
}

export type GeluApproximate = "none" | "tanh";

/**
 * GELU(x) = x · Φ(x), Φ the standard normal CDF (Hendrycks & Gimpel 2016).
 * - "none" (default): exact, x/2 · (1 + erf(x/√2)); d/dx = Φ(x) + x · φ(x).
 * - "tanh": x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³))), and the derivative of that formula.
 */
export function gelu(x: Tensor, approximate: GeluApproximate = "none"): Tensor {
  requireFloat(x, "gelu");
  if (approximate === "none") {
    const y = noGrad(() => x.mul(0.5).mul(erf(x.mul(SQRT1_2)).add(1)));
    return fromOp(y.storage, x.shape, "gelu", [x], (g) => {
      const cdf = erf(x.mul(SQRT1_2)).add(1).mul(0.5);
      const pdf = x.square().mul(-0.5).exp().mul(TWO_OVER_SQRT_PI * SQRT1_2 * 0.5);
      return [g.mul(cdf.add(x.mul(pdf)))];
    });
  }
  if (approximate === "tanh") {
    const beta = SQRT2 * TWO_OVER_SQRT_PI * 0.5; // √(2/π)
    const kappa = 0.044715;
    const inner = (): Tensor => x.add(x.square().mul(x).mul(kappa)).mul(beta);
    const y = noGrad(() => x.mul(0.5).mul(inner().tanh().add(1)));
    return fromOp(y.storage, x.shape, "gelu", [x], (g) => {
      const t = inner().tanh();
      const left = x.mul(0.5);
      const leftDerivative = t.add(1).mul(0.5);
      const innerDerivative = x.square().mul(3 * kappa).add(1).mul(beta);
      const rightDerivative = left.mul(t.square().neg().add(1)).mul(innerDerivative);
      return [g.mul(leftDerivative.add(rightDerivative))];
    });
  }
  throw new ValueError(`gelu: approximate must be "none" or "tanh", got ${JSON.stringify(approximate)}`);
}

/** SiLU (swish) x · σ(x); d/dx = σ(x) · (1 + x · (1 − σ(x))). */
export function silu(x: Tensor): Tensor {
  requireFloat(x, "silu");
  const y = noGrad(() => x.mul(x.sigmoid()));
  return fromOp(y.storage, x.shape, "silu", [x], (g) => {
    const s = x.sigmoid();
    return [g.mul(s.mul(x.mul(s.neg().add(1)).add(1)))];
  });
}

/** log(1 + u) accurate for small u, without a log1p kernel: with w = 1 + u, log(w) · u / (w − 1). */
function log1p(u: Tensor): Tensor {
  const w = u.add(1);
  const d = w.sub(1); // exact: w is within [1, 2]
  return where(d.eq(0), u, w.log().mul(u).div(where(d.eq(0), 1, d)));
}

/**
 * Softplus(x) = log(1 + e^(βx)) / β, and x itself where βx > threshold (PyTorch's linear
 * region). Computed as (max(βx, 0) + log1p(e^(−|βx|))) / β, which never overflows, even for a
 * threshold large enough that PyTorch's log1p(exp(βx)) gives inf. d/dx = σ(βx), or 1 above the threshold.
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  requireFloat(x, "softplus");
  if (!(beta !== 0 && Number.isFinite(beta))) throw new ValueError(`softplus: beta must be a non-zero finite number, got ${beta}`);
  const y = noGrad(() => {
    const z = x.mul(beta);
    const soft = z.clamp(0, null).add(log1p(z.abs().neg().exp())).div(beta);
    return where(z.gt(threshold), x, soft);
  });
  return fromOp(y.storage, x.shape, "softplus", [x], (g) => {
    const z = x.mul(beta);
    return [g.mul(where(z.gt(threshold), 1, z.sigmoid()))];
  });
}

/**
 * Hardtanh(x) = clamp(x, minVal, maxVal). Unlike clamp, PyTorch passes no gradient at the
 * bounds themselves: d/dx = 1 only where minVal < x < maxVal.
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  requireFloat(x, "hardtanh");
  return fromOp(backendOf(x).clamp(x.storage, minVal, maxVal), x.shape, "hardtanh", [x], (g) => [g.mul(x.gt(minVal).mul(x.lt(maxVal)))]);
}

/** ReLU6(x) = min(max(0, x), 6) = hardtanh(x, 0, 6): no gradient at 0 nor at 6, as in PyTorch. */
export function relu6(x: Tensor): Tensor {
  return hardtanh(x, 0, 6);
}

/**
 * PReLU(x) = x for x > 0, a · x otherwise, with a learned slope per channel (He et al. 2015).
 * `weight` holds one slope, or one per channel (dim 1 of x; an input of rank < 2 has a single
 * channel). At x = 0 the slope side is taken, as in PyTorch: d/dx = a, d/da = 0.
 */
export function prelu(x: Tensor, weight: Tensor, name = "prelu"): Tensor {
  requireFloat(x, name);
  if (weight.ndim > 1) throw new ShapeError(`${name}: weight must be a scalar or 1-D, got shape [${weight.shape}]`);
  const channels = x.ndim >= 2 ? x.shape[1] : 1;
  if (weight.numel !== 1 && weight.numel !== channels) {
    throw new ShapeError(`${name}: weight has ${weight.numel} slopes but the input [${x.shape}] has ${channels} channel(s) (dim 1); rule: one slope, or one per channel`);
  }
  const slope = weight.numel === 1 ? weight.reshape([]) : weight.reshape([channels, ...new Array<number>(x.ndim - 2).fill(1)]);
  return where(x.gt(0), x, x.mul(slope));
}

/**
 * Maxout over groups of `pieces` consecutive entries of `dim` (Goodfellow et al. 2013): entries
 * c·pieces .. c·pieces + pieces − 1 form unit c, whose output is their maximum. So a dim of size
 * C·pieces becomes C. Applied to a linear map's output it gives the lectures' maxout unit
 * max(w₁ᵀx + b₁, ..., w_kᵀx + b_k); applied to conv feature maps (dim 1) it is channel maxout.
 * The gradient goes to the winning piece (the first on ties).
 */
export function maxout(x: Tensor, pieces: number, dim = 1): Tensor {
  requireFloat(x, "maxout");
  if (!Number.isInteger(pieces) || pieces < 1) throw new ValueError(`maxout: pieces must be a positive integer, got ${pieces}`);
  const d = normalizeDim(dim, x.ndim, "maxout");
  const size = x.shape[d];
  if (size % pieces !== 0) {
    throw new ShapeError(`maxout: dim ${dim} of input [${x.shape}] has size ${size}, which is not divisible by pieces = ${pieces}`);
  }
  const grouped = [...x.shape.slice(0, d), size / pieces, pieces, ...x.shape.slice(d + 1)];
  return x.reshape(grouped).max(d + 1);
}
