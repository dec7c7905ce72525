import { Module } from "../nn/module.js";
import { Sequential } from "../nn/container.js";
import { Conv2d } from "../nn/conv.js";
import { Linear } from "../nn/linear.js";
import { MaxPool2d } from "../nn/pooling.js";
import { AdaptiveAvgPool2d } from "../nn/pooling-adaptive.js";
import { ReLU } from "../nn/activation.js";
import { Dropout } from "../nn/dropout.js";
import { LocalResponseNorm } from "../nn/normalization.js";
import type { Tensor } from "../tensor/tensor.js";
import type { AlexNetOptions } from "./alexnet.js";

/**
 * ZFNet (Zeiler & Fergus 2014, Fig. 3), AlexNet's successor with a smaller, denser first layer:
 * 96@7x7/2 (padding 1) → 110x110, 3x3/2 pool → 55x55, contrast (local response) normalisation;
 * 256@5x5/2 → 26x26, pool → 13x13, normalisation; 384, 384, 256 @3x3 (padding 1); 3x3/2 pool →
 * 6x6x256; fc 4096, 4096, classes — one tower, no grouped convolutions.
 * 62,357,608 parameters with 1000 classes, summed from that figure (the paper gives no total;
 * tools/zoo_counts.py re-derives it). Key layout as torchvision's AlexNet (`features.N`,
 * `avgpool`, `classifier.1/4/6`); the adaptive 6x6 average pool is the identity at the paper's
 * 224x224 and lets inputs from 64x64 up through.
 */
export class ZFNet extends Module {
  features: Sequential;
  avgpool = new AdaptiveAvgPool2d([6, 6]);
  classifier: Sequential;

  constructor(options: AlexNetOptions = {}) {
    super();
    const lrn = (): LocalResponseNorm => new LocalResponseNorm(5, { alpha: 5e-4, beta: 0.75, k: 2 });
    const p = options.dropout ?? 0.5;
    this.features = new Sequential(
      new Conv2d(options.inChannels ?? 3, 96, 7, { stride: 2, padding: 1 }), new ReLU(), new MaxPool2d(3, { stride: 2, padding: 1 }), lrn(),
      new Conv2d(96, 256, 5, { stride: 2 }), new ReLU(), new MaxPool2d(3, { stride: 2, padding: 1 }), lrn(),
      new Conv2d(256, 384, 3, { padding: 1 }), new ReLU(),
      new Conv2d(384, 384, 3, { padding: 1 }), new ReLU(),
      new Conv2d(384, 256, 3, { padding: 1 }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
    );
    this.classifier = new Sequential(
      new Dropout(p), new Linear(256 * 6 * 6, 4096), new ReLU(),
      new Dropout(p), new Linear(4096, 4096), new ReLU(),
      new Linear(4096, options.numClasses ?? 1000),
    );
  }

  forward(x: Tensor): Tensor {
    return this.classifier.forward(this.avgpool.forward(this.features.forward(x)).flatten(1));
  }
}
