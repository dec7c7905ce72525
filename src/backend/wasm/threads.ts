/**
 * Worker threads for the wasm backend's big kernels. A kernel call is split into ranges of
 * independent work — a gemm's output columns, a convolution's images and tiles — fixed so that
 * every element is computed in the same order on any number of threads: results are
 * bit-identical. Small kernels stay on the calling thread, where they finish before a worker
 * could wake.
 */
import { DONE, IDLE, POSTED, SLOT_INTS, SPIN_LIMIT, controlInts, takeChunks, writeJob, type JobKind, type Range, type WorkerInit } from "./protocol.js";

/** Below this many multiply-adds a gemm runs on one thread. */
export const PARALLEL_GEMM_MACS = 1 << 19;

/**
 * Below this many floats moved, a memory-bound kernel (elementwise, pooling) runs on one thread:
 * it would finish in less time than waking a worker costs.
 */
export const PARALLEL_ELEMENTS = 1 << 17;

/**
 * Chunks per thread a job is cut into: enough that a thread that starts late (a worker woken
 * from sleep, a core busy with another process) leaves its share to the others, few enough that
 * the per-chunk overhead (a convolution's chunk rebuilds its tables) stays small.
 */
export const CHUNKS_PER_THREAD = 4;

/**
 * Chunks per thread of a gemm shared by columns. Its chunks cost nothing extra (A is packed once
 * for all of them), so more of them: the last chunk's length is what the other thread may wait.
 */
export const GEMM_CHUNKS_PER_THREAD = 8;

interface WorkerHandle {
  terminate(): unknown;
}

type BrowserWorker = WorkerHandle & {
  postMessage(m: unknown): void;
  onerror: ((e: { message?: string }) => void) | null;
  onmessageerror: (() => void) | null;
};
type Env = {
  process?: { getBuiltinModule?: (name: string) => unknown };
  Worker?: new (url: URL, o: { type: string }) => BrowserWorker;
  crossOriginIsolated?: boolean;
};

function nodeWorkerThreads() {
  const env = globalThis as Env;
  return env.process?.getBuiltinModule?.("node:worker_threads") as
    | { Worker: new (url: URL, o: { workerData: WorkerInit }) => WorkerHandle & { unref(): void } }
    | undefined;
}

/**
 * Why this environment cannot run kernel workers, or null when it can. Node always can. A
 * browser needs a Worker constructor and a cross-origin isolated page (COOP/COEP headers, see
 * docs/browser.md): elsewhere a shared WebAssembly.Memory cannot be posted to a worker.
 */
export function threadsUnavailableReason(): string | null {
  if (nodeWorkerThreads()) return null;
  const env = globalThis as Env;
  if (!env.Worker) return "this environment has no Worker";
  if (env.crossOriginIsolated !== true) {
    return "the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so its shared memory cannot be posted to a worker";
  }
  return null;
}

function spawn(init: WorkerInit, onFailure: (message: string) => void): WorkerHandle {
  const url = new URL("./worker.js", import.meta.url);
  const nodeThreads = nodeWorkerThreads();
  if (nodeThreads) {
    const w = new nodeThreads.Worker(url, { workerData: init });
    w.unref(); // never keep the process alive
    return w;
  }
  const env = globalThis as Env;
  if (!env.Worker) throw new Error("no Worker in this environment");
  const w = new env.Worker(url, { type: "module" });
  // A browser reports a worker that failed to load or to receive its init only as events.
  w.onerror = (e) => onFailure(`kernel worker ${init.index} failed: ${e.message || "could not load worker.js"}`);
  w.onmessageerror = () => onFailure(`kernel worker ${init.index} could not receive the shared memory`);
  w.postMessage(init);
  return w;
}

/** Whether this thread may block in Atomics.wait (Node's main thread may; a browser's may not). */
let canWait: boolean | null = null;

export class ThreadPool {
  private readonly control: Int32Array;
  private readonly workers: WorkerHandle[];
  /** Chunks of pooled jobs run by the workers rather than by the calling thread (diagnostics). */
  workerChunks = 0;
  /** The first failure a browser worker reported (see spawn), or null. */
  failure: string | null = null;

  /** `count` extra threads; `scratch[i]` is worker i's gemm scratch block. */
  constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    controlPtr: number,
    readonly scratch: number[],
  ) {
    const count = scratch.length;
    this.control = new Int32Array(memory.buffer, controlPtr, controlInts(count));
    this.control.fill(0);
    this.workers = scratch.map((_, index) => spawn({ module, memory, controlPtr, slots: count, index }, (m) => (this.failure ??= m)));
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Workers whose kernels are instantiated (they start asynchronously), counted from the first
   * up to the first one not yet ready: jobs go to workers 0 .. n − 1, so this many can be given
   * work now. (A browser may start a worker only once its main thread returns to the event loop;
   * a job posted to such a worker would never be done while the main thread waits for it.)
   */
  readyCount(): number {
    let n = 0;
    while (n < this.workers.length && Atomics.load(this.control, n * SLOT_INTS + 1) === 1) n++;
    return n;
  }

  /**
   * Runs a job on this thread and the first argsPerThread.length − 1 workers, which take its
   * chunks from the shared counter (see protocol.ts): argsPerThread[0] are this thread's kernel
   * arguments, argsPerThread[t] worker t − 1's. Returns when every chunk is done.
   */
  run(kind: JobKind, kernel: (...args: number[]) => void, argsPerThread: number[][], range: Range): void {
    const helpers = argsPerThread.length - 1;
    Atomics.store(this.control, this.control.length - 1, 0);
    for (let i = 0; i < helpers; i++) {
      const base = i * SLOT_INTS;
      writeJob(this.control, base, kind, argsPerThread[i + 1], range);
      Atomics.store(this.control, base, POSTED);
      Atomics.notify(this.control, base);
    }
    let mine = 0;
    const counted = (...args: number[]) => {
      mine++;
      kernel(...args);
    };
    try {
      takeChunks(counted, [...argsPerThread[0]], range, this.control);
    } finally {
      this.join(helpers);
    }
    this.workerChunks += range.chunks - mine;
  }

  /** Waits for the first `count` workers to finish their jobs. */
  private join(count: number): void {
    for (let i = 0; i < count; i++) {
      const base = i * SLOT_INTS;
      let spins = 0;
      while (Atomics.load(this.control, base) !== DONE) {
        if (++spins > SPIN_LIMIT) {
          if (canWait !== false) {
            try {
              Atomics.wait(this.control, base, POSTED, 1);
              canWait = true;
            } catch {
              canWait = false;
            }
          }
          spins = 0;
        }
      }
      Atomics.store(this.control, base, IDLE);
    }
  }

  terminate(): void {
    for (const w of this.workers) w.terminate();
  }
}
