/**
 * Tessera for web pages: `import * as ts from "tessera/browser"` (or a path to dist/browser.js
 * from a page, with no bundler).
 *
 * The same API as the main entry (src/index.ts) minus what needs Node: reading and writing
 * files (data's MNIST/IDX readers, io's saveModel/loadModel), the training loop `train` (its
 * checkpoints, logs and progress bar are files and a terminal) and the CLI.
 *
 * Why a second entry rather than making the Node imports lazy: the file APIs are synchronous
 * (readFileSync, an atomic write), and a lazy `await import("node:fs")` would make them, and
 * everything that calls them, asynchronous — a change of API for Node users to spare the page
 * a few names it cannot use anyway. A separate entry keeps both APIs as they are, and a test
 * (test/browser/entry.test.ts) checks that nothing it imports, however indirectly, names a
 * `node:` module or a package, so a page can load it as plain ES modules.
 *
 * Threads in a page need cross-origin isolation (see docs/browser.md): workers start only after
 * the page's script returns to the event loop, so wait for them with
 * `await backend.whenThreadsReady()`, not the blocking `waitForThreads()`.
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
export * as data from "./data/browser.js";
export * as models from "./models/index.js";
export * as io from "./io/browser.js";
export * as metrics from "./metrics/index.js";
export * as inspect from "./inspect/index.js";
