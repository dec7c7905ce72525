/**
 * Movement, indexing, convolution-unfolding and pooling kernels of the wasm backend.
 *
 * WebAssembly kernels (asm/window.ts) serve float32 everywhere here, and int32 too wherever the
 * kernel only moves bits (strided copies, indexSelect, gather). Every other case — float64, or
 * int32 where values are added — runs the cpu reference kernel on views of the WebAssembly
 * memory. The WebAssembly kernels are bit-identical to the reference (see asm/window.ts).
 *
 * The kernels that accumulate (col2im, the pooling backwards, indexAdd, scatterAdd) zero their
 * own outputs with WebAssembly's memory.fill, so those outputs are allocated unzeroed here:
 * TypedArray.fill on a view of the shared memory is some 40 times slower.
 */
import type { Storage, StridedView, Window2d } from "../types.js";
import { sizeOf } from "../layout.js";
import { ValueError } from "../../errors.js";
import { copyStridedInto, gatherInto, indexAddInto, indexSelectInto, scatterAddInto, writeStridedInto } from "../cpu/movement.js";
import { collapse, contiguousStrides } from "../cpu/strided.js";
import { avgPool2dBackwardInto, avgPool2dInto, col2imInto, im2colInto, maxPool2dBackwardInto, maxPool2dInto } from "../cpu/window.js";
import type { WasmContext } from "./context.js";

type WindowArgs = [batch: number, channels: number, inH: number, inW: number, kH: number, kW: number, sH: number, sW: number, padTop: number, padLeft: number, dH: number, dW: number, outH: number, outW: number];
type AvgArgs = [batch: number, channels: number, inH: number, inW: number, kH: number, kW: number, sH: number, sW: number, padTop: number, padLeft: number, outH: number, outW: number, countIncludePad: number];

/** The exports of asm/window.ts (pointers are byte offsets; i32 results: 0 or 1 + bad position). */
interface WindowKernels {
  im2col_f32(x: number, cols: number, ...w: WindowArgs): void;
  col2im_f32(cols: number, img: number, ...w: WindowArgs): void;
  maxpool2d_f32(x: number, out: number, indices: number, ...w: WindowArgs): void;
  maxpool2d_backward_f32(gradOut: number, indices: number, gradIn: number, planes: number, plane: number, outPlane: number): number;
  avgpool2d_f32(x: number, out: number, ...w: AvgArgs): void;
  avgpool2d_backward_f32(gradOut: number, gradIn: number, ...w: AvgArgs): void;
  copy_strided_b32(x: number, offset: number, out: number, rank: number, params: number): void;
  write_strided_b32(dst: number, offset: number, src: number, rank: number, params: number): void;
  index_select_b32(x: number, out: number, outer: number, size: number, inner: number, index: number, m: number): number;
  index_add_f32(src: number, out: number, outer: number, size: number, inner: number, index: number, m: number): number;
  gather_b32(x: number, out: number, outer: number, size: number, inner: number, index: number, idxSize: number): number;
  scatter_add_f32(src: number, out: number, outer: number, size: number, inner: number, index: number, idxSize: number): number;
}

const kernels = (ctx: WasmContext) => ctx.kernels as unknown as WindowKernels;

/** Element types the bit-moving kernels handle (4 bytes each). */
const bits32 = (s: Storage) => s.dtype === "float32" || s.dtype === "int32";
const f32 = (s: Storage) => s.dtype === "float32";

function windowArgs(w: Window2d): WindowArgs {
  return [w.batch, w.channels, w.inH, w.inW, w.kernelH, w.kernelW, w.strideH, w.strideW, w.padTop, w.padLeft, w.dilationH, w.dilationW, w.outH, w.outW];
}

function avgArgs(w: Window2d, countIncludePad: boolean): AvgArgs {
  return [w.batch, w.channels, w.inH, w.inW, w.kernelH, w.kernelW, w.strideH, w.strideW, w.padTop, w.padLeft, w.outH, w.outW, countIncludePad ? 1 : 0];
}

/** A kernel reported an index outside its axis (1 + position, as asm/window.ts returns it). */
function checkIndexResult(result: number, op: string, index: Storage, size: number, ctx: WasmContext): void {
  if (result === 0) return;
  const at = result - 1;
  const value = ctx.view(index)[at];
  throw new ValueError(`${op}: index ${value} at position ${at} is out of range for an axis of size ${size}`);
}

/** Collapses the view (as the reference does) into the parameter block; returns its rank and pointer. */
function stridedParams(ctx: WasmContext, view: StridedView): { rank: number; params: number } {
  const c = collapse(view.shape, [view.strides, contiguousStrides(view.shape)]);
  const rank = c.shape.length;
  const { ptr: params, ints } = ctx.paramInts(3 * rank);
  const strides = c.strides[0];
  for (let d = 0; d < rank; d++) {
    ints[d] = c.shape[d];
    ints[rank + d] = strides[d];
  }
  return { rank, params };
}

// ---- movement ---------------------------------------------------------------------------------

export function copyStrided(ctx: WasmContext, x: Storage, view: StridedView): Storage {
  const n = sizeOf(view.shape);
  const out = ctx.newStorage(x.dtype, n, false);
  if (!bits32(x) || n === 0) {
    if (n > 0) copyStridedInto(ctx.view(x), view, ctx.view(out));
    return out;
  }
  const px = ctx.ptr(x);
  const po = ctx.ptr(out);
  const { rank, params } = stridedParams(ctx, view);
  kernels(ctx).copy_strided_b32(px, view.offset, po, rank, params);
  return out;
}

export function writeStrided(ctx: WasmContext, dst: Storage, dstView: StridedView, src: Storage): void {
  const n = sizeOf(dstView.shape);
  if (!bits32(dst) || dst.dtype !== src.dtype || n === 0) {
    if (n > 0) writeStridedInto(ctx.view(dst), dstView, ctx.view(src));
    return;
  }
  const pd = ctx.ptr(dst);
  const ps = ctx.ptr(src);
  const { rank, params } = stridedParams(ctx, dstView);
  kernels(ctx).write_strided_b32(pd, dstView.offset, ps, rank, params);
}

export function indexSelect(ctx: WasmContext, x: Storage, outer: number, size: number, inner: number, index: Storage): Storage {
  const out = ctx.newStorage(x.dtype, outer * index.size * inner, false);
  if (!bits32(x) || index.dtype !== "int32") {
    indexSelectInto(ctx.view(x), outer, size, inner, ctx.view(index), ctx.view(out));
    return out;
  }
  const r = kernels(ctx).index_select_b32(ctx.ptr(x), ctx.ptr(out), outer, size, inner, ctx.ptr(index), index.size);
  checkIndexResult(r, "indexSelect", index, size, ctx);
  return out;
}

export function indexAdd(ctx: WasmContext, src: Storage, outer: number, size: number, inner: number, index: Storage): Storage {
  const wasm = f32(src) && index.dtype === "int32";
  const out = ctx.newStorage(src.dtype, outer * size * inner, !wasm); // the kernel zeroes its output
  if (!wasm) {
    indexAddInto(ctx.view(src), outer, size, inner, ctx.view(index), ctx.view(out));
    return out;
  }
  const r = kernels(ctx).index_add_f32(ctx.ptr(src), ctx.ptr(out), outer, size, inner, ctx.ptr(index), index.size);
  checkIndexResult(r, "indexAdd", index, size, ctx);
  return out;
}

export function gather(ctx: WasmContext, x: Storage, outer: number, size: number, inner: number, index: Storage, idxSize: number): Storage {
  const out = ctx.newStorage(x.dtype, outer * idxSize * inner, false);
  if (!bits32(x) || index.dtype !== "int32") {
    gatherInto(ctx.view(x), outer, size, inner, ctx.view(index), idxSize, ctx.view(out));
    return out;
  }
  const r = kernels(ctx).gather_b32(ctx.ptr(x), ctx.ptr(out), outer, size, inner, ctx.ptr(index), idxSize);
  checkIndexResult(r, "gather", index, size, ctx);
  return out;
}

export function scatterAdd(ctx: WasmContext, src: Storage, outer: number, size: number, inner: number, index: Storage, idxSize: number): Storage {
  const wasm = f32(src) && index.dtype === "int32";
  const out = ctx.newStorage(src.dtype, outer * size * inner, !wasm);
  if (!wasm) {
    scatterAddInto(ctx.view(src), outer, size, inner, ctx.view(index), idxSize, ctx.view(out));
    return out;
  }
  const r = kernels(ctx).scatter_add_f32(ctx.ptr(src), ctx.ptr(out), outer, size, inner, ctx.ptr(index), idxSize);
  checkIndexResult(r, "scatterAdd", index, size, ctx);
  return out;
}

// ---- convolution and pooling ------------------------------------------------------------------

export function im2col(ctx: WasmContext, x: Storage, w: Window2d): Storage {
  const out = ctx.newStorage(x.dtype, w.channels * w.kernelH * w.kernelW * w.batch * w.outH * w.outW, false);
  if (!f32(x)) {
    im2colInto(ctx.view(x), w, ctx.view(out));
    return out;
  }
  kernels(ctx).im2col_f32(ctx.ptr(x), ctx.ptr(out), ...windowArgs(w));
  return out;
}

export function col2im(ctx: WasmContext, cols: Storage, w: Window2d): Storage {
  const out = ctx.newStorage(cols.dtype, w.batch * w.channels * w.inH * w.inW, !f32(cols));
  if (!f32(cols)) {
    col2imInto(ctx.view(cols), w, ctx.view(out));
    return out;
  }
  kernels(ctx).col2im_f32(ctx.ptr(cols), ctx.ptr(out), ...windowArgs(w));
  return out;
}

export function maxPool2d(ctx: WasmContext, x: Storage, w: Window2d): { out: Storage; indices: Storage } {
  const n = w.batch * w.channels * w.outH * w.outW;
  const out = ctx.newStorage(x.dtype, n, false);
  const indices = ctx.newStorage("int32", n, false);
  if (!f32(x)) {
    maxPool2dInto(ctx.view(x), w, ctx.view(out), ctx.view(indices));
    return { out, indices };
  }
  const [, , ...geometry] = windowArgs(w);
  const planes = w.batch * w.channels;
  ctx.runRange("maxpool2d_planes_f32", [ctx.ptr(x), ctx.ptr(out), ctx.ptr(indices), ...geometry], planes, planes * (w.inH * w.inW + 2 * w.outH * w.outW));
  return { out, indices };
}

export function maxPool2dBackward(ctx: WasmContext, gradOut: Storage, indices: Storage, w: Window2d): Storage {
  const wasm = f32(gradOut) && indices.dtype === "int32";
  const out = ctx.newStorage(gradOut.dtype, w.batch * w.channels * w.inH * w.inW, !wasm);
  if (!wasm) {
    maxPool2dBackwardInto(ctx.view(gradOut), ctx.view(indices), w, ctx.view(out));
    return out;
  }
  const plane = w.inH * w.inW, outPlane = w.outH * w.outW, planes = w.batch * w.channels;
  // Planes are independent: threads may share them. A bad index anywhere sets the flag; the
  // one-thread kernel then finds the first one, so the error names the same position either way.
  const { ptr: bad, ints } = ctx.paramInts(1);
  ints[0] = 0;
  ctx.runRange("maxpool2d_backward_planes_f32", [ctx.ptr(gradOut), ctx.ptr(indices), ctx.ptr(out), plane, outPlane, bad], planes, planes * (plane + 2 * outPlane));
  if (ints[0] !== 0) {
    const r = kernels(ctx).maxpool2d_backward_f32(ctx.ptr(gradOut), ctx.ptr(indices), ctx.ptr(out), planes, plane, outPlane);
    checkIndexResult(r, "maxPool2dBackward", indices, plane, ctx);
  }
  return out;
}

export function avgPool2d(ctx: WasmContext, x: Storage, w: Window2d, countIncludePad: boolean): Storage {
  const out = ctx.newStorage(x.dtype, w.batch * w.channels * w.outH * w.outW, false);
  if (!f32(x)) {
    avgPool2dInto(ctx.view(x), w, countIncludePad, ctx.view(out));
    return out;
  }
  kernels(ctx).avgpool2d_f32(ctx.ptr(x), ctx.ptr(out), ...avgArgs(w, countIncludePad));
  return out;
}

export function avgPool2dBackward(ctx: WasmContext, gradOut: Storage, w: Window2d, countIncludePad: boolean): Storage {
  const out = ctx.newStorage(gradOut.dtype, w.batch * w.channels * w.inH * w.inW, !f32(gradOut));
  if (!f32(gradOut)) {
    avgPool2dBackwardInto(ctx.view(gradOut), w, countIncludePad, ctx.view(out));
    return out;
  }
  kernels(ctx).avgpool2d_backward_f32(ctx.ptr(gradOut), ctx.ptr(out), ...avgArgs(w, countIncludePad));
  return out;
}
