// Single-precision matrix product C[m,n] += op(A)[m,k] · op(B)[k,n], GotoBLAS-style:
// operands are packed into panels (absorbing the transposes), and a 4×8 register tile of C
// (eight f32x4 accumulators) is computed from a 4-row A panel and an 8-column B panel.
// Pointers are byte offsets into the shared memory; `scratch` must hold GEMM_SCRATCH_FLOATS floats.

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 1024;

export const GEMM_SCRATCH_FLOATS: i32 = MC * KC + KC * NC + MR * NR;

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// Packs `count` rows of op(X) starting at row `first`, depth k0..k0+kc, into panels of `width`:
// panel q holds for each depth p the `width` values of rows first+q*width... (zero past the edge).
// byColumn: element (r, p) is at x[p*ld + r]; otherwise at x[r*ld + p].
function pack(x: usize, byColumn: bool, count: i32, first: i32, k0: i32, kc: i32, ld: i32, dst: usize, width: i32): void {
  const panels = (count + width - 1) / width;
  for (let q = 0; q < panels; q++) {
    const base = dst + (<usize>(q * kc * width) << 2);
    const r0 = first + q * width;
    const valid = min(width, first + count - r0);
    if (valid == width) {
      // Full panels move in vectors: packing took up to a tenth of a small product's time.
      if (byColumn) packColumns(x + (<usize>(k0 * ld + r0) << 2), ld, kc, base, width);
      else packRows4(x + (<usize>(r0 * ld + k0) << 2), ld, kc, base, width);
      continue;
    }
    for (let w = 0; w < width; w++) {
      let d = base + (<usize>w << 2);
      const step = <usize>width << 2;
      if (w >= valid) {
        for (let p = 0; p < kc; p++, d += step) store<f32>(d, 0);
        continue;
      }
      const r = r0 + w;
      if (byColumn) {
        let s = x + (<usize>(k0 * ld + r) << 2);
        const sstep = <usize>ld << 2;
        for (let p = 0; p < kc; p++, d += step, s += sstep) store<f32>(d, load<f32>(s));
      } else {
        let s = x + (<usize>(r * ld + k0) << 2);
        for (let p = 0; p < kc; p++, d += step, s += 4) store<f32>(d, load<f32>(s));
      }
    }
  }
}

// A full panel of `width` (4 or 8) rows whose `width` values per depth step are contiguous
// (rows of X stored by column): one or two vector moves per depth step.
function packColumns(src: usize, ld: i32, kc: i32, dst: usize, width: i32): void {
  const step = <usize>ld << 2;
  if (width == 4) {
    for (let p = 0; p < kc; p++, src += step, dst += 16) v128.store(dst, v128.load(src));
  } else {
    for (let p = 0; p < kc; p++, src += step, dst += 32) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
    }
  }
}

// A full panel of `width` (4 or 8) rows stored along the depth (rows ld floats apart): 4 x 4
// blocks transposed in registers, the kc % 4 tail one value at a time.
function packRows4(src: usize, ld: i32, kc: i32, dst: usize, width: i32): void {
  const row = <usize>ld << 2;
  const panelStep = <usize>width << 2;
  for (let g = 0; g < width; g += 4) {
    const s0 = src + <usize>g * row;
    const d0 = dst + (<usize>g << 2);
    let p = 0;
    for (; p + 4 <= kc; p += 4) {
      const o = <usize>p << 2;
      const v0 = v128.load(s0 + o), v1 = v128.load(s0 + row + o);
      const v2 = v128.load(s0 + 2 * row + o), v3 = v128.load(s0 + 3 * row + o);
      const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5), t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
      const t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7), t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
      const d = d0 + <usize>p * panelStep;
      v128.store(d, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
      v128.store(d + panelStep, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
      v128.store(d + 2 * panelStep, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
      v128.store(d + 3 * panelStep, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
    }
    for (; p < kc; p++) {
      const o = <usize>p << 2;
      const d = d0 + <usize>p * panelStep;
      for (let w = 0; w < 4; w++) store<f32>(d + (<usize>w << 2), load<f32>(s0 + <usize>w * row + o));
    }
  }
}

// C block (mc × nc at c, row stride ldc) += packed A block · B block. B panel r starts at
// pb + r*panelBytes and advances bStep bytes per depth step (32 when packed; a row of B when
// read in place).
function macro(pa: usize, pb: usize, c: usize, mc: i32, nc: i32, ldc: i32, kc: i32, tile: usize, panelBytes: usize, bStep: usize, assign: bool = false): void {
  const aPanels = (mc + MR - 1) / MR;
  const bPanels = (nc + NR - 1) / NR;
  if (bStep == NR * 4) {
    // Packed B: an A panel (4 x kc) stays in the level-1 cache while the packed B block passes
    // under it (measured faster for large products than the opposite order).
    for (let q = 0; q < aPanels; q++) {
      for (let r = 0; r < bPanels; r++) microTile(pa, pb, c, mc, nc, ldc, kc, tile, panelBytes, bStep, q, r, false, assign);
    }
  } else {
    // B read in place, rows far apart: each B panel is loaded into the level-1 cache once and
    // used by every A panel (a convolution's few output channels) before moving on.
    for (let r = 0; r < bPanels; r++) {
      for (let q = 0; q < aPanels; q++) microTile(pa, pb, c, mc, nc, ldc, kc, tile, panelBytes, bStep, q, r, false, assign);
    }
  }
}

// C tile (rows 4q.., columns 8r..) += A panel q · B panel r (= with assign): eight f32x4 accumulators.
// byRows (a constant at each call site, so each use compiles to its own loop): B's row p starts
// at the address in the i32 table at pb + 4p, and panel r is 32r bytes into every row.
@inline function microTile(pa: usize, pb: usize, c: usize, mc: i32, nc: i32, ldc: i32, kc: i32, tile: usize, panelBytes: usize, bStep: usize, q: i32, r: i32, byRows: bool, assign: bool = false): void {
  const rowBytes = <usize>ldc << 2;
  const rows = min(MR, mc - q * MR);
  const cols = min(NR, nc - r * NR);
  let a = pa + (<usize>(q * kc * MR) << 2);
  let b = byRows ? pb : pb + <usize>r * panelBytes;
  const column = <usize>(r * NR) << 2;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // Ended by a pointer compare rather than a counter: V8 keeps one fewer induction variable in
  // the loop, which is worth about 15% here (the loop is issue-bound, not FMA-bound).
  const aEnd = a + (<usize>kc << 4);
  while (a < aEnd) {
    const bp = byRows ? <usize>load<u32>(b) + column : b;
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let x = v128.load32_splat(a);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a, 4);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a, 8);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a, 12);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    a += 16;
    b += byRows ? 4 : bStep;
  }
  const cp = c + <usize>(q * MR) * rowBytes + (<usize>(r * NR) << 2);
  if (assign && rows == MR && cols == NR) {
    let o = cp;
    v128.store(o, c00); v128.store(o, c01, 16);
    o += rowBytes;
    v128.store(o, c10); v128.store(o, c11, 16);
    o += rowBytes;
    v128.store(o, c20); v128.store(o, c21, 16);
    o += rowBytes;
    v128.store(o, c30); v128.store(o, c31, 16);
  } else if (rows == MR && cols == NR) {
    let o = cp;
    v128.store(o, f32x4.add(v128.load(o), c00)); v128.store(o, f32x4.add(v128.load(o, 16), c01), 16);
    o += rowBytes;
    v128.store(o, f32x4.add(v128.load(o), c10)); v128.store(o, f32x4.add(v128.load(o, 16), c11), 16);
    o += rowBytes;
    v128.store(o, f32x4.add(v128.load(o), c20)); v128.store(o, f32x4.add(v128.load(o, 16), c21), 16);
    o += rowBytes;
    v128.store(o, f32x4.add(v128.load(o), c30)); v128.store(o, f32x4.add(v128.load(o, 16), c31), 16);
  } else {
    v128.store(tile, c00); v128.store(tile, c01, 16);
    v128.store(tile, c10, 32); v128.store(tile, c11, 48);
    v128.store(tile, c20, 64); v128.store(tile, c21, 80);
    v128.store(tile, c30, 96); v128.store(tile, c31, 112);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        const o = cp + <usize>y * rowBytes + (<usize>x << 2);
        const v = load<f32>(tile + (<usize>(y * NR + x) << 2));
        store<f32>(o, assign ? v : load<f32>(o) + v);
      }
    }
  }
}

// Computes the columns jBegin..jEnd of C (all of them: 0..n), so threads can split the work
// by columns: each element is summed in the same order whatever the split, so results are
// bit-identical for any number of threads.
//
// packedA, when not 0, holds all of op(A) as gemm_pack_a packed it: threads sharing a product by
// columns then read one packed copy instead of each chunk packing A again (for a 1024² product,
// a third of a millisecond per chunk, which kept the chunks few and the threads' shares uneven).
export function gemm_f32(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool, scratch: usize, jBegin: i32, jEnd: i32, packedA: usize): void {
  gemm(a, transA ? m : k, b, transB ? k : n, c, n, m, n, k, transA, transB, scratch, jBegin, jEnd, false, packedA);
}

// Rows of A once packed: m rounded up to whole MR-row panels.
@inline function packedRows(m: i32): i32 {
  return ((m + MR - 1) / MR) * MR;
}

// Floats that gemm_pack_a writes for an m x k op(A).
export function gemm_packed_a_floats(m: i32, k: i32): i32 {
  return packedRows(m) * k;
}

// Packs all of op(A) (as gemm_f32 reads it) into dst, block (k0, i0) at float offset
// k0·m' + i0·kc (m' = m rounded up to MR). Returns false, writing nothing, when the product
// would take the dot-product route, which reads A in place.
export function gemm_pack_a(a: usize, m: i32, k: i32, transA: bool, transB: bool, dst: usize): bool {
  if (takesDots(m, k, transA, transB)) return false;
  const lda = transA ? m : k;
  const mPad = packedRows(m);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = min(KC, k - k0);
    for (let i0 = 0; i0 < m; i0 += MC) pack(a, transA, min(MC, m - i0), i0, k0, kc, lda, dst + (<usize>(k0 * mPad + i0 * kc) << 2), MR);
  }
  return true;
}

// Long rows on both sides: dot products beat packing (4x for a LeNet weight gradient). With few
// rows of A, packing B (n·k scalar moves for m·n·k/4 vector multiply-adds) costs more than the
// horizontal sums that dot products end with, once rows are a few vectors long.
@inline function takesDots(m: i32, k: i32, transA: bool, transB: bool): bool {
  return transB && !transA && (k >= 256 || (m <= 32 && k >= 32));
}

// C[m, n] (rows ldc floats apart) += op(A) · op(B), where A and B are stored row-major with
// rows lda and ldb floats apart: A as [m, k] ([k, m] when transA), B as [k, n] ([n, k] when
// transB). The leading dimensions let callers multiply blocks of larger matrices in place
// (a convolution multiplies one tile of image columns into one slice of its output).
//
// With assign, C = op(A) · op(B) instead: C's old contents are never read, so callers need not
// zero it first (a convolution's input gradient writes a column block per image).
export function gemm(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, n: i32, k: i32, transA: bool, transB: bool, scratch: usize, jBegin: i32, jEnd: i32, assign: bool = false, packedA: usize = 0): void {
  const dots = takesDots(m, k, transA, transB);
  // The dot products add into C, and with k = 0 nothing writes it: zero it first for assign.
  if (assign && (k == 0 || dots)) {
    for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * ldc + jBegin) << 2), 0, <usize>(jEnd - jBegin) << 2);
  }
  if (dots) {
    gemm_nt_dot(a, lda, b, ldb, c, ldc, m, k, jBegin, jEnd);
    return;
  }
  const packB = scratch + (<usize>(MC * KC) << 2);
  const tile = packB + (<usize>(KC * NC) << 2);
  const mPad = packedRows(m);
  for (let j0 = jBegin; j0 < jEnd; j0 += NC) {
    const nc = min(NC, jEnd - j0);
    // With few rows of A (m <= 128: LeNet's 6 and 16 output channels, small batches) each B
    // element is used only m times, so packing B would cost as much as the product: B stored
    // [k, n] is then read in place, a row per depth step. Only a partial last panel is packed, so
    // no read runs past the matrix. Large products pack B for cache locality.
    const direct = !transB && m <= 128;
    const fullPanels = direct ? nc / NR : 0;
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = min(KC, k - k0);
      const first = assign && k0 == 0;
      if (direct) {
        if (fullPanels * NR < nc) pack(b, true, nc - fullPanels * NR, j0 + fullPanels * NR, k0, kc, ldb, packB, NR);
      } else {
        pack(b, !transB, nc, j0, k0, kc, ldb, packB, NR);
      }
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = min(MC, m - i0);
        let packA = scratch;
        if (packedA) packA = packedA + (<usize>(k0 * mPad + i0 * kc) << 2);
        else pack(a, transA, mc, i0, k0, kc, lda, packA, MR);
        const cBlock = c + (<usize>(i0 * ldc + j0) << 2);
        if (direct) {
          if (fullPanels > 0) macro(packA, b + (<usize>(k0 * ldb + j0) << 2), cBlock, mc, fullPanels * NR, ldc, kc, tile, NR * 4, <usize>ldb << 2, first);
          if (fullPanels * NR < nc) macro(packA, packB, cBlock + (<usize>(fullPanels * NR) << 2), mc, nc - fullPanels * NR, ldc, kc, tile, 0, NR * 4, first);
        } else {
          macro(packA, packB, cBlock, mc, nc, ldc, kc, tile, <usize>(kc * NR) << 2, NR * 4, first);
        }
      }
    }
  }
}

@inline function rowOf(b: usize, rowBytes: usize, table: usize, j: i32): usize {
  return table ? <usize>load<u32>(table + (<usize>j << 2)) : b + <usize>j * rowBytes;
}

// C[m, jBegin..jEnd] += A[m,k] · B[n,k]ᵀ as dot products of contiguous rows, for long k and
// small m·n (a convolution's weight gradient): no packing at all, SIMD along k, 2×4 tiles.
// With bRows non-zero, B's row j starts at the address in the i32 table at bRows + 4j instead.
function gemm_nt_dot(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, k: i32, jBegin: i32, jEnd: i32, bRows: usize = 0): void {
  const k4 = k & ~3;
  const rowA = <usize>lda << 2;
  const rowB = <usize>ldb << 2;
  for (let i = 0; i < m; i += 2) {
    const two = i + 1 < m;
    const a0 = a + <usize>i * rowA;
    const a1 = two ? a0 + rowA : a0;
    for (let j = jBegin; j < jEnd; j += 4) {
      const cols = min(4, jEnd - j);
      const b0 = rowOf(b, rowB, bRows, j);
      const b1 = cols > 1 ? rowOf(b, rowB, bRows, j + 1) : b0;
      const b2 = cols > 2 ? rowOf(b, rowB, bRows, j + 2) : b0;
      const b3 = cols > 3 ? rowOf(b, rowB, bRows, j + 3) : b0;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let p: usize = 0; p < <usize>k4 << 2; p += 16) {
        const x0 = v128.load(a0 + p), x1 = v128.load(a1 + p);
        let y = v128.load(b0 + p);
        s00 = madd(x0, y, s00); s10 = madd(x1, y, s10);
        y = v128.load(b1 + p);
        s01 = madd(x0, y, s01); s11 = madd(x1, y, s11);
        y = v128.load(b2 + p);
        s02 = madd(x0, y, s02); s12 = madd(x1, y, s12);
        y = v128.load(b3 + p);
        s03 = madd(x0, y, s03); s13 = madd(x1, y, s13);
      }
      // The k % 4 tail, scalar, into lane j of a vector per row; then the four dot products of
      // a row are summed across lanes at once (sum4) and added to C.
      let t0 = f32x4.splat(0), t1 = f32x4.splat(0);
      for (let p = k4; p < k; p++) {
        const o = <usize>p << 2;
        const y = f32x4(load<f32>(b0 + o), load<f32>(b1 + o), load<f32>(b2 + o), load<f32>(b3 + o));
        t0 = f32x4.add(t0, f32x4.mul(f32x4.splat(load<f32>(a0 + o)), y));
        t1 = f32x4.add(t1, f32x4.mul(f32x4.splat(load<f32>(a1 + o)), y));
      }
      addRow4(c + (<usize>(i * ldc + j) << 2), f32x4.add(sum4(s00, s01, s02, s03), t0), cols);
      if (two) addRow4(c + (<usize>((i + 1) * ldc + j) << 2), f32x4.add(sum4(s10, s11, s12, s13), t1), cols);
    }
  }
}

// [Σ lanes of a, Σ b, Σ c, Σ d]: two rounds of pairwise shuffles and adds.
@inline function sum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(i32x4.shuffle(a, b, 0, 4, 1, 5), i32x4.shuffle(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(i32x4.shuffle(c, d, 0, 4, 1, 5), i32x4.shuffle(c, d, 2, 6, 3, 7));
  return f32x4.add(i32x4.shuffle(ab, cd, 0, 1, 4, 5), i32x4.shuffle(ab, cd, 2, 3, 6, 7));
}

// dst[0..cols) += the first cols lanes of v.
@inline function addRow4(dst: usize, v: v128, cols: i32): void {
  if (cols == 4) {
    v128.store(dst, f32x4.add(v128.load(dst), v));
    return;
  }
  store<f32>(dst, load<f32>(dst) + f32x4.extract_lane(v, 0));
  if (cols > 1) store<f32>(dst, load<f32>(dst, 4) + f32x4.extract_lane(v, 1), 4);
  if (cols > 2) store<f32>(dst, load<f32>(dst, 8) + f32x4.extract_lane(v, 2), 8);
}

// ---- B given as a table of row addresses ---------------------------------------------------------
// A convolution's column matrix in the stride-1 "wide" form has rows that are runs of the padded
// image, unevenly spaced (see conv.ts). These products read those runs where they are, through an
// i32 table of row start addresses, instead of copying them into a matrix first.

// C[m, n] += op(A) · B where row p of B (n floats) starts at rows[p]; m <= 128 (B read in place).
export function gemm_rows(a: usize, lda: i32, transA: bool, rows: usize, c: usize, ldc: i32, m: i32, n: i32, k: i32, scratch: usize): void {
  const packA = scratch;
  const packB = scratch + (<usize>(MC * KC) << 2);
  const tile = packB + (<usize>(KC * NC) << 2);
  const fullPanels = n / NR;
  const rest = n - fullPanels * NR;
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = min(KC, k - k0);
    const table = rows + (<usize>k0 << 2);
    if (rest > 0) packRows(table, kc, fullPanels * NR, rest, packB);
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = min(MC, m - i0);
      pack(a, transA, mc, i0, k0, kc, lda, packA, MR);
      const cBlock = c + (<usize>(i0 * ldc) << 2);
      // A last A panel of one or two rows (LeNet's 6 output channels) takes a 2x16 tile: the
      // same eight accumulators, none of them spent on the zero rows a 4x8 tile would compute.
      const fullA = mc / MR;
      const thin = mc - fullA * MR <= 2 && mc > fullA * MR;
      const aPanels = thin ? fullA : (mc + MR - 1) / MR;
      for (let r = 0; r < fullPanels; r++) {
        for (let q = 0; q < aPanels; q++) microTile(packA, table, cBlock, mc, n, ldc, kc, tile, 0, 0, q, r, true);
      }
      if (thin) {
        let r = 0;
        for (; r + 2 <= fullPanels; r += 2) thinTile(packA, table, cBlock, mc, ldc, kc, fullA, r);
        if (r < fullPanels) microTile(packA, table, cBlock, mc, n, ldc, kc, tile, 0, 0, fullA, r, true);
      }
      if (rest > 0) macro(packA, packB, cBlock + (<usize>(fullPanels * NR) << 2), mc, rest, ldc, kc, tile, 0, NR * 4);
    }
  }
}

// C rows 4q.. (one or two of them: mc - 4q) x columns 16r'.. (two full B panels r', r'+1 read in
// place through the row table) += A panel q · B: a 2x16 tile of eight f32x4 accumulators.
function thinTile(pa: usize, table: usize, c: usize, mc: i32, ldc: i32, kc: i32, q: i32, r: i32): void {
  const rowBytes = <usize>ldc << 2;
  const two = mc - q * MR == 2;
  let a = pa + (<usize>(q * kc * MR) << 2);
  let b = table;
  const column = <usize>(r * NR) << 2;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  const aEnd = a + (<usize>kc << 4);
  while (a < aEnd) {
    const bp = <usize>load<u32>(b) + column;
    const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32), b3 = v128.load(bp, 48);
    let x = v128.load32_splat(a);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01); c02 = madd(x, b2, c02); c03 = madd(x, b3, c03);
    x = v128.load32_splat(a, 4);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11); c12 = madd(x, b2, c12); c13 = madd(x, b3, c13);
    a += 16;
    b += 4;
  }
  let o = c + <usize>(q * MR) * rowBytes + column;
  v128.store(o, f32x4.add(v128.load(o), c00)); v128.store(o, f32x4.add(v128.load(o, 16), c01), 16);
  v128.store(o, f32x4.add(v128.load(o, 32), c02), 32); v128.store(o, f32x4.add(v128.load(o, 48), c03), 48);
  if (!two) return;
  o += rowBytes;
  v128.store(o, f32x4.add(v128.load(o), c10)); v128.store(o, f32x4.add(v128.load(o, 16), c11), 16);
  v128.store(o, f32x4.add(v128.load(o, 32), c12), 32); v128.store(o, f32x4.add(v128.load(o, 48), c13), 48);
}

// Columns first..first+count of kc table rows into one zero-padded panel of NR columns.
function packRows(table: usize, kc: i32, first: i32, count: i32, dst: usize): void {
  for (let p = 0; p < kc; p++) {
    const src = <usize>load<u32>(table + (<usize>p << 2)) + (<usize>first << 2);
    const d = dst + (<usize>(p * NR) << 2);
    for (let w = 0; w < NR; w++) store<f32>(d + (<usize>w << 2), w < count ? load<f32>(src + (<usize>w << 2)) : 0);
  }
}

// C[m, n] += A · Bᵀ where row j of B (k floats) starts at rows[j]: dot products, as gemm_nt_dot.
export function gemm_nt_rows(a: usize, lda: i32, rows: usize, c: usize, ldc: i32, m: i32, n: i32, k: i32): void {
  gemm_nt_dot(a, lda, 0, 0, c, ldc, m, k, 0, n, rows);
}
