/**
 * The `wasm` backend: tensors live in one shared WebAssembly memory, and kernels run there.
 *
 * Every kernel has a correct implementation from the start: the reference kernels of the `cpu`
 * backend run unchanged on typed-array views of the WebAssembly memory (no copies). The hot
 * float32 kernels are replaced one by one with SIMD WebAssembly (see asm/), each tested against
 * the reference. So the backend is always complete, and speed is added where profiles point.
 */
import type { Backend, BinaryOp, Conv2dSpec, DType, MatmulSpec, ReduceOp, SgdStep, Storage, StridedView, TypedArray, UnaryOp, Window2d } from "../types.js";
import type { ManagedMemory } from "../memory.js";
import { sizeOf } from "../layout.js";
import { castInto } from "../cpu/elementwise.js";
import { matmulInto } from "../cpu/matmul.js";
import * as E from "./elementwise.js";
import * as W from "./window.js";
import * as O from "./optim.js";
import * as C from "./conv.js";
import * as SF from "./special.js";
import { Heap } from "./heap.js";
import { instantiateKernels, type KernelExports, type LoadedKernels } from "./module.js";
import { BYTES, ReleasedTensorError, WasmStorage } from "./storage.js";
import { Scopes } from "./scopes.js";
import type { WasmContext } from "./context.js";
import { CHUNKS_PER_THREAD, GEMM_CHUNKS_PER_THREAD, PARALLEL_ELEMENTS, PARALLEL_GEMM_MACS, ThreadPool, threadsUnavailableReason } from "./threads.js";
import { controlInts, type JobKind, type Range } from "./protocol.js";
import { ValueError } from "../../errors.js";
import * as P from "./pooling.js";
import type { AdaptiveWindow2d, Window3d } from "../types.js";
import type { OptimRule } from "../types.js";
import { optimUpdate } from "./optim-adaptive.js";

export class WasmBackend implements Backend, WasmContext {
  readonly name = "wasm";
  readonly memory: ManagedMemory;
  readonly relaxedSimd: boolean;
  readonly kernels: KernelExports;
  private readonly heap: Heap;
  private readonly scopes: Scopes;
  private readonly mainScratch: number;
  private readonly module: WebAssembly.Module;
  private pool: ThreadPool | null = null;

  constructor(loaded: LoadedKernels = instantiateKernels()) {
    this.kernels = loaded.exports;
    this.relaxedSimd = loaded.relaxed;
    this.heap = new Heap(loaded.memory, loaded.exports.heapBase());
    this.scopes = new Scopes(this.heap, (s) => this.view(s).slice());
    this.memory = this.scopes;
    this.mainScratch = this.heap.alloc((loaded.exports.GEMM_SCRATCH_FLOATS.value as number) * 4);
    this.module = loaded.module;
  }

  // ---- storage plumbing -------------------------------------------------------------------------

  newStorage(dtype: DType, size: number, zero: boolean): WasmStorage {
    const bytes = size * BYTES[dtype];
    const s = new WasmStorage(this, dtype, size, { ptr: this.heap.alloc(bytes), bytes, live: true });
    this.scopes.track(s);
    if (zero) this.kernels.fill_zero(s.cell.ptr, bytes);
    return s;
  }

  private params: WasmStorage | null = null;

  paramInts(n: number): { ptr: number; ints: Int32Array } {
    if (!this.params || this.params.size < n) {
      if (this.params) this.scopes.release(this.params);
      this.params = this.newStorage("int32", Math.max(64, n), true);
      this.scopes.keep(this.params);
    }
    return { ptr: this.ptr(this.params), ints: this.view(this.params) as Int32Array };
  }

  /** The byte offset of a storage's data, re-uploading it if it was spilled. */
  ptr(storage: Storage): number {
    const s = storage as WasmStorage;
    if (s.backend !== this) throw new Error(`wasm backend was handed storage from the '${storage.backend.name}' backend`);
    if (s.cell.live) return s.cell.ptr;
    if (s.released || !s.spilled) throw new ReleasedTensorError(s.dtype, s.size);
    const data = s.spilled;
    s.cell.ptr = this.heap.alloc(s.cell.bytes);
    s.cell.live = true;
    s.spilled = null;
    this.scopes.track(s);
    this.view(s).set(data);
    return s.cell.ptr;
  }

  /** A typed-array view of a storage in the WebAssembly memory (valid until the memory grows). */
  view(storage: Storage): TypedArray {
    const s = storage as WasmStorage;
    const ptr = this.ptr(s);
    // Views of a shared memory stay valid when it grows, so one view per block placement is enough.
    if (s.cachedViewPtr === ptr && s.cachedView) return s.cachedView;
    const buffer = this.heap.memory.buffer;
    const v =
      s.dtype === "float32" ? new Float32Array(buffer, ptr, s.size) : s.dtype === "float64" ? new Float64Array(buffer, ptr, s.size) : new Int32Array(buffer, ptr, s.size);
    s.cachedView = v;
    s.cachedViewPtr = ptr;
    return v;
  }

  // ---- memory ----------------------------------------------------------------------------------
  alloc(dtype: DType, size: number): Storage {
    return this.newStorage(dtype, size, true);
  }
  fromArray(values: ArrayLike<number>, dtype: DType): Storage {
    const s = this.newStorage(dtype, values.length, false);
    this.view(s).set(values);
    return s;
  }
  read(storage: Storage): TypedArray {
    return this.view(storage).slice();
  }
  readElement(storage: Storage, index: number): number {
    return this.view(storage)[index];
  }
  full(dtype: DType, size: number, value: number): Storage {
    const zero = Object.is(value, 0); // -0 must be written as -0
    const s = this.newStorage(dtype, size, zero);
    if (!zero) {
      if (dtype === "float32") this.kernels.fill_f32(s.cell.ptr, size, value);
      else this.view(s).fill(value);
    }
    return s;
  }
  cast(x: Storage, dtype: DType): Storage {
    const out = this.newStorage(dtype, x.size, false);
    castInto(this.view(x), this.view(out));
    return out;
  }

  // ---- elementwise ------------------------------------------------------------------------------
  unary(op: UnaryOp, x: Storage): Storage {
    return E.unary(this, op, x);
  }
  powScalar(x: Storage, exponent: number): Storage {
    return E.powScalar(this, x, exponent);
  }
  leakyRelu(x: Storage, slope: number): Storage {
    return E.leakyRelu(this, x, slope);
  }
  clamp(x: Storage, min: number, max: number): Storage {
    return E.clamp(this, x, min, max);
  }
  binary(op: BinaryOp, a: Storage, aView: StridedView, b: Storage, bView: StridedView, outShape: readonly number[], outDtype: DType): Storage {
    return E.binary(this, op, a, aView, b, bView, outShape, outDtype);
  }
  where(cond: Storage, condView: StridedView, a: Storage, aView: StridedView, b: Storage, bView: StridedView, outShape: readonly number[]): Storage {
    return E.where(this, cond, condView, a, aView, b, bView, outShape);
  }

  // ---- reductions -------------------------------------------------------------------------------
  reduce(op: ReduceOp, x: Storage, outer: number, size: number, inner: number): Storage {
    return E.reduce(this, op, x, outer, size, inner);
  }

  // ---- linear algebra ---------------------------------------------------------------------------
  matmul(a: Storage, b: Storage, spec: MatmulSpec): Storage {
    const out = this.newStorage(a.dtype, (spec.sumBatch ? 1 : spec.batch) * spec.m * spec.n, true);
    if (a.dtype !== "float32" || b.dtype !== "float32") {
      matmulInto(this.view(a), this.view(b), spec, this.view(out));
      return out;
    }
    const pa = this.ptr(a), pb = this.ptr(b), pc = this.ptr(out);
    const { batch, m, n, k, aBatchStride, bBatchStride, transA, transB, sumBatch } = spec;
    for (let p = 0; p < batch; p++) {
      this.gemm(pa + 4 * p * aBatchStride, pb + 4 * p * bBatchStride, pc + (sumBatch ? 0 : 4 * p * m * n), m, n, k, transA, transB);
    }
    return out;
  }

  /** One gemm, its column panels shared out over the ready workers when it is big enough to pay. */
  private gemm(a: number, b: number, c: number, m: number, n: number, k: number, transA: boolean, transB: boolean): void {
    const ta = transA ? 1 : 0, tb = transB ? 1 : 0;
    const panels = Math.ceil(n / 8);
    const threads = m * n * k >= PARALLEL_GEMM_MACS ? Math.min(this.threadsReady(), panels) : 1;
    if (threads <= 1) {
      this.kernels.gemm_f32(a, b, c, m, n, k, ta, tb, this.mainScratch, 0, n, 0);
      return;
    }
    // A is packed once here for all threads, so a chunk of 8-column panels costs nothing extra
    // and the chunks can be small enough to even out the threads' shares.
    const packedBytes = 4 * this.kernels.gemm_packed_a_floats(m, k);
    const packed = this.allocTemporary(packedBytes);
    try {
      const packedA = this.kernels.gemm_pack_a(a, m, k, ta, tb, packed) ? packed : 0;
      const range = { argAt: 9, parts: panels, chunks: Math.min(panels, GEMM_CHUNKS_PER_THREAD * threads), scale: 8, limit: n };
      const args = Array.from({ length: threads }, (_, t) => [a, b, c, m, n, k, ta, tb, this.gemmScratch(t), 0, 0, packedA]);
      this.runParallel("gemm_f32", args, range);
    } finally {
      this.freeTemporary(packed, packedBytes);
    }
  }

  // ---- threads ----------------------------------------------------------------------------------

  threadsReady(): number {
    return 1 + (this.pool?.readyCount() ?? 0);
  }

  gemmScratch(thread: number): number {
    return thread === 0 ? this.mainScratch : this.pool!.scratch[thread - 1];
  }

  runParallel(kind: JobKind, argsPerThread: number[][], range: Range): void {
    const kernel = (this.kernels as unknown as Record<JobKind, (...args: number[]) => void>)[kind];
    if (argsPerThread.length > 1 && this.pool) {
      this.pool.run(kind, kernel, argsPerThread, range);
      return;
    }
    const args = [...argsPerThread[0]];
    args[range.argAt] = 0;
    args[range.argAt + 1] = Math.min(range.limit, range.parts * range.scale);
    kernel(...args);
  }

  runRange(kind: JobKind, args: number[], parts: number, floats: number, scale = 1, limit = parts * scale): void {
    const threads = floats >= PARALLEL_ELEMENTS ? Math.min(this.threadsReady(), parts) : 1;
    if (threads === 1) {
      // The common small call: the whole range at once, with no job to describe.
      (this.kernels as unknown as Record<JobKind, (...a: number[]) => void>)[kind](...args, 0, Math.min(limit, parts * scale));
      return;
    }
    const range = { argAt: args.length, parts, chunks: Math.min(parts, CHUNKS_PER_THREAD * threads), scale, limit };
    this.runParallel(kind, Array.from({ length: threads }, () => [...args, 0, 0]), range);
  }

  allocTemporary(bytes: number): number {
    return this.heap.alloc(bytes);
  }

  freeTemporary(ptr: number, bytes: number): void {
    this.heap.free(ptr, bytes);
  }

  /** Threads used by the big kernels, this one included. */
  get numThreads(): number {
    return 1 + (this.pool?.size ?? 0);
  }

  /**
   * Uses `n` threads (this one and n − 1 workers) for the big kernels. Workers start in the
   * background; until they are ready, kernels run on this thread alone. Where workers cannot
   * run (a page that is not cross-origin isolated, see threadsUnavailableReason) this warns
   * once and stays on one thread: everything still works, only slower.
   */
  setNumThreads(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new ValueError(`setNumThreads: n must be an integer from 1 to 64, got ${n}`);
    if (n > 1) {
      const reason = threadsUnavailableReason();
      if (reason) {
        if (!this.warnedNoThreads) console.warn(`tessera: the wasm backend stays on 1 thread: ${reason}`);
        this.warnedNoThreads = true;
        n = 1;
      }
    }
    if (n === this.numThreads) return;
    this.pool?.terminate();
    this.pool = null;
    if (n === 1) return;
    const scratchBytes = (this.kernels.GEMM_SCRATCH_FLOATS.value as number) * 4;
    // Control block and scratch come from the heap and are never freed: at most a few per process.
    const control = this.heap.alloc(controlInts(n - 1) * 4);
    const scratch = Array.from({ length: n - 1 }, () => this.heap.alloc(scratchBytes));
    this.pool = new ThreadPool(this.module, this.heap.memory, control, scratch);
  }

  private warnedNoThreads = false;

  /**
   * Waits (blocking, at most `timeoutMs`) until every worker is ready; returns how many are.
   * Not on a browser's main thread, which may not block and whose workers start only once it
   * returns to the event loop: use `await whenThreadsReady()` there.
   */
  waitForThreads(timeoutMs = 5000): number {
    if (!this.pool) return 0;
    const until = performance.now() + timeoutMs;
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    while (this.pool.readyCount() < this.pool.size && performance.now() < until) {
      try {
        Atomics.wait(sleeper, 0, 0, 1);
      } catch {
        throw new ValueError("waitForThreads: this thread may not block (a browser's main thread); use `await backend.whenThreadsReady()`");
      }
    }
    return this.pool.readyCount();
  }

  /**
   * Resolves, without blocking, once every worker is ready or `timeoutMs` has passed, with how
   * many are ready; rejects if a worker reported that it failed to start. Works everywhere, and
   * is the way to wait on a browser's main thread.
   */
  async whenThreadsReady(timeoutMs = 5000): Promise<number> {
    const until = performance.now() + timeoutMs;
    for (;;) {
      const pool = this.pool;
      if (!pool) return 0;
      if (pool.failure) throw new Error(pool.failure);
      if (pool.readyCount() >= pool.size || performance.now() >= until) return pool.readyCount();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Chunks of threaded kernels that the workers ran since setNumThreads (0 on one thread). */
  get workerChunks(): number {
    return this.pool?.workerChunks ?? 0;
  }

  // ---- movement ---------------------------------------------------------------------------------
  copyStrided(x: Storage, view: StridedView): Storage {
    return W.copyStrided(this, x, view);
  }
  writeStrided(dst: Storage, dstView: StridedView, src: Storage): void {
    W.writeStrided(this, dst, dstView, src);
  }
  indexSelect(x: Storage, outer: number, size: number, inner: number, index: Storage): Storage {
    return W.indexSelect(this, x, outer, size, inner, index);
  }
  indexAdd(src: Storage, outer: number, size: number, inner: number, index: Storage): Storage {
    return W.indexAdd(this, src, outer, size, inner, index);
  }
  gather(x: Storage, outer: number, size: number, inner: number, index: Storage, idxSize: number): Storage {
    return W.gather(this, x, outer, size, inner, index, idxSize);
  }
  scatterAdd(src: Storage, outer: number, size: number, inner: number, index: Storage, idxSize: number): Storage {
    return W.scatterAdd(this, src, outer, size, inner, index, idxSize);
  }

  // ---- optimizer updates ------------------------------------------------------------------------
  sgdUpdate(param: Storage, grad: Storage, momentumBuffer: Storage | null, step: SgdStep): void {
    O.sgdUpdate(this, param, grad, momentumBuffer, step);
  }

  // ---- convolution and pooling ------------------------------------------------------------------
  conv2d(x: Storage, weight: Storage, bias: Storage | null, spec: Conv2dSpec): Storage {
    return C.conv2d(this, x, weight, bias, spec);
  }
  conv2dBackwardInput(gradOut: Storage, weight: Storage, spec: Conv2dSpec): Storage {
    return C.conv2dBackwardInput(this, gradOut, weight, spec);
  }
  conv2dBackwardWeight(gradOut: Storage, x: Storage, spec: Conv2dSpec): Storage {
    return C.conv2dBackwardWeight(this, gradOut, x, spec);
  }
  im2col(x: Storage, w: Window2d): Storage {
    return W.im2col(this, x, w);
  }
  col2im(cols: Storage, w: Window2d): Storage {
    return W.col2im(this, cols, w);
  }
  maxPool2d(x: Storage, w: Window2d): { out: Storage; indices: Storage } {
    return W.maxPool2d(this, x, w);
  }
  maxPool2dBackward(gradOut: Storage, indices: Storage, w: Window2d): Storage {
    return W.maxPool2dBackward(this, gradOut, indices, w);
  }
  avgPool2d(x: Storage, w: Window2d, countIncludePad: boolean): Storage {
    return W.avgPool2d(this, x, w, countIncludePad);
  }
  avgPool2dBackward(gradOut: Storage, w: Window2d, countIncludePad: boolean): Storage {
    return W.avgPool2dBackward(this, gradOut, w, countIncludePad);
  }

  // ---- special functions (reference kernels on views) --------------------------------------------
  erf(x: Storage): Storage {
    return SF.erf(this, x);
  }

  // ---- pooling beyond 2-D max / average (see pooling.ts) ------------------------------------------
  maxPool3d(x: Storage, w: Window3d): { out: Storage; indices: Storage } {
    return P.maxPool3d(this, x, w);
  }
  avgPool3d(x: Storage, w: Window3d, countIncludePad: boolean, divisorOverride: number | null): Storage {
    return P.avgPool3d(this, x, w, countIncludePad, divisorOverride);
  }
  avgPool3dBackward(gradOut: Storage, w: Window3d, countIncludePad: boolean, divisorOverride: number | null): Storage {
    return P.avgPool3dBackward(this, gradOut, w, countIncludePad, divisorOverride);
  }
  adaptiveMaxPool2d(x: Storage, w: AdaptiveWindow2d): { out: Storage; indices: Storage } {
    return P.adaptiveMaxPool2d(this, x, w);
  }
  maxPoolBackward(gradOut: Storage, indices: Storage, planes: number, plane: number): Storage {
    return P.maxPoolBackward(this, gradOut, indices, planes, plane);
  }
  maxUnpool(x: Storage, indices: Storage, planes: number, outPlane: number): Storage {
    return P.maxUnpool(this, x, indices, planes, outPlane);
  }

  // ---- adaptive optimizer updates (reference loop on views, see optim-adaptive.ts) ----------------
  optimUpdate(param: Storage, grad: Storage, state: Record<string, Storage>, rule: OptimRule): void {
    optimUpdate(this, param, grad, state, rule);
  }
}
