import type { Backend, DType, Storage, TypedArray } from "../types.js";
import { dtypeOfArray } from "../dtype.js";

/** CPU memory is a plain typed array; the kernels reach into `.data` directly. */
export class CpuStorage implements Storage {
  readonly dtype: DType;
  constructor(
    readonly backend: Backend,
    readonly data: TypedArray,
  ) {
    this.dtype = dtypeOfArray(data);
  }
  get size(): number {
    return this.data.length;
  }
}

/** The typed array behind a storage; throws if the storage belongs to another backend. */
export function arr(s: Storage): TypedArray {
  if (!(s instanceof CpuStorage)) {
    throw new Error(`cpu backend was handed storage from the '${s.backend.name}' backend`);
  }
  return s.data;
}
