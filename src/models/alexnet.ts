import { Module } from "../nn/module.js";
import { Sequential, Flatten } from "../nn/container.js";
import { Conv2d } from "../nn/conv.js";
import { Linear } from "../nn/linear.js";
import { MaxPool2d } from "../nn/pooling.js";
import { AdaptiveAvgPool2d } from "../nn/pooling-adaptive.js";
import { ReLU } from "../nn/activation.js";
import { Dropout } from "../nn/dropout.js";
import { LocalResponseNorm } from "../nn/normalization.js";
import type { Tensor } from "../tensor/tensor.js";

export interface ZooOptions {
  /** Outputs of the last layer (default 1000, ImageNet). */
  numClasses?: number;
  /** Channels of the input image (default 3). */
  inChannels?: number;
}

export interface AlexNetOptions extends ZooOptions {
  /** Dropout probability in the classifier (default 0.5). */
  dropout?: number;
}

/**
 * AlexNet as torchvision ships it (the "one weird trick" single-tower variant, Krizhevsky 2014):
 * 64-192-384-256-256 filters, no LRN, an adaptive 6x6 average pool so any input of at least 63x63
 * works. Keys match torchvision's: `features.0` ... `features.10`, `classifier.1`, `.4`, `.6`.
 * 61,100,840 parameters with 1000 classes (torchvision.models.AlexNet_Weights.IMAGENET1K_V1).
 */
export class AlexNet extends Module {
  features: Sequential;
  avgpool: AdaptiveAvgPool2d;
  classifier: Sequential;

  constructor(options: AlexNetOptions = {}) {
    super();
    const c = options.inChannels ?? 3;
    const p = options.dropout ?? 0.5;
    this.features = new Sequential(
      new Conv2d(c, 64, 11, { stride: 4, padding: 2 }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(64, 192, 5, { padding: 2 }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(192, 384, 3, { padding: 1 }), new ReLU(),
      new Conv2d(384, 256, 3, { padding: 1 }), new ReLU(),
      new Conv2d(256, 256, 3, { padding: 1 }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
    );
    this.avgpool = new AdaptiveAvgPool2d([6, 6]);
    this.classifier = alexClassifier(256 * 6 * 6, options.numClasses ?? 1000, p);
  }

  forward(x: Tensor): Tensor {
    return this.classifier.forward(this.avgpool.forward(this.features.forward(x)).flatten(1));
  }
}

function alexClassifier(inFeatures: number, classes: number, p: number): Sequential {
  return new Sequential(
    new Dropout(p), new Linear(inFeatures, 4096), new ReLU(),
    new Dropout(p), new Linear(4096, 4096), new ReLU(),
    new Linear(4096, classes),
  );
}

/**
 * The original AlexNet of Krizhevsky, Sutskever & Hinton 2012 on 227x227 input: two towers
 * folded into grouped convolutions (conv2, conv4 and conv5 have groups = 2: each GPU's half only
 * sees its own half of the previous layer), local response normalisation after conv1 and conv2
 * (size 5, α = 1e-4 on the plain sum, β = 0.75, k = 2), overlapping 3x3/2 max pools.
 * 55x55x96 after conv1, 27x27x96 after pool1, 6x6x256 into fc6. Parameters per layer: 35K, 307K,
 * 885K, 664K, 443K, 37.8M, 16.8M, 4.1M = 60,965,224 (the count of the lectures' table and of
 * Caffe's bvlc_alexnet, which has the same grouped layout).
 * Same key scheme as torchvision's (`features.N`, `classifier.N`); needs exactly 227x227 input
 * (the classifier takes 6x6x256 with no adaptive pool, as in the paper).
 */
export class AlexNetTwoTower extends Module {
  features: Sequential;
  classifier: Sequential;
  private readonly _flatten = new Flatten();

  constructor(options: AlexNetOptions = {}) {
    super();
    const c = options.inChannels ?? 3;
    // PyTorch's LocalResponseNorm divides α by size, so the paper's α = 1e-4 on the sum is 5e-4 here.
    const lrn = (): LocalResponseNorm => new LocalResponseNorm(5, { alpha: 5e-4, beta: 0.75, k: 2 });
    this.features = new Sequential(
      new Conv2d(c, 96, 11, { stride: 4 }), new ReLU(), lrn(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(96, 256, 5, { padding: 2, groups: 2 }), new ReLU(), lrn(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(256, 384, 3, { padding: 1 }), new ReLU(),
      new Conv2d(384, 384, 3, { padding: 1, groups: 2 }), new ReLU(),
      new Conv2d(384, 256, 3, { padding: 1, groups: 2 }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
    );
    this.classifier = alexClassifier(256 * 6 * 6, options.numClasses ?? 1000, options.dropout ?? 0.5);
  }

  forward(x: Tensor): Tensor {
    return this.classifier.forward(this._flatten.forward(this.features.forward(x)));
  }
}
