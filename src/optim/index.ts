/** `optim`: optimizers. */
export { Optimizer, type ParamGroup, type ParamsArg, type Hyper } from "./optimizer.js";
export { SGD, type SGDOptions } from "./sgd.js";
export * from "./schedulers/index.js";
export * as lrScheduler from "./schedulers/index.js";
export { Adagrad, type AdagradOptions } from "./adagrad.js";
export { Adadelta, type AdadeltaOptions } from "./adadelta.js";
export { RMSprop, type RMSpropOptions } from "./rmsprop.js";
export { Adam, type AdamOptions } from "./adam.js";
export { AdamW, type AdamWOptions } from "./adamw.js";
export { Adamax, type AdamaxOptions } from "./adamax.js";
export { NAdam, type NAdamOptions } from "./nadam.js";
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from "./clip.js";
export { paramGroupsWithoutDecay, type DecayGroup, type HasNamedParameters } from "./groups.js";
