/**
 * A kernel worker of the wasm backend: the same kernels instantiated on the same shared memory,
 * waiting in a loop for jobs posted in its slot of the control block (see threads.ts).
 * Runs under Node's worker_threads and as a browser module worker.
 */
import { SLOT_INTS, controlInts, runJob, waitForJob, type WorkerInit } from "./protocol.js";

function start(init: WorkerInit): void {
  const instance = new WebAssembly.Instance(init.module, {
    env: {
      memory: init.memory,
      abort: () => {
        throw new Error("wasm kernel aborted in a worker");
      },
    },
  });
  const control = new Int32Array(init.memory.buffer, init.controlPtr, controlInts(init.slots));
  const base = init.index * SLOT_INTS;
  Atomics.store(control, base + 1, 1); // ready
  for (;;) {
    waitForJob(control, base);
    runJob(instance.exports, control, base);
  }
}

type NodeWorkerThreads = { workerData: WorkerInit };
const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
const nodeThreads = proc?.getBuiltinModule?.("node:worker_threads") as NodeWorkerThreads | undefined;
if (nodeThreads?.workerData) start(nodeThreads.workerData);
else (globalThis as unknown as { onmessage: (e: MessageEvent<WorkerInit>) => void }).onmessage = (e) => start(e.data);
