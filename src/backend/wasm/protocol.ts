/**
 * The job protocol between the wasm backend and its kernel workers, over a control block of
 * int32 slots in the shared memory (one slot per worker), followed by one shared chunk counter:
 *
 *   [0] state: IDLE → POSTED (main) → DONE (worker) → IDLE (main)
 *   [1] ready: set by the worker once its kernels are instantiated
 *   [2] job kind, [3] argument count, [4..8] the range (see Range), [9..] the kernel's arguments
 *
 * A job's work is a range of independent parts (a gemm's column panels, a convolution's images
 * or tiles) cut into chunks. Every thread, the caller included, takes the next chunk from the
 * shared counter until none is left, so a worker that wakes late or runs on a busy core simply
 * takes fewer chunks. Each part is computed whole by whichever thread takes it, so the results
 * do not depend on who took what.
 *
 * Waking a sleeping thread costs tens of microseconds, as much as a small kernel, so both sides
 * spin for up to about a millisecond before sleeping (see SPIN_LIMIT).
 */
export const SLOT_INTS = 32;
const RANGE_AT = 4;
const ARGS_AT = 9;
export const IDLE = 0;
export const POSTED = 1;
export const DONE = 2;
export const MAX_JOB_ARGS = SLOT_INTS - ARGS_AT;

/** Job kinds: the kernel export each one runs. */
export const JOBS = [
  "gemm_f32", "conv2d_f32", "conv2d_backward_input_f32", "conv2d_backward_weight_f32", "ew_unary_range_f32", "maxpool2d_planes_f32",
  "ew_binary_range_f32", "ew_reduce_range_f32", "maxpool2d_backward_planes_f32",
] as const;
export type JobKind = (typeof JOBS)[number];

/**
 * How a job's parts map to the kernel's (begin, end) arguments, which sit at `argAt` and
 * `argAt + 1`: chunk c covers parts round(c·parts/chunks) .. round((c+1)·parts/chunks), passed
 * as part·scale clamped to `limit` (a gemm's parts are 8-column panels of n columns).
 */
export interface Range {
  argAt: number;
  parts: number;
  chunks: number;
  scale: number;
  limit: number;
}

/**
 * Spins of Atomics.load before sleeping: about 0.5-1 ms, longer than the serial stretches of a
 * training step (the loss, the optimizer, the autograd bookkeeping), so a worker is still awake
 * for the next job, as OpenMP runtimes keep theirs. Waking a sleeping worker costs more on this
 * VM than on bare metal. LeNet-5 steps on 2 threads, alternating limits: with 4,000 spins (20-50
 * µs) the median step took 4.5-5.0 ms and the best decile 3.4-3.5 ms; with this limit 4.0-4.1
 * and 3.2-3.3 ms. Bounded still, so an idle pool stops taking a core within a millisecond.
 */
export const SPIN_LIMIT = 100_000;

export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  controlPtr: number;
  slots: number;
  index: number;
}

/** Ints in a control block for `slots` workers: their slots, then the chunk counter. */
export const controlInts = (slots: number) => slots * SLOT_INTS + 1;

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

/** Writes a job into slot `base` (its state is set to POSTED by the caller). */
export function writeJob(control: Int32Array, base: number, kind: JobKind, args: readonly number[], range: Range): void {
  if (args.length > MAX_JOB_ARGS) throw new Error(`thread job ${kind}: ${args.length} arguments, at most ${MAX_JOB_ARGS} fit a slot`);
  control[base + 2] = JOBS.indexOf(kind);
  control[base + 3] = args.length;
  control.set([range.argAt, range.parts, range.chunks, range.scale, range.limit], base + RANGE_AT);
  control.set(args, base + ARGS_AT);
}

/**
 * Runs chunks of a job until the shared counter (the last int of the control block) passes the
 * last one. Used by the workers and, with the same arguments, by the thread that posted the job.
 */
export function takeChunks(kernel: (...args: number[]) => void, args: number[], range: Range, control: Int32Array): void {
  const counter = control.length - 1;
  const { argAt, parts, chunks, scale, limit } = range;
  for (;;) {
    const c = Atomics.add(control, counter, 1);
    if (c >= chunks) return;
    args[argAt] = Math.min(limit, Math.round((c * parts) / chunks) * scale);
    args[argAt + 1] = Math.min(limit, Math.round(((c + 1) * parts) / chunks) * scale);
    kernel(...args);
  }
}

export function runJob(exports: WebAssembly.Exports, control: Int32Array, base: number): void {
  try {
    const kernel = exports[JOBS[control[base + 2]]] as (...args: number[]) => void;
    const args = Array.from(control.subarray(base + ARGS_AT, base + ARGS_AT + control[base + 3]));
    const [argAt, parts, chunks, scale, limit] = control.subarray(base + RANGE_AT, base + RANGE_AT + 5);
    takeChunks(kernel, args, { argAt, parts, chunks, scale, limit }, control);
  } finally {
    Atomics.store(control, base, DONE);
    Atomics.notify(control, base);
  }
}
