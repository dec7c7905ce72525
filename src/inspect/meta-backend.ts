/**
 * The meta backend: tensors with a shape and a dtype but no memory (PyTorch's "meta" device).
 *
 * Every kernel returns a storage of the right dtype and size and computes nothing, so a model's
 * own forward() runs unchanged (its ops check and compute shapes exactly as in a real pass, and
 * throw the same errors) while nothing is allocated: VGG-19 at 224x224 "runs" in milliseconds.
 * That is how `summary()` gets output shapes and multiply-accumulates of any module, including
 * the custom forwards of ResNet blocks, Inception modules, dense blocks and Xception.
 *
 * Multiply-accumulates are counted where they happen, in the kernels that do them: a convolution
 * (including a transposed one, which runs the convolution's input-gradient kernel) counts
 * N·O·outH·outW·(C/groups)·kH·kW; a matrix product counts batch·m·n·k. A product or convolution
 * one of whose operands is a constant made from JavaScript values inside the forward (the
 * averaging matrix of an adaptive average pool that does not divide evenly, the weights of an
 * interpolation, the window of a contrast normalization) is a fixed resampling, not a learned
 * layer, and is not counted. Nothing else counts (see summary.ts for the convention).
 *
 * Reading a meta tensor gives zeros: forward code that checks index ranges (embedding, one-hot)
 * passes, but shapes that depend on values cannot be known here.
 */
import type {
  AdaptiveWindow2d, Backend, BinaryOp, Conv2dSpec, DType, MatmulSpec, OptimRule, ReduceOp, SgdStep, Storage,
  StridedView, TypedArray, UnaryOp, Window2d, Window3d,
} from "../backend/types.js";
import { newArray } from "../backend/dtype.js";
import { sizeOf } from "../backend/layout.js";
import { TesseraError } from "../errors.js";

/**
 * Where a meta storage came from: a model's parameter or buffer ("state"), a kernel's result,
 * the input or a filled tensor ("computed"), or a tensor made from JavaScript values during the
 * pass ("constant": fixed resampling weights such as an adaptive pool's averaging matrix).
 */
export type MetaKind = "state" | "computed" | "constant";

export class MetaStorage implements Storage {
  constructor(
    readonly backend: MetaBackend,
    readonly dtype: DType,
    readonly size: number,
    public kind: MetaKind,
  ) {}
}

const kindOf = (s: Storage): MetaKind => (s instanceof MetaStorage ? s.kind : "constant");

export class MetaBackend implements Backend {
  readonly name = "meta";
  readonly shapeOnly = true;
  /** Multiply-accumulates counted so far (callers read differences around a call). */
  macs = 0;

  private out(dtype: DType, size: number, kind: MetaKind = "computed"): MetaStorage {
    return new MetaStorage(this, dtype, size, kind);
  }
  /** A movement or cast of a constant is still a constant. */
  private like(x: Storage, dtype: DType, size: number): MetaStorage {
    return this.out(dtype, size, kindOf(x) === "constant" ? "constant" : "computed");
  }
  private count(macs: number, ...operands: Storage[]): void {
    if (operands.every((s) => kindOf(s) !== "constant")) this.macs += macs;
  }
  private static convMacs(s: Conv2dSpec): number {
    return s.batch * s.outChannels * s.outH * s.outW * (s.channels / s.groups) * s.kernelH * s.kernelW;
  }

  // ---- memory ----------------------------------------------------------------------------------
  alloc(dtype: DType, size: number): Storage {
    return this.out(dtype, size);
  }
  fromArray(values: ArrayLike<number>, dtype: DType): Storage {
    return this.out(dtype, values.length, "constant");
  }
  /** Zeros: a meta tensor has no values (see the file comment). */
  read(storage: Storage): TypedArray {
    return newArray(storage.dtype, storage.size);
  }
  readElement(): number {
    return 0;
  }
  /** Not a "constant": a filled tensor is a state (an RNN's zero h0), whose products count. */
  full(dtype: DType, size: number): Storage {
    return this.out(dtype, size);
  }
  cast(x: Storage, dtype: DType): Storage {
    return this.like(x, dtype, x.size);
  }

  // ---- elementwise -----------------------------------------------------------------------------
  unary(_op: UnaryOp, x: Storage): Storage {
    return this.like(x, x.dtype, x.size);
  }
  powScalar(x: Storage): Storage {
    return this.like(x, x.dtype, x.size);
  }
  leakyRelu(x: Storage): Storage {
    return this.like(x, x.dtype, x.size);
  }
  clamp(x: Storage): Storage {
    return this.like(x, x.dtype, x.size);
  }
  erf(x: Storage): Storage {
    return this.like(x, x.dtype, x.size);
  }
  binary(_op: BinaryOp, a: Storage, _av: StridedView, b: Storage, _bv: StridedView, outShape: readonly number[], outDtype: DType): Storage {
    const constant = kindOf(a) === "constant" && kindOf(b) === "constant";
    return this.out(outDtype, sizeOf(outShape), constant ? "constant" : "computed");
  }
  where(_c: Storage, _cv: StridedView, a: Storage, _av: StridedView, _b: Storage, _bv: StridedView, outShape: readonly number[]): Storage {
    return this.out(a.dtype, sizeOf(outShape));
  }

  // ---- reductions, products, movement -----------------------------------------------------------
  reduce(op: ReduceOp, x: Storage, outer: number, _size: number, inner: number): Storage {
    return this.like(x, op === "argmax" || op === "argmin" ? "int32" : x.dtype, outer * inner);
  }
  matmul(a: Storage, b: Storage, spec: MatmulSpec): Storage {
    this.count(spec.batch * spec.m * spec.n * spec.k, a, b);
    return this.out(a.dtype, (spec.sumBatch ? 1 : spec.batch) * spec.m * spec.n);
  }
  copyStrided(x: Storage, view: StridedView): Storage {
    return this.like(x, x.dtype, sizeOf(view.shape));
  }
  writeStrided(dst: Storage, _view: StridedView, src: Storage): void {
    if (!(dst instanceof MetaStorage)) throw new TesseraError("meta backend: cannot write into a tensor that has memory (the shape-only pass must not change real tensors)");
    if (kindOf(src) !== "constant" && dst.kind === "constant") dst.kind = "computed"; // computed values written in
  }
  indexSelect(x: Storage, outer: number, _size: number, inner: number, index: Storage): Storage {
    return this.like(x, x.dtype, outer * index.size * inner);
  }
  indexAdd(src: Storage, outer: number, size: number, inner: number): Storage {
    return this.like(src, src.dtype, outer * size * inner);
  }
  gather(x: Storage, outer: number, _size: number, inner: number, _index: Storage, idxSize: number): Storage {
    return this.like(x, x.dtype, outer * idxSize * inner);
  }
  scatterAdd(src: Storage, outer: number, size: number, inner: number): Storage {
    return this.like(src, src.dtype, outer * size * inner);
  }

  // ---- convolution and pooling -------------------------------------------------------------------
  im2col(x: Storage, w: Window2d): Storage {
    return this.like(x, x.dtype, w.channels * w.kernelH * w.kernelW * w.batch * w.outH * w.outW);
  }
  col2im(cols: Storage, w: Window2d): Storage {
    return this.like(cols, cols.dtype, w.batch * w.channels * w.inH * w.inW);
  }
  conv2d(x: Storage, weight: Storage, _bias: Storage | null, spec: Conv2dSpec): Storage {
    this.count(MetaBackend.convMacs(spec), x, weight);
    return this.out(x.dtype, spec.batch * spec.outChannels * spec.outH * spec.outW);
  }
  /** Also the forward of a transposed convolution: the same multiply-accumulates, run backwards. */
  conv2dBackwardInput(gradOut: Storage, weight: Storage, spec: Conv2dSpec): Storage {
    this.count(MetaBackend.convMacs(spec), gradOut, weight);
    return this.out(gradOut.dtype, spec.batch * spec.channels * spec.inH * spec.inW);
  }
  conv2dBackwardWeight(gradOut: Storage, x: Storage, spec: Conv2dSpec): Storage {
    this.count(MetaBackend.convMacs(spec), gradOut, x);
    return this.out(gradOut.dtype, spec.outChannels * (spec.channels / spec.groups) * spec.kernelH * spec.kernelW);
  }
  maxPool2d(x: Storage, w: Window2d): { out: Storage; indices: Storage } {
    const n = w.batch * w.channels * w.outH * w.outW;
    return { out: this.out(x.dtype, n), indices: this.out("int32", n) };
  }
  maxPool2dBackward(gradOut: Storage, _indices: Storage, w: Window2d): Storage {
    return this.out(gradOut.dtype, w.batch * w.channels * w.inH * w.inW);
  }
  avgPool2d(x: Storage, w: Window2d): Storage {
    return this.like(x, x.dtype, w.batch * w.channels * w.outH * w.outW);
  }
  avgPool2dBackward(gradOut: Storage, w: Window2d): Storage {
    return this.out(gradOut.dtype, w.batch * w.channels * w.inH * w.inW);
  }
  maxPool3d(x: Storage, w: Window3d): { out: Storage; indices: Storage } {
    const n = w.batch * w.channels * w.outD * w.outH * w.outW;
    return { out: this.out(x.dtype, n), indices: this.out("int32", n) };
  }
  avgPool3d(x: Storage, w: Window3d): Storage {
    return this.like(x, x.dtype, w.batch * w.channels * w.outD * w.outH * w.outW);
  }
  avgPool3dBackward(gradOut: Storage, w: Window3d): Storage {
    return this.out(gradOut.dtype, w.batch * w.channels * w.inD * w.inH * w.inW);
  }
  adaptiveMaxPool2d(x: Storage, w: AdaptiveWindow2d): { out: Storage; indices: Storage } {
    const n = w.batch * w.channels * w.outH * w.outW;
    return { out: this.out(x.dtype, n), indices: this.out("int32", n) };
  }
  maxPoolBackward(gradOut: Storage, _indices: Storage, planes: number, plane: number): Storage {
    return this.out(gradOut.dtype, planes * plane);
  }
  maxUnpool(x: Storage, _indices: Storage, planes: number, outPlane: number): Storage {
    return this.like(x, x.dtype, planes * outPlane);
  }

  // ---- optimizer updates: a shape-only pass never trains ------------------------------------------
  sgdUpdate(_p: Storage, _g: Storage, _m: Storage | null, _s: SgdStep): void {
    throw new TesseraError("meta backend: tensors without memory cannot be trained (sgdUpdate)");
  }
  optimUpdate(_p: Storage, _g: Storage, _s: Record<string, Storage>, _r: OptimRule): void {
    throw new TesseraError("meta backend: tensors without memory cannot be trained (optimUpdate)");
  }
}
