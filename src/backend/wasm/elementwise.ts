/**
 * Elementwise and reduction kernels of the wasm backend. float32 runs the SIMD WebAssembly
 * kernels of asm/elementwise.ts, which reproduce the cpu reference kernels bit for bit (see the
 * notes there); float64 and int32 run the cpu reference kernels on views of the WebAssembly memory.
 */
import type { BinaryOp, DType, ReduceOp, Storage, StridedView, UnaryOp } from "../types.js";
import { sizeOf } from "../layout.js";
import { binaryInto, clampInto, leakyReluInto, powScalarInto, unaryInto, whereInto } from "../cpu/elementwise.js";
import { reduceInto } from "../cpu/reduce.js";
import { collapse } from "../cpu/strided.js";
import type { WasmContext } from "./context.js";

/** The exports of asm/elementwise.ts (op codes as in that file). */
interface ElementwiseKernels {
  ew_unary_f32(op: number, x: number, out: number, n: number): void;
  ew_pow_scalar_f32(x: number, out: number, n: number, exponent: number): void;
  ew_leaky_relu_f32(x: number, out: number, n: number, slope: number): void;
  ew_clamp_f32(x: number, out: number, n: number, min: number, max: number): void;
  ew_binary_f32(op: number, a: number, b: number, out: number, rank: number, params: number): void;
  ew_where_f32(cond: number, condInt: number, a: number, b: number, out: number, rank: number, params: number): void;
  ew_reduce_f32(op: number, x: number, out: number, outer: number, size: number, inner: number): void;
  EW_MAX_RANK: WebAssembly.Global;
  EW_PARAM_INTS: WebAssembly.Global;
}

const UNARY_OPS: Record<UnaryOp, number> = {
  neg: 0,
  exp: 1,
  log: 2,
  sqrt: 3,
  abs: 4,
  sign: 5,
  sigmoid: 6,
  tanh: 7,
  relu: 8,
  square: 9,
  reciprocal: 10,
};

const BINARY_OPS: Record<BinaryOp, number> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  pow: 4,
  maximum: 5,
  minimum: 6,
  eq: 7,
  ne: 8,
  lt: 9,
  le: 10,
  gt: 11,
  ge: 12,
  reluGrad: 13,
};

const REDUCE_OPS: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2, argmax: 3, argmin: 4 };

function kernels(ctx: WasmContext): ElementwiseKernels {
  return ctx.kernels as unknown as ElementwiseKernels;
}

/**
 * The parameter block of the strided kernels (shape, per-operand strides, a row counter): one
 * int32 storage per backend, made on first use and kept for the backend's lifetime (it is never
 * in a scope's release list, and the map holds it while the backend lives).
 */
function params(ctx: WasmContext): { ptr: number; ints: Int32Array; max: number } {
  // The sizes are compile-time constants of the kernels: read the globals once (a read crosses
  // into the engine, and small ops run this on every call).
  if (paramLayout === null) {
    const k = kernels(ctx);
    paramLayout = { ints: k.EW_PARAM_INTS.value as number, max: k.EW_MAX_RANK.value as number };
  }
  const { ptr, ints } = ctx.paramInts(paramLayout.ints);
  return { ptr, ints, max: paramLayout.max };
}
let paramLayout: { ints: number; max: number } | null = null;

/** Elements per part when threads share an elementwise kernel. */
const ELEMENTWISE_PART = 4096;

/** Byte address of a view's first element. */
const at = (ctx: WasmContext, s: Storage, offset: number) => ctx.ptr(s) + 4 * offset;

export function unary(ctx: WasmContext, op: UnaryOp, x: Storage): Storage {
  const out = ctx.newStorage(x.dtype, x.size, false);
  if (x.dtype === "float32") {
    // Parts of 4096 elements (a multiple of the vector width); the last one is cut at the end.
    const parts = Math.ceil(x.size / ELEMENTWISE_PART);
    if (parts > 1) ctx.runRange("ew_unary_range_f32", [UNARY_OPS[op], ctx.ptr(x), ctx.ptr(out)], parts, 2 * x.size, ELEMENTWISE_PART, x.size);
    else kernels(ctx).ew_unary_f32(UNARY_OPS[op], ctx.ptr(x), ctx.ptr(out), x.size);
  } else {
    unaryInto(op, ctx.view(x), ctx.view(out));
  }
  return out;
}

export function powScalar(ctx: WasmContext, x: Storage, exponent: number): Storage {
  const out = ctx.newStorage(x.dtype, x.size, false);
  if (x.dtype === "float32") kernels(ctx).ew_pow_scalar_f32(ctx.ptr(x), ctx.ptr(out), x.size, exponent);
  else powScalarInto(ctx.view(x), exponent, ctx.view(out));
  return out;
}

export function leakyRelu(ctx: WasmContext, x: Storage, slope: number): Storage {
  const out = ctx.newStorage(x.dtype, x.size, false);
  if (x.dtype === "float32") kernels(ctx).ew_leaky_relu_f32(ctx.ptr(x), ctx.ptr(out), x.size, slope);
  else leakyReluInto(ctx.view(x), slope, ctx.view(out));
  return out;
}

export function clamp(ctx: WasmContext, x: Storage, min: number, max: number): Storage {
  const out = ctx.newStorage(x.dtype, x.size, false);
  if (x.dtype === "float32") kernels(ctx).ew_clamp_f32(ctx.ptr(x), ctx.ptr(out), x.size, min, max);
  else clampInto(ctx.view(x), min, max, ctx.view(out));
  return out;
}

export function binary(ctx: WasmContext, op: BinaryOp, a: Storage, aView: StridedView, b: Storage, bView: StridedView, outShape: readonly number[], outDtype: DType): Storage {
  const size = sizeOf(outShape);
  const out = ctx.newStorage(outDtype, size, false);
  if (size === 0) return out;
  if (a.dtype === "float32" && b.dtype === "float32" && outDtype === "float32") {
    // out is contiguous, so it never stops two axes from merging: collapse over a and b alone
    const c = collapse(outShape, [aView.strides, bView.strides]);
    const rank = c.shape.length;
    if (rank === 1 && c.strides[0][0] === 1 && c.strides[1][0] === 1 && size > ELEMENTWISE_PART) {
      // Same-shape contiguous operands: threads may share the call by ranges.
      const parts = Math.ceil(size / ELEMENTWISE_PART);
      ctx.runRange("ew_binary_range_f32", [BINARY_OPS[op], at(ctx, a, aView.offset), at(ctx, b, bView.offset), ctx.ptr(out)], parts, 3 * size, ELEMENTWISE_PART, size);
      return out;
    }
    const p = params(ctx);
    if (rank <= p.max) {
      p.ints.set(c.shape, 0);
      p.ints.set(c.strides[0], p.max);
      p.ints.set(c.strides[1], 2 * p.max);
      kernels(ctx).ew_binary_f32(BINARY_OPS[op], at(ctx, a, aView.offset), at(ctx, b, bView.offset), ctx.ptr(out), rank, p.ptr);
      return out;
    }
  }
  binaryInto(op, ctx.view(a), aView, ctx.view(b), bView, outShape, ctx.view(out));
  return out;
}

export function where(ctx: WasmContext, cond: Storage, condView: StridedView, a: Storage, aView: StridedView, b: Storage, bView: StridedView, outShape: readonly number[]): Storage {
  const size = sizeOf(outShape);
  const out = ctx.newStorage(a.dtype, size, false);
  if (size === 0) return out;
  if (a.dtype === "float32" && b.dtype === "float32" && (cond.dtype === "float32" || cond.dtype === "int32")) {
    const c = collapse(outShape, [condView.strides, aView.strides, bView.strides]);
    const rank = c.shape.length;
    const p = params(ctx);
    if (rank <= p.max) {
      p.ints.set(c.shape, 0);
      p.ints.set(c.strides[0], p.max);
      p.ints.set(c.strides[1], 2 * p.max);
      p.ints.set(c.strides[2], 3 * p.max);
      const condInt = cond.dtype === "int32" ? 1 : 0;
      kernels(ctx).ew_where_f32(at(ctx, cond, condView.offset), condInt, at(ctx, a, aView.offset), at(ctx, b, bView.offset), ctx.ptr(out), rank, p.ptr);
      return out;
    }
  }
  whereInto(ctx.view(cond), condView, ctx.view(a), aView, ctx.view(b), bView, outShape, ctx.view(out));
  return out;
}

export function reduce(ctx: WasmContext, op: ReduceOp, x: Storage, outer: number, size: number, inner: number): Storage {
  const out = ctx.newStorage(op === "argmax" || op === "argmin" ? "int32" : x.dtype, outer * inner, false);
  if (outer * inner === 0) return out;
  if (x.dtype === "float32" && size >= 1) {
    // Rows are independent and each is reduced whole by one thread: threads may share them.
    if (outer > 1) ctx.runRange("ew_reduce_range_f32", [REDUCE_OPS[op], ctx.ptr(x), ctx.ptr(out), size, inner], outer, outer * size * inner);
    else kernels(ctx).ew_reduce_f32(REDUCE_OPS[op], ctx.ptr(x), ctx.ptr(out), outer, size, inner);
    return out;
  }
  reduceInto(op, ctx.view(x), outer, size, inner, ctx.view(out));
  return out;
}
