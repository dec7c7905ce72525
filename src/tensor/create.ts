/** Making tensors: from data, constants, ranges and the seeded random generator. */
import type { DType, TypedArray } from "../backend/types.js";
import { getBackend } from "../backend/registry.js";
import { sizeOf } from "../backend/layout.js";
import { dtypeOfArray } from "../backend/dtype.js";
import { ShapeError, ValueError } from "../errors.js";
import { defaultGenerator, type Generator } from "../random.js";
import { Tensor, type NestedArray } from "./tensor.js";

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface FromDataOptions extends TensorOptions {
  /** Shape for flat data (a typed array or flat list); inferred from nesting otherwise. */
  shape?: readonly number[];
}

export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

function finish(t: Tensor, o: TensorOptions): Tensor {
  if (o.requiresGrad) t.requiresGrad_(true);
  return t;
}

function checkShape(shape: readonly number[], op: string): void {
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new ShapeError(`${op}: shape [${shape}] must hold non-negative integers`);
}

/** Infers the shape of nested arrays and flattens them, checking that rows are regular. */
function flattenNested(data: NestedArray): { shape: number[]; flat: number[] } {
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0] as NestedArray;
    if (probe === undefined) break;
  }
  const flat: number[] = [];
  const walk = (v: NestedArray, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== "number" && typeof v !== "boolean") throw new ShapeError(`tensor(): expected a number at ${path || "top level"}, found ${Array.isArray(v) ? "an array" : typeof v}`);
      flat.push(Number(v));
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new ShapeError(`tensor(): ragged nested array: ${path || "top level"} has ${Array.isArray(v) ? v.length : "no"} entries where ${shape[depth]} were expected`);
    }
    v.forEach((x, i) => walk(x, depth + 1, `${path}[${i}]`));
  };
  walk(data, 0, "");
  return { shape, flat };
}

/**
 * A tensor from nested arrays, a flat list with `shape`, or a typed array (whose type sets the
 * default dtype). `tensor([[1, 2], [3, 4]])`, `tensor(new Float32Array(6), { shape: [2, 3] })`.
 */
export function tensor(data: NestedArray | TypedArray | number[], options: FromDataOptions = {}): Tensor {
  let flat: ArrayLike<number>;
  let shape: readonly number[];
  let dtype: DType = options.dtype ?? "float32";
  if (ArrayBuffer.isView(data)) {
    flat = data;
    if (!options.dtype) dtype = dtypeOfArray(data);
    shape = options.shape ?? [data.length];
  } else if (options.shape) {
    const nested = flattenNested(data);
    flat = nested.flat;
    shape = options.shape;
  } else {
    const nested = flattenNested(data);
    flat = nested.flat;
    shape = nested.shape;
  }
  checkShape(shape, "tensor");
  if (sizeOf(shape) !== flat.length) throw new ShapeError(`tensor(): ${flat.length} values do not fill shape [${shape}] (${sizeOf(shape)} elements)`);
  return finish(new Tensor(getBackend().fromArray(flat, dtype), shape), options);
}

export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  checkShape(shape, "full");
  return finish(new Tensor(getBackend().full(options.dtype ?? "float32", sizeOf(shape), value), shape), options);
}

export const zeros = (shape: readonly number[], options: TensorOptions = {}): Tensor => full(shape, 0, options);
export const ones = (shape: readonly number[], options: TensorOptions = {}): Tensor => full(shape, 1, options);
/** A tensor of `value` with t's shape, dtype and backend. */
export function fullLike(t: Tensor, value: number, options: TensorOptions = {}): Tensor {
  const dtype = options.dtype ?? t.dtype;
  return finish(new Tensor(t.storage.backend.full(dtype, t.numel, value), t.shape), options);
}
export const zerosLike = (t: Tensor, options: TensorOptions = {}): Tensor => fullLike(t, 0, options);
export const onesLike = (t: Tensor, options: TensorOptions = {}): Tensor => fullLike(t, 1, options);

/** 0-d tensor holding one number. */
export const scalar = (value: number, options: TensorOptions = {}): Tensor => full([], value, options);

/** start, start+step, ... below end; `arange(5)` is 0..4. Integer arguments give int32. */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0) throw new ValueError("arange: step must not be zero");
  const n = Math.max(0, Math.ceil((end - start) / step));
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = start + i * step;
  const allInt = [start, end, step].every(Number.isInteger);
  return finish(new Tensor(getBackend().fromArray(values, options.dtype ?? (allInt ? "int32" : "float32")), [n]), options);
}

/** n evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  const values = new Float64Array(steps);
  for (let i = 0; i < steps; i++) values[i] = steps === 1 ? start : start + ((end - start) * i) / (steps - 1);
  return finish(new Tensor(getBackend().fromArray(values, options.dtype ?? "float32"), [steps]), options);
}

/** Identity matrix n × m (m defaults to n). */
export function eye(n: number, m = n, options: TensorOptions = {}): Tensor {
  const values = new Float64Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return finish(new Tensor(getBackend().fromArray(values, options.dtype ?? "float32"), [n, m]), options);
}

function randomTensor(shape: readonly number[], options: RandomOptions, draw: (g: Generator) => number, op: string): Tensor {
  checkShape(shape, op);
  const backend = getBackend();
  // A shape-only backend has nowhere to put the numbers: draw none (see Backend.shapeOnly).
  if (backend.shapeOnly) return finish(new Tensor(backend.alloc(options.dtype ?? "float32", sizeOf(shape)), shape), options);
  const g = options.generator ?? defaultGenerator;
  const values = new Float64Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = draw(g);
  return finish(new Tensor(backend.fromArray(values, options.dtype ?? "float32"), shape), options);
}

/** Uniform on [0, 1), from the seeded generator (`manualSeed`). */
export const rand = (shape: readonly number[], options: RandomOptions = {}): Tensor => randomTensor(shape, options, (g) => g.uniform(), "rand");

/** Standard normal, from the seeded generator (`manualSeed`). */
export const randn = (shape: readonly number[], options: RandomOptions = {}): Tensor => randomTensor(shape, options, (g) => g.normal(), "randn");

/** Uniform on [low, high). */
export const uniform = (shape: readonly number[], low: number, high: number, options: RandomOptions = {}): Tensor =>
  randomTensor(shape, options, (g) => low + (high - low) * g.uniform(), "uniform");

/** Integers uniform on [low, high), int32. */
export const randint = (low: number, high: number, shape: readonly number[], options: RandomOptions = {}): Tensor =>
  randomTensor(shape, { dtype: "int32", ...options }, (g) => low + g.int(high - low), "randint");
