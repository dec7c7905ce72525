/** The functional op surface: every op as a free function, as in `torch.*`. */
export { neg, exp, log, sqrt, abs, square, sign, sigmoid, tanh, relu, leakyRelu, clamp, cast } from "./elementwise.js";
export { add, sub, mul, div, pow, maximum, minimum, compare, where } from "./binary.js";
export { sum, mean, max, min, argmax, argmin, logsumexp, sumToShape } from "./reduce.js";
export { reshape, flatten, squeeze, unsqueeze, permute, transpose, expand, slice, narrow, cat, stack } from "./shape.js";
export { indexSelect, gather } from "./indexing.js";
export { softmax, logSoftmax } from "./activation.js";
export { matmul, linear, gemm } from "./matmul.js";
export { conv2d, type Conv2dOptions, type Padding2d } from "./conv.js";
export { maxPool2d, maxPool2dWithIndices, avgPool2d, type Pool2dOptions, type AvgPool2dOptions } from "./pool.js";
export { convOutputSize, poolOutputSize } from "./window.js";
export { standardize, batchNorm, layerNorm, groupNorm, localResponseNorm, type Standardized, type BatchNormOptions, type LayerNormOptions, type GroupNormOptions, type LocalResponseNormOptions } from "./normalization.js";
export { localContrastNorm, type LocalContrastNormOptions } from "./contrast.js";
export { dropout, dropout2d, alphaDropout, type DropoutOptions } from "./dropout.js";
export { erf } from "./nonlinear.js";
export { maxPool1d, maxPool1dWithIndices, avgPool1d, type MaxPool1dOptions, type AvgPool1dOptions } from "./pool1d.js";
export { maxPool3d, maxPool3dWithIndices, avgPool3d, type MaxPool3dOptions, type AvgPool3dOptions } from "./pool3d.js";
export { lpPool1d, lpPool2d, type LPPool1dOptions, type LPPool2dOptions } from "./pool-lp.js";
export {
  adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool1d, adaptiveMaxPool1dWithIndices, adaptiveMaxPool2d, adaptiveMaxPool2dWithIndices, globalAvgPool2d, type AdaptiveSize,
} from "./pool-adaptive.js";
export { maxUnpool2d, type MaxUnpool2dOptions } from "./unpool.js";
export { pad, type PadMode } from "./padding.js";
export { conv1d, conv3d, type ConvOptions, type Conv1dOptions, type Conv3dOptions, type ConvPadding, type PaddingMode, type SidePadding } from "./conv.js";
export { convTranspose1d, convTranspose2d, convTransposeOutputSize, type ConvTransposeOptions, type ConvTranspose1dOptions, type ConvTranspose2dOptions } from "./conv-transpose.js";
