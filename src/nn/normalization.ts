/**
 * Normalization layers, PyTorch's names, defaults and state-dict keys: BatchNorm1d/2d/3d
 * (weight, bias, running_mean, running_var, num_batches_tracked), LayerNorm, GroupNorm
 * (weight, bias) and LocalResponseNorm (no state). The math lives in src/ops/normalization.ts.
 */
import type { DType } from "../backend/types.js";
import type { Tensor } from "../tensor/tensor.js";
import { full, zeros } from "../tensor/create.js";
import { keep } from "../tensor/scope.js";
import { noGrad } from "../autograd/engine.js";
import { ShapeError, ValueError } from "../errors.js";
import { batchNorm, groupNorm, layerNorm, localResponseNorm } from "../ops/normalization.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";

export interface BatchNormOptions {
  /** Default 1e-5. */
  eps?: number;
  /** Weight of each new batch in the running statistics; null = cumulative average over all batches. Default 0.1. */
  momentum?: number | null;
  /** Learnable per-channel weight (γ, init 1) and bias (β, init 0). Default true. */
  affine?: boolean;
  /** Keep running mean and variance for evaluation. Default true. */
  trackRunningStats?: boolean;
  /** dtype of the parameters and running statistics. Default float32. */
  dtype?: DType;
}

function positiveInt(v: number, label: string, layer: string): void {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${layer}: ${label} must be a positive integer, got ${v}`);
}

function checkEps(eps: number, layer: string): void {
  if (!(eps > 0)) throw new ValueError(`${layer}: eps must be > 0, got ${eps}`);
}

/** A buffer that outlives memory scopes; it is only ever updated in place. */
const buffer = (t: Tensor): Tensor => keep(t);

/**
 * The shared body of BatchNorm1d/2d/3d. Per channel c, y = (x − μ_c)/√(σ²_c + ε)·γ_c + β_c.
 * Training uses the batch's statistics and updates the running ones in place:
 *   running_mean ← (1 − m)·running_mean + m·μ_batch
 *   running_var  ← (1 − m)·running_var  + m·σ²_batch·M/(M − 1)   (unbiased; M values per channel)
 * with m = momentum, or m = 1/num_batches_tracked when momentum is null (cumulative average).
 * Evaluation uses the running statistics; without them (trackRunningStats false) it uses the
 * batch's, as PyTorch does.
 */
export abstract class BatchNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  runningMean: Tensor | null;
  runningVar: Tensor | null;
  /** int32 here (int64 in PyTorch); loadStateDict converts. */
  numBatchesTracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  /** The input ranks this layer accepts and how to say so, e.g. [2, 3] and "[N, C] or [N, C, L]". */
  protected abstract readonly ranks: readonly number[];
  protected abstract readonly expected: string;

  constructor(
    readonly numFeatures: number,
    options: BatchNormOptions = {},
  ) {
    super();
    const name = new.target.name;
    positiveInt(numFeatures, "numFeatures", name);
    this.eps = options.eps ?? 1e-5;
    checkEps(this.eps, name);
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1)) throw new ValueError(`${name}: momentum must be in [0, 1] or null, got ${this.momentum}`);
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    const dtype = options.dtype ?? "float32";
    this.weight = this.affine ? new Parameter(full([numFeatures], 1, { dtype })) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    this.runningMean = this.trackRunningStats ? buffer(zeros([numFeatures], { dtype })) : null;
    this.runningVar = this.trackRunningStats ? buffer(full([numFeatures], 1, { dtype })) : null;
    this.numBatchesTracked = this.trackRunningStats ? buffer(zeros([], { dtype: "int32" })) : null;
  }

  /** Running statistics back to mean 0, variance 1, no batches seen (PyTorch's reset_running_stats). */
  resetRunningStats(): void {
    noGrad(() => {
      this.runningMean?.copy_(zeros(this.runningMean.shape));
      this.runningVar?.copy_(full(this.runningVar.shape, 1));
      this.numBatchesTracked?.copy_(zeros([], { dtype: "int32" }));
    });
  }

  forward(x: Tensor): Tensor {
    if (!this.ranks.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
      const got = this.ranks.includes(x.ndim) ? `${x.shape[1]} channels` : `${x.ndim}-D input`;
      throw new ShapeError(`${this.describe()}: expects input ${this.expected} with C = ${this.numFeatures}, got ${got} (shape [${x.shape}])`);
    }
    let factor = this.momentum ?? 0;
    if (this.training && this.numBatchesTracked) {
      const counter = this.numBatchesTracked;
      noGrad(() => counter.copy_(counter.add(1)));
      // Only the cumulative average needs the count on the JavaScript side.
      if (this.momentum === null) factor = 1 / counter.item();
    }
    const useBatchStats = this.training || !this.runningMean || !this.runningVar;
    const track = !this.training || this.trackRunningStats;
    return batchNorm(x, track ? this.runningMean : null, track ? this.runningVar : null, {
      weight: this.weight, bias: this.bias, training: useBatchStats, momentum: factor, eps: this.eps, name: this.describe(),
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/**
 * Batch normalization over [N, C] (per feature) or [N, C, L] (per channel, over N and L).
 * @example new BatchNorm1d(100) // after Linear(..., 100)
 */
export class BatchNorm1d extends BatchNorm {
  protected readonly ranks = [2, 3];
  protected readonly expected = "[N, C] or [N, C, L]";
}

/**
 * Batch normalization of images [N, C, H, W], per channel over N, H and W.
 * @example new BatchNorm2d(64) // after Conv2d(..., 64, 3)
 */
export class BatchNorm2d extends BatchNorm {
  protected readonly ranks = [4];
  protected readonly expected = "[N, C, H, W]";
}

/** Batch normalization of volumes [N, C, D, H, W], per channel. */
export class BatchNorm3d extends BatchNorm {
  protected readonly ranks = [5];
  protected readonly expected = "[N, C, D, H, W]";
}

export interface LayerNormOptions {
  /** Default 1e-5. */
  eps?: number;
  /** Learnable elementwise weight (init 1) and bias (init 0), shaped like normalizedShape. Default true. */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, whether there is a bias (PyTorch ≥ 2.1's `bias`). Default true. */
  bias?: boolean;
  dtype?: DType;
}

/**
 * Layer normalization: each sample is standardized over its last dims (normalizedShape), with
 * the biased variance, then y = x̂·γ + β elementwise. Same computation in training and evaluation.
 * @example new LayerNorm(512) // input [..., 512]
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    if (this.normalizedShape.length === 0) throw new ValueError("LayerNorm: normalizedShape must list at least one dim");
    for (const d of this.normalizedShape) positiveInt(d, "each dim of normalizedShape", "LayerNorm");
    this.eps = options.eps ?? 1e-5;
    checkEps(this.eps, "LayerNorm");
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    const dtype = options.dtype ?? "float32";
    this.weight = this.elementwiseAffine ? new Parameter(full(this.normalizedShape, 1, { dtype })) : null;
    this.bias = this.elementwiseAffine && options.bias !== false ? new Parameter(zeros(this.normalizedShape, { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps, name: this.describe() });
  }

  override extraRepr(): string {
    return `[${this.normalizedShape}], eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}

export interface GroupNormOptions {
  /** Default 1e-5. */
  eps?: number;
  /** Learnable per-channel weight (init 1) and bias (init 0). Default true. */
  affine?: boolean;
  dtype?: DType;
}

/**
 * Group normalization: channels are split into numGroups groups; each (sample, group) is
 * standardized over its channels and positions, then scaled and shifted per channel.
 * numGroups = 1 normalizes like LayerNorm over [C, *]; numGroups = C is instance normalization.
 * @example new GroupNorm(8, 64) // input [N, 64, *]
 */
export class GroupNorm extends Module {
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    options: GroupNormOptions = {},
  ) {
    super();
    positiveInt(numGroups, "numGroups", "GroupNorm");
    positiveInt(numChannels, "numChannels", "GroupNorm");
    if (numChannels % numGroups !== 0) throw new ValueError(`GroupNorm: numChannels ${numChannels} must be divisible by numGroups ${numGroups}`);
    this.eps = options.eps ?? 1e-5;
    checkEps(this.eps, "GroupNorm");
    this.affine = options.affine ?? true;
    const dtype = options.dtype ?? "float32";
    this.weight = this.affine ? new Parameter(full([numChannels], 1, { dtype })) : null;
    this.bias = this.affine ? new Parameter(zeros([numChannels], { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) {
      throw new ShapeError(`${this.describe()}: expects input [N, ${this.numChannels}, *], got shape [${x.shape}]`);
    }
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps, name: this.describe() });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine}`;
  }
}

export interface LocalResponseNormOptions {
  /** Default 1e-4. */
  alpha?: number;
  /** Default 0.75. */
  beta?: number;
  /** Default 1. */
  k?: number;
}

/**
 * Local response normalization across channels (AlexNet's NORM layers):
 * y_c = x_c / (k + α/size · Σ x_{c'}² over the `size` channels around c)^β, zero beyond the edges.
 * @example new LocalResponseNorm(5, { alpha: 5e-4, beta: 0.75, k: 2 }) // AlexNet's paper: α = 1e-4 on the plain sum, so 5·1e-4 here
 */
export class LocalResponseNorm extends Module {
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(
    readonly size: number,
    options: LocalResponseNormOptions = {},
  ) {
    super();
    positiveInt(size, "size", "LocalResponseNorm");
    this.alpha = options.alpha ?? 1e-4;
    this.beta = options.beta ?? 0.75;
    this.k = options.k ?? 1;
  }

  forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.size, { alpha: this.alpha, beta: this.beta, k: this.k, name: this.describe() });
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${this.alpha}, beta=${this.beta}, k=${this.k}`;
  }
}
