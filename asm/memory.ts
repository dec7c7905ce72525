// Bulk memory: filling a block is one `memory.fill` (zero) or a SIMD splat loop, far faster
// than TypedArray.fill on a view of a shared memory.

export function fill_zero(ptr: usize, bytes: usize): void {
  memory.fill(ptr, 0, bytes);
}

export function fill_f32(ptr: usize, n: i32, value: f32): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(ptr + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(ptr + (<usize>i << 2), value);
}
