/**
 * Memory scopes, for backends whose tensor memory JavaScript's garbage collector cannot see
 * (WebAssembly memory): the library opens a scope around each DataLoader iteration, training
 * step and evaluation batch, and everything allocated inside that was not kept is released when
 * it closes. A finalizer catches the strays. Backends on JavaScript arrays need none of this.
 */
import type { Storage } from "./types.js";

export interface ManagedMemory {
  /** Opens a scope and returns its id. */
  beginScope(): number;
  /**
   * Closes scope `id` (normally the innermost; an outer one when iterators interleave, e.g. two
   * DataLoaders zipped by hand). Storages in `keep` move to the scope below it.
   */
  endScope(keep: Iterable<Storage>, id: number): void;
  /** Exempts a storage from every scope: it lives until garbage-collected (parameters, grads, optimizer state). */
  keep(storage: Storage): void;
  /**
   * At the end of its scope, copy this storage out to JavaScript memory instead of releasing it,
   * whatever its size: for data a user may well hold on to, such as the batches a DataLoader yields.
   */
  preserve(storage: Storage): void;
  /** Releases a storage now (its owner knows it is dead, e.g. a replaced gradient). */
  release(storage: Storage): void;
  /** Bytes in use, at the peak, and reserved from the system. */
  stats(): { usedBytes: number; peakBytes: number; reservedBytes: number };
}
