/** `models`: the zoo, built only from public `nn` bricks. */
export { MLP, type MLPOptions, type Activation } from "./mlp.js";
export { LeNet5, type LeNet5Options } from "./lenet.js";
export { createModel, MODEL_NAMES, type ModelName, type ModelSpec } from "./registry.js";
