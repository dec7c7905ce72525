/**
 * Dropout layers: random in training mode (masks from the seeded generator, see
 * src/ops/dropout.ts), the identity in evaluation mode (`model.eval()`).
 */
import type { Tensor } from "../tensor/tensor.js";
import { ValueError } from "../errors.js";
import { alphaDropout, dropout, dropout2d } from "../ops/dropout.js";
import { Module } from "./module.js";

abstract class DropoutBase extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new ValueError(`${new.target.name}: dropout probability p must be in [0, 1], got ${p}`);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/**
 * Zeroes each element with probability p during training and scales the survivors by
 * 1/(1 − p), so the expected activation is unchanged and evaluation needs no rescaling.
 * @example new Dropout(0.5) // AlexNet's fully connected layers
 */
export class Dropout extends DropoutBase {
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training, name: this.describe() });
  }
}

/** Zeroes whole channels of [N, C, H, W] (or [C, H, W]) with probability p; survivors × 1/(1 − p). */
export class Dropout2d extends DropoutBase {
  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, { training: this.training, name: this.describe() });
  }
}

/**
 * Dropout for self-normalizing (SELU) networks: dropped units take SELU's saturation value and
 * an affine correction keeps zero mean and unit variance (see `alphaDropout`).
 */
export class AlphaDropout extends DropoutBase {
  forward(x: Tensor): Tensor {
    return alphaDropout(x, this.p, { training: this.training, name: this.describe() });
  }
}
