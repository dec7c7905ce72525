/**
 * Memory scopes at the tensor level. On the `cpu` backend these do nothing (JavaScript's garbage
 * collector frees tensors); on backends with their own memory (`wasm`) everything a scope
 * allocated is released when it closes, except what it returns and what was kept. The library
 * opens scopes itself around DataLoader iterations, so ordinary training loops need none.
 */
import { getBackend } from "../backend/registry.js";
import type { Storage } from "../backend/types.js";
import { Tensor } from "./tensor.js";

/** Runs fn in a scope; tensors in its result (a tensor, or an array/object of them) survive it. */
export function scope<T>(fn: () => T): T {
  const memory = getBackend().memory;
  if (!memory) return fn();
  const id = memory.beginScope();
  let result: T | undefined;
  try {
    result = fn();
    return result;
  } finally {
    memory.endScope(storagesIn(result), id);
  }
}

/** Exempts a tensor from scopes: it lives until garbage-collected. Returns the tensor. */
export function keep<T extends Tensor | null | undefined>(t: T): T {
  if (t) t.storage.backend.memory?.keep(t.storage);
  return t;
}

/** Frees a tensor's memory now, when its owner knows nobody else holds it. */
export function release(t: Tensor | null | undefined): void {
  if (t) t.storage.backend.memory?.release(t.storage);
}

function storagesIn(value: unknown, out: Storage[] = [], depth = 0): Storage[] {
  if (value instanceof Tensor) out.push(value.storage);
  else if (depth < 3 && value && typeof value === "object") {
    for (const v of Array.isArray(value) ? value : Object.values(value)) storagesIn(v, out, depth + 1);
  }
  return out;
}
