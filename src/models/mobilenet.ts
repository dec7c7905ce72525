import { Module } from "../nn/module.js";
import { Sequential } from "../nn/container.js";
import { Conv2d } from "../nn/conv.js";
import { Linear } from "../nn/linear.js";
import { AdaptiveAvgPool2d } from "../nn/pooling-adaptive.js";
import { ReLU } from "../nn/activation.js";
import { BatchNorm2d } from "../nn/normalization.js";
import type { Tensor } from "../tensor/tensor.js";
import type { ZooOptions } from "./alexnet.js";

/** conv (no bias), BN, ReLU: keys `N.0`, `N.1`. */
function convBn(inC: number, outC: number, k: number, stride: number, groups = 1): Module[] {
  return [new Conv2d(inC, outC, k, { stride, padding: (k - 1) / 2, groups, bias: false }), new BatchNorm2d(outC), new ReLU()];
}

/** (in, out, stride) of the 13 depthwise-separable blocks of Howard et al. 2017, Table 1. */
const BLOCKS: [number, number, number][] = [
  [32, 64, 1], [64, 128, 2], [128, 128, 1], [128, 256, 2], [256, 256, 1], [256, 512, 2],
  [512, 512, 1], [512, 512, 1], [512, 512, 1], [512, 512, 1], [512, 512, 1], [512, 1024, 2], [1024, 1024, 1],
];

/**
 * MobileNet v1 (Howard et al. 2017), width multiplier 1: a 3x3/2 conv to 32 channels, then 13
 * depthwise-separable blocks — 3x3 depthwise conv (groups = channels), BN, ReLU, 1x1 pointwise
 * conv, BN, ReLU; BatchNorm sits between the two convolutions, so the block is spelled out rather
 * than an nn.SeparableConv2d — global average pool, `classifier`.
 * `features.0` is the stem (conv, bn, relu), `features.1`..`features.13` the blocks (dw conv `.0`,
 * `.1` bn, pw conv `.3`, `.4` bn); torchvision has no MobileNet v1, so the names are this zoo's.
 * 4,231,976 parameters with 1000 classes: the paper's 4.2M, equal to Keras applications'
 * MobileNet trainable count (its 21,888 non-trainable are the BN running statistics, buffers here).
 * Inputs of 32x32 and up work.
 */
export class MobileNetV1 extends Module {
  features: Sequential;
  avgpool = new AdaptiveAvgPool2d([1, 1]);
  classifier: Linear;

  constructor(options: ZooOptions = {}) {
    super();
    this.features = new Sequential(
      new Sequential(...convBn(options.inChannels ?? 3, 32, 3, 2)),
      ...BLOCKS.map(([i, o, s]) => new Sequential(...convBn(i, i, 3, s, i), ...convBn(i, o, 1, 1))),
    );
    this.classifier = new Linear(1024, options.numClasses ?? 1000);
  }

  forward(x: Tensor): Tensor {
    return this.classifier.forward(this.avgpool.forward(this.features.forward(x)).flatten(1));
  }
}
