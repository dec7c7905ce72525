/**
 * Argument checking and output sizes shared by the pooling ops of every dimensionality. Each
 * rule that fails names the op or layer, the input shape and the rule, e.g.
 * "MaxPool3d with input [1, 2, 3, 4, 5]: stride must be >= 1 (got 0)".
 */
import { ShapeError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { poolOutputSize } from "./window.js";

/** An int (used for every axis) or one int per axis. */
export type Size = number | readonly number[];

/** "maxPool3d with input [2, 3, 4, 5, 6]": how messages locate a failure. */
export function inputWhere(name: string, x: Tensor): string {
  return `${name} with input [${x.shape.join(", ")}]`;
}

/** An int or a list of `n` ints, expanded to `n` ints. */
export function expandSize(v: Size, n: number, what: string, where: string): number[] {
  const out = typeof v === "number" ? new Array<number>(n).fill(v) : [...v];
  if (out.length !== n || out.some((d) => !Number.isInteger(d))) {
    throw new ValueError(`${where}: ${what} must be an integer or ${n === 1 ? "a list of 1 integer" : `a list of ${n} integers`}, got ${JSON.stringify(v)}`);
  }
  return out;
}

/** As expandSize, and every entry must be at least `min`. */
export function sizeAtLeast(v: Size, n: number, min: number, what: string, where: string): number[] {
  const out = expandSize(v, n, what, where);
  if (out.some((d) => d < min)) throw new ValueError(`${where}: ${what} must be >= ${min} (got ${JSON.stringify(v)})`);
  return out;
}

export interface PoolArgs {
  stride?: Size | null;
  padding?: Size;
  dilation?: Size;
  ceilMode?: boolean;
}

/** Checked per-axis geometry of a pooling window and the output sizes it gives. */
export interface PoolGeometry {
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  out: number[];
}

/**
 * Checks the window arguments over the last `inSizes.length` axes and computes the output sizes
 * with PyTorch's rules (see poolOutputSize): stride defaults to the kernel; kernel, stride and
 * dilation >= 1; 0 <= padding <= kernel/2; the dilated window must fit the padded input; with
 * ceilMode the last window must start inside the input or the left padding.
 */
export function poolGeometry(where: string, inSizes: readonly number[], kernelSize: Size, o: PoolArgs): PoolGeometry {
  const n = inSizes.length;
  const kernel = sizeAtLeast(kernelSize, n, 1, "kernelSize", where);
  const stride = o.stride === undefined || o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0) ? kernel : sizeAtLeast(o.stride, n, 1, "stride", where);
  const padding = sizeAtLeast(o.padding ?? 0, n, 0, "padding", where);
  const dilation = sizeAtLeast(o.dilation ?? 1, n, 1, "dilation", where);
  const out = inSizes.map((size, i) => poolOutputSize(size, kernel[i], stride[i], padding[i], dilation[i], o.ceilMode ?? false, where));
  return { kernel, stride, padding, dilation, out };
}

/**
 * Checks that x is [N, C, ...spatial] or [C, ...spatial] with `spatial` window axes and returns it
 * batched (unbatched inputs get N = 1; the caller squeezes it off again).
 */
export function batchedInput(x: Tensor, spatial: number, where: string): { x: Tensor; unbatched: boolean } {
  if (x.ndim === spatial + 1) return { x: x.unsqueeze(0), unbatched: true };
  if (x.ndim === spatial + 2) return { x, unbatched: false };
  const axes = spatial === 1 ? "L" : ["D", "H", "W"].slice(3 - spatial).join(", ");
  throw new ShapeError(`${where}: expects input [N, C, ${axes}] or [C, ${axes}] (${spatial + 2}-D or ${spatial + 1}-D), got ${x.ndim}-D`);
}

/** Divisor override of average pooling: PyTorch accepts any non-zero integer. */
export function checkDivisor(divisorOverride: number | null | undefined, where: string): number | null {
  if (divisorOverride === undefined || divisorOverride === null) return null;
  if (!Number.isInteger(divisorOverride) || divisorOverride === 0) {
    throw new ValueError(`${where}: divisorOverride must be a non-zero integer (got ${divisorOverride})`);
  }
  return divisorOverride;
}
