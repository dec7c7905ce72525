/** Optimizer updates of the wasm backend: SIMD for float32, the reference loop otherwise. */
import type { SgdStep, Storage } from "../types.js";
import { sgdUpdateInto } from "../cpu/optim.js";
import type { WasmContext } from "./context.js";

interface OptimKernels {
  sgd_f32(p: number, g: number, buf: number, n: number, lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: number, firstStep: number): void;
}

export function sgdUpdate(ctx: WasmContext, param: Storage, grad: Storage, buf: Storage | null, o: SgdStep): void {
  if (param.dtype === "float32" && grad.dtype === "float32") {
    const k = ctx.kernels as unknown as OptimKernels;
    k.sgd_f32(ctx.ptr(param), ctx.ptr(grad), buf ? ctx.ptr(buf) : 0, param.size, o.lr, o.momentum, o.dampening, o.weightDecay, o.nesterov ? 1 : 0, o.firstStep ? 1 : 0);
    return;
  }
  sgdUpdateInto(ctx.view(param), ctx.view(grad), buf ? ctx.view(buf) : null, o);
}
