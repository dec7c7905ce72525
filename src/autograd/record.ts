import type { Storage } from "../backend/types.js";
import { Tensor } from "../tensor/tensor.js";
import { isGradEnabled } from "./engine.js";
import type { PartialGradient } from "./partial.js";

/**
 * Wraps an op's output storage as a tensor and, when recording and any input needs a gradient,
 * attaches the op's backward. Every differentiable op ends here: the single place that decides
 * whether the graph grows.
 */
export function fromOp(
  storage: Storage,
  shape: readonly number[],
  name: string,
  inputs: readonly Tensor[],
  backward: (gradOutput: Tensor) => readonly (Tensor | PartialGradient | null)[],
): Tensor {
  const out = new Tensor(storage, shape);
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.gradFn = { name, inputs, backward };
  }
  return out;
}

/** An op result that never carries a gradient (comparisons, argmax, integer outputs). */
export function constant(storage: Storage, shape: readonly number[]): Tensor {
  return new Tensor(storage, shape);
}
