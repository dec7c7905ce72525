/**
 * Movement, indexing, convolution-unfolding and pooling kernels of the wasm backend. Where no
 * WebAssembly kernel exists for a case yet, the cpu reference kernel runs on views of the
 * WebAssembly memory.
 */
import type { Storage, StridedView, Window2d } from "../types.js";
import { sizeOf } from "../layout.js";
import { copyStridedInto, gatherInto, indexAddInto, indexSelectInto, scatterAddInto, writeStridedInto } from "../cpu/movement.js";
import { avgPool2dBackwardInto, avgPool2dInto, col2imInto, im2colInto, maxPool2dBackwardInto, maxPool2dInto } from "../cpu/window.js";
import type { WasmContext } from "./context.js";

export function copyStrided(ctx: WasmContext, x: Storage, view: StridedView): Storage {
  const out = ctx.newStorage(x.dtype, sizeOf(view.shape), false);
  copyStridedInto(ctx.view(x), view, ctx.view(out));
  return out;
}

export function writeStrided(ctx: WasmContext, dst: Storage, dstView: StridedView, src: Storage): void {
  writeStridedInto(ctx.view(dst), dstView, ctx.view(src));
}

export function indexSelect(ctx: WasmContext, x: Storage, outer: number, size: number, inner: number, index: Storage): Storage {
  const out = ctx.newStorage(x.dtype, outer * index.size * inner, false);
  indexSelectInto(ctx.view(x), outer, size, inner, ctx.view(index), ctx.view(out));
  return out;
}

export function indexAdd(ctx: WasmContext, src: Storage, outer: number, size: number, inner: number, index: Storage): Storage {
  const out = ctx.newStorage(src.dtype, outer * size * inner, true);
  indexAddInto(ctx.view(src), outer, size, inner, ctx.view(index), ctx.view(out));
  return out;
}

export function gather(ctx: WasmContext, x: Storage, outer: number, size: number, inner: number, index: Storage, idxSize: number): Storage {
  const out = ctx.newStorage(x.dtype, outer * idxSize * inner, false);
  gatherInto(ctx.view(x), outer, size, inner, ctx.view(index), idxSize, ctx.view(out));
  return out;
}

export function scatterAdd(ctx: WasmContext, src: Storage, outer: number, size: number, inner: number, index: Storage, idxSize: number): Storage {
  const out = ctx.newStorage(src.dtype, outer * size * inner, true);
  scatterAddInto(ctx.view(src), outer, size, inner, ctx.view(index), idxSize, ctx.view(out));
  return out;
}

export function im2col(ctx: WasmContext, x: Storage, w: Window2d): Storage {
  const out = ctx.newStorage(x.dtype, w.channels * w.kernelH * w.kernelW * w.batch * w.outH * w.outW, false);
  im2colInto(ctx.view(x), w, ctx.view(out));
  return out;
}

export function col2im(ctx: WasmContext, cols: Storage, w: Window2d): Storage {
  const out = ctx.newStorage(cols.dtype, w.batch * w.channels * w.inH * w.inW, true);
  col2imInto(ctx.view(cols), w, ctx.view(out));
  return out;
}

export function maxPool2d(ctx: WasmContext, x: Storage, w: Window2d): { out: Storage; indices: Storage } {
  const n = w.batch * w.channels * w.outH * w.outW;
  const out = ctx.newStorage(x.dtype, n, false);
  const indices = ctx.newStorage("int32", n, false);
  maxPool2dInto(ctx.view(x), w, ctx.view(out), ctx.view(indices));
  return { out, indices };
}

export function maxPool2dBackward(ctx: WasmContext, gradOut: Storage, indices: Storage, w: Window2d): Storage {
  const out = ctx.newStorage(gradOut.dtype, w.batch * w.channels * w.inH * w.inW, true);
  maxPool2dBackwardInto(ctx.view(gradOut), ctx.view(indices), w, ctx.view(out));
  return out;
}

export function avgPool2d(ctx: WasmContext, x: Storage, w: Window2d, countIncludePad: boolean): Storage {
  const out = ctx.newStorage(x.dtype, w.batch * w.channels * w.outH * w.outW, false);
  avgPool2dInto(ctx.view(x), w, countIncludePad, ctx.view(out));
  return out;
}

export function avgPool2dBackward(ctx: WasmContext, gradOut: Storage, w: Window2d, countIncludePad: boolean): Storage {
  const out = ctx.newStorage(gradOut.dtype, w.batch * w.channels * w.inH * w.inW, true);
  avgPool2dBackwardInto(ctx.view(gradOut), w, countIncludePad, ctx.view(out));
  return out;
}
