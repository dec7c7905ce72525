/**
 * A gradient that is zero everywhere but on a strided view of its tensor: what a slice's backward
 * produces. A dense zero tensor per slice would make T slices of one tensor (an RNN's T steps of
 * its input projection) cost T full-size gradients, O(T²) in all; given this instead, the engine
 * adds each slice into one accumulator (see engine.ts), O(T).
 */
import type { StridedView } from "../backend/types.js";
import { contiguousStrides } from "../backend/layout.js";
import { Tensor } from "../tensor/tensor.js";

export class PartialGradient {
  constructor(
    /** The gradient's values on the view, contiguous, in the view's shape. */
    readonly values: Tensor,
    /** Where they sit in the full (contiguous) gradient. */
    readonly view: StridedView,
  ) {}
}

/**
 * target[view] += part.values, in place. The caller owns `target` (no one else holds it), so the
 * change is invisible outside the backward pass.
 */
export function addPartialInto(target: Tensor, part: PartialGradient): void {
  const backend = target.storage.backend;
  const { shape } = part.view;
  const dense = { shape, strides: contiguousStrides(shape), offset: 0 };
  const current = backend.copyStrided(target.storage, part.view);
  const sum = backend.binary("add", current, dense, part.values.storage, dense, shape, target.dtype);
  backend.writeStrided(target.storage, part.view, sum);
  backend.memory?.release(current);
  backend.memory?.release(sum);
}

/** A zero gradient of `like`'s shape and dtype, on its backend. */
export function zeroGradientOf(like: Tensor): Tensor {
  return new Tensor(like.storage.backend.alloc(like.dtype, like.numel), like.shape);
}
