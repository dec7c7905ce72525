import { Module } from "../nn/module.js";
import { Sequential } from "../nn/container.js";
import { Conv2d } from "../nn/conv.js";
import { Linear } from "../nn/linear.js";
import { MaxPool2d } from "../nn/pooling.js";
import { AdaptiveAvgPool2d } from "../nn/pooling-adaptive.js";
import { ReLU } from "../nn/activation.js";
import { BatchNorm2d } from "../nn/normalization.js";
import { ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import type { ZooOptions } from "./alexnet.js";

/** Two 3x3 convolutions plus the shortcut: y = relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut x). */
export class BasicBlock extends Module {
  static readonly expansion = 1;
  conv1: Conv2d;
  bn1: BatchNorm2d;
  relu = new ReLU();
  conv2: Conv2d;
  bn2: BatchNorm2d;
  downsample: Sequential | null;

  constructor(inplanes: number, planes: number, stride = 1, downsample: Sequential | null = null) {
    super();
    this.conv1 = new Conv2d(inplanes, planes, 3, { stride, padding: 1, bias: false });
    this.bn1 = new BatchNorm2d(planes);
    this.conv2 = new Conv2d(planes, planes, 3, { padding: 1, bias: false });
    this.bn2 = new BatchNorm2d(planes);
    this.downsample = downsample;
  }

  forward(x: Tensor): Tensor {
    const out = this.bn2.forward(this.conv2.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x)))));
    const identity = this.downsample ? this.downsample.forward(x) : x;
    return out.add(identity).relu();
  }
}

/**
 * 1x1 reduce, 3x3, 1x1 expand (x4) plus the shortcut; the stride sits on the 3x3 as in
 * torchvision (ResNet v1.5), which does not change the parameter count.
 */
export class Bottleneck extends Module {
  static readonly expansion = 4;
  conv1: Conv2d;
  bn1: BatchNorm2d;
  conv2: Conv2d;
  bn2: BatchNorm2d;
  conv3: Conv2d;
  bn3: BatchNorm2d;
  relu = new ReLU();
  downsample: Sequential | null;

  constructor(inplanes: number, planes: number, stride = 1, downsample: Sequential | null = null) {
    super();
    this.conv1 = new Conv2d(inplanes, planes, 1, { bias: false });
    this.bn1 = new BatchNorm2d(planes);
    this.conv2 = new Conv2d(planes, planes, 3, { stride, padding: 1, bias: false });
    this.bn2 = new BatchNorm2d(planes);
    this.conv3 = new Conv2d(planes, planes * 4, 1, { bias: false });
    this.bn3 = new BatchNorm2d(planes * 4);
    this.downsample = downsample;
  }

  forward(x: Tensor): Tensor {
    let out = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    out = this.relu.forward(this.bn2.forward(this.conv2.forward(out)));
    out = this.bn3.forward(this.conv3.forward(out));
    const identity = this.downsample ? this.downsample.forward(x) : x;
    return out.add(identity).relu();
  }
}

/** Blocks per stage of He et al. 2015, Table 1. */
export const RESNET_DEPTHS = {
  18: { block: "basic", layers: [2, 2, 2, 2] },
  34: { block: "basic", layers: [3, 4, 6, 3] },
  50: { block: "bottleneck", layers: [3, 4, 6, 3] },
  101: { block: "bottleneck", layers: [3, 4, 23, 3] },
  152: { block: "bottleneck", layers: [3, 8, 36, 3] },
} as const;

export type ResNetDepth = keyof typeof RESNET_DEPTHS;

export interface ResNetOptions extends ZooOptions {
  /** 18 (default), 34, 50, 101 or 152. */
  depth?: ResNetDepth;
}

/**
 * ResNet as torchvision builds it: `conv1` 7x7/2, `bn1`, `relu`, `maxpool` 3x3/2, `layer1`..`layer4`
 * (each a Sequential of blocks, the first of layers 2-4 with stride 2 and a 1x1 conv + BN
 * `downsample` shortcut), adaptive `avgpool`, `fc`. Parameters with 1000 classes (torchvision's
 * weight tables): ResNet-18 11,689,512, -34 21,797,672, -50 25,557,032, -101 44,549,160,
 * -152 60,192,808. Any input of 32x32 and up works.
 */
export class ResNet extends Module {
  conv1: Conv2d;
  bn1: BatchNorm2d;
  relu = new ReLU();
  maxpool = new MaxPool2d(3, { stride: 2, padding: 1 });
  layer1: Sequential;
  layer2: Sequential;
  layer3: Sequential;
  layer4: Sequential;
  avgpool = new AdaptiveAvgPool2d([1, 1]);
  fc: Linear;

  constructor(options: ResNetOptions = {}) {
    super();
    const depth = options.depth ?? 18;
    const spec = RESNET_DEPTHS[depth];
    if (!spec) throw new ValueError(`ResNet: depth must be one of ${Object.keys(RESNET_DEPTHS).join(", ")}, got ${depth}`);
    const Block = spec.block === "basic" ? BasicBlock : Bottleneck;
    let inplanes = 64;
    const makeLayer = (planes: number, blocks: number, stride: number): Sequential => {
      const out = planes * Block.expansion;
      const down = stride !== 1 || inplanes !== out
        ? new Sequential(new Conv2d(inplanes, out, 1, { stride, bias: false }), new BatchNorm2d(out))
        : null;
      const layers: Module[] = [new Block(inplanes, planes, stride, down)];
      inplanes = out;
      for (let i = 1; i < blocks; i++) layers.push(new Block(inplanes, planes));
      return new Sequential(...layers);
    };
    this.conv1 = new Conv2d(options.inChannels ?? 3, 64, 7, { stride: 2, padding: 3, bias: false });
    this.bn1 = new BatchNorm2d(64);
    this.layer1 = makeLayer(64, spec.layers[0], 1);
    this.layer2 = makeLayer(128, spec.layers[1], 2);
    this.layer3 = makeLayer(256, spec.layers[2], 2);
    this.layer4 = makeLayer(512, spec.layers[3], 2);
    this.fc = new Linear(512 * Block.expansion, options.numClasses ?? 1000);
  }

  forward(x: Tensor): Tensor {
    let y = this.maxpool.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x))));
    y = this.layer4.forward(this.layer3.forward(this.layer2.forward(this.layer1.forward(y))));
    return this.fc.forward(this.avgpool.forward(y).flatten(1));
  }
}
