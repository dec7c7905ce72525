/**
 * The contract between tensors and the machines that compute them.
 *
 * A backend owns tensor memory (`Storage`) and a small set of primitive kernels. Tensors never
 * touch a backend's memory directly: they ask the backend to allocate, compute and read back. That
 * is what lets a later backend keep its memory outside JavaScript arrays (WebAssembly memory, a
 * GPU buffer) without any change to tensors, autograd or user code.
 *
 * Kernels take contiguous row-major storages plus the shape facts they need and return new
 * storages; the few in-place kernels say so in their names. Gradients are not the backends'
 * business: autograd composes them from these same kernels, so a new backend brings forward
 * kernels only.
 */
import type { ManagedMemory } from "./memory.js";

export type DType = "float32" | "float64" | "int32";

export type TypedArray = Float32Array | Float64Array | Int32Array;

/** An opaque block of tensor memory owned by one backend. */
export interface Storage {
  readonly backend: Backend;
  readonly dtype: DType;
  /** Number of elements (not bytes). */
  readonly size: number;
}

export type UnaryOp =
  | "neg"
  | "exp"
  | "log"
  | "sqrt"
  | "abs"
  | "sign"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "square"
  | "reciprocal";

export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  /** a where b > 0, else 0: ReLU's backward (a the output gradient, b the input), in one pass. */
  | "reluGrad";

export type ReduceOp = "sum" | "max" | "min" | "argmax" | "argmin";

/**
 * A strided view of a storage, used by the copy kernels: element (i0, i1, ...) of the view lives
 * at `offset + i0*strides[0] + i1*strides[1] + ...`. A stride of 0 repeats (broadcasts) an axis.
 */
export interface StridedView {
  shape: readonly number[];
  strides: readonly number[];
  offset: number;
}

/** Batched matrix product C[b] = op(A[b]) · op(B[b]), op = optional transpose. */
export interface MatmulSpec {
  batch: number;
  m: number;
  n: number;
  k: number;
  /** Elements between consecutive batch matrices; 0 reuses one matrix for every batch entry. */
  aBatchStride: number;
  bBatchStride: number;
  /** A is stored as [k, m] (read transposed) instead of [m, k]. */
  transA: boolean;
  /** B is stored as [n, k] (read transposed) instead of [k, n]. */
  transB: boolean;
  /** Sum the batch into a single [m, n] result (the weight gradient of a convolution). */
  sumBatch: boolean;
}

/** Geometry of a 2-D sliding window over an NCHW input (convolution and pooling). */
export interface Window2d {
  batch: number;
  channels: number;
  inH: number;
  inW: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  /** Padding before the first row / column (after is implied by outH / outW). */
  padTop: number;
  padLeft: number;
  dilationH: number;
  dilationW: number;
  outH: number;
  outW: number;
}

/** A 2-D convolution: its window over the input, plus output channels and groups. */
export interface Conv2dSpec extends Window2d {
  outChannels: number;
  groups: number;
}

/** Hyper-parameters of one SGD step (see optim/sgd.ts for the formula). */
export interface SgdStep {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  /** The momentum buffer is new: it takes the gradient as it is. */
  firstStep: boolean;
}

export interface Backend {
  readonly name: string;
  /**
   * Present when the backend's memory is invisible to JavaScript's garbage collector: the
   * library's scopes release what each step allocated (see memory.ts).
   */
  readonly memory?: ManagedMemory;

  // ---- memory -------------------------------------------------------------------------------
  /** A zero-filled storage. */
  alloc(dtype: DType, size: number): Storage;
  /** A storage holding a copy of `values`, converted to `dtype`. */
  fromArray(values: ArrayLike<number>, dtype: DType): Storage;
  /** A copy of the storage's contents as a typed array of its dtype. */
  read(storage: Storage): TypedArray;
  /** One element, without copying the whole storage. */
  readElement(storage: Storage, index: number): number;
  full(dtype: DType, size: number, value: number): Storage;
  cast(x: Storage, dtype: DType): Storage;

  // ---- elementwise ----------------------------------------------------------------------------
  unary(op: UnaryOp, x: Storage): Storage;
  /** x^exponent for a constant exponent. */
  powScalar(x: Storage, exponent: number): Storage;
  /** x where x > 0, slope * x elsewhere. */
  leakyRelu(x: Storage, slope: number): Storage;
  /** Limits to [min, max]; either bound may be -Infinity / Infinity. */
  clamp(x: Storage, min: number, max: number): Storage;
  /**
   * `out[i] = a[view a at i] op b[view b at i]` over `outShape`; views carry the broadcasting
   * strides. Comparisons give 1 or 0 in `outDtype`.
   */
  binary(op: BinaryOp, a: Storage, aView: StridedView, b: Storage, bView: StridedView, outShape: readonly number[], outDtype: DType): Storage;
  /** `cond != 0 ? a : b`, all three broadcast through their views to `outShape`. */
  where(cond: Storage, condView: StridedView, a: Storage, aView: StridedView, b: Storage, bView: StridedView, outShape: readonly number[]): Storage;

  // ---- reductions -----------------------------------------------------------------------------
  /**
   * Reduces the middle axis of x seen as [outer, size, inner], giving [outer, inner].
   * argmax / argmin give int32 indices along that axis (the first on ties, like PyTorch).
   */
  reduce(op: ReduceOp, x: Storage, outer: number, size: number, inner: number): Storage;

  // ---- linear algebra -------------------------------------------------------------------------
  matmul(a: Storage, b: Storage, spec: MatmulSpec): Storage;

  // ---- movement -------------------------------------------------------------------------------
  /** A contiguous copy of a strided view (transpose, permute, expand, slice all end here). */
  copyStrided(x: Storage, view: StridedView): Storage;
  /** In place: writes contiguous `src` into the strided region `dstView` of `dst` (cat, pad). */
  writeStrided(dst: Storage, dstView: StridedView, src: Storage): void;
  /** x seen as [outer, size, inner]: picks `index` entries of the middle axis. */
  indexSelect(x: Storage, outer: number, size: number, inner: number, index: Storage): Storage;
  /** The adjoint of indexSelect: adds rows of `src` [outer, index.size, inner] into a zero [outer, size, inner]. */
  indexAdd(src: Storage, outer: number, size: number, inner: number, index: Storage): Storage;
  /** x seen as [outer, size, inner]; index as [outer, idxSize, inner] picks along the middle axis. */
  gather(x: Storage, outer: number, size: number, inner: number, index: Storage, idxSize: number): Storage;
  /** The adjoint of gather: a zero [outer, size, inner] with `src` added at the gathered places. */
  scatterAdd(src: Storage, outer: number, size: number, inner: number, index: Storage, idxSize: number): Storage;

  // ---- optimizer updates ------------------------------------------------------------------------
  /**
   * In place, one SGD step for a parameter, PyTorch's formula: g = grad + λθ; with momentum
   * buf = first ? g : μ·buf + (1−τ)·g and g = nesterov ? g + μ·buf : buf; then θ −= η·g.
   * Fused so an update is one pass over memory instead of five tensor ops.
   */
  sgdUpdate(param: Storage, grad: Storage, momentumBuffer: Storage | null, step: SgdStep): void;

  // ---- convolution and pooling (named performance kernels) ------------------------------------
  /**
   * Unfolds NCHW input patches into columns laid out [C*kH*kW, N*outH*outW], so a convolution is
   * one matrix product with the weights [O, C*kH*kW] (the lectures' im2col).
   */
  im2col(x: Storage, w: Window2d): Storage;
  /**
   * Convolution x [N, C, H, W] ⋆ weight [O, C/groups, kH, kW] (+ bias [O]) → [N, O, outH, outW],
   * and its two gradients: with respect to the input ([N, C, H, W]) and to the weight.
   */
  conv2d(x: Storage, weight: Storage, bias: Storage | null, spec: Conv2dSpec): Storage;
  conv2dBackwardInput(gradOut: Storage, weight: Storage, spec: Conv2dSpec): Storage;
  conv2dBackwardWeight(gradOut: Storage, x: Storage, spec: Conv2dSpec): Storage;
  /** The adjoint of im2col: sums columns back into an NCHW image (overlaps add up). */
  col2im(cols: Storage, w: Window2d): Storage;
  /**
   * Max pooling; `indices` holds for each output the flat position (h*inW + w) of the winner in
   * its input plane, as PyTorch's returnIndices does. Padding never wins.
   */
  maxPool2d(x: Storage, w: Window2d): { out: Storage; indices: Storage };
  /** Routes each output gradient to its window's winner. */
  maxPool2dBackward(gradOut: Storage, indices: Storage, w: Window2d): Storage;
  /** Average pooling; the divisor counts padding cells when `countIncludePad` (PyTorch's rule). */
  avgPool2d(x: Storage, w: Window2d, countIncludePad: boolean): Storage;
  avgPool2dBackward(gradOut: Storage, w: Window2d, countIncludePad: boolean): Storage;

  // ---- special functions (added for the exact GELU) -----------------------------------------
  /**
   * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, elementwise, float dtypes only. A kernel of
   * its own because no short composition of the other kernels is accurate to the last bits.
   */
  erf(x: Storage): Storage;
  // ---- pooling beyond 2-D max / average (1-D pooling runs the 2-D kernels with H = 1) ---------
  /**
   * 3-D max pooling over NCDHW; `indices` holds each winner's flat position (d*inH + h)*inW + w
   * in its input volume (PyTorch's convention). NaN wins; padding never does.
   */
  maxPool3d(x: Storage, w: Window3d): { out: Storage; indices: Storage };
  /**
   * 3-D average pooling: each clipped window's sum divided by `divisorOverride` when given, else
   * by its size counting padding cells (`countIncludePad`) or not (PyTorch's rule, as avgPool2d).
   */
  avgPool3d(x: Storage, w: Window3d, countIncludePad: boolean, divisorOverride: number | null): Storage;
  avgPool3dBackward(gradOut: Storage, w: Window3d, countIncludePad: boolean, divisorOverride: number | null): Storage;
  /**
   * Adaptive max pooling over NCHW: output cell (i, j) is the max over rows
   * ⌊i·inH/outH⌋ .. ⌈(i+1)·inH/outH⌉ - 1 and the matching columns; indices are h*inW + w.
   */
  adaptiveMaxPool2d(x: Storage, w: AdaptiveWindow2d): { out: Storage; indices: Storage };
  /**
   * The backward of every max pooling: `gradOut` seen as [planes, outPlane] is added into a zero
   * [planes, plane] at each entry's index (an index of -1, a window of padding only, is skipped).
   */
  maxPoolBackward(gradOut: Storage, indices: Storage, planes: number, plane: number): Storage;
  /**
   * Max unpooling: a zero [planes, outPlane] with each value of `x` (seen as [planes, inPlane])
   * WRITTEN (not added) at its index, as PyTorch's max_unpool; an index outside 0..outPlane-1
   * throws. Its backward is a gather at the same indices.
   */
  maxUnpool(x: Storage, indices: Storage, planes: number, outPlane: number): Storage;
  // ---- adaptive optimizer updates (Adagrad, Adadelta, RMSprop, Adam/AdamW, Adamax, NAdam) ------
  /**
   * In place, one step of an adaptive optimizer for one parameter: updates `param` and the
   * per-parameter state buffers `state` (named as in the optimizer's state, e.g. `expAvg`) by
   * the elementwise part of `rule`; the scalar parts (bias corrections, step sizes) arrive
   * precomputed in the rule. The formulas are on OptimRule's members and in src/optim/*.ts.
   * Fused, like sgdUpdate, so a step is one pass over memory instead of about ten tensor ops.
   */
  optimUpdate(param: Storage, grad: Storage, state: Record<string, Storage>, rule: OptimRule): void;
  // ---- shape-only backends (src/inspect/meta-backend.ts) --------------------------------------
  /**
   * True for a backend whose tensors hold no values, only shapes (inspect's "meta" backend):
   * random tensors made on it skip drawing numbers, so a model built there (for a summary) costs
   * neither the weights' memory nor their initialisation time, and leaves the generator as it was.
   */
  readonly shapeOnly?: boolean;
}

/** Geometry of a 3-D sliding window over an NCDHW input (3-D pooling); as Window2d plus depth. */
export interface Window3d {
  batch: number;
  channels: number;
  inD: number;
  inH: number;
  inW: number;
  kernelD: number;
  kernelH: number;
  kernelW: number;
  strideD: number;
  strideH: number;
  strideW: number;
  /** Padding before the first plane / row / column (pooling pads symmetrically). */
  padFront: number;
  padTop: number;
  padLeft: number;
  dilationD: number;
  dilationH: number;
  dilationW: number;
  outD: number;
  outH: number;
  outW: number;
}

/** Sizes of an adaptive pooling over NCHW: the windows follow from in and out alone. */
export interface AdaptiveWindow2d {
  batch: number;
  channels: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
}

/**
 * The elementwise part of one adaptive optimizer step (Backend.optimUpdate). In every rule
 * g = grad + weightDecay·θ when weightDecay ≠ 0 (the L2-regularised gradient); the operations
 * follow PyTorch 1.13's single-tensor code in order, so float64 results agree to rounding.
 */
export type OptimRule = AdagradRule | AdadeltaRule | RmspropRule | AdamRule | AdamaxRule | NadamRule;

/** sum += g²; θ −= clr·g / (√sum + eps). State: `sum`. */
export interface AdagradRule {
  kind: "adagrad";
  clr: number;
  eps: number;
  weightDecay: number;
}

/**
 * v = ρv + (1−ρ)g²; δ = √(u + eps) / √(v + eps) · g; u = ρu + (1−ρ)δ²; θ −= lr·δ.
 * State: `squareAvg` (v), `accDelta` (u).
 */
export interface AdadeltaRule {
  kind: "adadelta";
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
}

/**
 * v = αv + (1−α)g²; centered: a = αa + (1−α)g, d = √(v − a²) + eps, else d = √v + eps;
 * momentum μ > 0: b = μb + g/d, θ −= lr·b; else θ −= lr·g/d.
 * State: `squareAvg` (v), `gradAvg` (a, centered only), `momentumBuffer` (b, μ > 0 only).
 */
export interface RmspropRule {
  kind: "rmsprop";
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
}

/**
 * θ ·= decay (AdamW's decoupled decay 1 − lr·λ; 1 for Adam); m = β₁m + (1−β₁)g;
 * v = β₂v + (1−β₂)g²; amsgrad: vₘₐₓ = max(vₘₐₓ, v) replaces v below; θ −= stepSize·m / (√v / bc2Sqrt + eps).
 * State: `expAvg` (m), `expAvgSq` (v), `maxExpAvgSq` (vₘₐₓ, amsgrad only).
 */
export interface AdamRule {
  kind: "adam";
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decay: number;
  /** lr / (1 − β₁ᵗ). */
  stepSize: number;
  /** √(1 − β₂ᵗ). */
  bc2Sqrt: number;
  amsgrad: boolean;
}

/** m = β₁m + (1−β₁)g; u = max(β₂u, |g| + eps); θ −= clr·m / u. State: `expAvg` (m), `expInf` (u). */
export interface AdamaxRule {
  kind: "adamax";
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** lr / (1 − β₁ᵗ). */
  clr: number;
}

/**
 * m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; d = √(v / bc2) + eps; θ += gradCoef·g / d; θ += avgCoef·m / d.
 * State: `expAvg` (m), `expAvgSq` (v).
 */
export interface NadamRule {
  kind: "nadam";
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1 − β₂ᵗ. */
  bc2: number;
  /** −lr·(1 − μₜ) / (1 − Πᵢ≤ₜ μᵢ). */
  gradCoef: number;
  /** −lr·μₜ₊₁ / (1 − Πᵢ≤ₜ₊₁ μᵢ). */
  avgCoef: number;
}
