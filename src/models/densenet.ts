import { Module } from "../nn/module.js";
import { Sequential } from "../nn/container.js";
import { Conv2d } from "../nn/conv.js";
import { Linear } from "../nn/linear.js";
import { MaxPool2d, AvgPool2d } from "../nn/pooling.js";
import { AdaptiveAvgPool2d } from "../nn/pooling-adaptive.js";
import { ReLU } from "../nn/activation.js";
import { BatchNorm2d } from "../nn/normalization.js";
import { cat } from "../ops/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { ZooOptions } from "./alexnet.js";

/** BN-ReLU-Conv1x1 (to bnSize·growth) then BN-ReLU-Conv3x3 (to growth): the new feature maps. */
export class DenseLayer extends Module {
  norm1: BatchNorm2d;
  relu1 = new ReLU();
  conv1: Conv2d;
  norm2: BatchNorm2d;
  relu2 = new ReLU();
  conv2: Conv2d;

  constructor(inFeatures: number, growthRate: number, bnSize: number) {
    super();
    this.norm1 = new BatchNorm2d(inFeatures);
    this.conv1 = new Conv2d(inFeatures, bnSize * growthRate, 1, { bias: false });
    this.norm2 = new BatchNorm2d(bnSize * growthRate);
    this.conv2 = new Conv2d(bnSize * growthRate, growthRate, 3, { padding: 1, bias: false });
  }

  forward(x: Tensor): Tensor {
    const y = this.conv1.forward(this.relu1.forward(this.norm1.forward(x)));
    return this.conv2.forward(this.relu2.forward(this.norm2.forward(y)));
  }
}

/**
 * `denselayer1` ... `denselayerN`: each layer sees the concatenation (along channels) of the
 * block's input and every earlier layer's output; the block returns that whole concatenation,
 * in + N·growth channels.
 */
export class DenseBlock extends Module {
  private readonly _layers: [string, DenseLayer][];

  constructor(numLayers: number, inFeatures: number, growthRate: number, bnSize: number) {
    super();
    this._layers = Array.from({ length: numLayers }, (_, i) => [`denselayer${i + 1}`, new DenseLayer(inFeatures + i * growthRate, growthRate, bnSize)]);
  }

  override namedChildren(): [string, Module][] {
    return [...this._layers];
  }

  forward(x: Tensor): Tensor {
    const features = [x];
    for (const [, layer] of this._layers) features.push(layer.forward(cat(features, 1)));
    return cat(features, 1);
  }
}

export interface DenseNetOptions extends ZooOptions {
  /** New channels per layer, k (default 32). */
  growthRate?: number;
  /** Layers per dense block (default DenseNet-121's [6, 12, 24, 16]). */
  blockConfig?: number[];
  /** Channels of the stem convolution (default 64). */
  numInitFeatures?: number;
  /** Bottleneck width factor: the 1x1 conv gives bnSize·k channels (default 4). */
  bnSize?: number;
}

/**
 * DenseNet-BC (Huang et al. 2017) as torchvision builds it: `features` = conv0 7x7/2, norm0,
 * relu0, pool0 3x3/2, then dense blocks with `transition` layers between them (BN, ReLU, 1x1 conv
 * halving the channels, 2x2/2 average pool), `norm5`; then ReLU, global average pool and
 * `classifier`. DenseNet-121 (the default) has 7,978,856 parameters with 1000 classes
 * (torchvision's weight table). Inputs of 32x32 and up work.
 */
export class DenseNet extends Module {
  features: Sequential;
  private readonly _relu = new ReLU();
  private readonly _pool = new AdaptiveAvgPool2d([1, 1]);
  classifier: Linear;

  constructor(options: DenseNetOptions = {}) {
    super();
    const growth = options.growthRate ?? 32;
    const blocks = options.blockConfig ?? [6, 12, 24, 16];
    const init = options.numInitFeatures ?? 64;
    const bnSize = options.bnSize ?? 4;
    const layers: Record<string, Module> = {
      conv0: new Conv2d(options.inChannels ?? 3, init, 7, { stride: 2, padding: 3, bias: false }),
      norm0: new BatchNorm2d(init),
      relu0: new ReLU(),
      pool0: new MaxPool2d(3, { stride: 2, padding: 1 }),
    };
    let c = init;
    blocks.forEach((n, i) => {
      layers[`denseblock${i + 1}`] = new DenseBlock(n, c, growth, bnSize);
      c += n * growth;
      if (i !== blocks.length - 1) {
        layers[`transition${i + 1}`] = new Sequential({
          norm: new BatchNorm2d(c),
          relu: new ReLU(),
          conv: new Conv2d(c, Math.floor(c / 2), 1, { bias: false }),
          pool: new AvgPool2d(2, { stride: 2 }),
        });
        c = Math.floor(c / 2);
      }
    });
    layers.norm5 = new BatchNorm2d(c);
    this.features = new Sequential(layers);
    this.classifier = new Linear(c, options.numClasses ?? 1000);
  }

  forward(x: Tensor): Tensor {
    const y = this._pool.forward(this._relu.forward(this.features.forward(x)));
    return this.classifier.forward(y.flatten(1));
  }
}
