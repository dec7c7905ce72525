/** `optim`: optimizers. */
export { Optimizer, type ParamGroup, type ParamsArg, type Hyper } from "./optimizer.js";
export { SGD, type SGDOptions } from "./sgd.js";
