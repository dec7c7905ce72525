/**
 * Special functions of the wasm backend. No WebAssembly kernel yet: the cpu reference kernels
 * run on views of the WebAssembly memory (zero copies), for every dtype.
 */
import type { Storage } from "../types.js";
import { erfInto } from "../cpu/special.js";
import type { WasmContext } from "./context.js";

export function erf(ctx: WasmContext, x: Storage): Storage {
  const out = ctx.newStorage(x.dtype, x.size, false);
  erfInto(ctx.view(x), ctx.view(out));
  return out;
}
