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
export { MaxPool1d, AvgPool1d, type MaxPool1dOptions, type AvgPool1dOptions } from "./pooling1d.js";
export { MaxPool3d, AvgPool3d, type MaxPool3dOptions, type AvgPool3dOptions } from "./pooling3d.js";
export { LPPool1d, LPPool2d, type LPPool1dOptions, type LPPool2dOptions } from "./pooling-lp.js";
export { AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, type AdaptiveMaxPoolOptions } from "./pooling-adaptive.js";
export { MaxUnpool2d, type MaxUnpool2dOptions } from "./unpooling.js";
