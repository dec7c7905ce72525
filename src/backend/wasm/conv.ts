/**
 * 2-D convolution on the wasm backend: the fused float32 kernels of asm/conv.ts, which unfold
 * one image tile at a time into a per-thread buffer that stays in cache, split over threads.
 * Other dtypes use the reference composition (im2col over the batch + matrix products).
 */
import type { Backend, Conv2dSpec, Storage } from "../types.js";
import { conv2dBackwardInputByIm2col, conv2dBackwardWeightByIm2col, conv2dByIm2col } from "../conv-im2col.js";
import type { WasmContext } from "./context.js";
import { CHUNKS_PER_THREAD, PARALLEL_GEMM_MACS } from "./threads.js";
import type { JobKind } from "./protocol.js";

interface ConvKernels {
  sum_partials_f32(partials: number, blocks: number, size: number, out: number): void;
}

/**
 * Floats in one tile's columns: 256 KiB, so a tile, the gemm's packed panels and the output
 * slice it writes fit together in a 1-2 MiB level-2 cache.
 */
const TILE_FLOATS = 1 << 16;
/** At most this many weight-gradient blocks (partial sums), and this many floats for them all. */
const MAX_BLOCKS = 16;
const PARTIAL_FLOATS = 1 << 23;

type Ctx = WasmContext & Backend;

interface Plan {
  /** Output rows per tile, and tiles per image. */
  tileRows: number;
  tiles: number;
  /** Floats of one thread's buffer: the columns of a tile and, for the wide form, its other parts. */
  colFloats: number;
  macs: number;
  /** The direct form of asm/conv-direct.ts (whole images per item). */
  direct: boolean;
}

/** Which kernel a plan is for: the direct form has a forward and a weight gradient only. */
type Pass = "forward" | "input" | "weight";

const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/**
 * Whether a pass takes the direct form: stride 1, groups 1, output channels in blocks of 16 (its
 * register tile), and an image so narrow that the wide form would spend over a fifth of its
 * products on padding columns (LeNet's conv2: 14 padded columns for 10 outputs).
 */
function isDirect(s: Conv2dSpec, pass: Pass, pointwise: boolean): boolean {
  if (pass === "input" || pointwise || s.strideH !== 1 || s.strideW !== 1 || s.groups !== 1) return false;
  if (s.outChannels % 16 !== 0 || s.outChannels > 64) return false;
  const paddedW = s.outW + s.dilationW * (s.kernelW - 1);
  return 4 * paddedW > 5 * s.outW;
}

/** Columns of the direct input gradient's register tile (asm/conv-direct.ts). */
const DIRECT_INPUT_COLUMNS = 16;

/**
 * Whether the input gradient takes the direct form (gathered from the bordered output gradient,
 * see asm/conv-direct.ts): the same narrow images, stride and dilation 1, groups 1, and an image
 * that the windows cover entirely (no transposed convolution's output padding). Only where the
 * wide form is weak: few output channels (its products are that deep), and rows that fill at
 * least three quarters of the 16-column tiles (a 7-wide image would waste over half of them).
 */
function isDirectInput(s: Conv2dSpec, pointwise: boolean): boolean {
  if (pointwise || s.strideH !== 1 || s.strideW !== 1 || s.groups !== 1 || s.dilationH !== 1 || s.dilationW !== 1) return false;
  if (s.outChannels > 64) return false;
  const tileColumns = Math.ceil(s.inW / DIRECT_INPUT_COLUMNS) * DIRECT_INPUT_COLUMNS;
  if (3 * tileColumns > 4 * s.inW) return false;
  const paddedH = s.outH + s.kernelH - 1, paddedW = s.outW + s.kernelW - 1;
  if (paddedH - s.padTop < s.inH || paddedW - s.padLeft < s.inW) return false;
  return 4 * paddedW > 5 * s.outW;
}

/** Floats of one thread's buffer for the direct input gradient, laid out as asm/conv-direct.ts says. */
function directInputFloats(s: Conv2dSpec): number {
  const bordered = roundUp4(s.outChannels * (s.outH + 2 * (s.kernelH - 1)) * (s.outW + 2 * (s.kernelW - 1)) + 32 + s.kernelW);
  const pairs = Math.ceil(s.channels / 2) * s.outChannels * s.kernelH * s.kernelW * 2;
  return bordered + pairs + roundUp4(s.kernelH * s.kernelW);
}

/** Tiles and per-thread buffer sizes, as asm/conv.ts and asm/conv-direct.ts lay them out. */
function planOf(s: Conv2dSpec, pass: Pass): Plan {
  const stride1 = s.strideH === 1 && s.strideW === 1;
  const pointwise = stride1 && s.kernelH === 1 && s.kernelW === 1 && s.padTop === 0 && s.padLeft === 0;
  const macs = s.batch * s.outH * s.outW * s.outChannels * (s.channels / s.groups) * s.kernelH * s.kernelW;
  const K = s.channels * s.kernelH * s.kernelW;
  const paddedH = s.outH + s.dilationH * (s.kernelH - 1);
  const paddedW = s.outW + s.dilationW * (s.kernelW - 1);
  const padded = roundUp4(s.channels * paddedH * paddedW + s.dilationW * (s.kernelW - 1));
  if (pass === "input" && isDirectInput(s, pointwise)) {
    return { tileRows: s.outH, tiles: 1, colFloats: directInputFloats(s), macs, direct: true };
  }
  if (isDirect(s, pass, pointwise)) {
    const L = s.outH * s.outW;
    const channelMinor = (pass === "forward" ? K : L) * s.outChannels;
    return { tileRows: s.outH, tiles: 1, colFloats: padded + roundUp4(K) + roundUp4(L) + channelMinor, macs, direct: true };
  }
  // Columns are computed over the padded width in the wide (stride-1) form.
  const width = stride1 && !pointwise ? paddedW : s.outW;
  const tileRows = Math.max(1, Math.min(s.outH, Math.floor(TILE_FLOATS / (K * width))));
  const tiles = Math.ceil(s.outH / tileRows);
  if (pointwise) return { tileRows, tiles, colFloats: 0, macs, direct: false };
  if (!stride1) return { tileRows, tiles, colFloats: K * tileRows * width, macs, direct: false };
  const table = K; // one i32 run address per column row
  return { tileRows, tiles, colFloats: roundUp4(K * tileRows * width) + roundUp4(s.outChannels * tileRows * width) + padded + table, macs, direct: false };
}

/** Writes the spec where the kernels read it (asm/conv.ts's ConvSpec field order). */
function writeSpec(ctx: Ctx, s: Conv2dSpec, plan: Plan, blocks: number): number {
  const { ptr, ints } = ctx.paramInts(19);
  ints.set([
    s.batch, s.channels, s.inH, s.inW, s.outChannels, s.groups, s.kernelH, s.kernelW, s.strideH, s.strideW,
    s.padTop, s.padLeft, s.dilationH, s.dilationW, s.outH, s.outW, plan.tileRows, blocks, plan.direct ? 1 : 0,
  ]);
  return ptr;
}

/** How many threads a call with `parts` independent parts should use. */
function threadsFor(ctx: Ctx, plan: Plan, parts: number): number {
  return plan.macs < PARALLEL_GEMM_MACS ? 1 : Math.max(1, Math.min(ctx.threadsReady(), parts));
}

/**
 * Runs the kernel over parts 0..parts on `threads` threads, which share them out in chunks (see
 * protocol.ts); each thread has its own gemm scratch and buffer. `args` are the kernel's
 * arguments before its (begin, end) pair.
 */
function runSplit(ctx: Ctx, kind: JobKind, plan: Plan, parts: number, threads: number, args: number[], chunksPerThread = CHUNKS_PER_THREAD): void {
  const colBytes = plan.colFloats * 4;
  const cols = colBytes > 0 ? ctx.allocTemporary(colBytes * threads) : 0;
  try {
    const perThread = Array.from({ length: threads }, (_, t) => [...args, 0, 0, ctx.gemmScratch(t), cols + t * colBytes]);
    const range = { argAt: args.length, parts, chunks: Math.min(parts, threads * chunksPerThread), scale: 1, limit: parts };
    ctx.runParallel(kind, perThread, range);
  } finally {
    if (cols) ctx.freeTemporary(cols, colBytes * threads);
  }
}

const f32 = (...xs: Storage[]) => xs.every((s) => s.dtype === "float32");

export function conv2d(ctx: Ctx, x: Storage, weight: Storage, bias: Storage | null, s: Conv2dSpec): Storage {
  if (!f32(x, weight) || (bias && !f32(bias))) return conv2dByIm2col(ctx, x, weight, bias, s);
  const out = ctx.newStorage("float32", s.batch * s.outChannels * s.outH * s.outW, false);
  if (out.size === 0) return out;
  const plan = planOf(s, "forward");
  const items = s.batch * plan.tiles;
  const spec = writeSpec(ctx, s, plan, 1);
  const px = ctx.ptr(x), pw = ctx.ptr(weight), pb = bias ? ctx.ptr(bias) : 0, po = ctx.ptr(out);
  runSplit(ctx, "conv2d_f32", plan, items, threadsFor(ctx, plan, items), [spec, px, pw, pb, po]);
  return out;
}

export function conv2dBackwardInput(ctx: Ctx, gradOut: Storage, weight: Storage, s: Conv2dSpec): Storage {
  if (!f32(gradOut, weight)) return conv2dBackwardInputByIm2col(ctx, gradOut, weight, s);
  const gradIn = ctx.newStorage("float32", s.batch * s.channels * s.inH * s.inW, false);
  if (gradIn.size === 0) return gradIn;
  const plan = planOf(s, "input");
  const spec = writeSpec(ctx, s, plan, 1);
  const pg = ctx.ptr(gradOut), pw = ctx.ptr(weight), pi = ctx.ptr(gradIn);
  // Whole images per thread: the tiles of one image add into the same input pixels.
  runSplit(ctx, "conv2d_backward_input_f32", plan, s.batch, threadsFor(ctx, plan, s.batch), [spec, pg, pw, pi]);
  return gradIn;
}

export function conv2dBackwardWeight(ctx: Ctx, gradOut: Storage, x: Storage, s: Conv2dSpec): Storage {
  if (!f32(gradOut, x)) return conv2dBackwardWeightByIm2col(ctx, gradOut, x, s);
  const weightFloats = s.outChannels * (s.channels / s.groups) * s.kernelH * s.kernelW;
  const plan = planOf(s, "weight");
  const items = s.batch * plan.tiles;
  // The kernels write every element; with no items at all the gradient is zero.
  const gradWeight = ctx.newStorage("float32", weightFloats, items === 0);
  if (items === 0 || weightFloats === 0) return gradWeight;
  // The blocks depend on the shapes alone, never on the thread count, so neither does the sum.
  const blocks = Math.max(1, Math.min(items, MAX_BLOCKS, Math.floor(PARTIAL_FLOATS / weightFloats)));
  const spec = writeSpec(ctx, s, plan, blocks);
  const partialBytes = blocks * weightFloats * 4;
  const partials = blocks === 1 ? ctx.ptr(gradWeight) : ctx.allocTemporary(partialBytes);
  try {
    const pg = ctx.ptr(gradOut), px = ctx.ptr(x);
    // Every block is its own chunk: there are at most MAX_BLOCKS.
    runSplit(ctx, "conv2d_backward_weight_f32", plan, blocks, threadsFor(ctx, plan, blocks), [spec, pg, px, partials], MAX_BLOCKS);
    if (blocks > 1) (ctx.kernels as unknown as ConvKernels).sum_partials_f32(partials, blocks, weightFloats, ctx.ptr(gradWeight));
  } finally {
    if (blocks > 1) ctx.freeTemporary(partials, partialBytes);
  }
  return gradWeight;
}
