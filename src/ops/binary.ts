/**
 * Binary elementwise ops with broadcasting. Each backward hands its gradients to `sumToShape`,
 * the one place where a broadcast input's gradient is summed back to the input's shape.
 */
import type { BinaryOp } from "../backend/types.js";
import { fromOp, constant } from "../autograd/record.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { asTensor, backendOf, broadcastShapes, broadcastView, promote } from "./util.js";
import { sumToShape } from "./reduce.js";
import { powScalar } from "./elementwise.js";

function operands(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor, number[]] {
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) throw new TypeError(`${op}: at least one operand must be a Tensor`);
  const x = a instanceof Tensor ? a : asTensor(a, b as Tensor);
  const y = b instanceof Tensor ? b : asTensor(b, x);
  const [px, py] = promote(x, y);
  return [px, py, broadcastShapes(px.shape, py.shape, op)];
}

function kernel(op: BinaryOp, x: Tensor, y: Tensor, shape: number[]) {
  return backendOf(x).binary(op, x.storage, broadcastView(x.shape, shape), y.storage, broadcastView(y.shape, shape), shape, x.dtype);
}

function binary(op: BinaryOp, a: TensorLike, b: TensorLike, backward: (g: Tensor, x: Tensor, y: Tensor, out: Tensor) => [Tensor | null, Tensor | null]): Tensor {
  const [x, y, shape] = operands(a, b, op);
  const out: Tensor = fromOp(kernel(op, x, y, shape), shape, op, [x, y], (g) => {
    const [gx, gy] = backward(g, x, y, out);
    return [gx && x.requiresGrad ? sumToShape(gx, x.shape) : null, gy && y.requiresGrad ? sumToShape(gy, y.shape) : null];
  });
  return out;
}

export const add = (a: TensorLike, b: TensorLike): Tensor => binary("add", a, b, (g) => [g, g]);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary("sub", a, b, (g) => [g, g.neg()]);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary("mul", a, b, (g, x, y) => [g.mul(y), g.mul(x)]);

/** True division; integer operands are divided as floats, as in PyTorch. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, "div");
  const fx = x.dtype === "int32" ? x.float() : x;
  const fy = y.dtype === "int32" ? y.float() : y;
  return binary("div", fx, fy, (g, x, y) => [g.div(y), g.mul(x).div(y.square()).neg()]);
}

/** a^b. A number exponent takes the cheaper scalar path. */
export function pow(a: Tensor, b: TensorLike): Tensor {
  if (typeof b === "number") return powScalar(a, b);
  return binary("pow", a, b, (g, x, y, out) => [
    // Zero where the exponent is 0 (as PyTorch), not 0 * x^-1 = NaN at x = 0.
    where(y.eq(0), 0, g.mul(y).mul(x.pow(y.sub(1)))),
    // d/dy x^y = x^y log x; where x = 0 PyTorch takes the limit 0 rather than NaN.
    y.requiresGrad ? g.mul(out).mul(where(x.eq(0), 0, x.log())) : null,
  ]);
}

/** Elementwise maximum; on ties each side gets half the gradient, as in PyTorch. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor =>
  binary("maximum", a, b, (g, x, y) => {
    const half = x.eq(y).mul(0.5);
    return [g.mul(x.gt(y).add(half)), g.mul(x.lt(y).add(half))];
  });

export const minimum = (a: TensorLike, b: TensorLike): Tensor =>
  binary("minimum", a, b, (g, x, y) => {
    const half = x.eq(y).mul(0.5);
    return [g.mul(x.lt(y).add(half)), g.mul(x.gt(y).add(half))];
  });

/**
 * Elementwise comparison. Tessera has no bool dtype: the result holds 1 where true and 0 where
 * false, in the operands' dtype, ready to use as a mask. No gradient flows through it.
 */
export function compare(op: "eq" | "ne" | "lt" | "le" | "gt" | "ge", a: TensorLike, b: TensorLike): Tensor {
  const [x, y, shape] = operands(a, b, op);
  return constant(kernel(op, x, y, shape), shape);
}

/** Picks from `a` where `cond` is non-zero and from `b` elsewhere, all three broadcast together. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, "where");
  const shape = broadcastShapes(cond.shape, broadcastShapes(x.shape, y.shape, "where"), "where");
  const storage = backendOf(x).where(
    cond.storage, broadcastView(cond.shape, shape),
    x.storage, broadcastView(x.shape, shape),
    y.storage, broadcastView(y.shape, shape),
    shape,
  );
  return fromOp(storage, shape, "where", [x, y], (g) => {
    const zero = g.mul(0);
    return [
      x.requiresGrad ? sumToShape(where(cond, g, zero), x.shape) : null,
      y.requiresGrad ? sumToShape(where(cond, zero, g), y.shape) : null,
    ];
  });
}
