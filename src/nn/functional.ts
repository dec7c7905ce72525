/** `nn.functional`: the stateless forms of the layers and the losses, as in torch.nn.functional. */
export { linear } from "../ops/matmul.js";
export { conv2d, type Conv2dOptions } from "../ops/conv.js";
export { maxPool2d, maxPool2dWithIndices, avgPool2d } from "../ops/pool.js";
export { relu, sigmoid, tanh, leakyRelu } from "../ops/elementwise.js";
export { softmax, logSoftmax } from "../ops/activation.js";
export { pad } from "../ops/shape.js";
export { mseLoss, crossEntropy, nllLoss, binaryCrossEntropy, bceWithLogits, type Reduction } from "./losses.js";
export { oneHot } from "./one-hot.js";
export { maxPool1d, maxPool1dWithIndices, avgPool1d } from "../ops/pool1d.js";
export { maxPool3d, maxPool3dWithIndices, avgPool3d } from "../ops/pool3d.js";
export { lpPool1d, lpPool2d } from "../ops/pool-lp.js";
export {
  adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool1d, adaptiveMaxPool1dWithIndices, adaptiveMaxPool2d, adaptiveMaxPool2dWithIndices, globalAvgPool2d,
} from "../ops/pool-adaptive.js";
export { maxUnpool2d } from "../ops/unpool.js";
