/**
 * The pooling kernels beyond 2-D max / average on the wasm backend. 3-D, adaptive and unpooling
 * kernels run the cpu reference code on views of the WebAssembly memory (zero copies). The
 * max-pooling backward is the same plane scatter as the 2-D one, so float32 runs the existing
 * WebAssembly kernel (asm/window.ts maxpool2d_backward_f32, which zeroes its own output and skips
 * index -1); the 1-D forms need nothing here, they run the 2-D kernels with H = 1.
 */
import type { AdaptiveWindow2d, Storage, Window3d } from "../types.js";
import { ValueError } from "../../errors.js";
import { adaptiveMaxPool2dInto, avgPool3dBackwardInto, avgPool3dInto, maxPool3dInto, maxPoolBackwardInto, maxUnpoolInto } from "../cpu/pooling.js";
import type { WasmContext } from "./context.js";

interface PlaneScatterKernel {
  maxpool2d_backward_f32(gradOut: number, indices: number, gradIn: number, planes: number, plane: number, outPlane: number): number;
}

export function maxPool3d(ctx: WasmContext, x: Storage, w: Window3d): { out: Storage; indices: Storage } {
  const n = w.batch * w.channels * w.outD * w.outH * w.outW;
  const out = ctx.newStorage(x.dtype, n, false);
  const indices = ctx.newStorage("int32", n, false);
  maxPool3dInto(ctx.view(x), w, ctx.view(out), ctx.view(indices));
  return { out, indices };
}

export function avgPool3d(ctx: WasmContext, x: Storage, w: Window3d, countIncludePad: boolean, divisorOverride: number | null): Storage {
  const out = ctx.newStorage(x.dtype, w.batch * w.channels * w.outD * w.outH * w.outW, false);
  avgPool3dInto(ctx.view(x), w, countIncludePad, divisorOverride, ctx.view(out));
  return out;
}

export function avgPool3dBackward(ctx: WasmContext, gradOut: Storage, w: Window3d, countIncludePad: boolean, divisorOverride: number | null): Storage {
  const out = ctx.newStorage(gradOut.dtype, w.batch * w.channels * w.inD * w.inH * w.inW, true);
  avgPool3dBackwardInto(ctx.view(gradOut), w, countIncludePad, divisorOverride, ctx.view(out));
  return out;
}

export function adaptiveMaxPool2d(ctx: WasmContext, x: Storage, w: AdaptiveWindow2d): { out: Storage; indices: Storage } {
  const n = w.batch * w.channels * w.outH * w.outW;
  const out = ctx.newStorage(x.dtype, n, false);
  const indices = ctx.newStorage("int32", n, false);
  adaptiveMaxPool2dInto(ctx.view(x), w, ctx.view(out), ctx.view(indices));
  return { out, indices };
}

export function maxPoolBackward(ctx: WasmContext, gradOut: Storage, indices: Storage, planes: number, plane: number): Storage {
  const outPlane = planes === 0 ? 0 : gradOut.size / planes;
  const wasm = gradOut.dtype === "float32" && indices.dtype === "int32" && planes * plane > 0;
  const out = ctx.newStorage(gradOut.dtype, planes * plane, !wasm); // the WebAssembly kernel zeroes its output
  if (!wasm) {
    maxPoolBackwardInto(ctx.view(gradOut), ctx.view(indices), planes, plane, outPlane, ctx.view(out));
    return out;
  }
  const k = ctx.kernels as unknown as PlaneScatterKernel;
  const r = k.maxpool2d_backward_f32(ctx.ptr(gradOut), ctx.ptr(indices), ctx.ptr(out), planes, plane, outPlane);
  if (r !== 0) throw new ValueError(`maxPoolBackward: index ${ctx.view(indices)[r - 1]} at position ${r - 1} is out of range for a plane of ${plane} elements`);
  return out;
}

export function maxUnpool(ctx: WasmContext, x: Storage, indices: Storage, planes: number, outPlane: number): Storage {
  const out = ctx.newStorage(x.dtype, planes * outPlane, true);
  maxUnpoolInto(ctx.view(x), ctx.view(indices), planes, planes === 0 ? 0 : x.size / planes, outPlane, ctx.view(out));
  return out;
}
