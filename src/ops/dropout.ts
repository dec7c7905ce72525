/**
 * Dropout (Srivastava et al.; the lectures: "temporarily remove a node and all its connections"),
 * with PyTorch's inverted scaling, so evaluation needs no change: during training each unit is
 * kept with probability 1 − p and scaled by 1/(1 − p), otherwise zeroed; in evaluation the op is
 * the identity. Masks come from the seeded generator (src/random.ts), so `manualSeed` makes them
 * repeatable; they cannot match PyTorch's own random stream.
 *
 * The gradient is the mask: d out / d x = (kept ? 1/(1 − p) : 0), which autograd gets from the
 * single multiply. Drawing the mask is the one per-element JavaScript loop (one 32-bit draw per
 * element or per channel); the rest is one or two whole-tensor kernel passes.
 */
import { ShapeError, ValueError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { defaultGenerator, type Generator } from "../random.js";
import { requireFloat } from "./util.js";

export interface DropoutOptions {
  /** Apply dropout (true, the default, as F.dropout) or return the input unchanged. */
  training?: boolean;
  /** Draw the mask from this generator instead of the default (seeded by `manualSeed`). */
  generator?: Generator;
  /** Names the layer in error messages. */
  name?: string;
}

function checkP(p: number, where: string): void {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new ValueError(`${where}: dropout probability p must be in [0, 1], got ${p}`);
}

/**
 * A tensor of `shape` in x's dtype and backend holding `kept` with probability 1 − p and
 * `dropped` otherwise: unit i is kept when a uniform 32-bit draw u satisfies u ≥ p·2³².
 */
function mask(x: Tensor, shape: readonly number[], p: number, kept: number, dropped: number, g: Generator): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = x.dtype === "float64" ? new Float64Array(n) : new Float32Array(n);
  const threshold = p * 4294967296;
  for (let i = 0; i < n; i++) values[i] = g.nextUint32() >= threshold ? kept : dropped;
  return new Tensor(x.storage.backend.fromArray(values, x.dtype), shape);
}

/** Zeroes each element with probability p and scales the others by 1/(1 − p) (F.dropout). */
export function dropout(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  const where = options.name ?? "dropout";
  checkP(p, where);
  requireFloat(x, where);
  if (!(options.training ?? true) || p === 0 || x.numel === 0) return x;
  if (p === 1) return x.mul(0); // as PyTorch: input * 0, with no 1/(1 − p) to blow up
  return x.mul(mask(x, x.shape, p, 1 / (1 - p), 0, options.generator ?? defaultGenerator));
}

/**
 * Channel dropout (F.dropout2d): zeroes whole feature maps of x [N, C, H, W] (or [C, H, W])
 * with probability p and scales the kept ones by 1/(1 − p); neighbouring pixels are strongly
 * correlated, so dropping single pixels would barely regularize a convolution.
 */
export function dropout2d(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  const where = options.name ?? "dropout2d";
  checkP(p, where);
  requireFloat(x, where);
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(`${where}: expects input [N, C, H, W] or [C, H, W], got shape [${x.shape}]`);
  if (!(options.training ?? true) || p === 0 || x.numel === 0) return x;
  if (p === 1) return x.mul(0);
  const maskShape = x.ndim === 4 ? [x.shape[0], x.shape[1], 1, 1] : [x.shape[0], 1, 1];
  return x.mul(mask(x, maskShape, p, 1 / (1 - p), 0, options.generator ?? defaultGenerator));
}

/** SELU's λ·α: the value SELU saturates to is −SELU_LAMBDA_ALPHA. */
export const SELU_LAMBDA_ALPHA = 1.7580993408473766;

/**
 * Alpha dropout (F.alpha_dropout, for self-normalizing networks with SELU): dropped units are
 * set to SELU's negative saturation −λα instead of 0, then an affine map a·(·) + b restores zero
 * mean and unit variance. With α' = λα = 1.7580993408473766 and q = 1 − p, PyTorch's constants
 *   a = 1/√((α'²·p + 1)·q),   kept: y = a·x + a·α'·p,   dropped: y = a·α'·(p − 1).
 * The gradient is a on kept units and 0 on dropped ones.
 */
export function alphaDropout(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  const where = options.name ?? "alphaDropout";
  checkP(p, where);
  requireFloat(x, where);
  if (!(options.training ?? true) || p === 0 || x.numel === 0) return x;
  if (p === 1) return x.mul(0);
  const a = 1 / Math.sqrt((SELU_LAMBDA_ALPHA * SELU_LAMBDA_ALPHA * p + 1) * (1 - p));
  const scale = mask(x, x.shape, p, a, 0, options.generator ?? defaultGenerator);
  // (x + α')·scale + a·α'·(p − 1) gives a·x + a·α'·p where kept (scale = a) and a·α'·(p − 1) where dropped.
  return x.add(SELU_LAMBDA_ALPHA).mul(scale).add(a * SELU_LAMBDA_ALPHA * (p - 1));
}
