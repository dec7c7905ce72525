/**
 * The job protocol between the wasm backend and its kernel workers, over a control block of
 * int32 slots in the shared memory (one slot per worker):
 *
 *   [0] state: IDLE → POSTED (main) → DONE (worker) → IDLE (main)
 *   [1] ready: set by the worker once its kernels are instantiated
 *   [2] job kind, [3..] arguments
 *
 * Waking a sleeping thread costs tens of microseconds, as much as a small kernel, so both sides
 * spin briefly before sleeping; the spin is bounded so a loaded machine is not starved.
 */
export const SLOT_INTS = 16;
export const IDLE = 0;
export const POSTED = 1;
export const DONE = 2;
export const JOB_GEMM = 1;

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

type GemmExport = (a: number, b: number, c: number, m: number, n: number, k: number, ta: number, tb: number, scratch: number, j0: number, j1: number) => void;

export function runJob(exports: WebAssembly.Exports, control: Int32Array, base: number): void {
  const a = base + 3;
  try {
    if (control[base + 2] === JOB_GEMM) {
      (exports.gemm_f32 as GemmExport)(control[a], control[a + 1], control[a + 2], control[a + 3], control[a + 4], control[a + 5], control[a + 6], control[a + 7], control[a + 8], control[a + 9], control[a + 10]);
    }
  } finally {
    Atomics.store(control, base, DONE);
    Atomics.notify(control, base);
  }
}
