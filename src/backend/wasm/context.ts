import type { DType, Storage, TypedArray } from "../types.js";
import type { WasmStorage } from "./storage.js";
import type { KernelExports } from "./module.js";
import type { JobKind, Range } from "./protocol.js";

/** What the kernel families of the wasm backend need from it. */
export interface WasmContext {
  /** A storage in the WebAssembly heap, zero-filled when asked (kernels that accumulate need that). */
  newStorage(dtype: DType, size: number, zero: boolean): WasmStorage;
  /** The byte offset of a storage's data (re-uploaded first if it was spilled). */
  ptr(storage: Storage): number;
  /** A typed-array view of a storage's data, for the cpu reference kernels. */
  view(storage: Storage): TypedArray;
  /**
   * A kept int32 block of at least `n` ints where a kernel call passes its parameters (shapes,
   * strides). One per backend, rewritten by every call that uses it: kernels run one at a time.
   */
  paramInts(n: number): { ptr: number; ints: Int32Array };
  /** The WebAssembly kernels' exports. */
  readonly kernels: KernelExports;
  /** Threads a kernel call can use right now: this one plus the workers that are ready. */
  threadsReady(): number;
  /** The gemm scratch block of thread t (0 is this thread, t > 0 worker t − 1). */
  gemmScratch(thread: number): number;
  /**
   * Runs kernel `kind` over `range` on up to argsPerThread.length threads: this one with
   * argsPerThread[0], worker t − 1 with argsPerThread[t]; each takes chunks of the range until
   * none is left (see protocol.ts). Returns when all are done.
   */
  runParallel(kind: JobKind, argsPerThread: number[][], range: Range): void;
  /**
   * Runs a kernel whose last two arguments are a (begin, end) range over `parts` independent
   * parts (blocks of elements, planes) — passed as part·scale, clamped to `limit` — on every
   * ready thread when the call moves at least PARALLEL_ELEMENTS floats; otherwise once, here.
   */
  runRange(kind: JobKind, args: number[], parts: number, floats: number, scale?: number, limit?: number): void;
  /** Raw heap blocks for a kernel call's temporary buffers (64-byte aligned); give them back. */
  allocTemporary(bytes: number): number;
  freeTemporary(ptr: number, bytes: number): void;
}
