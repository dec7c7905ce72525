/**
 * The reference backend: plain TypeScript over typed arrays, float32, float64 and int32.
 * Readable first, and fast enough to train LeNet-5 on MNIST: every kernel is a loop over typed
 * arrays with no allocation or closure per element. Faster backends are tested against this one.
 */
import type { Backend, BinaryOp, Conv2dSpec, DType, MatmulSpec, ReduceOp, SgdStep, Storage, StridedView, TypedArray, UnaryOp, Window2d } from "../types.js";
import { sgdUpdateInto } from "./optim.js";
import { conv2dBackwardInputByIm2col, conv2dBackwardWeightByIm2col, conv2dByIm2col } from "../conv-im2col.js";
import { newArray } from "../dtype.js";
import { sizeOf } from "../layout.js";
import { CpuStorage, arr } from "./storage.js";
import { binaryInto, castInto, clampInto, leakyReluInto, powScalarInto, unaryInto, whereInto } from "./elementwise.js";
import { reduceInto } from "./reduce.js";
import { matmulInto } from "./matmul.js";
import { copyStridedInto, gatherInto, indexAddInto, indexSelectInto, scatterAddInto, writeStridedInto } from "./movement.js";
import { avgPool2dBackwardInto, avgPool2dInto, col2imInto, im2colInto, maxPool2dBackwardInto, maxPool2dInto } from "./window.js";
import { erfInto } from "./special.js";
import { adaptiveMaxPool2dInto, avgPool3dBackwardInto, avgPool3dInto, maxPool3dInto, maxPoolBackwardInto, maxUnpoolInto } from "./pooling.js";
import type { AdaptiveWindow2d, Window3d } from "../types.js";
import type { OptimRule } from "../types.js";
import { optimUpdateInto } from "./optim-adaptive.js";

class CpuBackend implements Backend {
  readonly name = "cpu";

  private wrap(data: TypedArray): Storage {
    return new CpuStorage(this, data);
  }
  private make(dtype: DType, size: number): { s: Storage; a: TypedArray } {
    const a = newArray(dtype, size);
    return { s: this.wrap(a), a };
  }

  alloc(dtype: DType, size: number): Storage {
    return this.wrap(newArray(dtype, size));
  }
  fromArray(values: ArrayLike<number>, dtype: DType): Storage {
    const a = newArray(dtype, values.length);
    a.set(values as ArrayLike<number>);
    return this.wrap(a);
  }
  read(storage: Storage): TypedArray {
    return arr(storage).slice();
  }
  readElement(storage: Storage, index: number): number {
    return arr(storage)[index];
  }
  full(dtype: DType, size: number, value: number): Storage {
    return this.wrap(newArray(dtype, size).fill(value));
  }
  cast(x: Storage, dtype: DType): Storage {
    const { s, a } = this.make(dtype, x.size);
    castInto(arr(x), a);
    return s;
  }

  unary(op: UnaryOp, x: Storage): Storage {
    const { s, a } = this.make(x.dtype, x.size);
    unaryInto(op, arr(x), a);
    return s;
  }
  powScalar(x: Storage, exponent: number): Storage {
    const { s, a } = this.make(x.dtype, x.size);
    powScalarInto(arr(x), exponent, a);
    return s;
  }
  leakyRelu(x: Storage, slope: number): Storage {
    const { s, a } = this.make(x.dtype, x.size);
    leakyReluInto(arr(x), slope, a);
    return s;
  }
  clamp(x: Storage, min: number, max: number): Storage {
    const { s, a } = this.make(x.dtype, x.size);
    clampInto(arr(x), min, max, a);
    return s;
  }
  binary(op: BinaryOp, a: Storage, aView: StridedView, b: Storage, bView: StridedView, outShape: readonly number[], outDtype: DType): Storage {
    const { s, a: out } = this.make(outDtype, sizeOf(outShape));
    binaryInto(op, arr(a), aView, arr(b), bView, outShape, out);
    return s;
  }
  where(cond: Storage, condView: StridedView, a: Storage, aView: StridedView, b: Storage, bView: StridedView, outShape: readonly number[]): Storage {
    const { s, a: out } = this.make(a.dtype, sizeOf(outShape));
    whereInto(arr(cond), condView, arr(a), aView, arr(b), bView, outShape, out);
    return s;
  }

  reduce(op: ReduceOp, x: Storage, outer: number, size: number, inner: number): Storage {
    const dtype = op === "argmax" || op === "argmin" ? "int32" : x.dtype;
    const { s, a } = this.make(dtype, outer * inner);
    reduceInto(op, arr(x), outer, size, inner, a);
    return s;
  }

  matmul(a: Storage, b: Storage, spec: MatmulSpec): Storage {
    const outSize = (spec.sumBatch ? 1 : spec.batch) * spec.m * spec.n;
    const { s, a: out } = this.make(a.dtype, outSize);
    matmulInto(arr(a), arr(b), spec, out);
    return s;
  }

  copyStrided(x: Storage, view: StridedView): Storage {
    const { s, a } = this.make(x.dtype, sizeOf(view.shape));
    copyStridedInto(arr(x), view, a);
    return s;
  }
  writeStrided(dst: Storage, dstView: StridedView, src: Storage): void {
    writeStridedInto(arr(dst), dstView, arr(src));
  }
  indexSelect(x: Storage, outer: number, size: number, inner: number, index: Storage): Storage {
    const { s, a } = this.make(x.dtype, outer * index.size * inner);
    indexSelectInto(arr(x), outer, size, inner, arr(index), a);
    return s;
  }
  indexAdd(src: Storage, outer: number, size: number, inner: number, index: Storage): Storage {
    const { s, a } = this.make(src.dtype, outer * size * inner);
    indexAddInto(arr(src), outer, size, inner, arr(index), a);
    return s;
  }
  gather(x: Storage, outer: number, size: number, inner: number, index: Storage, idxSize: number): Storage {
    const { s, a } = this.make(x.dtype, outer * idxSize * inner);
    gatherInto(arr(x), outer, size, inner, arr(index), idxSize, a);
    return s;
  }
  scatterAdd(src: Storage, outer: number, size: number, inner: number, index: Storage, idxSize: number): Storage {
    const { s, a } = this.make(src.dtype, outer * size * inner);
    scatterAddInto(arr(src), outer, size, inner, arr(index), idxSize, a);
    return s;
  }

  sgdUpdate(param: Storage, grad: Storage, momentumBuffer: Storage | null, step: SgdStep): void {
    sgdUpdateInto(arr(param), arr(grad), momentumBuffer ? arr(momentumBuffer) : null, step);
  }

  conv2d(x: Storage, weight: Storage, bias: Storage | null, spec: Conv2dSpec): Storage {
    return conv2dByIm2col(this, x, weight, bias, spec);
  }
  conv2dBackwardInput(gradOut: Storage, weight: Storage, spec: Conv2dSpec): Storage {
    return conv2dBackwardInputByIm2col(this, gradOut, weight, spec);
  }
  conv2dBackwardWeight(gradOut: Storage, x: Storage, spec: Conv2dSpec): Storage {
    return conv2dBackwardWeightByIm2col(this, gradOut, x, spec);
  }
  im2col(x: Storage, w: Window2d): Storage {
    const { s, a } = this.make(x.dtype, w.channels * w.kernelH * w.kernelW * w.batch * w.outH * w.outW);
    im2colInto(arr(x), w, a);
    return s;
  }
  col2im(cols: Storage, w: Window2d): Storage {
    const { s, a } = this.make(cols.dtype, w.batch * w.channels * w.inH * w.inW);
    col2imInto(arr(cols), w, a);
    return s;
  }
  maxPool2d(x: Storage, w: Window2d): { out: Storage; indices: Storage } {
    const n = w.batch * w.channels * w.outH * w.outW;
    const out = this.make(x.dtype, n);
    const idx = this.make("int32", n);
    maxPool2dInto(arr(x), w, out.a, idx.a);
    return { out: out.s, indices: idx.s };
  }
  maxPool2dBackward(gradOut: Storage, indices: Storage, w: Window2d): Storage {
    const { s, a } = this.make(gradOut.dtype, w.batch * w.channels * w.inH * w.inW);
    maxPool2dBackwardInto(arr(gradOut), arr(indices), w, a);
    return s;
  }
  avgPool2d(x: Storage, w: Window2d, countIncludePad: boolean): Storage {
    const { s, a } = this.make(x.dtype, w.batch * w.channels * w.outH * w.outW);
    avgPool2dInto(arr(x), w, countIncludePad, a);
    return s;
  }
  avgPool2dBackward(gradOut: Storage, w: Window2d, countIncludePad: boolean): Storage {
    const { s, a } = this.make(gradOut.dtype, w.batch * w.channels * w.inH * w.inW);
    avgPool2dBackwardInto(arr(gradOut), w, countIncludePad, a);
    return s;
  }

  erf(x: Storage): Storage {
    const { s, a } = this.make(x.dtype, x.size);
    erfInto(arr(x), a);
    return s;
  }

  // ---- pooling beyond 2-D max / average -------------------------------------------------------
  maxPool3d(x: Storage, w: Window3d): { out: Storage; indices: Storage } {
    const n = w.batch * w.channels * w.outD * w.outH * w.outW;
    const out = this.make(x.dtype, n);
    const idx = this.make("int32", n);
    maxPool3dInto(arr(x), w, out.a, idx.a);
    return { out: out.s, indices: idx.s };
  }
  avgPool3d(x: Storage, w: Window3d, countIncludePad: boolean, divisorOverride: number | null): Storage {
    const { s, a } = this.make(x.dtype, w.batch * w.channels * w.outD * w.outH * w.outW);
    avgPool3dInto(arr(x), w, countIncludePad, divisorOverride, a);
    return s;
  }
  avgPool3dBackward(gradOut: Storage, w: Window3d, countIncludePad: boolean, divisorOverride: number | null): Storage {
    const { s, a } = this.make(gradOut.dtype, w.batch * w.channels * w.inD * w.inH * w.inW);
    avgPool3dBackwardInto(arr(gradOut), w, countIncludePad, divisorOverride, a);
    return s;
  }
  adaptiveMaxPool2d(x: Storage, w: AdaptiveWindow2d): { out: Storage; indices: Storage } {
    const n = w.batch * w.channels * w.outH * w.outW;
    const out = this.make(x.dtype, n);
    const idx = this.make("int32", n);
    adaptiveMaxPool2dInto(arr(x), w, out.a, idx.a);
    return { out: out.s, indices: idx.s };
  }
  maxPoolBackward(gradOut: Storage, indices: Storage, planes: number, plane: number): Storage {
    const { s, a } = this.make(gradOut.dtype, planes * plane);
    maxPoolBackwardInto(arr(gradOut), arr(indices), planes, plane, planes === 0 ? 0 : gradOut.size / planes, a);
    return s;
  }
  maxUnpool(x: Storage, indices: Storage, planes: number, outPlane: number): Storage {
    const { s, a } = this.make(x.dtype, planes * outPlane);
    maxUnpoolInto(arr(x), arr(indices), planes, planes === 0 ? 0 : x.size / planes, outPlane, a);
    return s;
  }
  // ---- adaptive optimizer updates (see optim-adaptive.ts) ---------------------------------------
  optimUpdate(param: Storage, grad: Storage, state: Record<string, Storage>, rule: OptimRule): void {
    const views: Record<string, TypedArray> = {};
    for (const [name, s] of Object.entries(state)) views[name] = arr(s);
    optimUpdateInto(arr(param), arr(grad), views, rule);
  }
}

export const cpuBackend: Backend = new CpuBackend();
