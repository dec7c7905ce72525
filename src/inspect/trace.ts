/**
 * Runs a model's own forward() on the meta backend (meta-backend.ts) and records, for every
 * module, how often it was called, the shape of what it returned and the multiply-accumulates
 * done inside it. Nothing is allocated and the model is left exactly as it was.
 *
 * For the length of the pass:
 * - every parameter and buffer of the model points at a memoryless meta storage of its size
 *   (the real storages are put back afterwards, so the model's weights are never touched);
 * - new tensors are made on the meta backend (forward code that calls zeros() gets a meta one);
 * - gradients are off and every module is in eval mode (no dropout draws from the seeded
 *   generator, no running-statistics updates); each module's training flag is restored after;
 * - each module's forward (and run, where a layer has one) is wrapped (an own property shadowing
 *   the class's method) to record its calls; the wrappers are removed afterwards.
 */
import type { Module } from "../nn/module.js";
import type { DType, Storage } from "../backend/types.js";
import { getBackend, listBackends, registerBackend, setBackend } from "../backend/registry.js";
import { noGrad } from "../autograd/engine.js";
import { Tensor } from "../tensor/tensor.js";
import { TesseraError } from "../errors.js";
import { MetaBackend, MetaStorage } from "./meta-backend.js";

/** What one module did during the pass. */
export interface ModuleRecord {
  /** Times its forward ran (0: never called, e.g. a head the forward skips). */
  calls: number;
  /** Shape of the first tensor it returned, at its first call. */
  outputShape: number[] | null;
  /** dtype of that tensor. */
  outputDtype: DType | null;
  /** Elements of every tensor it returned, summed over its calls (its activations). */
  outputElements: number;
  /** Multiply-accumulates inside its calls, its submodules' included. */
  macs: number;
}

export interface MetaTrace {
  /** The model's output shape (first tensor it returned). */
  outputShape: number[];
  /** Every multiply-accumulate of the pass. */
  macs: number;
  records: Map<Module, ModuleRecord>;
}

let shared: MetaBackend | null = null;

/** The one meta backend, registered under the name "meta" the first time it is needed. */
export function metaBackend(): MetaBackend {
  if (!shared) {
    shared = new MetaBackend();
    if (!listBackends().includes(shared.name)) registerBackend(shared);
  }
  return shared;
}

/**
 * Runs fn with the meta backend making new tensors, e.g. to build a model without its weights'
 * memory or initialisation time (no random numbers are drawn):
 * `const net = onMeta(() => models.createModel({ name: "vgg19" }))`. Such a model has shapes and
 * no values: summarise it, count its parameters; a real forward of it throws.
 */
export function onMeta<T>(fn: () => T): T {
  const previous = getBackend();
  setBackend(metaBackend().name);
  try {
    return fn();
  } finally {
    setBackend(previous.name);
  }
}

/** A memoryless tensor of this shape on the meta backend (as the input of a pass). */
export function metaTensor(shape: readonly number[], dtype: DType = "float32"): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(new MetaStorage(metaBackend(), dtype, size, "computed"), shape);
}

/** The first tensor in a module's result (a tensor, or an array / object holding one). */
function firstTensor(value: unknown, depth = 0): Tensor | null {
  if (value instanceof Tensor) return value;
  if (depth < 3 && value && typeof value === "object") {
    for (const v of Array.isArray(value) ? value : Object.values(value)) {
      const t = firstTensor(v, depth + 1);
      if (t) return t;
    }
  }
  return null;
}

function tensorElements(value: unknown, depth = 0, seen = new Set<Tensor>()): number {
  if (value instanceof Tensor) {
    if (seen.has(value)) return 0;
    seen.add(value);
    return value.numel;
  }
  let n = 0;
  if (depth < 3 && value && typeof value === "object") {
    for (const v of Array.isArray(value) ? value : Object.values(value)) n += tensorElements(v, depth + 1, seen);
  }
  return n;
}

type Forward = (...inputs: unknown[]) => unknown;

/** The methods through which a module is called (see traceMeta). */
const ENTRY_POINTS = ["forward", "run"] as const;

/**
 * Runs `model.forward(...inputs)` shape-only. `inputs` are meta tensors (see metaTensor). Errors
 * of the forward (a shape that does not fit a layer) propagate with the layer's own message.
 */
export function traceMeta(model: Module, inputs: Tensor[]): MetaTrace {
  const meta = metaBackend();
  const modules = [...new Set(model.namedModules().map(([, m]) => m))];
  const records = new Map<Module, ModuleRecord>();
  const tensors = new Set<Tensor>([...model.parameters(), ...model.namedBuffers().map(([, b]) => b)]);
  const storages = new Map<Tensor, Storage>();
  const training = new Map<Module, boolean>();
  const ownEntries = new Map<Module, [string, PropertyDescriptor | undefined][]>();
  const macsBefore = meta.macs;
  try {
    for (const t of tensors) {
      storages.set(t, t.storage);
      t.storage = new MetaStorage(meta, t.dtype, t.storage.size, "state");
    }
    for (const m of modules) {
      training.set(m, m.training);
      m.training = false;
      const record: ModuleRecord = { calls: 0, outputShape: null, outputDtype: null, outputElements: 0, macs: 0 };
      records.set(m, record);
      // forward, and run where a layer has it (recurrent layers: output and final states), which
      // models may call instead; a call of one from the other is recorded once.
      let active = 0;
      const entries = ENTRY_POINTS.filter((name) => typeof (m as unknown as Record<string, unknown>)[name] === "function");
      ownEntries.set(m, entries.map((name) => [name, Object.getOwnPropertyDescriptor(m, name)]));
      for (const name of entries) {
        const inner = (m as unknown as Record<string, Forward>)[name];
        const wrapped: Forward = (...args) => {
          if (active > 0) return inner.apply(m, args);
          const start = meta.macs;
          active++;
          let result: unknown;
          try {
            result = inner.apply(m, args);
          } finally {
            active--;
          }
          record.calls++;
          record.macs += meta.macs - start;
          record.outputElements += tensorElements(result);
          const t = firstTensor(result);
          if (t && record.outputShape === null) {
            record.outputShape = [...t.shape];
            record.outputDtype = t.dtype;
          }
          return result;
        };
        Object.defineProperty(m, name, { value: wrapped, configurable: true, writable: true, enumerable: false });
      }
    }
    const out = onMeta(() => noGrad(() => (model.forward as Forward)(...inputs)));
    const t = firstTensor(out);
    if (!t) throw new TesseraError(`summary: ${model.constructor.name}.forward returned no tensor`);
    return { outputShape: [...t.shape], macs: meta.macs - macsBefore, records };
  } finally {
    for (const [t, s] of storages) t.storage = s;
    for (const [m, flag] of training) m.training = flag;
    for (const [m, entries] of ownEntries) {
      for (const [name, descriptor] of entries) {
        if (descriptor) Object.defineProperty(m, name, descriptor);
        else delete (m as unknown as Record<string, unknown>)[name];
      }
    }
  }
}
