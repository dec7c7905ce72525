/**
 * Which backend new tensors are made on: one process-wide choice, like PyTorch's default
 * device. `wasm` (WebAssembly SIMD, tensors in its own memory) is the default where it loads;
 * `cpu` (plain TypeScript, the reference) is always there and is the fallback. The environment
 * variables TESSERA_BACKEND and TESSERA_THREADS pick the starting backend and the wasm
 * backend's thread count.
 */
import type { Backend } from "./types.js";
import { cpuBackend } from "./cpu/index.js";
import { ValueError } from "../errors.js";
import { WasmBackend } from "./wasm/index.js";

type Env = { process?: { env?: Record<string, string | undefined> } };
const env = (globalThis as Env).process?.env ?? {};

/** Threads the wasm backend should use (TESSERA_THREADS, else 1). */
let threads = env.TESSERA_THREADS ? Number(env.TESSERA_THREADS) : 1;

const factories = new Map<string, () => Backend>([
  ["cpu", () => cpuBackend],
  [
    "wasm",
    () => {
      const b = new WasmBackend();
      b.setNumThreads(threads);
      return b;
    },
  ],
]);
const instances = new Map<string, Backend>([["cpu", cpuBackend]]);

function instance(name: string): Backend {
  let b = instances.get(name);
  if (!b) {
    const make = factories.get(name);
    if (!make) throw new ValueError(`setBackend: unknown backend '${name}' (available: ${[...factories.keys()].join(", ")})`);
    b = make();
    instances.set(name, b);
  }
  return b;
}

/** TESSERA_BACKEND if set; else wasm when this engine can run it (SIMD); else cpu. */
function initialBackend(): Backend {
  const name = env.TESSERA_BACKEND;
  if (!name) {
    try {
      return instance("wasm");
    } catch {
      return cpuBackend;
    }
  }
  try {
    return instance(name);
  } catch (e) {
    throw new ValueError(`TESSERA_BACKEND=${name}: ${(e as Error).message}`);
  }
}

let current: Backend = initialBackend();

export function registerBackend(backend: Backend): void {
  factories.set(backend.name, () => backend);
  instances.set(backend.name, backend);
}

/** Makes `name` the backend for new tensors (tensors already made stay where they are). */
export function setBackend(name: string): void {
  current = instance(name);
}

export function getBackend(): Backend {
  return current;
}

export function listBackends(): string[] {
  return [...factories.keys()];
}

/**
 * Threads for the wasm backend's big kernels (this thread included). The `cpu` backend is
 * single-threaded. Takes effect now if the wasm backend exists, else when it is created.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new ValueError(`setNumThreads: n must be an integer from 1 to 64, got ${n}`);
  threads = n;
  const wasm = instances.get("wasm");
  if (wasm instanceof WasmBackend) wasm.setNumThreads(n);
}

export function getNumThreads(): number {
  return threads;
}
