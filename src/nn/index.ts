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
export { BatchNorm, BatchNorm1d, BatchNorm2d, BatchNorm3d, LayerNorm, GroupNorm, LocalResponseNorm, type BatchNormOptions, type LayerNormOptions, type GroupNormOptions, type LocalResponseNormOptions } from "./normalization.js";
export { Dropout, Dropout2d, AlphaDropout } from "./dropout.js";
