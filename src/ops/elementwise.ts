/**
 * Unary elementwise ops, each forward beside its derivative. Backwards reuse forward outputs
 * where the derivative is cheapest in terms of them (exp, sigmoid, tanh, sqrt).
 */
import type { DType, UnaryOp } from "../backend/types.js";
import { isFloat } from "../backend/dtype.js";
import { contiguousStrides } from "../backend/layout.js";
import { fromOp, constant } from "../autograd/record.js";
import type { Tensor } from "../tensor/tensor.js";
import { backendOf, requireFloat } from "./util.js";

function unary(op: UnaryOp, x: Tensor, backward: (g: Tensor, out: Tensor) => Tensor): Tensor {
  if (op !== "neg" && op !== "abs" && op !== "relu" && op !== "square" && op !== "sign") requireFloat(x, op);
  const out: Tensor = fromOp(backendOf(x).unary(op, x.storage), x.shape, op, [x], (g) => [backward(g, out)]);
  return out;
}

export const neg = (x: Tensor): Tensor => unary("neg", x, (g) => g.neg());
export const exp = (x: Tensor): Tensor => unary("exp", x, (g, out) => g.mul(out));
export const log = (x: Tensor): Tensor => unary("log", x, (g) => g.div(x));
export const sqrt = (x: Tensor): Tensor => unary("sqrt", x, (g, out) => g.div(out.mul(2)));
export const abs = (x: Tensor): Tensor => unary("abs", x, (g) => g.mul(sign(x)));
export const square = (x: Tensor): Tensor => unary("square", x, (g) => g.mul(x).mul(2));
export const sigmoid = (x: Tensor): Tensor => unary("sigmoid", x, (g, out) => g.mul(out.mul(out.neg().add(1))));
export const tanh = (x: Tensor): Tensor => unary("tanh", x, (g, out) => g.mul(out.square().neg().add(1)));
export const relu = (x: Tensor): Tensor => unary("relu", x, (g) => reluGrad(g, x));

/** ReLU's backward in one pass: g where x > 0, else 0 (0 also where x is NaN, as PyTorch). */
function reluGrad(g: Tensor, x: Tensor): Tensor {
  const view = { shape: x.shape, strides: contiguousStrides(x.shape), offset: 0 };
  return constant(backendOf(x).binary("reluGrad", g.storage, view, x.storage, view, x.shape, x.dtype), x.shape);
}

/** -1, 0 or 1; its derivative is zero wherever it exists, so no gradient flows. */
export function sign(x: Tensor): Tensor {
  return constant(backendOf(x).unary("sign", x.storage), x.shape);
}

export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  requireFloat(x, "leakyRelu");
  return fromOp(backendOf(x).leakyRelu(x.storage, negativeSlope), x.shape, "leakyRelu", [x], (g) => {
    const slope = x.gt(0).mul(1 - negativeSlope).add(negativeSlope);
    return [g.mul(slope)];
  });
}

/** x^exponent for a constant exponent. */
export function powScalar(x: Tensor, exponent: number): Tensor {
  requireFloat(x, "pow");
  return fromOp(backendOf(x).powScalar(x.storage, exponent), x.shape, "pow", [x], (g) => {
    if (exponent === 0) return [g.mul(0)];
    return [g.mul(powScalar(x, exponent - 1).mul(exponent))];
  });
}

/**
 * Limits values to [min, max] (either may be omitted). The gradient passes where
 * min <= x <= max, boundaries included, as in PyTorch.
 */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  return fromOp(backendOf(x).clamp(x.storage, lo, hi), x.shape, "clamp", [x], (g) => [g.mul(x.ge(lo).mul(x.le(hi)))]);
}

/** Converts dtype. Gradients flow between float dtypes and stop at integer ones. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const storage = backendOf(x).cast(x.storage, dtype);
  if (!isFloat(dtype) || !isFloat(x.dtype)) return constant(storage, x.shape);
  return fromOp(storage, x.shape, "cast", [x], (g) => [cast(g, x.dtype)]);
}
