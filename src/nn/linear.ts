import type { Tensor } from "../tensor/tensor.js";
import { zeros } from "../tensor/create.js";
import { linear } from "../ops/matmul.js";
import { ShapeError, ValueError } from "../errors.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { pytorchDefault_ } from "./init.js";

export interface LinearOptions {
  bias?: boolean;
}

/**
 * Fully connected layer: y = x·Wᵀ + b.
 *
 * Shape: input [..., inFeatures] → output [..., outFeatures]. Weight [outFeatures, inFeatures],
 * bias [outFeatures], initialised as PyTorch does (U(±1/√inFeatures)).
 *
 * @example new Linear(784, 30).forward(x) // x: [batch, 784] → [batch, 30]
 */
export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    for (const [name, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ValueError(`Linear: ${name} must be a positive integer, got ${v}`);
    }
    this.weight = new Parameter(zeros([outFeatures, inFeatures]));
    this.bias = options.bias === false ? null : new Parameter(zeros([outFeatures]));
    pytorchDefault_(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new ShapeError(`${this.describe()}: input has ${x.shape[x.ndim - 1] ?? 0} features but the layer expects ${this.inFeatures} (shape [${x.shape}])`);
    }
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `${this.inFeatures} => ${this.outFeatures}${this.bias ? "" : ", bias=false"}`;
  }
}
