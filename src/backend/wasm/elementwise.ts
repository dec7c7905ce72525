/**
 * Elementwise and reduction kernels of the wasm backend. Where no WebAssembly kernel exists for
 * a case yet, the cpu reference kernel runs on views of the WebAssembly memory.
 */
import type { BinaryOp, DType, ReduceOp, Storage, StridedView, UnaryOp } from "../types.js";
import { sizeOf } from "../layout.js";
import { binaryInto, clampInto, leakyReluInto, powScalarInto, unaryInto, whereInto } from "../cpu/elementwise.js";
import { reduceInto } from "../cpu/reduce.js";
import type { WasmContext } from "./context.js";

export function unary(ctx: WasmContext, op: UnaryOp, x: Storage): Storage {
  const out = ctx.newStorage(x.dtype, x.size, false);
  unaryInto(op, ctx.view(x), ctx.view(out));
  return out;
}

export function powScalar(ctx: WasmContext, x: Storage, exponent: number): Storage {
  const out = ctx.newStorage(x.dtype, x.size, false);
  powScalarInto(ctx.view(x), exponent, ctx.view(out));
  return out;
}

export function leakyRelu(ctx: WasmContext, x: Storage, slope: number): Storage {
  const out = ctx.newStorage(x.dtype, x.size, false);
  leakyReluInto(ctx.view(x), slope, ctx.view(out));
  return out;
}

export function clamp(ctx: WasmContext, x: Storage, min: number, max: number): Storage {
  const out = ctx.newStorage(x.dtype, x.size, false);
  clampInto(ctx.view(x), min, max, ctx.view(out));
  return out;
}

export function binary(ctx: WasmContext, op: BinaryOp, a: Storage, aView: StridedView, b: Storage, bView: StridedView, outShape: readonly number[], outDtype: DType): Storage {
  const out = ctx.newStorage(outDtype, sizeOf(outShape), false);
  binaryInto(op, ctx.view(a), aView, ctx.view(b), bView, outShape, ctx.view(out));
  return out;
}

export function where(ctx: WasmContext, cond: Storage, condView: StridedView, a: Storage, aView: StridedView, b: Storage, bView: StridedView, outShape: readonly number[]): Storage {
  const out = ctx.newStorage(a.dtype, sizeOf(outShape), false);
  whereInto(ctx.view(cond), condView, ctx.view(a), aView, ctx.view(b), bView, outShape, ctx.view(out));
  return out;
}

export function reduce(ctx: WasmContext, op: ReduceOp, x: Storage, outer: number, size: number, inner: number): Storage {
  const out = ctx.newStorage(op === "argmax" || op === "argmin" ? "int32" : x.dtype, outer * inner, false);
  reduceInto(op, ctx.view(x), outer, size, inner, ctx.view(out));
  return out;
}
