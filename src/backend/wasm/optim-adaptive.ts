/**
 * Adaptive optimizer updates of the wasm backend. No WebAssembly kernel yet: the cpu reference
 * loop runs on views of the WebAssembly memory (zero copies, nothing allocated meanwhile, so the
 * views stay valid), for every dtype, so both backends give the same bits.
 */
import type { OptimRule, Storage, TypedArray } from "../types.js";
import { optimUpdateInto } from "../cpu/optim-adaptive.js";
import type { WasmContext } from "./context.js";

export function optimUpdate(ctx: WasmContext, param: Storage, grad: Storage, state: Record<string, Storage>, rule: OptimRule): void {
  const views: Record<string, TypedArray> = {};
  for (const [name, s] of Object.entries(state)) views[name] = ctx.view(s);
  optimUpdateInto(ctx.view(param), ctx.view(grad), views, rule);
}
