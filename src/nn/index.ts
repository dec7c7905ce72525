/** `nn`: modules, layers, initialisers, losses and the functional API. */
export { Module, stateKey, formatCount, type LoadStateDictOptions } from "./module.js";
export { Parameter } from "./parameter.js";
export { Sequential, Flatten, Identity } from "./container.js";
export { Linear, type LinearOptions } from "./linear.js";
export { Conv2d, type Conv2dOptions } from "./conv.js";
export { MaxPool2d, AvgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from "./pooling.js";
export { ReLU, Sigmoid, Tanh, LeakyReLU, Softmax, LogSoftmax } from "./activation.js";
export { mseLoss, crossEntropy, nllLoss, binaryCrossEntropy, bceWithLogits, type Reduction, type MseLossOptions } from "./losses.js";
export { oneHot } from "./one-hot.js";
export * as init from "./init.js";
export * as functional from "./functional.js";
export { Conv1d, Conv3d, type Conv1dOptions, type Conv3dOptions } from "./conv.js";
export { ConvTranspose1d, ConvTranspose2d, type ConvTranspose1dOptions, type ConvTranspose2dOptions } from "./conv-transpose.js";
export { SeparableConv2d, type SeparableConv2dOptions } from "./separable.js";
