/**
 * Weight initialisation, in place, from the seeded generator. The defaults of Linear and Conv2d
 * are PyTorch's: kaiming_uniform with a = sqrt(5), which works out to U(-1/sqrt(fanIn), 1/sqrt(fanIn))
 * for weights, and the same bound for biases.
 */
import type { Tensor } from "../tensor/tensor.js";
import { full, randn, uniform as uniformTensor } from "../tensor/create.js";
import { noGrad } from "../autograd/engine.js";
import { ValueError } from "../errors.js";

/** fanIn, fanOut of a weight: [out, in] or [out, in/groups, k...]. */
export function fans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new ValueError(`init: fan in/out needs a tensor with at least 2 dims, got shape [${t.shape}]`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

export function uniform_(t: Tensor, low = 0, high = 1): Tensor {
  return noGrad(() => t.copy_(uniformTensor(t.shape, low, high, { dtype: t.dtype })));
}

export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  return noGrad(() => t.copy_(randn(t.shape, { dtype: t.dtype }).mul(std).add(mean)));
}

export function constant_(t: Tensor, value: number): Tensor {
  return noGrad(() => t.copy_(full(t.shape, value, { dtype: t.dtype }))); // not t·0 + value: NaN/Inf·0 is NaN
}

export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

export type Nonlinearity = "linear" | "sigmoid" | "tanh" | "relu" | "leaky_relu";

/** PyTorch's calculate_gain. */
export function calculateGain(nonlinearity: Nonlinearity, param = 0.01): number {
  switch (nonlinearity) {
    case "linear":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leaky_relu":
      return Math.sqrt(2 / (1 + param * param));
  }
}

export interface KaimingOptions {
  a?: number;
  mode?: "fanIn" | "fanOut";
  nonlinearity?: Nonlinearity;
}

/** He initialisation, uniform: bound = gain * sqrt(3 / fan). */
export function kaimingUniform_(t: Tensor, o: KaimingOptions = {}): Tensor {
  const { fanIn, fanOut } = fans(t);
  const gain = calculateGain(o.nonlinearity ?? "leaky_relu", o.a ?? 0);
  const bound = gain * Math.sqrt(3 / (o.mode === "fanOut" ? fanOut : fanIn));
  return uniform_(t, -bound, bound);
}

/** He initialisation, normal: std = gain / sqrt(fan). */
export function kaimingNormal_(t: Tensor, o: KaimingOptions = {}): Tensor {
  const { fanIn, fanOut } = fans(t);
  const gain = calculateGain(o.nonlinearity ?? "leaky_relu", o.a ?? 0);
  return normal_(t, 0, gain / Math.sqrt(o.mode === "fanOut" ? fanOut : fanIn));
}

/** Glorot/Xavier, uniform: bound = gain * sqrt(6 / (fanIn + fanOut)). */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = fans(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound);
}

export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = fans(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

/** PyTorch's default for Linear and Conv: weight kaiming_uniform(a=√5), bias U(±1/√fanIn). */
export function pytorchDefault_(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const { fanIn } = fans(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound);
  }
}
