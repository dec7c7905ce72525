/**
 * Tensor memory inside the WebAssembly heap, with its lifecycle: live in a block, spilled to a
 * JavaScript array (small tensors that outlive their scope), or released.
 */
import type { Backend, DType, Storage, TypedArray } from "../types.js";
import { TesseraError } from "../../errors.js";

export const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4 };

/** Where the block is; shared with the finalizer, which frees it if the storage is collected. */
export interface BlockCell {
  ptr: number;
  bytes: number;
  live: boolean;
}

export class WasmStorage implements Storage {
  /** A copy in JavaScript memory after a spill; re-uploaded on next use. */
  spilled: TypedArray | null = null;
  released = false;
  kept = false;
  /** Spill rather than release at scope end, whatever the size. */
  preserved = false;
  /** A typed-array view of the block, valid while the block is live at `cell.ptr`. */
  cachedView: TypedArray | null = null;
  cachedViewPtr = -1;

  constructor(
    readonly backend: Backend,
    readonly dtype: DType,
    readonly size: number,
    readonly cell: BlockCell,
  ) {}
}

export class ReleasedTensorError extends TesseraError {
  constructor(dtype: DType, size: number) {
    super(
      `a ${dtype} tensor of ${size} elements was used after its memory was released at the end of the scope that made it ` +
        `(a DataLoader iteration, a training step or scope()). Keep tensors you need later with t.keep(), ` +
        `or copy their values out with .data() / .toArray() inside the loop.`,
    );
  }
}
