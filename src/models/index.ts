/** `models`: the zoo, built only from public `nn` bricks. */
export { MLP, type MLPOptions, type Activation } from "./mlp.js";
export { LeNet5, type LeNet5Options } from "./lenet.js";
export { createModel, MODEL_NAMES, type ModelName, type ModelSpec, type ZooSpec, type AnyModelSpec } from "./registry.js";
export { AlexNet, AlexNetTwoTower, type AlexNetOptions, type ZooOptions } from "./alexnet.js";
export { VGG, VGG_CONFIGS, type VGGConfig, type VGGOptions } from "./vgg.js";
export { ResNet, BasicBlock, Bottleneck, RESNET_DEPTHS, type ResNetDepth, type ResNetOptions } from "./resnet.js";
export { DenseNet, DenseBlock, DenseLayer, type DenseNetOptions } from "./densenet.js";
export { GoogLeNet, Inception, BasicConv2d, type GoogLeNetOptions } from "./googlenet.js";
export { MobileNetV1 } from "./mobilenet.js";
export { Xception, XceptionBlock } from "./xception.js";
export { ZFNet } from "./zfnet.js";
export { Autoencoder, type AutoencoderOptions } from "./autoencoder.js";
export { deepMLP, DEEP_MLP_TABLE, type DeepMLPOptions } from "./mlp-deep.js";
export { CharRNN, CHARRNN_CELLS, type CharRNNOptions, type CharRNNCell, type CharRNNState, type CharRNNRunOptions, type CharRNNResult } from "./charrnn.js";
export { sampleText, nextCharDistribution, drawIndex, type SampleOptions } from "./charrnn-sample.js";
export { charLoss, natsPerChar } from "./charrnn-loss.js";
