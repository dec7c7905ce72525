/**
 * Normalization ops with PyTorch semantics: batch, layer and group normalization share one core
 * (`standardize`), local response normalization is composed of pad + average pooling.
 *
 * The core standardizes x over some dims, x̂ = (x − μ) / √(σ² + ε) with μ and the biased σ² taken
 * over those dims, and can apply a scale γ and shift β that are constant over the same dims
 * (batch norm's per-channel affine). Its backward is the closed form rather than the derivative
 * of the composition, which takes about half the passes over memory:
 *   dβ = Σ g        dγ = rstd · Σ g·(x − μ)        (sums over the normalized dims)
 *   dx = γ·rstd · (g − Σg/M − (x − μ)·rstd²·Σ g·(x − μ)/M),   rstd = 1/√(σ² + ε), M = count.
 * Every step is a whole-tensor op (a reduction or a broadcast elementwise kernel), so it runs on
 * both backends at kernel speed; nothing loops over elements in JavaScript.
 */
import { fromOp } from "../autograd/record.js";
import { noGrad } from "../autograd/engine.js";
import { ShapeError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { pad } from "./shape.js";
import { avgPool2d } from "./pool.js";
import { normalizeDim, requireFloat, sameShape } from "./util.js";

export interface Standardized {
  /** γ·x̂ + β (or x̂), differentiable with respect to x, γ and β. */
  out: Tensor;
  /** μ and the biased σ² over the normalized dims (kept as size 1), without history. */
  mean: Tensor;
  variance: Tensor;
}

/**
 * (x − μ)/√(σ² + ε) over `dims`, times `scale` plus `shift` when given; both must be shaped like
 * the statistics (size 1 on every normalized dim), as batch norm's [1, C, 1] affine is.
 */
export function standardize(x: Tensor, dimsIn: number[], eps: number, scale: Tensor | null = null, shift: Tensor | null = null): Standardized {
  requireFloat(x, "standardize");
  const dims = [...new Set(dimsIn.map((d) => normalizeDim(d, x.ndim, "standardize")))];
  const statShape = x.shape.map((n, i) => (dims.includes(i) ? 1 : n));
  for (const [label, t] of [["scale", scale], ["shift", shift]] as const) {
    if (t && !sameShape(t.shape, statShape)) throw new ShapeError(`standardize: ${label} must have the statistics' shape [${statShape}], got [${t.shape}] (input [${x.shape}], dims [${dims}])`);
  }
  const count = dims.reduce((n, d) => n * x.shape[d], 1);
  // Size-1 dims need no reduction pass: summing over them is a copy.
  const reduce = dims.filter((d) => x.shape[d] !== 1);
  const sumOver = (t: Tensor) => (reduce.length > 0 ? t.sum(reduce, true) : t);
  const { out, mean, variance, centered, rstd, factor } = noGrad(() => {
    const mean = sumOver(x).div(count);
    const centered = x.sub(mean);
    const variance = sumOver(centered.square()).div(count);
    const rstd = variance.add(eps).pow(-0.5);
    const factor = scale ? rstd.mul(scale) : rstd;
    const y = centered.mul(factor);
    return { out: shift ? y.add(shift) : y, mean, variance, centered, rstd, factor };
  });
  const inputs = [x, scale, shift].filter((t): t is Tensor => t !== null);
  const result = fromOp(out.storage, x.shape, "standardize", inputs, (g) => {
    const gSum = sumOver(g);
    const gCenteredSum = sumOver(g.mul(centered));
    const grads: (Tensor | null)[] = [null];
    if (x.requiresGrad) {
      const k = rstd.square().mul(gCenteredSum).div(count);
      grads[0] = g.sub(gSum.div(count)).sub(centered.mul(k)).mul(factor);
    }
    if (scale) grads.push(scale.requiresGrad ? gCenteredSum.mul(rstd) : null);
    if (shift) grads.push(shift.requiresGrad ? gSum : null);
    return grads;
  });
  return { out: result, mean, variance };
}

export interface BatchNormOptions {
  /** γ, shape [C]; none means 1. */
  weight?: Tensor | null;
  /** β, shape [C]; none means 0. */
  bias?: Tensor | null;
  /** Use the batch's statistics (and update the running ones, when given). Default false, as F.batch_norm. */
  training?: boolean;
  /** Weight of the new batch in the running-statistics update. Default 0.1. */
  momentum?: number;
  eps?: number;
  /** Names the layer in error messages. */
  name?: string;
}

/**
 * Batch normalization over x [N, C, *] (PyTorch's F.batch_norm): per channel c,
 *   y = (x − μ_c) / √(σ²_c + ε) · γ_c + β_c.
 * Training: μ, σ² are the batch's mean and biased variance over N and every spatial position, and
 * the running statistics (when given) are updated in place with the UNBIASED variance:
 *   running ← (1 − momentum)·running + momentum·batch,   σ²_unbiased = σ²·M/(M − 1).
 * Evaluation: the running statistics are used; the op is then one affine pass, y = x·a + b.
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  const where = options.name ?? "batchNorm";
  requireFloat(x, where);
  if (x.ndim < 2) throw new ShapeError(`${where}: expects input [N, C, *] with at least 2 dims, got shape [${x.shape}]`);
  const training = options.training ?? false;
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  const [N, C] = x.shape;
  const L = x.numel / Math.max(1, N * C);
  for (const [label, t] of [["runningMean", runningMean], ["runningVar", runningVar], ["weight", options.weight], ["bias", options.bias]] as const) {
    if (t && t.numel !== C) throw new ShapeError(`${where}: ${label} has ${t.numel} elements (shape [${t.shape}]) but the input has ${C} channels (shape [${x.shape}])`);
  }
  if (!(eps > 0)) throw new ValueError(`${where}: eps must be > 0, got ${eps}`);
  const param = (t: Tensor | null | undefined) => (t ? t.reshape([1, C, 1]) : null);
  const x3 = x.reshape([N, C, L]);

  if (!training) {
    if (!runningMean || !runningVar) throw new ValueError(`${where}: evaluation mode needs runningMean and runningVar (pass training: true to use the batch's statistics)`);
    // a = γ/√(σ²+ε), b = β − μ·a: per-channel vectors, then one multiply and one add over x.
    let a = runningVar.reshape([1, C, 1]).add(eps).pow(-0.5);
    const gamma = param(options.weight);
    if (gamma) a = a.mul(gamma);
    let b = runningMean.reshape([1, C, 1]).mul(a).neg();
    const beta = param(options.bias);
    if (beta) b = b.add(beta);
    return x3.mul(a).add(b).reshape([...x.shape]);
  }

  const M = N * L;
  if (M <= 1) throw new ValueError(`${where}: expected more than 1 value per channel when training, got input of shape [${x.shape}]`);
  const { out, mean, variance } = standardize(x3, [0, 2], eps, param(options.weight), param(options.bias));
  if (runningMean || runningVar) {
    noGrad(() => {
      if (runningMean) runningMean.copy_(runningMean.mul(1 - momentum).add(mean.reshape([C]).mul(momentum)));
      if (runningVar) runningVar.copy_(runningVar.mul(1 - momentum).add(variance.reshape([C]).mul((momentum * M) / (M - 1))));
    });
  }
  return out.reshape([...x.shape]);
}

export interface LayerNormOptions {
  /** Elementwise γ, shaped like normalizedShape. */
  weight?: Tensor | null;
  /** Elementwise β, shaped like normalizedShape. */
  bias?: Tensor | null;
  eps?: number;
  name?: string;
}

/**
 * Layer normalization (F.layer_norm): each sample is standardized over its last
 * normalizedShape.length dims, then y = x̂·γ + β with γ, β shaped like normalizedShape.
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], options: LayerNormOptions = {}): Tensor {
  const where = options.name ?? "layerNorm";
  requireFloat(x, where);
  const ns = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
  const lead = x.ndim - ns.length;
  if (ns.length === 0 || lead < 0 || ns.some((d, i) => d !== x.shape[lead + i])) {
    throw new ShapeError(`${where}: normalizedShape [${ns}] must match the last dims of the input, expected shape [*, ${ns.join(", ")}], got [${x.shape}]`);
  }
  for (const [label, t] of [["weight", options.weight], ["bias", options.bias]] as const) {
    if (t && (t.ndim !== ns.length || t.shape.some((d, i) => d !== ns[i]))) throw new ShapeError(`${where}: ${label} has shape [${t.shape}] but normalizedShape is [${ns}]`);
  }
  const K = ns.reduce((a, b) => a * b, 1);
  const rows = x.numel / Math.max(1, K);
  let y = standardize(x.reshape([rows, K]), [1], options.eps ?? 1e-5).out;
  if (options.weight) y = y.mul(options.weight.reshape([K]));
  if (options.bias) y = y.add(options.bias.reshape([K]));
  return y.reshape([...x.shape]);
}

export interface GroupNormOptions {
  /** Per-channel γ, shape [C]. */
  weight?: Tensor | null;
  /** Per-channel β, shape [C]. */
  bias?: Tensor | null;
  eps?: number;
  name?: string;
}

/**
 * Group normalization (F.group_norm): the C channels of x [N, C, *] are split into numGroups
 * groups of C/numGroups consecutive channels; each (sample, group) is standardized over its
 * channels and positions, then y = x̂·γ_c + β_c per channel.
 */
export function groupNorm(x: Tensor, numGroups: number, options: GroupNormOptions = {}): Tensor {
  const where = options.name ?? "groupNorm";
  requireFloat(x, where);
  if (x.ndim < 2) throw new ShapeError(`${where}: expects input [N, C, *] with at least 2 dims, got shape [${x.shape}]`);
  const [N, C] = x.shape;
  if (!Number.isInteger(numGroups) || numGroups < 1) throw new ValueError(`${where}: numGroups must be a positive integer, got ${numGroups}`);
  if (C % numGroups !== 0) throw new ValueError(`${where}: the input's ${C} channels (shape [${x.shape}]) are not divisible by numGroups ${numGroups}`);
  for (const [label, t] of [["weight", options.weight], ["bias", options.bias]] as const) {
    if (t && t.numel !== C) throw new ShapeError(`${where}: ${label} has ${t.numel} elements (shape [${t.shape}]) but the input has ${C} channels (shape [${x.shape}])`);
  }
  const L = x.numel / Math.max(1, N * C);
  let y = standardize(x.reshape([N, numGroups, (C / numGroups) * L]), [2], options.eps ?? 1e-5).out.reshape([N, C, L]);
  if (options.weight) y = y.mul(options.weight.reshape([1, C, 1]));
  if (options.bias) y = y.add(options.bias.reshape([1, C, 1]));
  return y.reshape([...x.shape]);
}

export interface LocalResponseNormOptions {
  /** Default 1e-4. */
  alpha?: number;
  /** Default 0.75. */
  beta?: number;
  /** Default 1. */
  k?: number;
  name?: string;
}

/**
 * Local response normalization across channels (AlexNet's "lateral inhibition";
 * F.local_response_norm), for x [N, C, *] with at least 3 dims:
 *   y_c = x_c / (k + α/size · Σ_{c' = c − ⌊size/2⌋}^{c + ⌊(size−1)/2⌋} x_{c'}²)^β,
 * channels outside 0..C−1 counting as zero (so the divisor is always `size`, as PyTorch's
 * average pooling with zero padding gives).
 */
export function localResponseNorm(x: Tensor, size: number, options: LocalResponseNormOptions = {}): Tensor {
  const where = options.name ?? "localResponseNorm";
  requireFloat(x, where);
  if (!Number.isInteger(size) || size < 1) throw new ValueError(`${where}: size must be a positive integer, got ${size}`);
  if (x.ndim < 3) throw new ShapeError(`${where}: expects input [N, C, *] with at least 3 dims, got shape [${x.shape}]`);
  if (x.numel === 0) return x;
  const alpha = options.alpha ?? 1e-4;
  const beta = options.beta ?? 0.75;
  const k = options.k ?? 1;
  const [N, C] = x.shape;
  const L = x.numel / (N * C);
  // x² as [N, 1, C, L], zero-padded along the channels, averaged over windows of `size` channels.
  const squares = pad(x.square().reshape([N, 1, C, L]), [0, 0, Math.floor(size / 2), Math.floor((size - 1) / 2)]);
  const windowMean = avgPool2d(squares, [size, 1], { stride: 1 }).reshape([...x.shape]);
  return x.div(windowMean.mul(alpha).add(k).pow(beta));
}
