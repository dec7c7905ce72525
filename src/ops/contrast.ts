/**
 * Local contrast normalization, the lectures' first normalization layer (they cite Jarrett,
 * Kavukcuoglu, Ranzato & LeCun, "What is the best multi-stage architecture for object
 * recognition?", ICCV 2009, for "improves invariances, improves sparsity"). There is no PyTorch
 * equivalent. Following that paper, for x [N, C, H, W] and a window w_pq (Gaussian or box,
 * side `size`, normalized to sum 1 over the positions that fall inside the image):
 *
 *   subtractive:  v_ijk = x_ijk − m_jk,        m_jk = (1/C) Σ_i Σ_pq w_pq · x_i,j+p,k+q
 *   divisive:     y_ijk = v_ijk / max(c, σ_jk), σ_jk = √((1/C) Σ_i Σ_pq w_pq · v²_i,j+p,k+q)
 *                 c = mean over (j, k) of σ_jk, per image
 *
 * The paper's weights sum to 1 over channels and positions together, hence the 1/C (Torch 7's
 * SpatialContrastiveNormalization divides its kernel by the channel count for the same reason).
 * Two choices the paper leaves open: borders are handled by renormalizing the window over the
 * part inside the image, as Torch 7 compensates its zero padding (so a constant image gives 0
 * everywhere, borders included, up to rounding); and σ is floored at `eps` (default 1e-4,
 * Torch 7's threshold) so a flat image does not divide by zero: σ = √max(·, eps²).
 *
 * Composed of differentiable ops: a channel mean, a separable window sum as two 1-D
 * convolutions (size×1 then 1×size), elementwise ops and a spatial mean.
 */
import { noGrad } from "../autograd/engine.js";
import { ShapeError, ValueError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { conv2d } from "./conv.js";
import { requireFloat } from "./util.js";

export interface LocalContrastNormOptions {
  /** Side of the (square, odd) window. Default 9, as in Jarrett et al. */
  size?: number;
  /** "gaussian" (default) or "box" (uniform weights). */
  window?: "gaussian" | "box";
  /** Standard deviation of the Gaussian window, in pixels. Default (size − 1)/4 (2 for size 9). */
  sigma?: number;
  /** Floor on the local standard deviation σ. Default 1e-4. */
  eps?: number;
  name?: string;
}

/** The 1-D window: exp(−p²/2σ²) or 1 for p = −r..r, normalized to sum 1. */
export function contrastWindow1d(size: number, window: "gaussian" | "box", sigma: number): number[] {
  const r = (size - 1) / 2;
  const w = Array.from({ length: size }, (_, i) => (window === "box" ? 1 : Math.exp(-((i - r) ** 2) / (2 * sigma * sigma))));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}

/** Subtractive then divisive local normalization of x [N, C, H, W] or [C, H, W]; see the file comment. */
export function localContrastNorm(x: Tensor, options: LocalContrastNormOptions = {}): Tensor {
  const where = options.name ?? "localContrastNorm";
  requireFloat(x, where);
  if (x.ndim === 3) return localContrastNorm(x.unsqueeze(0), options).squeeze(0);
  if (x.ndim !== 4) throw new ShapeError(`${where}: expects input [N, C, H, W] or [C, H, W], got shape [${x.shape}]`);
  const size = options.size ?? 9;
  const window = options.window ?? "gaussian";
  const sigma = options.sigma ?? (size - 1) / 4;
  const eps = options.eps ?? 1e-4;
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) throw new ValueError(`${where}: size must be a positive odd integer (a centred window), got ${size}`);
  if (window !== "gaussian" && window !== "box") throw new ValueError(`${where}: window must be "gaussian" or "box", got ${JSON.stringify(window)}`);
  if (window === "gaussian" && !(sigma > 0)) throw new ValueError(`${where}: sigma must be > 0, got ${sigma}`);
  if (!(eps > 0)) throw new ValueError(`${where}: eps must be > 0, got ${eps}`);
  const [, , H, W] = x.shape;
  const r = (size - 1) / 2;
  const w1 = contrastWindow1d(size, window, sigma);
  const backend = x.storage.backend;
  const vertical = new Tensor(backend.fromArray(w1, x.dtype), [1, 1, size, 1]);
  const horizontal = new Tensor(backend.fromArray(w1, x.dtype), [1, 1, 1, size]);
  // Weighted window sum of one-channel maps [n, 1, H, W], zero outside the image.
  const windowSum = (t: Tensor) => conv2d(conv2d(t, vertical, null, { padding: [r, 0] }), horizontal, null, { padding: [0, r] });
  // The weight of each window that lies inside the image: dividing by it renormalizes at borders.
  const inside = noGrad(() => windowSum(new Tensor(backend.full(x.dtype, H * W, 1), [1, 1, H, W])));
  const localMean = (t: Tensor) => windowSum(t.mean(1, true)).div(inside);

  const v = x.sub(localMean(x));
  const sigmaMap = localMean(v.square()).clamp(eps * eps).sqrt();
  const c = sigmaMap.mean([2, 3], true);
  return v.div(sigmaMap.maximum(c));
}
