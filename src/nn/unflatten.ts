import type { Tensor } from "../tensor/tensor.js";
import { ShapeError, ValueError } from "../errors.js";
import { normalizeDim } from "../ops/util.js";
import { Module } from "./module.js";

/**
 * The inverse of Flatten: splits dim `dim` into `sizes` (whose product must equal that dim's
 * size; one entry may be -1 and is inferred), e.g. [N, 784] → [N, 1, 28, 28] with
 * `new Unflatten(1, [1, 28, 28])`. A reshape, so it copies nothing.
 */
export class Unflatten extends Module {
  readonly sizes: readonly number[];

  constructor(
    readonly dim: number,
    sizes: readonly number[],
  ) {
    super();
    if (!Number.isInteger(dim)) throw new ValueError(`Unflatten: dim must be an integer, got ${dim}`);
    if (sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < -1) || sizes.filter((s) => s === -1).length > 1) {
      throw new ValueError(`Unflatten: sizes [${sizes}] must be non-empty integers >= 0, with at most one -1`);
    }
    this.sizes = Object.freeze([...sizes]);
  }

  forward(x: Tensor): Tensor {
    const d = normalizeDim(this.dim, x.ndim, this.describe());
    const n = x.shape[d];
    const known = this.sizes.reduce((p, s) => (s === -1 ? p : p * s), 1);
    const sizes = this.sizes.map((s) => (s === -1 ? n / known : s));
    if (sizes.reduce((p, s) => p * s, 1) !== n || sizes.some((s) => !Number.isInteger(s))) {
      throw new ShapeError(`${this.describe()}: sizes [${this.sizes}] do not multiply to ${n}, the size of dim ${this.dim} of input [${x.shape}]`);
    }
    return x.reshape([...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)]);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, sizes=[${this.sizes.join(", ")}]`;
  }
}
