/** `optim`: optimizers. */
export { Optimizer, type ParamGroup, type ParamsArg, type Hyper } from "./optimizer.js";
export { SGD, type SGDOptions } from "./sgd.js";
export * from "./schedulers/index.js";
export * as lrScheduler from "./schedulers/index.js";
