/**
 * Power-average (LP) pooling, PyTorch's formula: out = (Σ_window x^p)^(1/p); p = 2 is the
 * lectures' L2 pooling, p = 1 sum pooling, p → ∞ approaches max pooling.
 *
 * Computed as PyTorch does, through average pooling (no padding): s = avgPool(x^p), then
 * (kernelSize · s)^(1/p). With ceilMode a partial last window is averaged over its in-input cells
 * and then multiplied by the full kernel size, exactly PyTorch's numbers.
 *
 * The gradient at a zero window: d/ds s^(1/p) is infinite at 0 for p > 1, but PyTorch guards s
 * with sign(s)·relu(|s|), whose gradient is 0 there, so a window summing to zero passes no
 * gradient (not NaN). Negative sums (odd p) give NaN for fractional 1/p, as in PyTorch.
 */
import { fromOp } from "../autograd/record.js";
import { ShapeError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { backendOf, requireFloat } from "./util.js";
import { powScalar } from "./elementwise.js";
import { where as select } from "./binary.js";
import { avgPool1d, type Size1 } from "./pool1d.js";
import { avgPool2d } from "./pool.js";
import { expandSize, inputWhere } from "./pool-args.js";
import type { Pair } from "./window.js";

export interface LPPool1dOptions {
  /** Defaults to the kernel size. */
  stride?: Size1 | null;
  ceilMode?: boolean;
  /** The layer name used in error messages. */
  name?: string;
}

export interface LPPool2dOptions extends Omit<LPPool1dOptions, "stride"> {
  stride?: Pair | null;
}

/** p must be a finite number > 0 (PyTorch does not check; p <= 0 only gives NaN or garbage). */
export function checkNorm(normType: number, where: string): number {
  if (!Number.isFinite(normType) || normType <= 0) throw new ValueError(`${where}: normType must be a finite number > 0 (got ${normType}); rule: p-norm pooling needs p > 0`);
  return normType;
}

/** t^(1/p) with PyTorch's zero gradient where t == 0 (see the file comment). */
function root(t: Tensor, p: number): Tensor {
  return fromOp(backendOf(t).powScalar(t.storage, 1 / p), t.shape, "lpPool", [t], (g) => [
    select(t.eq(0), 0, g.mul(powScalar(t, 1 / p - 1)).mul(1 / p)),
  ]);
}

/** (Σ_window x^p)^(1/p) over windows of the last axis: [N, C, L] or [C, L]. */
export function lpPool1d(x: Tensor, normType: number, kernelSize: Size1, options: LPPool1dOptions = {}): Tensor {
  const where = inputWhere(options.name ?? "lpPool1d", x);
  requireFloat(x, where);
  checkNorm(normType, where);
  const k = expandSize(kernelSize, 1, "kernelSize", where)[0];
  const s = avgPool1d(powScalar(x, normType), kernelSize, { stride: options.stride, ceilMode: options.ceilMode, name: where });
  return root(s.mul(k), normType);
}

/** (Σ_window x^p)^(1/p) over windows of H and W: [N, C, H, W] or [C, H, W]. */
export function lpPool2d(x: Tensor, normType: number, kernelSize: Pair, options: LPPool2dOptions = {}): Tensor {
  const where = inputWhere(options.name ?? "lpPool2d", x);
  requireFloat(x, where);
  checkNorm(normType, where);
  const [kh, kw] = expandSize(kernelSize, 2, "kernelSize", where);
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(`${where}: expects input [N, C, H, W] or [C, H, W] (4-D or 3-D), got ${x.ndim}-D`);
  const s = avgPool2d(powScalar(x, normType), [kh, kw], { stride: options.stride, ceilMode: options.ceilMode, name: where });
  return root(s.mul(kh * kw), normType);
}
