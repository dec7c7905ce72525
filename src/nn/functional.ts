/** `nn.functional`: the stateless forms of the layers and the losses, as in torch.nn.functional. */
export { linear } from "../ops/matmul.js";
export { conv2d, type Conv2dOptions } from "../ops/conv.js";
export { maxPool2d, maxPool2dWithIndices, avgPool2d } from "../ops/pool.js";
export { relu, sigmoid, tanh, leakyRelu } from "../ops/elementwise.js";
export { softmax, logSoftmax } from "../ops/activation.js";
export { pad, type PadMode } from "../ops/padding.js";
export { mseLoss, crossEntropy, nllLoss, binaryCrossEntropy, bceWithLogits, type Reduction } from "./losses.js";
export { oneHot } from "./one-hot.js";
export { conv1d, conv3d, type Conv1dOptions, type Conv3dOptions } from "../ops/conv.js";
export { convTranspose1d, convTranspose2d, type ConvTranspose1dOptions, type ConvTranspose2dOptions } from "../ops/conv-transpose.js";
