/**
 * Scope bookkeeping for the wasm heap: which storages each open scope allocated, and what
 * happens to them when it closes. Small storages (≤ SPILL_BYTES) that were not kept are copied
 * out to JavaScript memory instead of being lost, so a loss or a prediction a user stashes
 * across iterations stays readable; larger ones are released.
 */
import type { Storage } from "../types.js";
import type { ManagedMemory } from "../memory.js";
import type { Heap } from "./heap.js";
import { WasmStorage } from "./storage.js";

export const SPILL_BYTES = 1024;

export class Scopes implements ManagedMemory {
  private readonly stack: { id: number; list: WasmStorage[] }[] = [];
  private nextId = 1;
  private readonly finalizer: FinalizationRegistry<WasmStorage["cell"]>;

  constructor(
    private readonly heap: Heap,
    /** Copies a live storage's contents out to a JavaScript typed array. */
    private readonly copyOut: (s: WasmStorage) => WasmStorage["spilled"],
  ) {
    this.finalizer = new FinalizationRegistry((cell) => {
      if (cell.live) {
        cell.live = false;
        heap.free(cell.ptr, cell.bytes);
      }
    });
  }

  /** Records a new storage in the innermost scope and with the finalizer. */
  /**
   * Puts a storage (new, or re-uploaded after a spill) in the innermost scope, which decides its
   * fate; outside every scope only the finalizer can free it.
   */
  track(s: WasmStorage): void {
    const top = this.stack[this.stack.length - 1];
    if (top && !s.kept) top.list.push(s);
    else this.finalizer.register(s, s.cell, s);
  }

  beginScope(): number {
    const id = this.nextId++;
    this.stack.push({ id, list: [] });
    return id;
  }

  endScope(keep: Iterable<Storage>, id: number): void {
    const at = this.stack.findIndex((scope) => scope.id === id);
    if (at < 0) throw new Error(`endScope: scope ${id} is not open`);
    const [{ list }] = this.stack.splice(at, 1);
    const keepSet = new Set(keep);
    const parent = at > 0 ? this.stack[at - 1].list : undefined;
    for (const s of list) {
      if (s.released || !s.cell.live) continue;
      if (s.kept || keepSet.has(s)) {
        // Escapes this scope: into the enclosing one, or to the finalizer's care.
        if (parent && !s.kept) parent.push(s);
        else this.finalizer.register(s, s.cell, s);
        continue;
      }
      if (s.preserved || s.cell.bytes <= SPILL_BYTES) {
        s.spilled = this.copyOut(s);
        this.freeBlock(s);
      } else {
        this.release(s);
      }
    }
  }

  keep(storage: Storage): void {
    if (storage instanceof WasmStorage) storage.kept = true;
  }

  preserve(storage: Storage): void {
    if (storage instanceof WasmStorage) storage.preserved = true;
  }

  release(storage: Storage): void {
    if (!(storage instanceof WasmStorage) || storage.released) return;
    storage.released = true;
    storage.spilled = null;
    this.freeBlock(storage);
  }

  private freeBlock(s: WasmStorage): void {
    if (!s.cell.live) return;
    s.cell.live = false;
    this.heap.free(s.cell.ptr, s.cell.bytes);
  }

  stats() {
    return this.heap.stats();
  }
}
