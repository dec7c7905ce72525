/**
 * The allocator for tensor memory inside the WebAssembly memory. Blocks are 64-byte aligned
 * (whole cache lines, and any SIMD width) and recycled by exact size: a training loop asks for
 * the same sizes every step, so after the first step it allocates from the free lists alone and
 * the footprint stays flat. The memory grows when the free lists cannot serve a request.
 */
const ALIGN = 64;
const PAGE = 65536;

export class Heap {
  private top: number;
  private readonly freeLists = new Map<number, number[]>();
  private used = 0;
  private peak = 0;

  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  static roundUp(bytes: number): number {
    return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  }

  /** A block of at least `bytes` bytes (contents undefined). Returns its offset. */
  alloc(bytes: number): number {
    const size = Heap.roundUp(bytes);
    const list = this.freeLists.get(size);
    let ptr = list?.pop();
    if (ptr === undefined) {
      ptr = this.top;
      const end = ptr + size;
      const have = this.memory.buffer.byteLength;
      if (end > have) {
        const pages = Math.ceil((end - have) / PAGE);
        try {
          this.memory.grow(Math.max(pages, Math.ceil(have / PAGE / 8))); // grow by >= 1/8 to grow rarely
        } catch {
          this.memory.grow(pages);
        }
      }
      this.top = end;
    }
    this.used += size;
    if (this.used > this.peak) this.peak = this.used;
    return ptr;
  }

  free(ptr: number, bytes: number): void {
    const size = Heap.roundUp(bytes);
    let list = this.freeLists.get(size);
    if (!list) this.freeLists.set(size, (list = []));
    list.push(ptr);
    this.used -= size;
  }

  stats(): { usedBytes: number; peakBytes: number; reservedBytes: number } {
    return { usedBytes: this.used, peakBytes: this.peak, reservedBytes: this.memory.buffer.byteLength };
  }
}
