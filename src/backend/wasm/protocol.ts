/**
 * The job protocol between the wasm backend and its kernel workers, over a control block of
 * int32 slots in the shared memory (one slot per worker):
 *
 *   [0] state: IDLE → POSTED (main) → DONE (worker) → IDLE (main)
 *   [1] ready: set by the worker once its kernels are instantiated
 *   [2] job kind, [3] argument count, [4..] arguments (the kernel's own, in order)
 *
 * Waking a sleeping thread costs tens of microseconds, as much as a small kernel, so both sides
 * spin briefly before sleeping; the spin is bounded so a loaded machine is not starved.
 */
export const SLOT_INTS = 16;
export const IDLE = 0;
export const POSTED = 1;
export const DONE = 2;
export const MAX_JOB_ARGS = SLOT_INTS - 4;

/** Job kinds: the kernel export each one runs. */
export const JOBS = ["gemm_f32", "conv2d_f32", "conv2d_backward_input_f32", "conv2d_backward_weight_f32"] as const;
export type JobKind = (typeof JOBS)[number];

/** Spins of Atomics.load before sleeping (about 20-50 µs). */
export const SPIN_LIMIT = 4000;

export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  controlPtr: number;
  slots: number;
  index: number;
}

export function waitForJob(control: Int32Array, base: number): void {
  let spins = 0;
  for (;;) {
    const state = Atomics.load(control, base);
    if (state === POSTED) return;
    if (++spins > SPIN_LIMIT) {
      Atomics.wait(control, base, state);
      spins = 0;
    }
  }
}

export function runJob(exports: WebAssembly.Exports, control: Int32Array, base: number): void {
  try {
    const kernel = exports[JOBS[control[base + 2]]] as (...args: number[]) => void;
    kernel(...control.subarray(base + 4, base + 4 + control[base + 3]));
  } finally {
    Atomics.store(control, base, DONE);
    Atomics.notify(control, base);
  }
}
