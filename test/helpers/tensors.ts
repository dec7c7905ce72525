/** Small tensor factories shared by the op / autograd / tensor tests. */
import type { Tensor } from "../../src/tensor/tensor.js";
import { randn, tensor } from "../../src/tensor/create.js";

export interface RandOptions {
  /** Default true. */
  requiresGrad?: boolean;
  /** Applied to every drawn value, e.g. to keep inputs off a kink or inside a domain. */
  map?: (v: number) => number;
  /** Multiplies the draws (before `map`). */
  scale?: number;
}

/** A float64 leaf drawn from the default generator (seed it with manualSeed first). */
export function rand64(shape: readonly number[], options: RandOptions = {}): Tensor {
  const draws = randn(shape, { dtype: "float64" }).data();
  const scale = options.scale ?? 1;
  const map = options.map ?? ((v: number) => v);
  const values = Float64Array.from(draws, (v) => map(v * scale));
  return tensor(values, { shape: [...shape], dtype: "float64", requiresGrad: options.requiresGrad ?? true });
}

/** Moves values at least `margin` away from `point` (keeps them off a kink such as 0 for abs/relu). */
export const awayFrom = (point: number, margin: number) => (v: number) => (v >= point ? v + margin : v - margin);

/** Keeps values in (margin, ...): |v| + margin. */
export const positive = (margin = 0.5) => (v: number) => Math.abs(v) + margin;

/** A float64 tensor from nested or flat values (flat needs a shape). */
export function f64(values: number[] | number[][] | number[][][] | number[][][][], shape?: readonly number[], requiresGrad = false): Tensor {
  return tensor(values, { dtype: "float64", shape, requiresGrad });
}

/** An int32 tensor, e.g. for gather / indexSelect indices. */
export function i32(values: number[] | number[][] | number[][][], shape?: readonly number[]): Tensor {
  return tensor(values, { dtype: "int32", shape });
}
