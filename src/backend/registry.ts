/**
 * Which backend new tensors are made on. One process-wide choice, like PyTorch's default device;
 * `cpu` is always there and is the reference every other backend is tested against.
 */
import type { Backend } from "./types.js";
import { cpuBackend } from "./cpu/index.js";
import { ValueError } from "../errors.js";

const backends = new Map<string, Backend>([["cpu", cpuBackend]]);
let current: Backend = cpuBackend;

export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

export function setBackend(name: string): void {
  const b = backends.get(name);
  if (!b) throw new ValueError(`setBackend: unknown backend '${name}' (available: ${[...backends.keys()].join(", ")})`);
  current = b;
}

export function getBackend(): Backend {
  return current;
}

export function listBackends(): string[] {
  return [...backends.keys()];
}
