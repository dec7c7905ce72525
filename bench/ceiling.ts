/**
 * The WebAssembly SIMD ceiling of this machine, measured in the same run as Tessera: the
 * register-only multiply-add loop of ceiling-spin.ts on one thread, and on n threads at once
 * (worker threads), relaxed-SIMD fused multiply-add when the engine accepts it.
 *
 * Why: the matmul targets are fractions of a ceiling, and this VM's speed drifts by tens of
 * percent between days and within minutes, so a ceiling measured on another day says little
 * about a matmul measured today. The issue's own figures were taken together: the loop gave 65
 * GFLOP/s on one thread the day a packed prototype matmul gave 57, so "80% of 57" is 70% of the
 * loop's rate measured in the same round.
 */
import { Worker } from "node:worker_threads";
import v8 from "node:v8";
import asc from "assemblyscript/asc";
import { PEAK_SOURCE, spin, warmPeak } from "./ceiling-spin.js";

export interface Ceiling {
  /** GFLOP/s of the loop on one thread, and summed over `threads` threads running at once. */
  oneThread: number;
  threads: number;
  allThreads: number;
  relaxed: boolean;
}

async function compilePeak(): Promise<{ bytes: Uint8Array<ArrayBuffer>; relaxed: boolean }> {
  v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
  for (const relaxed of [true, false]) {
    const result = await asc.compileString(PEAK_SOURCE, { optimizeLevel: 3, runtime: "stub", enable: relaxed ? ["simd", "relaxed-simd"] : ["simd"] });
    if (result.error) throw new Error(`compiling the SIMD ceiling loop failed: ${result.error.message}\n${result.stderr.toString()}`);
    const bytes = new Uint8Array(result.binary!);
    if (WebAssembly.validate(bytes)) return { bytes, relaxed };
  }
  throw new Error("this engine cannot run WebAssembly 128-bit SIMD");
}

/** The loop on `threads` threads at once for `seconds`: the sum of their rates. */
async function spinTogether(bytes: Uint8Array<ArrayBuffer>, threads: number, seconds: number): Promise<number> {
  const workers = Array.from({ length: threads - 1 }, () => new Worker(new URL("./ceiling-worker.js", import.meta.url), { workerData: { bytes, seconds } }));
  try {
    await Promise.all(workers.map((w) => new Promise((resolve, reject) => {
      w.once("message", resolve);
      w.once("error", reject);
    })));
    const rates = workers.map((w) => new Promise<number>((resolve) => w.once("message", resolve)));
    for (const w of workers) w.postMessage("go");
    const own = spin(warmPeak(bytes), seconds);
    return own + (await Promise.all(rates)).reduce((a, b) => a + b, 0);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

let compiled: Promise<{ bytes: Uint8Array<ArrayBuffer>; relaxed: boolean }> | null = null;

export async function measureCeiling(threads: number, seconds: number): Promise<Ceiling> {
  compiled ??= compilePeak();
  const { bytes, relaxed } = await compiled;
  const oneThread = spin(warmPeak(bytes), seconds);
  const allThreads = threads > 1 ? await spinTogether(bytes, threads, seconds) : oneThread;
  return { oneThread, threads, allThreads, relaxed };
}
