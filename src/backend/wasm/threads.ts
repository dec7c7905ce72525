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
 * the per-chunk overhead (a gemm repacks A) stays small.
 */
export const CHUNKS_PER_THREAD = 4;

interface WorkerHandle {
  terminate(): unknown;
}

type Env = { process?: { getBuiltinModule?: (name: string) => unknown }; Worker?: new (url: URL, o: { type: string }) => WorkerHandle & { postMessage(m: unknown): void } };

function spawn(init: WorkerInit): WorkerHandle {
  const url = new URL("./worker.js", import.meta.url);
  const env = globalThis as Env;
  const nodeThreads = env.process?.getBuiltinModule?.("node:worker_threads") as
    | { Worker: new (url: URL, o: { workerData: WorkerInit }) => WorkerHandle & { unref(): void } }
    | undefined;
  if (nodeThreads) {
    const w = new nodeThreads.Worker(url, { workerData: init });
    w.unref(); // never keep the process alive
    return w;
  }
  if (!env.Worker) throw new Error("no Worker in this environment");
  const w = new env.Worker(url, { type: "module" });
  w.postMessage(init);
  return w;
}

/** Whether this thread may block in Atomics.wait (Node's main thread may; a browser's may not). */
let canWait: boolean | null = null;

export class ThreadPool {
  private readonly control: Int32Array;
  private readonly workers: WorkerHandle[];

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
    this.workers = scratch.map((_, index) => spawn({ module, memory, controlPtr, slots: count, index }));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Workers whose kernels are instantiated (they start asynchronously). */
  readyCount(): number {
    let n = 0;
    for (let i = 0; i < this.workers.length; i++) if (Atomics.load(this.control, i * SLOT_INTS + 1) === 1) n++;
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
    try {
      takeChunks(kernel, [...argsPerThread[0]], range, this.control);
    } finally {
      this.join(helpers);
    }
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
