/**
 * Which backend new tensors are made on: one process-wide choice, like PyTorch's default
 * device. `cpu` (plain TypeScript, the reference) is always there; `wasm` (WebAssembly SIMD) is
 * created on first use. The environment variable TESSERA_BACKEND picks the starting backend.
 */
import type { Backend } from "./types.js";
import { cpuBackend } from "./cpu/index.js";
import { ValueError } from "../errors.js";
import { WasmBackend } from "./wasm/index.js";

const factories = new Map<string, () => Backend>([
  ["cpu", () => cpuBackend],
  ["wasm", () => new WasmBackend()],
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

function initialBackend(): Backend {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.TESSERA_BACKEND;
  if (!env) return cpuBackend;
  try {
    return instance(env);
  } catch (e) {
    throw new ValueError(`TESSERA_BACKEND=${env}: ${(e as Error).message}`);
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
