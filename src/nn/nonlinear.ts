/**
 * Activation layers beyond the first bricks of activation.ts: ELU, SELU, GELU, SiLU, Softplus,
 * Hardtanh, ReLU6, PReLU (learned slopes) and Maxout (the lectures' k-piece maxout unit). Names,
 * arguments, defaults and weight names are PyTorch's; the formulas live in ops/nonlinear.ts.
 */
import type { Tensor } from "../tensor/tensor.js";
import { full, zeros } from "../tensor/create.js";
import { linear } from "../ops/matmul.js";
import { elu, gelu, hardtanh, maxout, prelu, relu6, selu, silu, softplus, type GeluApproximate } from "../ops/nonlinear.js";
import { ShapeError, ValueError } from "../errors.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { pytorchDefault_ } from "./init.js";

/** ELU(x) = x for x > 0, alpha · (eˣ − 1) otherwise. */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** SELU(x) = 1.0507 · ELU(x, 1.6733): self-normalising with LeCun-normal init. */
export class SELU extends Module {
  forward(x: Tensor): Tensor {
    return selu(x);
  }
}

/** GELU(x) = x · Φ(x); approximate "none" (exact, with erf) or "tanh". */
export class GELU extends Module {
  constructor(readonly approximate: GeluApproximate = "none") {
    super();
    if (approximate !== "none" && approximate !== "tanh") throw new ValueError(`GELU: approximate must be "none" or "tanh", got ${JSON.stringify(approximate)}`);
  }
  forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }
  override extraRepr(): string {
    return `approximate=${JSON.stringify(this.approximate)}`;
  }
}

/** SiLU(x) = x · σ(x) (also called swish). */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return silu(x);
  }
}

/** Softplus(x) = log(1 + e^(βx)) / β, linear (x) where βx > threshold. */
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
    if (!(beta !== 0 && Number.isFinite(beta))) throw new ValueError(`Softplus: beta must be a non-zero finite number, got ${beta}`);
  }
  forward(x: Tensor): Tensor {
    return softplus(x, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** Hardtanh(x) = clamp(x, minVal, maxVal), no gradient at the bounds. */
export class Hardtanh extends Module {
  constructor(
    readonly minVal = -1,
    readonly maxVal = 1,
  ) {
    super();
    if (!(maxVal > minVal)) throw new ValueError(`Hardtanh: maxVal (${maxVal}) must be greater than minVal (${minVal})`);
  }
  forward(x: Tensor): Tensor {
    return hardtanh(x, this.minVal, this.maxVal);
  }
  override extraRepr(): string {
    return `minVal=${this.minVal}, maxVal=${this.maxVal}`;
  }
}

/** ReLU6(x) = min(max(0, x), 6). */
export class ReLU6 extends Module {
  forward(x: Tensor): Tensor {
    return relu6(x);
  }
}

/**
 * PReLU(x) = x for x > 0, a · x otherwise, with learned slopes `weight` [numParameters]:
 * one shared slope (default) or one per channel (numParameters = C, channels on dim 1).
 * Initialised to `init` (0.25) as in PyTorch. Weight decay is usually best left off it.
 */
export class PReLU extends Module {
  weight: Parameter;

  /** `numParameters` is the slope count (weight.numel after construction; Module.numParameters() counts all parameters). */
  constructor(numParameters = 1, init = 0.25) {
    super();
    if (!Number.isInteger(numParameters) || numParameters < 1) throw new ValueError(`PReLU: numParameters must be a positive integer, got ${numParameters}`);
    this.weight = new Parameter(full([numParameters], init));
  }
  forward(x: Tensor): Tensor {
    return prelu(x, this.weight, this.describe());
  }
  override extraRepr(): string {
    return `numParameters=${this.weight.numel}`;
  }
}

/**
 * The lectures' maxout unit with k linear pieces: out_j = max_i (w_{j,i}ᵀx + b_{j,i}),
 * i = 1..pieces (Goodfellow et al. 2013; k = 2 gives max(w₁ᵀx + b₁, w₂ᵀx + b₂)).
 *
 * Shape: input [..., inFeatures] → output [..., outFeatures]. Weight [outFeatures·pieces,
 * inFeatures], bias [outFeatures·pieces], rows j·pieces .. j·pieces + pieces − 1 being unit j's
 * pieces; i.e. `nn.Linear(in, out·pieces)` followed by `view(..., out, pieces).amax(-1)` in
 * PyTorch, so weights load from such a Linear. Initialised as that Linear (U(±1/√inFeatures)).
 *
 * @example new Maxout(784, 240, 5) // 240 maxout units of 5 pieces each
 */
export class Maxout extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    readonly pieces = 2,
    options: { bias?: boolean } = {},
  ) {
    super();
    for (const [name, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures], ["pieces", pieces]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ValueError(`Maxout: ${name} must be a positive integer, got ${v}`);
    }
    this.weight = new Parameter(zeros([outFeatures * pieces, inFeatures]));
    this.bias = options.bias === false ? null : new Parameter(zeros([outFeatures * pieces]));
    pytorchDefault_(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new ShapeError(`${this.describe()}: input has ${x.shape[x.ndim - 1] ?? 0} features but the layer expects ${this.inFeatures} (shape [${x.shape}])`);
    }
    return maxout(linear(x, this.weight, this.bias), this.pieces, -1);
  }

  override extraRepr(): string {
    return `${this.inFeatures} => ${this.outFeatures}, pieces=${this.pieces}${this.bias ? "" : ", bias=false"}`;
  }
}
