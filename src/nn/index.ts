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
export { ELU, SELU, GELU, SiLU, Softplus, Hardtanh, ReLU6, PReLU, Maxout } from "./nonlinear.js";
export { Embedding, type EmbeddingOptions, type FromPretrainedOptions } from "./embedding.js";
export { Unflatten } from "./unflatten.js";
export { Upsample, type UpsampleOptions } from "./upsampling.js";
export { Unfold, Fold, type UnfoldOptions } from "./fold.js";
export { ModuleList, ModuleDict } from "./module-list.js";
