/**
 * The Tensor: a shape, a dtype and a storage owned by a backend, plus the autograd fields.
 *
 * Storage is always contiguous and row-major. Reshaping shares the storage; every other movement
 * (transpose, expand, slice) makes a contiguous copy. That keeps every kernel simple and every
 * backend free to put memory where it likes, at the price of some copies PyTorch would avoid.
 *
 * The methods here are thin: each op lives in `src/ops/`, with its backward beside it.
 */
import type { DType, Storage, TypedArray } from "../backend/types.js";
import { sizeOf } from "../backend/layout.js";
import { AutogradError, ValueError } from "../errors.js";
import { backward as runBackward, type GradFn } from "../autograd/engine.js";
import * as E from "../ops/elementwise.js";
import * as B from "../ops/binary.js";
import * as R from "../ops/reduce.js";
import * as S from "../ops/shape.js";
import * as I from "../ops/indexing.js";
import * as A from "../ops/activation.js";
import { matmul } from "../ops/matmul.js";
import { normalizeDim, sameShape } from "../ops/util.js";
import { keep as keepTensor } from "./scope.js";

export type Scalar = number;
export type TensorLike = Tensor | number;
export type NestedArray = number | NestedArray[];

export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** @internal The backend memory. Contiguous, row-major, shared by reshaped views. */
  storage: Storage;
  /** Whether gradients flow to this tensor. Set on leaves you want to train. */
  requiresGrad = false;
  /** Accumulated gradient of a leaf after `backward()`; null until then. */
  grad: Tensor | null = null;
  /** How this tensor was computed (null for leaves and for tensors made without grad). */
  gradFn: GradFn | null = null;

  /** @internal Use `tensor()`, `zeros()`, ... to make tensors. */
  constructor(storage: Storage, shape: readonly number[]) {
    if (sizeOf(shape) !== storage.size) {
      throw new ValueError(`Tensor: shape [${shape}] holds ${sizeOf(shape)} elements but the storage has ${storage.size}`);
    }
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.dtype = storage.dtype;
  }

  // ---- facts ----------------------------------------------------------------------------------
  get ndim(): number {
    return this.shape.length;
  }
  get numel(): number {
    return this.storage.size;
  }
  /** Size of one dimension (negative counts from the end). */
  size(dim: number): number {
    return this.shape[normalizeDim(dim, this.ndim, "size")];
  }
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  // ---- reading --------------------------------------------------------------------------------
  /** A copy of the elements as a typed array (Float32Array, Float64Array or Int32Array). */
  data(): TypedArray {
    return this.storage.backend.read(this.storage);
  }
  /** The elements as nested JavaScript arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const flat = this.data();
    if (this.ndim === 0) return flat[0];
    const build = (dim: number, offset: number, stride: number): NestedArray[] => {
      const n = this.shape[dim];
      const inner = stride / n;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = dim === this.ndim - 1 ? flat[offset + i] : build(dim + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.numel);
  }
  /** The value of a one-element tensor. */
  item(): number {
    if (this.numel !== 1) throw new ValueError(`item(): tensor has ${this.numel} elements (shape [${this.shape}]); item() needs exactly one`);
    return this.storage.backend.readElement(this.storage, 0);
  }

  // ---- autograd -------------------------------------------------------------------------------
  /**
   * Back-propagates from this tensor. A scalar needs no argument (the gradient is 1); any other
   * shape needs the gradient of the final loss with respect to it.
   */
  backward(gradient?: Tensor): void {
    if (!this.requiresGrad) {
      throw new AutogradError(`backward(): this tensor (shape [${this.shape}]) does not require grad and has no grad_fn; did you compute it inside noGrad() or from tensors without requiresGrad?`);
    }
    let g = gradient;
    if (!g) {
      if (this.numel !== 1) {
        throw new AutogradError(`backward(): a gradient is only implied for a scalar; this tensor has shape [${this.shape}], so pass backward(gradient)`);
      }
      g = new Tensor(this.storage.backend.full(this.dtype, 1, 1), this.shape);
    } else if (!sameShape(g.shape, this.shape)) {
      throw new AutogradError(`backward(gradient): gradient has shape [${g.shape}] but the tensor has shape [${this.shape}]`);
    }
    runBackward(this, g);
  }
  /** The same values with no history: gradients stop here. Shares storage. */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape);
  }
  /**
   * Exempts this tensor from memory scopes (see `scope()`): on backends that manage their own
   * memory, it then lives until garbage-collected. A no-op on `cpu`. Returns this.
   */
  keep(): this {
    return keepTensor(this);
  }
  /** Sets requiresGrad in place and returns this, for chaining. */
  requiresGrad_(flag = true): this {
    if (flag && this.dtype === "int32") throw new ValueError("requiresGrad: only float tensors can require gradients (this one is int32)");
    this.requiresGrad = flag;
    return this;
  }
  /**
   * Overwrites this tensor's values with `src` (same shape; dtype converted) in place, without
   * recording history: how optimizers update parameters and how state dicts are loaded.
   */
  copy_(src: Tensor): this {
    if (!sameShape(src.shape, this.shape)) throw new ValueError(`copy_: source shape [${src.shape}] differs from destination shape [${this.shape}]`);
    const s = src.dtype === this.dtype ? src.storage : src.storage.backend.cast(src.storage, this.dtype);
    this.storage.backend.writeStrided(this.storage, { shape: [this.numel], strides: [1], offset: 0 }, s);
    return this;
  }
  /** A copy with its own storage; gradients flow back to this tensor. */
  clone(): Tensor {
    return S.contiguousCopy(this);
  }
  /** Converts to another dtype (no gradient flows through integer results). */
  to(dtype: DType): Tensor {
    return E.cast(this, dtype);
  }
  float(): Tensor {
    return this.to("float32");
  }
  double(): Tensor {
    return this.to("float64");
  }

  // ---- elementwise ----------------------------------------------------------------------------
  add(other: TensorLike): Tensor {
    return B.add(this, other);
  }
  sub(other: TensorLike): Tensor {
    return B.sub(this, other);
  }
  mul(other: TensorLike): Tensor {
    return B.mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return B.div(this, other);
  }
  pow(exponent: TensorLike): Tensor {
    return B.pow(this, exponent);
  }
  maximum(other: TensorLike): Tensor {
    return B.maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return B.minimum(this, other);
  }
  eq(other: TensorLike): Tensor {
    return B.compare("eq", this, other);
  }
  ne(other: TensorLike): Tensor {
    return B.compare("ne", this, other);
  }
  lt(other: TensorLike): Tensor {
    return B.compare("lt", this, other);
  }
  le(other: TensorLike): Tensor {
    return B.compare("le", this, other);
  }
  gt(other: TensorLike): Tensor {
    return B.compare("gt", this, other);
  }
  ge(other: TensorLike): Tensor {
    return B.compare("ge", this, other);
  }
  neg(): Tensor {
    return E.neg(this);
  }
  exp(): Tensor {
    return E.exp(this);
  }
  log(): Tensor {
    return E.log(this);
  }
  sqrt(): Tensor {
    return E.sqrt(this);
  }
  abs(): Tensor {
    return E.abs(this);
  }
  square(): Tensor {
    return E.square(this);
  }
  clamp(min?: number | null, max?: number | null): Tensor {
    return E.clamp(this, min, max);
  }
  sigmoid(): Tensor {
    return E.sigmoid(this);
  }
  tanh(): Tensor {
    return E.tanh(this);
  }
  relu(): Tensor {
    return E.relu(this);
  }
  leakyRelu(negativeSlope = 0.01): Tensor {
    return E.leakyRelu(this, negativeSlope);
  }
  softmax(dim: number): Tensor {
    return A.softmax(this, dim);
  }
  logSoftmax(dim: number): Tensor {
    return A.logSoftmax(this, dim);
  }

  // ---- reductions -----------------------------------------------------------------------------
  sum(dim?: number | number[] | null, keepdim = false): Tensor {
    return R.sum(this, dim, keepdim);
  }
  mean(dim?: number | number[] | null, keepdim = false): Tensor {
    return R.mean(this, dim, keepdim);
  }
  /** Largest values over `dim` (or of everything). Use `argmax` for the positions. */
  max(dim?: number | null, keepdim = false): Tensor {
    return R.max(this, dim, keepdim);
  }
  min(dim?: number | null, keepdim = false): Tensor {
    return R.min(this, dim, keepdim);
  }
  argmax(dim?: number | null, keepdim = false): Tensor {
    return R.argmax(this, dim, keepdim);
  }
  argmin(dim?: number | null, keepdim = false): Tensor {
    return R.argmin(this, dim, keepdim);
  }
  logsumexp(dim: number | number[], keepdim = false): Tensor {
    return R.logsumexp(this, dim, keepdim);
  }

  // ---- linear algebra -------------------------------------------------------------------------
  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }

  // ---- shape ----------------------------------------------------------------------------------
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    return S.reshape(this, flatArgs(shape));
  }
  /** Same as reshape: storage is always contiguous, so every reshape is a view. */
  view(...shape: number[] | [readonly number[]]): Tensor {
    return S.reshape(this, flatArgs(shape));
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return S.flatten(this, startDim, endDim);
  }
  squeeze(dim?: number): Tensor {
    return S.squeeze(this, dim);
  }
  unsqueeze(dim: number): Tensor {
    return S.unsqueeze(this, dim);
  }
  transpose(dim0: number, dim1: number): Tensor {
    return S.transpose(this, dim0, dim1);
  }
  /** Transpose of a 2-D tensor. */
  get T(): Tensor {
    if (this.ndim !== 2) throw new ValueError(`.T expects a 2-D tensor, got shape [${this.shape}]; use permute() for more dimensions`);
    return S.transpose(this, 0, 1);
  }
  permute(...dims: number[] | [readonly number[]]): Tensor {
    return S.permute(this, flatArgs(dims));
  }
  expand(...shape: number[] | [readonly number[]]): Tensor {
    return S.expand(this, flatArgs(shape));
  }
  /** Elements start, start+step, ... < end along dim (negative indices count from the end). */
  slice(dim: number, start: number, end?: number, step = 1): Tensor {
    return S.slice(this, dim, start, end, step);
  }
  narrow(dim: number, start: number, length: number): Tensor {
    return S.narrow(this, dim, start, length);
  }
  indexSelect(dim: number, index: Tensor | number[]): Tensor {
    return I.indexSelect(this, dim, index);
  }
  gather(dim: number, index: Tensor): Tensor {
    return I.gather(this, dim, index);
  }

  // ---- printing -------------------------------------------------------------------------------
  toString(): string {
    const body = formatNested(this.toArray(), this.dtype);
    const extra = this.dtype !== "float32" ? `, dtype=${this.dtype}` : "";
    const grad = this.gradFn ? `, gradFn=${this.gradFn.name}` : this.requiresGrad ? ", requiresGrad=true" : "";
    return `tensor(${body}${extra}${grad})`;
  }
}

function flatArgs(args: number[] | [readonly number[]]): number[] {
  return Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : (args as number[]);
}

function formatNested(v: NestedArray, dtype: DType, indent = 7): string {
  if (typeof v === "number") return dtype === "int32" ? String(v) : formatFloat(v);
  if (v.length > 0 && typeof v[0] === "number") return "[" + v.map((x) => formatNested(x, dtype)).join(", ") + "]";
  return "[" + v.map((x) => formatNested(x, dtype, indent + 1)).join(",\n" + " ".repeat(indent + 1)) + "]";
}

function formatFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(0) + ".";
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? x.toExponential(4) : Number(x.toPrecision(5)).toString();
}
