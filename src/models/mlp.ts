import { Module } from "../nn/module.js";
import { Linear } from "../nn/linear.js";
import { normal_ } from "../nn/init.js";
import type { Tensor } from "../tensor/tensor.js";
import { ValueError } from "../errors.js";

export type Activation = "sigmoid" | "relu" | "tanh";

export interface MLPOptions {
  /** Layer widths from input to output, default Nielsen's [784, 30, 10]. */
  sizes?: number[];
  activation?: Activation;
  /** Also apply the activation after the last layer (Nielsen's network does: its outputs are sigmoids). */
  activateOutput?: boolean;
  /** "nielsen": every weight and bias N(0, 1), as network.py; "pytorch": the Linear defaults. */
  init?: "nielsen" | "pytorch";
}

/**
 * A multi-layer perceptron of fully connected layers, `layers.0`, `layers.1`, ... Defaults to
 * Michael Nielsen's MNIST network from "Neural Networks and Deep Learning" ch. 1: [784, 30, 10],
 * sigmoid everywhere including the output, N(0, 1) initialisation.
 */
export class MLP extends Module {
  layers: Linear[];
  readonly activation: Activation;
  readonly activateOutput: boolean;

  constructor(options: MLPOptions = {}) {
    super();
    const sizes = options.sizes ?? [784, 30, 10];
    if (sizes.length < 2) throw new ValueError(`MLP: sizes needs at least an input and an output size, got [${sizes}]`);
    this.activation = options.activation ?? "sigmoid";
    this.activateOutput = options.activateOutput ?? true;
    this.layers = sizes.slice(1).map((n, i) => new Linear(sizes[i], n));
    if ((options.init ?? "nielsen") === "nielsen") {
      for (const l of this.layers) {
        normal_(l.weight);
        if (l.bias) normal_(l.bias);
      }
    }
  }

  forward(x: Tensor): Tensor {
    let y = x.ndim > 2 ? x.flatten(1) : x;
    this.layers.forEach((layer, i) => {
      y = layer.forward(y);
      if (i < this.layers.length - 1 || this.activateOutput) y = activate(y, this.activation);
    });
    return y;
  }
}

function activate(x: Tensor, a: Activation): Tensor {
  return a === "sigmoid" ? x.sigmoid() : a === "relu" ? x.relu() : x.tanh();
}
