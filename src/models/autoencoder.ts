import { Module } from "../nn/module.js";
import { Sequential } from "../nn/container.js";
import { Linear } from "../nn/linear.js";
import { Sigmoid } from "../nn/activation.js";
import type { Tensor } from "../tensor/tensor.js";

export interface AutoencoderOptions {
  /** Input and output width (default 8). */
  inputSize?: number;
  /** Code width (default 3: eight one-hot patterns need log2 8 = 3 bits). */
  hiddenSize?: number;
}

/**
 * The 8-3-8 autoencoder (Mitchell, Machine Learning, 1997, §4.6.4): eight one-hot inputs squeezed
 * through three sigmoid units and reproduced at eight sigmoid outputs; trained to copy its input,
 * the hidden layer learns a near-binary code. `encoder.0` = Linear(8, 3), `decoder.0` =
 * Linear(3, 8): 8·3 + 3 + 3·8 + 8 = 59 parameters.
 */
export class Autoencoder extends Module {
  encoder: Sequential;
  decoder: Sequential;

  constructor(options: AutoencoderOptions = {}) {
    super();
    const n = options.inputSize ?? 8;
    const h = options.hiddenSize ?? 3;
    this.encoder = new Sequential(new Linear(n, h), new Sigmoid());
    this.decoder = new Sequential(new Linear(h, n), new Sigmoid());
  }

  /** The hidden code of x. */
  encode(x: Tensor): Tensor {
    return this.encoder.forward(x);
  }

  forward(x: Tensor): Tensor {
    return this.decoder.forward(this.encoder.forward(x));
  }
}
