/** `nn.functional`: the stateless forms of the layers and the losses, as in torch.nn.functional. */
export { linear } from "../ops/matmul.js";
export { conv2d, type Conv2dOptions } from "../ops/conv.js";
export { maxPool2d, maxPool2dWithIndices, avgPool2d } from "../ops/pool.js";
export { relu, sigmoid, tanh, leakyRelu } from "../ops/elementwise.js";
export { softmax, logSoftmax } from "../ops/activation.js";
export { pad, type PadMode } from "../ops/padding.js";
export { mseLoss, crossEntropy, nllLoss, binaryCrossEntropy, bceWithLogits, type Reduction } from "./losses.js";
export { oneHot } from "./one-hot.js";
export { batchNorm, layerNorm, groupNorm, localResponseNorm } from "../ops/normalization.js";
export { localContrastNorm } from "../ops/contrast.js";
export { dropout, dropout2d, alphaDropout, type DropoutOptions } from "../ops/dropout.js";
export { elu, selu, gelu, silu, softplus, hardtanh, relu6, prelu, maxout, type GeluApproximate } from "../ops/nonlinear.js";
export { embedding, type EmbeddingOptions } from "../ops/embedding.js";
export { interpolate, type InterpolateOptions, type InterpolateMode } from "../ops/interpolate.js";
export { unfold, fold, type FoldOptions } from "../ops/fold.js";
export { maxPool1d, maxPool1dWithIndices, avgPool1d } from "../ops/pool1d.js";
export { maxPool3d, maxPool3dWithIndices, avgPool3d } from "../ops/pool3d.js";
export { lpPool1d, lpPool2d } from "../ops/pool-lp.js";
export {
  adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool1d, adaptiveMaxPool1dWithIndices, adaptiveMaxPool2d, adaptiveMaxPool2dWithIndices, globalAvgPool2d,
} from "../ops/pool-adaptive.js";
export { maxUnpool2d } from "../ops/unpool.js";
export { conv1d, conv3d, type Conv1dOptions, type Conv3dOptions } from "../ops/conv.js";
export { convTranspose1d, convTranspose2d, type ConvTranspose1dOptions, type ConvTranspose2dOptions } from "../ops/conv-transpose.js";
