/**
 * Resampling of feature maps (F.interpolate): "nearest" and "(bi)linear", PyTorch's index and
 * weight rules to the last bit.
 *
 * Both modes are separable, so they run one spatial axis at a time: nearest picks source rows
 * (indexSelect), linear blends two of them, y = x[i0]·λ0 + x[i1]·λ1. Gradients come from those
 * ops (indexSelect's adjoint adds each output back into its source rows), so the backward is
 * exactly the adjoint of the forward, as PyTorch's upsample backward kernels are.
 *
 * Source positions, for output index d along an axis of input size n and output size m:
 * - nearest: src = min(floor(d · s), n − 1), s = 1/scaleFactor if a scale factor was given,
 *   n/m otherwise; computed in float32 as PyTorch does (which decides ties such as 3 · (1/3)).
 *   m = n and m = 2n are exact: d and floor(d/2).
 * - linear, alignCorners false: src = max(s · (d + 0.5) − 0.5, 0) (pixel centres line up);
 *   alignCorners true: src = d · (n − 1)/(m − 1) (corner pixels line up).
 *   i0 = floor(src), i1 = min(i0 + 1, n − 1), λ1 = src − i0, λ0 = 1 − λ1.
 */
import { ShapeError, ValueError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { indexSelect } from "./indexing.js";
import { backendOf, requireFloat } from "./util.js";

export type InterpolateMode = "nearest" | "linear" | "bilinear";

export interface InterpolateOptions {
  /** Output spatial size: a number for every spatial dim, or one per dim ([h, w]). */
  size?: number | number[] | null;
  /** Multiplier of the spatial size (output = floor(input · scaleFactor)); a number or one per dim. */
  scaleFactor?: number | number[] | null;
  /** "nearest" (default), "linear" (3-D input) or "bilinear" (4-D input). */
  mode?: InterpolateMode;
  /** Linear modes only: align the corner pixels instead of the pixel centres. Default false. */
  alignCorners?: boolean | null;
  /** Use input/output size ratios instead of 1/scaleFactor for the source positions. */
  recomputeScaleFactor?: boolean | null;
  /** Names the layer in error messages. */
  name?: string;
}

function perDim(v: number | number[], dims: number, what: string, where: string): number[] {
  const list = typeof v === "number" ? new Array<number>(dims).fill(v) : [...v];
  if (list.length !== dims) throw new ValueError(`${where}: ${what} needs ${dims} value(s) for ${dims} spatial dim(s), got [${list}]`);
  return list;
}

/** Spatial output sizes, and the scale factors the kernels see (null: use size ratios). */
function outputGeometry(x: Tensor, o: InterpolateOptions, where: string): { sizes: number[]; scales: (number | null)[] } {
  const spatial = x.shape.slice(2);
  const hasSize = o.size !== undefined && o.size !== null;
  const hasScale = o.scaleFactor !== undefined && o.scaleFactor !== null;
  if (hasSize === hasScale) throw new ValueError(`${where}: give exactly one of size and scaleFactor`);
  if (hasSize) {
    const sizes = perDim(o.size as number | number[], spatial.length, "size", where);
    if (sizes.some((s) => !Number.isInteger(s))) throw new ValueError(`${where}: size must hold integers, got [${sizes}]`);
    if (o.recomputeScaleFactor) throw new ValueError(`${where}: recomputeScaleFactor only applies with scaleFactor, not with size`);
    return { sizes: check(sizes), scales: sizes.map(() => null) };
  }
  const factors = perDim(o.scaleFactor as number | number[], spatial.length, "scaleFactor", where);
  if (factors.some((f) => !(f > 0 && Number.isFinite(f)))) throw new ValueError(`${where}: scaleFactor must be positive and finite, got [${factors}]`);
  const sizes = spatial.map((n, i) => Math.floor(n * factors[i]));
  return { sizes: check(sizes), scales: o.recomputeScaleFactor ? sizes.map(() => null) : factors };

  function check(sizes: number[]): number[] {
    if (sizes.some((s) => s < 1) || spatial.some((s) => s < 1)) {
      throw new ValueError(`${where}: input and output sizes must be greater than 0, got input [${spatial}] and output [${sizes}] (input shape [${x.shape}])`);
    }
    return sizes;
  }
}

/** PyTorch's nearest source index, in float32 arithmetic as its kernel does. */
function nearestIndices(n: number, m: number, scale: number | null): Int32Array {
  const idx = new Int32Array(m);
  const s = Math.fround(scale !== null ? 1 / scale : n / m);
  for (let d = 0; d < m; d++) {
    if (m === n) idx[d] = d;
    else if (m === 2 * n) idx[d] = d >> 1;
    else idx[d] = Math.min(Math.floor(Math.fround(Math.fround(d) * s)), n - 1);
  }
  return idx;
}

/** Source rows and blend weights of linear interpolation along one axis. */
function linearWeights(n: number, m: number, scale: number | null, alignCorners: boolean) {
  const i0 = new Int32Array(m);
  const i1 = new Int32Array(m);
  const l0 = new Float64Array(m);
  const l1 = new Float64Array(m);
  const s = alignCorners ? (m > 1 ? (n - 1) / (m - 1) : 0) : scale !== null && scale > 0 ? 1 / scale : n / m;
  for (let d = 0; d < m; d++) {
    const src = alignCorners ? s * d : Math.max(s * (d + 0.5) - 0.5, 0);
    const lo = Math.min(Math.floor(src), n - 1);
    i0[d] = lo;
    i1[d] = lo < n - 1 ? lo + 1 : lo;
    l1[d] = Math.min(Math.max(src - lo, 0), 1);
    l0[d] = 1 - l1[d];
  }
  return { i0, i1, l0, l1 };
}

/**
 * Resizes x [N, C, W] (modes "nearest", "linear") or [N, C, H, W] ("nearest", "bilinear") to
 * `size` or by `scaleFactor`. Gradients flow to x.
 */
export function interpolate(x: Tensor, options: InterpolateOptions = {}): Tensor {
  const where = options.name ?? "interpolate";
  const mode = options.mode ?? "nearest";
  requireFloat(x, where);
  const wantRank = mode === "linear" ? 3 : mode === "bilinear" ? 4 : null;
  if (mode !== "nearest" && wantRank === null) throw new ValueError(`${where}: mode must be "nearest", "linear" or "bilinear", got ${JSON.stringify(mode)}`);
  if ((wantRank === null && x.ndim !== 3 && x.ndim !== 4) || (wantRank !== null && x.ndim !== wantRank)) {
    const expect = mode === "linear" ? "[N, C, W]" : mode === "bilinear" ? "[N, C, H, W]" : "[N, C, W] or [N, C, H, W]";
    throw new ShapeError(`${where}: mode "${mode}" expects input ${expect}, got shape [${x.shape}]`);
  }
  if (mode === "nearest" && options.alignCorners !== undefined && options.alignCorners !== null) {
    throw new ValueError(`${where}: alignCorners can only be set with the linear modes ("linear", "bilinear"), not "nearest"`);
  }
  const { sizes, scales } = outputGeometry(x, options, where);
  const backend = backendOf(x);
  const ints = (a: Int32Array) => new Tensor(backend.fromArray(a, "int32"), [a.length]);
  let y = x;
  for (let k = 0; k < sizes.length; k++) {
    const dim = 2 + k;
    const n = x.shape[dim];
    const m = sizes[k];
    if (mode === "nearest") {
      if (m !== n) y = indexSelect(y, dim, ints(nearestIndices(n, m, scales[k])));
      continue;
    }
    const { i0, i1, l0, l1 } = linearWeights(n, m, scales[k], options.alignCorners ?? false);
    // Weights broadcast along `dim`: shape [m, 1, ...] with one 1 per later dim.
    const wShape = [m, ...new Array<number>(x.ndim - 1 - dim).fill(1)];
    const weight = (a: Float64Array) => new Tensor(backend.fromArray(a, x.dtype), wShape);
    y = indexSelect(y, dim, ints(i0)).mul(weight(l0)).add(indexSelect(y, dim, ints(i1)).mul(weight(l1)));
  }
  return y;
}
