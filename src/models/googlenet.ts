import { Module } from "../nn/module.js";
import { Sequential } from "../nn/container.js";
import { Conv2d, type Conv2dOptions } from "../nn/conv.js";
import { Linear } from "../nn/linear.js";
import { MaxPool2d } from "../nn/pooling.js";
import { AdaptiveAvgPool2d } from "../nn/pooling-adaptive.js";
import { Dropout } from "../nn/dropout.js";
import { BatchNorm2d } from "../nn/normalization.js";
import { cat } from "../ops/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { ZooOptions } from "./alexnet.js";

/** torchvision's BasicConv2d: conv (no bias), BatchNorm (eps 0.001), ReLU. Keys `conv`, `bn`. */
export class BasicConv2d extends Module {
  conv: Conv2d;
  bn: BatchNorm2d;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Conv2dOptions = {}) {
    super();
    this.conv = new Conv2d(inChannels, outChannels, kernelSize, { ...options, bias: false });
    this.bn = new BatchNorm2d(outChannels, { eps: 0.001 });
  }

  forward(x: Tensor): Tensor {
    return this.bn.forward(this.conv.forward(x)).relu();
  }
}

/**
 * The Inception module (Szegedy et al. 2014, Fig. 2b): four parallel branches concatenated along
 * channels — 1x1; 1x1 reduce then 3x3; 1x1 reduce then "5x5"; 3x3/1 max pool then 1x1 projection.
 * As in torchvision, branch3's large filter is a 3x3 (a known slip kept so its weights and the
 * count 6,624,904 match).
 */
export class Inception extends Module {
  branch1: BasicConv2d;
  branch2: Sequential;
  branch3: Sequential;
  branch4: Sequential;

  constructor(inChannels: number, ch1x1: number, ch3x3red: number, ch3x3: number, ch5x5red: number, ch5x5: number, poolProj: number) {
    super();
    this.branch1 = new BasicConv2d(inChannels, ch1x1, 1);
    this.branch2 = new Sequential(new BasicConv2d(inChannels, ch3x3red, 1), new BasicConv2d(ch3x3red, ch3x3, 3, { padding: 1 }));
    this.branch3 = new Sequential(new BasicConv2d(inChannels, ch5x5red, 1), new BasicConv2d(ch5x5red, ch5x5, 3, { padding: 1 }));
    this.branch4 = new Sequential(new MaxPool2d(3, { stride: 1, padding: 1, ceilMode: true }), new BasicConv2d(inChannels, poolProj, 1));
  }

  forward(x: Tensor): Tensor {
    return cat([this.branch1.forward(x), this.branch2.forward(x), this.branch3.forward(x), this.branch4.forward(x)], 1);
  }
}

export interface GoogLeNetOptions extends ZooOptions {
  /** Before the classifier (default 0.2, torchvision's). */
  dropout?: number;
}

/**
 * GoogLeNet / Inception v1 as torchvision builds it, without the two auxiliary classifiers (only
 * used in training; torchvision's pretrained model drops them): 6,624,904 parameters with 1000
 * classes (torchvision's weight table). Keys `conv1.conv`, `inception3a.branch2.1.bn`, `fc`...
 * Inputs of 32x32 and up work (the pools use ceil mode, as torchvision's).
 */
export class GoogLeNet extends Module {
  conv1: BasicConv2d;
  maxpool1 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  conv2: BasicConv2d;
  conv3: BasicConv2d;
  maxpool2 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  inception3a = new Inception(192, 64, 96, 128, 16, 32, 32);
  inception3b = new Inception(256, 128, 128, 192, 32, 96, 64);
  maxpool3 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  inception4a = new Inception(480, 192, 96, 208, 16, 48, 64);
  inception4b = new Inception(512, 160, 112, 224, 24, 64, 64);
  inception4c = new Inception(512, 128, 128, 256, 24, 64, 64);
  inception4d = new Inception(512, 112, 144, 288, 32, 64, 64);
  inception4e = new Inception(528, 256, 160, 320, 32, 128, 128);
  maxpool4 = new MaxPool2d(2, { stride: 2, ceilMode: true });
  inception5a = new Inception(832, 256, 160, 320, 32, 128, 128);
  inception5b = new Inception(832, 384, 192, 384, 48, 128, 128);
  avgpool = new AdaptiveAvgPool2d([1, 1]);
  dropout: Dropout;
  fc: Linear;

  constructor(options: GoogLeNetOptions = {}) {
    super();
    this.conv1 = new BasicConv2d(options.inChannels ?? 3, 64, 7, { stride: 2, padding: 3 });
    this.conv2 = new BasicConv2d(64, 64, 1);
    this.conv3 = new BasicConv2d(64, 192, 3, { padding: 1 });
    this.dropout = new Dropout(options.dropout ?? 0.2);
    this.fc = new Linear(1024, options.numClasses ?? 1000);
  }

  forward(x: Tensor): Tensor {
    const order: Module[] = [
      this.conv1, this.maxpool1, this.conv2, this.conv3, this.maxpool2, this.inception3a, this.inception3b, this.maxpool3,
      this.inception4a, this.inception4b, this.inception4c, this.inception4d, this.inception4e, this.maxpool4,
      this.inception5a, this.inception5b, this.avgpool,
    ];
    let y = x;
    for (const m of order) y = m.forward(y);
    return this.fc.forward(this.dropout.forward(y.flatten(1)));
  }
}
