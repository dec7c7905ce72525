import { Module } from "../nn/module.js";
import { Sequential } from "../nn/container.js";
import { Conv2d } from "../nn/conv.js";
import { SeparableConv2d } from "../nn/separable.js";
import { Linear } from "../nn/linear.js";
import { MaxPool2d } from "../nn/pooling.js";
import { AdaptiveAvgPool2d } from "../nn/pooling-adaptive.js";
import { ReLU } from "../nn/activation.js";
import { BatchNorm2d } from "../nn/normalization.js";
import type { Tensor } from "../tensor/tensor.js";
import type { ZooOptions } from "./alexnet.js";

const sep = (i: number, o: number): SeparableConv2d => new SeparableConv2d(i, o, 3, { padding: 1, bias: false });

/**
 * An Xception block: `rep` = ([ReLU,] separable 3x3, BN) repeated, then a 3x3/2 max pool when the
 * block downsamples; plus a shortcut — `skip` 1x1/2 conv + `skipbn` when the shape changes, the
 * identity otherwise. The widening happens in the first separable conv ("grow first"), or in the
 * last one for the exit block.
 */
export class XceptionBlock extends Module {
  skip: Conv2d | null;
  skipbn: BatchNorm2d | null;
  rep: Sequential;

  constructor(inC: number, outC: number, reps: number, stride: number, startWithRelu: boolean, growFirst: boolean) {
    super();
    const down = outC !== inC || stride !== 1;
    this.skip = down ? new Conv2d(inC, outC, 1, { stride, bias: false }) : null;
    this.skipbn = down ? new BatchNorm2d(outC) : null;
    const layers: Module[] = [];
    for (let r = 0; r < reps; r++) {
      const widen = growFirst ? r === 0 : r === reps - 1;
      const i = widen ? inC : growFirst ? outC : inC;
      const o = widen ? outC : i;
      if (r > 0 || startWithRelu) layers.push(new ReLU());
      layers.push(sep(i, o), new BatchNorm2d(o));
    }
    if (stride !== 1) layers.push(new MaxPool2d(3, { stride, padding: 1 }));
    this.rep = new Sequential(...layers);
  }

  forward(x: Tensor): Tensor {
    const shortcut = this.skip && this.skipbn ? this.skipbn.forward(this.skip.forward(x)) : x;
    return this.rep.forward(x).add(shortcut);
  }
}

/**
 * Xception (Chollet 2017, Fig. 5): entry flow (two 3x3 convs, valid padding, the first with
 * stride 2; blocks to 128, 256, 728 channels), middle flow (8 identity blocks of three separable
 * convolutions at 728), exit flow (block to 1024, separable convs to 1536 and 2048, global
 * average pool, `fc`). Separable convs have no bias and are followed by BN, as in Keras
 * applications' Xception, whose trainable count 22,855,952 (1000 classes) this equals (its
 * 54,528 non-trainable parameters are the BN running statistics, buffers here).
 * torchvision has no Xception; the names follow the widely used PyTorch port (Cadene's
 * pretrainedmodels: conv1, bn1, conv2, bn2, block1..block12 with skip/skipbn/rep, conv3, bn3,
 * conv4, bn4, fc), except that a separable conv's parts are `depthwise`/`pointwise` (nn's
 * SeparableConv2d) where that port says `conv1`/`pointwise`. Inputs of 64x64 and up work
 * (the paper uses 299x299).
 */
export class Xception extends Module {
  conv1: Conv2d;
  bn1 = new BatchNorm2d(32);
  conv2 = new Conv2d(32, 64, 3, { bias: false });
  bn2 = new BatchNorm2d(64);
  block1 = new XceptionBlock(64, 128, 2, 2, false, true);
  block2 = new XceptionBlock(128, 256, 2, 2, true, true);
  block3 = new XceptionBlock(256, 728, 2, 2, true, true);
  block4 = new XceptionBlock(728, 728, 3, 1, true, true);
  block5 = new XceptionBlock(728, 728, 3, 1, true, true);
  block6 = new XceptionBlock(728, 728, 3, 1, true, true);
  block7 = new XceptionBlock(728, 728, 3, 1, true, true);
  block8 = new XceptionBlock(728, 728, 3, 1, true, true);
  block9 = new XceptionBlock(728, 728, 3, 1, true, true);
  block10 = new XceptionBlock(728, 728, 3, 1, true, true);
  block11 = new XceptionBlock(728, 728, 3, 1, true, true);
  block12 = new XceptionBlock(728, 1024, 2, 2, true, false);
  conv3 = sep(1024, 1536);
  bn3 = new BatchNorm2d(1536);
  conv4 = sep(1536, 2048);
  bn4 = new BatchNorm2d(2048);
  avgpool = new AdaptiveAvgPool2d([1, 1]);
  fc: Linear;

  constructor(options: ZooOptions = {}) {
    super();
    this.conv1 = new Conv2d(options.inChannels ?? 3, 32, 3, { stride: 2, bias: false });
    this.fc = new Linear(2048, options.numClasses ?? 1000);
  }

  forward(x: Tensor): Tensor {
    let y = this.bn1.forward(this.conv1.forward(x)).relu();
    y = this.bn2.forward(this.conv2.forward(y)).relu();
    for (const b of [this.block1, this.block2, this.block3, this.block4, this.block5, this.block6, this.block7, this.block8, this.block9, this.block10, this.block11, this.block12]) {
      y = b.forward(y);
    }
    y = this.bn3.forward(this.conv3.forward(y)).relu();
    y = this.bn4.forward(this.conv4.forward(y)).relu();
    return this.fc.forward(this.avgpool.forward(y).flatten(1));
  }
}
