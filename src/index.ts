/**
 * Tessera: `import * as ts from "tessera"`.
 *
 * Tensors and ops at the top level (as in `torch.*`), layers in `nn`, optimizers in `optim`,
 * datasets and loaders in `data`.
 */
export { Tensor, type NestedArray, type TensorLike } from "./tensor/tensor.js";
export * from "./tensor/create.js";
export { scope, keep, release } from "./tensor/scope.js";
export * from "./ops/index.js";
export { noGrad, enableGrad, isGradEnabled } from "./autograd/engine.js";
export { gradcheck, GradcheckError, type GradcheckOptions } from "./autograd/gradcheck.js";
export { manualSeed, Generator, defaultGenerator, type RngState } from "./random.js";
export { getBackend, setBackend, listBackends, registerBackend, setNumThreads, getNumThreads } from "./backend/registry.js";
export type { Backend, DType, Storage, TypedArray } from "./backend/types.js";
export type { ManagedMemory } from "./backend/memory.js";
export { WasmBackend } from "./backend/wasm/index.js";
export * from "./errors.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export * as data from "./data/index.js";
export * as models from "./models/index.js";
export * as io from "./io/index.js";
export * as metrics from "./metrics/index.js";
export * as train from "./train/index.js";
export * as inspect from "./inspect/index.js";
