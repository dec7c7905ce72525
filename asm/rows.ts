// Row helpers shared by the movement, convolution and pooling kernels: runs of 4-byte elements,
// SIMD where the row is long enough. Pointers are byte offsets into the shared memory.


/** n 4-byte elements src → dst (no overlap), as bits. */
@inline export function copyRow32(dst: usize, src: usize, n: i32): void {
  if (n >= 4) {
    const last = <usize>(n - 4) << 2;
    let i: usize = 0;
    for (; i + 16 < last; i += 32) {
      v128.store(dst + i, v128.load(src + i));
      v128.store(dst + i, v128.load(src + i, 16), 16);
    }
    for (; i < last; i += 16) v128.store(dst + i, v128.load(src + i));
    v128.store(dst + last, v128.load(src + last)); // overlapping tail: same values
  } else {
    for (let i = 0; i < n; i++) store<u32>(dst + (<usize>i << 2), load<u32>(src + (<usize>i << 2)));
  }
}

/** n 4-byte zeros at dst. */
@inline export function zeroRow32(dst: usize, n: i32): void {
  const z = i32x4.splat(0);
  if (n >= 4) {
    const last = <usize>(n - 4) << 2;
    for (let i: usize = 0; i < last; i += 16) v128.store(dst + i, z);
    v128.store(dst + last, z);
  } else {
    for (let i = 0; i < n; i++) store<u32>(dst + (<usize>i << 2), 0);
  }
}

/** n 4-byte copies of the value at src. */
@inline export function splatRow32(dst: usize, src: usize, n: i32): void {
  const v = load<u32>(src);
  if (n >= 4) {
    const vv = i32x4.splat(v);
    const last = <usize>(n - 4) << 2;
    for (let i: usize = 0; i < last; i += 16) v128.store(dst + i, vv);
    v128.store(dst + last, vv);
  } else {
    for (let i = 0; i < n; i++) store<u32>(dst + (<usize>i << 2), v);
  }
}

/** dst[i] += src[i] for n floats (distinct dst elements, so lanes never interact). */
@inline export function addRowF32(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    v128.store(dst + o, f32x4.add(v128.load(dst + o, 16), v128.load(src + o, 16)), 16);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

@inline export function ptrAt(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/** n 4-byte zeros at dst, one at a time (short runs). */
@inline export function zeroRow32Scalar(dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<u32>(dst + (<usize>i << 2), 0);
}
