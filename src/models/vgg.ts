import { Module } from "../nn/module.js";
import { Sequential } from "../nn/container.js";
import { Conv2d } from "../nn/conv.js";
import { Linear } from "../nn/linear.js";
import { MaxPool2d } from "../nn/pooling.js";
import { AdaptiveAvgPool2d } from "../nn/pooling-adaptive.js";
import { ReLU } from "../nn/activation.js";
import { Dropout } from "../nn/dropout.js";
import { BatchNorm2d } from "../nn/normalization.js";
import { ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import type { ZooOptions } from "./alexnet.js";

/**
 * The configurations of Simonyan & Zisserman 2014, Table 1 (the lectures' VGG table): numbers are
 * 3x3 convolutions (padding 1) of that many filters, "M" a 2x2/2 max pool. A = VGG-11, B = VGG-13,
 * D = VGG-16, E = VGG-19 (configuration C, with 1x1 convolutions, is not in torchvision).
 */
export const VGG_CONFIGS = {
  A: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
  B: [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
  D: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
  E: [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
} as const;

export type VGGConfig = keyof typeof VGG_CONFIGS;

export interface VGGOptions extends ZooOptions {
  /** "A" (VGG-11, default), "B" (13), "D" (16) or "E" (19). */
  config?: VGGConfig;
  /** A BatchNorm2d after every convolution (torchvision's vgg16_bn etc.). */
  batchNorm?: boolean;
  dropout?: number;
}

/**
 * VGG as torchvision builds it: `features.N` (conv, [bn,] ReLU ... pools), an adaptive 7x7
 * average pool (so 32x32 inputs and up work), `classifier.0/3/6` (4096, 4096, classes).
 * Parameters with 1000 classes (torchvision's weight tables): VGG-11 132,863,336,
 * VGG-11-BN 132,868,840, VGG-13 133,047,848, VGG-13-BN 133,053,736, VGG-16 138,357,544,
 * VGG-16-BN 138,365,992, VGG-19 143,667,240, VGG-19-BN 143,678,248.
 */
export class VGG extends Module {
  features: Sequential;
  avgpool: AdaptiveAvgPool2d;
  classifier: Sequential;

  constructor(options: VGGOptions = {}) {
    super();
    const config = options.config ?? "A";
    const cfg = VGG_CONFIGS[config];
    if (!cfg) throw new ValueError(`VGG: config must be one of ${Object.keys(VGG_CONFIGS).join(", ")}, got '${config}'`);
    const layers: Module[] = [];
    let c = options.inChannels ?? 3;
    for (const v of cfg) {
      if (v === "M") layers.push(new MaxPool2d(2, { stride: 2 }));
      else {
        layers.push(new Conv2d(c, v, 3, { padding: 1 }));
        if (options.batchNorm) layers.push(new BatchNorm2d(v));
        layers.push(new ReLU());
        c = v;
      }
    }
    const p = options.dropout ?? 0.5;
    this.features = new Sequential(...layers);
    this.avgpool = new AdaptiveAvgPool2d([7, 7]);
    this.classifier = new Sequential(
      new Linear(512 * 7 * 7, 4096), new ReLU(), new Dropout(p),
      new Linear(4096, 4096), new ReLU(), new Dropout(p),
      new Linear(4096, options.numClasses ?? 1000),
    );
  }

  forward(x: Tensor): Tensor {
    return this.classifier.forward(this.avgpool.forward(this.features.forward(x)).flatten(1));
  }
}
