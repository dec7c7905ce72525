/**
 * The default training recipe of each CLI model: data preparation, loss and optimiser settings.
 * Flags override the numbers; the structure is the recipe's.
 */
import type { Tensor } from "../tensor/tensor.js";
import type { ModelSpec } from "../models/registry.js";
import { crossEntropy, mseLoss } from "../nn/losses.js";
import { oneHot } from "../nn/one-hot.js";

/**
 * Examples per evaluation batch: big enough to run the kernels efficiently, small enough that a
 * convolution's unfolded columns stay a few tens of MB.
 */
export const EVAL_BATCH = 250;

/** How the learning rate moves over a run (see setup.ts for each one's exact form). */
export const SCHEDULES = ["constant", "cosine", "step", "onecycle", "plateau"] as const;
export type Schedule = (typeof SCHEDULES)[number];

export const OPTIMIZERS = ["sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** PyTorch's default learning rate of each optimizer but SGD (whose rate comes from the recipe). */
export const DEFAULT_LR: Record<Exclude<OptimizerName, "sgd">, number> = {
  adam: 1e-3, adamw: 1e-3, rmsprop: 1e-2, adagrad: 1e-2, adadelta: 1.0, adamax: 2e-3, nadam: 2e-3,
};

/** PyTorch's default weight decay: 0, except AdamW's decoupled 0.01. */
export const DEFAULT_WEIGHT_DECAY = (optimizer: OptimizerName): number => (optimizer === "adamw" ? 0.01 : 0);

export interface Recipe {
  spec: ModelSpec;
  description: string;
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  /** How the learning rate moves over the run (see setup.ts). */
  schedule: Schedule;
  /** Scale pixels to zero mean / unit variance (else [0, 1]). */
  normalize: boolean;
  /** Flat 784-vectors instead of 1x28x28 images. */
  flatten: boolean;
  loss: (output: Tensor, labels: Tensor) => Tensor;
  lossName: string;
}

export const RECIPES: Record<"mlp" | "lenet5", Recipe> = {
  // Nielsen, "Neural Networks and Deep Learning", ch. 1: network.py's run.
  mlp: {
    spec: { name: "mlp", options: { sizes: [784, 30, 10], activation: "sigmoid", init: "nielsen" } },
    description: "Nielsen's [784, 30, 10] sigmoid network, quadratic cost, plain SGD (eta 3.0, mini-batch 10), weights N(0,1)",
    epochs: 30,
    batchSize: 10,
    lr: 3.0,
    momentum: 0,
    schedule: "constant",
    normalize: false,
    flatten: true,
    // C = 1/(2n) Σ ‖y − a‖² over the mini-batch: network.py's cost and gradient scale.
    loss: (out, labels) => mseLoss(out, oneHot(labels, 10), { reduction: "batchmean", half: true }),
    lossName: "quadratic cost ½‖y−a‖² (mean over batch)",
  },
  lenet5: {
    spec: { name: "lenet5", options: { variant: "padded" } },
    description: "LeNet-5 (conv 6@5x5 pad 2, ReLU, max pool, conv 16@5x5, ReLU, max pool, 120, 84, 10), cross-entropy, SGD momentum 0.9, batch 32, lr 0.02 annealed to 0 over the run (cosine)",
    epochs: 5,
    batchSize: 32,
    lr: 0.02,
    momentum: 0.9,
    schedule: "cosine",
    normalize: true,
    flatten: false,
    loss: (out, labels) => crossEntropy(out, labels),
    lossName: "cross-entropy",
  },
};
