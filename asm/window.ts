// Movement, im2col/col2im and pooling kernels (float32, SIMD). See src/backend/wasm/window.ts.
//
// Every kernel mirrors its cpu reference (src/backend/cpu/{window,movement}.ts) loop for loop, so
// the results are bit-identical: the same elements are visited, summed in the same order and
// rounded the same way (an f32 add is JavaScript's double add rounded to float32, as the
// reference stores it; where the reference keeps a double — average pooling — so do we, in f64).
// SIMD only ever works across independent outputs, never reorders one output's sum. (One thing
// no one can mirror: when an add meets two NaNs, which payload comes out is up to the engine, in
// JavaScript as here.)
//
// Pointers are byte offsets into the shared memory; element offsets and strides are i32 counts
// of elements. Nothing here allocates. The kernels that index with caller-supplied integers
// return 0 on success and 1 + the position of the first bad index otherwise, having written
// nothing outside their output.

import { addRowF32, copyRow32, ptrAt, splatRow32, zeroRow32, zeroRow32Scalar } from "./rows";
import { walkColumns } from "./columns";

// ---- im2col / col2im ----------------------------------------------------------------------------

export function im2col_f32(
  x: usize, cols: usize,
  batch: i32, channels: i32, inH: i32, inW: i32, kH: i32, kW: i32, sH: i32, sW: i32,
  padTop: i32, padLeft: i32, dH: i32, dW: i32, outH: i32, outW: i32,
): void {
  walkColumns(x, cols, false, batch, channels, inH, inW, kH, kW, sH, sW, padTop, padLeft, dH, dW, outH, outW);
}

/** img (zeroed here) = the sum of the columns at their image places. */
export function col2im_f32(
  cols: usize, img: usize,
  batch: i32, channels: i32, inH: i32, inW: i32, kH: i32, kW: i32, sH: i32, sW: i32,
  padTop: i32, padLeft: i32, dH: i32, dW: i32, outH: i32, outW: i32,
): void {
  memory.fill(img, 0, <usize>(batch * channels * inH * inW) << 2);
  walkColumns(img, cols, true, batch, channels, inH, inW, kH, kW, sH, sW, padTop, padLeft, dH, dW, outH, outW);
}

// ---- max pooling --------------------------------------------------------------------------------

/** First k in [0, kernel) with base + k*dil >= 0. */
@inline function firstInside(base: i32, dil: i32): i32 {
  return base < 0 ? (dil - 1 - base) / dil : 0;
}

/** One past the last k in [0, kernel) with base + k*dil < size. */
@inline function endInside(base: i32, dil: i32, kernel: i32, size: i32): i32 {
  const t = size - 1 - base;
  return t < 0 ? 0 : min(kernel, t / dil + 1);
}

// The reference holds the winner in a JavaScript number, and reading a float32 into one quiets a
// signalling NaN (sets the top mantissa bit, keeping the payload); the winner here is moved as
// bits, so it is quieted the same way before it is stored.
const QUIET: i32 = 0x400000;

@inline function quietBits(bits: i32): i32 {
  const v = reinterpret<f32>(bits);
  return bits | select<i32>(QUIET, 0, v != v);
}

@inline function quiet4(v: v128): v128 {
  return v128.or(v, v128.and(f32x4.ne(v, v), i32x4.splat(QUIET)));
}

/** a where the mask lane is set, else b (masks here are whole lanes, so relaxed is exact). */
@inline function sel(a: v128, b: v128, m: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i32x4.relaxed_laneselect(a, b, m);
  return v128.bitselect(a, b, m);
}

// The reference rule, one window: the first in-image cell wins at first, then any strictly
// greater value or a NaN; a NaN ends the scan of its kernel row (the next row's first NaN takes
// over). Padding is skipped; a window with no image cell gives -Infinity and index -1.
// Branch-free form of the scan: once a row took a NaN (where the reference stops), no later cell
// of that row can take over: it is not greater than NaN, not the row's first NaN, not first.
@inline function maxWindow(
  xb: usize, out: usize, idx: usize, o: i32,
  h0: i32, kiLo: i32, kiHi: i32, dH: i32, w0: i32, kjLo: i32, kjHi: i32, dW: i32, inW: i32,
): void {
  // The best value travels as its bits: an integer select is a conditional move, where a float
  // select would become an unpredictable branch.
  let bestBits: i32 = reinterpret<i32>(-Infinity as f32);
  let bestIdx: i32 = -1;
  for (let ki = kiLo; ki < kiHi; ki++) {
    const rowIdx = (h0 + ki * dH) * inW;
    let rowNaN: i32 = 0;
    for (let kj = kjLo; kj < kjHi; kj++) {
      const at = rowIdx + w0 + kj * dW;
      const bits = load<i32>(ptrAt(xb, at));
      const v = reinterpret<f32>(bits);
      const nan = <i32>(v != v);
      const take = <i32>(v > reinterpret<f32>(bestBits)) | <i32>(bestIdx < 0) | (nan & (rowNaN ^ 1));
      bestBits = select<i32>(bits, bestBits, take);
      bestIdx = select<i32>(at, bestIdx, take);
      rowNaN |= nan;
    }
  }
  store<i32>(ptrAt(out, o), quietBits(bestBits));
  store<i32>(ptrAt(idx, o), bestIdx);
}

// Eight neighbouring outputs of a row, as two groups of four lanes (two independent chains, so
// their latencies overlap), their windows horizontally inside the image, at column stride 1 or
// 2: the same scan as maxWindow, lane by lane. `o` and `w0` are the first group's; the second
// group starts `second` outputs later (4, or less to recompute a few outputs at a row's end).
@inline function maxWindow8(
  xb: usize, out: usize, idx: usize, o: i32, second: i32,
  h0: i32, kiLo: i32, kiHi: i32, dH: i32, w0: i32, kW: i32, dW: i32, sW: i32, inW: i32,
): void {
  const lanes = sW == 1 ? i32x4(0, 1, 2, 3) : i32x4(0, 2, 4, 6);
  const shift = second * sW;
  const zero = i32x4.splat(0);
  let best0 = f32x4.splat(-Infinity), best1 = best0;
  let bi0 = i32x4.splat(-1), bi1 = bi0;
  for (let ki = kiLo; ki < kiHi; ki++) {
    const rowIdx = (h0 + ki * dH) * inW + w0;
    let rowNaN0 = zero, rowNaN1 = zero;
    for (let kj = 0; kj < kW; kj++) {
      const at0 = rowIdx + kj * dW;
      const at1 = at0 + shift;
      const p0 = ptrAt(xb, at0), p1 = ptrAt(xb, at1);
      const v0 = sW == 1 ? v128.load(p0) : f32x4.shuffle(v128.load(p0), v128.load(p0, 16), 0, 2, 4, 6);
      const v1 = sW == 1 ? v128.load(p1) : f32x4.shuffle(v128.load(p1), v128.load(p1, 16), 0, 2, 4, 6);
      const nan0 = f32x4.ne(v0, v0), nan1 = f32x4.ne(v1, v1);
      const take0 = v128.or(v128.or(f32x4.gt(v0, best0), i32x4.lt_s(bi0, zero)), v128.andnot(nan0, rowNaN0));
      const take1 = v128.or(v128.or(f32x4.gt(v1, best1), i32x4.lt_s(bi1, zero)), v128.andnot(nan1, rowNaN1));
      best0 = sel(v0, best0, take0);
      best1 = sel(v1, best1, take1);
      bi0 = sel(i32x4.add(i32x4.splat(at0), lanes), bi0, take0);
      bi1 = sel(i32x4.add(i32x4.splat(at1), lanes), bi1, take1);
      rowNaN0 = v128.or(rowNaN0, nan0);
      rowNaN1 = v128.or(rowNaN1, nan1);
    }
  }
  v128.store(ptrAt(out, o), quiet4(best0));
  v128.store(ptrAt(idx, o), bi0);
  v128.store(ptrAt(out, o + second), quiet4(best1));
  v128.store(ptrAt(idx, o + second), bi1);
}

// 2x2 windows at stride 2, all inside the image: four outputs of a row at a time (the last four
// again when the width is not a multiple of 4: the same values are stored twice). Lanes are
// outputs; a, b are a window's top cells and c, d its bottom ones, visited in that order.
@inline function maxGroup2x2(r0: usize, rowBytes: usize, rowIdx: i32, ow: i32, out: usize, idx: usize, o: i32): void {
  const p = r0 + (<usize>ow << 3);
  const t0 = v128.load(p), t1 = v128.load(p, 16);
  const b0 = v128.load(p + rowBytes), b1 = v128.load(p + rowBytes, 16);
  const a = f32x4.shuffle(t0, t1, 0, 2, 4, 6);
  const b = f32x4.shuffle(t0, t1, 1, 3, 5, 7);
  const c = f32x4.shuffle(b0, b1, 0, 2, 4, 6);
  const d = f32x4.shuffle(b0, b1, 1, 3, 5, 7);
  const nanA = f32x4.ne(a, a), nanB = f32x4.ne(b, b), nanC = f32x4.ne(c, c), nanD = f32x4.ne(d, d);
  const ia = i32x4.add(i32x4.splat(rowIdx + 2 * ow), i32x4(0, 2, 4, 6));
  const down = <i32>(rowBytes >> 2);
  let best = a;
  let bi = ia;
  // b: greater, or a NaN unless a was one (the row's scan stopped at a)
  let m = v128.or(f32x4.gt(b, best), v128.andnot(nanB, nanA));
  best = sel(b, best, m);
  bi = sel(i32x4.add(ia, i32x4.splat(1)), bi, m);
  // c: greater, or any NaN (a new kernel row)
  m = v128.or(f32x4.gt(c, best), nanC);
  best = sel(c, best, m);
  bi = sel(i32x4.add(ia, i32x4.splat(down)), bi, m);
  // d: greater, or a NaN unless c was one
  m = v128.or(f32x4.gt(d, best), v128.andnot(nanD, nanC));
  best = sel(d, best, m);
  bi = sel(i32x4.add(ia, i32x4.splat(down + 1)), bi, m);
  v128.store(ptrAt(out, o + ow), quiet4(best));
  v128.store(ptrAt(idx, o + ow), bi);
}

function maxPool2x2(x: usize, out: usize, idx: usize, planes: i32, inH: i32, inW: i32, outH: i32, outW: i32): void {
  const plane = inH * inW;
  const outPlane = outH * outW;
  const rowBytes = <usize>inW << 2;
  for (let nc = 0; nc < planes; nc++) {
    const xb = ptrAt(x, nc * plane);
    const ob = nc * outPlane;
    for (let oh = 0; oh < outH; oh++) {
      const rowIdx = 2 * oh * inW;
      const r0 = ptrAt(xb, rowIdx);
      const o = ob + oh * outW;
      if (outW >= 4) {
        let ow = 0;
        for (; ow + 4 <= outW; ow += 4) maxGroup2x2(r0, rowBytes, rowIdx, ow, out, idx, o);
        if (ow < outW) maxGroup2x2(r0, rowBytes, rowIdx, outW - 4, out, idx, o);
      } else {
        for (let ow = 0; ow < outW; ow++) maxWindow(xb, out, idx, o + ow, 2 * oh, 0, 2, 1, 2 * ow, 0, 2, 1, inW);
      }
    }
  }
}

export function maxpool2d_f32(
  x: usize, out: usize, idx: usize,
  batch: i32, channels: i32, inH: i32, inW: i32, kH: i32, kW: i32, sH: i32, sW: i32,
  padTop: i32, padLeft: i32, dH: i32, dW: i32, outH: i32, outW: i32,
): void {
  const planes = batch * channels;
  if (kH == 2 && kW == 2 && sH == 2 && sW == 2 && padTop == 0 && padLeft == 0 && dH == 1 && dW == 1 && 2 * outH <= inH && 2 * outW <= inW) {
    maxPool2x2(x, out, idx, planes, inH, inW, outH, outW);
    return;
  }
  const plane = inH * inW;
  const outPlane = outH * outW;
  const reach = (kW - 1) * dW; // a window's last column, from its first
  // Outputs whose windows lie horizontally inside the image: owA <= ow < owB.
  const owA = min(outW, (padLeft + sW - 1) / sW);
  const last = inW - 1 - reach + padLeft; // (>= -padLeft: a window fits the padded row)
  const owB = last < 0 ? owA : max(owA, min(outW, last / sW + 1));
  // Groups of four at stride 1 or 2 (a stride-2 group reads one column past its last window).
  const vector = sW <= 2;
  const groupEnd = sW == 1 ? owB : last < 1 ? owA : max(owA, min(owB, (last - 1) / sW + 1));
  for (let nc = 0; nc < planes; nc++) {
    const xb = ptrAt(x, nc * plane);
    const ob = nc * outPlane;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * sH - padTop;
      const kiLo = firstInside(h0, dH);
      const kiHi = endInside(h0, dH, kH, inH);
      const o = ob + oh * outW;
      let ow = 0;
      for (; ow < owA; ow++) {
        const w0 = ow * sW - padLeft;
        maxWindow(xb, out, idx, o + ow, h0, kiLo, kiHi, dH, w0, firstInside(w0, dW), endInside(w0, dW, kW, inW), dW, inW);
      }
      if (vector && groupEnd - ow >= 4) {
        // Eight at a time; the last eight overlap what was done (the same values stored again),
        // and a span of 4 to 7 is two overlapping groups of four.
        for (; ow + 8 <= groupEnd; ow += 8) maxWindow8(xb, out, idx, o + ow, 4, h0, kiLo, kiHi, dH, ow * sW - padLeft, kW, dW, sW, inW);
        if (ow < groupEnd) {
          const start = max(owA, groupEnd - 8);
          maxWindow8(xb, out, idx, o + start, min(4, groupEnd - 4 - start), h0, kiLo, kiHi, dH, start * sW - padLeft, kW, dW, sW, inW);
          ow = groupEnd;
        }
      }
      for (; ow < owB; ow++) maxWindow(xb, out, idx, o + ow, h0, kiLo, kiHi, dH, ow * sW - padLeft, 0, kW, dW, inW);
      for (; ow < outW; ow++) {
        const w0 = ow * sW - padLeft;
        maxWindow(xb, out, idx, o + ow, h0, kiLo, kiHi, dH, w0, firstInside(w0, dW), endInside(w0, dW, kW, inW), dW, inW);
      }
    }
  }
}

/** gradIn (zeroed here) += gradOut routed by index; index -1 (no winner) is skipped. */
export function maxpool2d_backward_f32(gradOut: usize, indices: usize, gradIn: usize, planes: i32, plane: i32, outPlane: i32): i32 {
  memory.fill(gradIn, 0, <usize>(planes * plane) << 2);
  let g = gradOut;
  let ip = indices;
  for (let nc = 0; nc < planes; nc++) {
    const gb = ptrAt(gradIn, nc * plane);
    for (let o = 0; o < outPlane; o++, g += 4, ip += 4) {
      const i = load<i32>(ip);
      if (i < 0) continue;
      if (i >= plane) return nc * outPlane + o + 1;
      const p = ptrAt(gb, i);
      store<f32>(p, load<f32>(p) + load<f32>(g));
    }
  }
  return 0;
}

// ---- average pooling ----------------------------------------------------------------------------
// PyTorch's rule as the reference computes it: a window is clipped to the padded image (padding
// after = padding before), the divisor counts padding cells only when countIncludePad, and the
// sum runs in a double, row by row, from +0.

export function avgpool2d_f32(
  x: usize, out: usize,
  batch: i32, channels: i32, inH: i32, inW: i32, kH: i32, kW: i32, sH: i32, sW: i32,
  padTop: i32, padLeft: i32, outH: i32, outW: i32, countIncludePad: bool,
): void {
  const planes = batch * channels;
  const plane = inH * inW;
  const outPlane = outH * outW;
  if (kH == 2 && kW == 2 && sH == 2 && sW == 2 && padTop == 0 && padLeft == 0 && 2 * outH <= inH && 2 * outW <= inW) {
    avgPool2x2(x, out, planes, inH, inW, outH, outW);
    return;
  }
  for (let nc = 0; nc < planes; nc++) {
    const xb = ptrAt(x, nc * plane);
    let o = ptrAt(out, nc * outPlane);
    for (let oh = 0; oh < outH; oh++) {
      let h0 = oh * sH - padTop;
      let h1 = min(h0 + kH, inH + padTop);
      const hSpan = h1 - h0;
      h0 = max(h0, 0);
      h1 = min(h1, inH);
      for (let ow = 0; ow < outW; ow++, o += 4) {
        let w0 = ow * sW - padLeft;
        let w1 = min(w0 + kW, inW + padLeft);
        const wSpan = w1 - w0;
        w0 = max(w0, 0);
        w1 = min(w1, inW);
        const divisor = countIncludePad ? hSpan * wSpan : (h1 - h0) * (w1 - w0);
        let s: f64 = 0;
        for (let ih = h0; ih < h1; ih++) {
          const r = ptrAt(xb, ih * inW);
          for (let iw = w0; iw < w1; iw++) s += <f64>load<f32>(r + (<usize>iw << 2));
        }
        store<f32>(o, <f32>(s / <f64>divisor));
      }
    }
  }
}

// 2x2 windows at stride 2, all inside: divisor 4 either way; lanes are outputs, two per f64x2.
// Four outputs at a time (the last four again when the width is not a multiple of 4).
@inline function avgGroup2x2(r0: usize, rowBytes: usize, ow: i32, o: usize): void {
  const zero = f64x2.splat(0);
  const four = f64x2.splat(4);
  const p = r0 + (<usize>ow << 3);
  const t0 = v128.load(p), t1 = v128.load(p, 16);
  const b0 = v128.load(p + rowBytes), b1 = v128.load(p + rowBytes, 16);
  // low half: outputs ow, ow+1 (cells t0 = a0 b0 a1 b1, b0 = c0 d0 c1 d1); the sum starts at +0
  let lo = f64x2.add(zero, f64x2.promote_low_f32x4(f32x4.shuffle(t0, t0, 0, 2, 0, 2)));
  lo = f64x2.add(lo, f64x2.promote_low_f32x4(f32x4.shuffle(t0, t0, 1, 3, 1, 3)));
  lo = f64x2.add(lo, f64x2.promote_low_f32x4(f32x4.shuffle(b0, b0, 0, 2, 0, 2)));
  lo = f64x2.add(lo, f64x2.promote_low_f32x4(f32x4.shuffle(b0, b0, 1, 3, 1, 3)));
  let hi = f64x2.add(zero, f64x2.promote_low_f32x4(f32x4.shuffle(t1, t1, 0, 2, 0, 2)));
  hi = f64x2.add(hi, f64x2.promote_low_f32x4(f32x4.shuffle(t1, t1, 1, 3, 1, 3)));
  hi = f64x2.add(hi, f64x2.promote_low_f32x4(f32x4.shuffle(b1, b1, 0, 2, 0, 2)));
  hi = f64x2.add(hi, f64x2.promote_low_f32x4(f32x4.shuffle(b1, b1, 1, 3, 1, 3)));
  const flo = f32x4.demote_f64x2_zero(f64x2.div(lo, four));
  const fhi = f32x4.demote_f64x2_zero(f64x2.div(hi, four));
  v128.store(o + (<usize>ow << 2), f32x4.shuffle(flo, fhi, 0, 1, 4, 5));
}

function avgPool2x2(x: usize, out: usize, planes: i32, inH: i32, inW: i32, outH: i32, outW: i32): void {
  const plane = inH * inW;
  const outPlane = outH * outW;
  const rowBytes = <usize>inW << 2;
  for (let nc = 0; nc < planes; nc++) {
    const xb = ptrAt(x, nc * plane);
    for (let oh = 0; oh < outH; oh++) {
      const r0 = ptrAt(xb, 2 * oh * inW);
      const o = ptrAt(out, nc * outPlane + oh * outW);
      if (outW >= 4) {
        let ow = 0;
        for (; ow + 4 <= outW; ow += 4) avgGroup2x2(r0, rowBytes, ow, o);
        if (ow < outW) avgGroup2x2(r0, rowBytes, outW - 4, o);
        continue;
      }
      for (let ow = 0; ow < outW; ow++) {
        const p = r0 + (<usize>ow << 3);
        let s: f64 = 0;
        s += <f64>load<f32>(p);
        s += <f64>load<f32>(p, 4);
        s += <f64>load<f32>(p + rowBytes);
        s += <f64>load<f32>(p + rowBytes, 4);
        store<f32>(o + (<usize>ow << 2), <f32>(s / 4.0));
      }
    }
  }
}

/** gradIn (zeroed here) [cell] += gradOut / divisor (a double) for each window covering the cell. */
export function avgpool2d_backward_f32(
  gradOut: usize, gradIn: usize,
  batch: i32, channels: i32, inH: i32, inW: i32, kH: i32, kW: i32, sH: i32, sW: i32,
  padTop: i32, padLeft: i32, outH: i32, outW: i32, countIncludePad: bool,
): void {
  const planes = batch * channels;
  const plane = inH * inW;
  const outPlane = outH * outW;
  if (kH == 2 && kW == 2 && sH == 2 && sW == 2 && padTop == 0 && padLeft == 0 && 2 * outH <= inH && 2 * outW <= inW) {
    avgPool2x2Backward(gradOut, gradIn, planes, inH, inW, outH, outW);
    return;
  }
  memory.fill(gradIn, 0, <usize>(planes * plane) << 2);
  let go = gradOut;
  for (let nc = 0; nc < planes; nc++) {
    const gb = ptrAt(gradIn, nc * plane);
    for (let oh = 0; oh < outH; oh++) {
      let h0 = oh * sH - padTop;
      let h1 = min(h0 + kH, inH + padTop);
      const hSpan = h1 - h0;
      h0 = max(h0, 0);
      h1 = min(h1, inH);
      for (let ow = 0; ow < outW; ow++, go += 4) {
        let w0 = ow * sW - padLeft;
        let w1 = min(w0 + kW, inW + padLeft);
        const wSpan = w1 - w0;
        w0 = max(w0, 0);
        w1 = min(w1, inW);
        const divisor = countIncludePad ? hSpan * wSpan : (h1 - h0) * (w1 - w0);
        const g = <f64>load<f32>(go) / <f64>divisor;
        for (let ih = h0; ih < h1; ih++) {
          const r = ptrAt(gb, ih * inW);
          for (let iw = w0; iw < w1; iw++) {
            const p = r + (<usize>iw << 2);
            store<f32>(p, <f32>(<f64>load<f32>(p) + g));
          }
        }
      }
    }
  }
}

// Non-overlapping 2x2 windows: every covered cell receives exactly one share, +0 + g/4, so the
// cells are stored four outputs at a time (the last four again when the width is not a multiple
// of 4: the same shares are stored twice), and only the cells no window covers (the last row or
// column of an odd size) are zeroed.
@inline function avgGroup2x2Backward(r0: usize, rowBytes: usize, ow: i32, g: usize): void {
  const zero = f64x2.splat(0);
  const four = f64x2.splat(4);
  const gv = v128.load(g + (<usize>ow << 2));
  const lo = f32x4.demote_f64x2_zero(f64x2.add(zero, f64x2.div(f64x2.promote_low_f32x4(gv), four)));
  const hi = f32x4.demote_f64x2_zero(f64x2.add(zero, f64x2.div(f64x2.promote_low_f32x4(f32x4.shuffle(gv, gv, 2, 3, 2, 3)), four)));
  const first = f32x4.shuffle(lo, lo, 0, 0, 1, 1);
  const second = f32x4.shuffle(hi, hi, 0, 0, 1, 1);
  const p = r0 + (<usize>ow << 3);
  v128.store(p, first);
  v128.store(p, second, 16);
  v128.store(p + rowBytes, first);
  v128.store(p + rowBytes, second, 16);
}

function avgPool2x2Backward(gradOut: usize, gradIn: usize, planes: i32, inH: i32, inW: i32, outH: i32, outW: i32): void {
  const plane = inH * inW;
  const outPlane = outH * outW;
  const rowBytes = <usize>inW << 2;
  const rest = inW - 2 * outW;
  for (let nc = 0; nc < planes; nc++) {
    const gb = ptrAt(gradIn, nc * plane);
    for (let oh = 0; oh < outH; oh++) {
      const r0 = ptrAt(gb, 2 * oh * inW);
      const g = ptrAt(gradOut, nc * outPlane + oh * outW);
      if (outW >= 4) {
        let ow = 0;
        for (; ow + 4 <= outW; ow += 4) avgGroup2x2Backward(r0, rowBytes, ow, g);
        if (ow < outW) avgGroup2x2Backward(r0, rowBytes, outW - 4, g);
      } else {
        for (let ow = 0; ow < outW; ow++) {
          const share = <f32>(0.0 + <f64>load<f32>(g + (<usize>ow << 2)) / 4.0);
          const p = r0 + (<usize>ow << 3);
          store<f32>(p, share);
          store<f32>(p, share, 4);
          store<f32>(p + rowBytes, share);
          store<f32>(p + rowBytes, share, 4);
        }
      }
      zeroRow32Scalar(r0 + (<usize>(2 * outW) << 2), rest);
      zeroRow32Scalar(r0 + rowBytes + (<usize>(2 * outW) << 2), rest);
    }
    const covered = 2 * outH * inW;
    memory.fill(ptrAt(gb, covered), 0, <usize>(plane - covered) << 2);
  }
}

// ---- strided copies -----------------------------------------------------------------------------
// The view's axes arrive collapsed (as the reference collapses them) in a parameter block of
// i32: shape[rank], strides[rank], then rank counters the kernel uses as its odometer. The
// contiguous side advances by the row length; rows are visited in the reference's order, so
// even a write through a repeating (stride 0) view leaves the same last value.

@inline function gatherRow32(dst: usize, src: usize, n: i32, s: i32): void {
  if (s == 1) copyRow32(dst, src, n);
  else if (s == 0) splatRow32(dst, src, n);
  else {
    const step = <usize>s << 2; // negative strides wrap, as intended
    let p = src;
    for (let i = 0; i < n; i++, p += step) store<u32>(dst + (<usize>i << 2), load<u32>(p));
  }
}

@inline function scatterRow32(dst: usize, src: usize, n: i32, s: i32): void {
  if (s == 1) copyRow32(dst, src, n);
  else {
    const step = <usize>s << 2;
    let p = dst;
    for (let i = 0; i < n; i++, p += step) store<u32>(p, load<u32>(src + (<usize>i << 2)));
  }
}

/**
 * Copies between the strided view (base + offset, shape/strides in params) and contiguous
 * memory: gather (toView false) reads the view into contiguous `flat`, scatter writes `flat`
 * into the view.
 */
@inline function walkStrided(view: usize, offset: i32, flat: usize, rank: i32, params: usize, toView: bool): void {
  const shapes = params;
  const strides = params + (<usize>rank << 2);
  const counters = strides + (<usize>rank << 2);
  const n = load<i32>(shapes + (<usize>(rank - 1) << 2));
  const s = load<i32>(strides + (<usize>(rank - 1) << 2));
  const rowBytes = <usize>n << 2;
  for (let d = 0; d < rank; d++) store<i32>(counters + (<usize>d << 2), 0);
  let off = offset;
  let f = flat;
  for (;;) {
    if (toView) scatterRow32(ptrAt(view, off), f, n, s);
    else gatherRow32(f, ptrAt(view, off), n, s);
    f += rowBytes;
    let d = rank - 2;
    for (; d >= 0; d--) {
      const cp = counters + (<usize>d << 2);
      const st = load<i32>(strides + (<usize>d << 2));
      const k = load<i32>(cp) + 1;
      off += st;
      if (k < load<i32>(shapes + (<usize>d << 2))) {
        store<i32>(cp, k);
        break;
      }
      off -= st * load<i32>(shapes + (<usize>d << 2));
      store<i32>(cp, 0);
    }
    if (d < 0) return;
  }
}

/** out (contiguous) = the strided view of x; 4-byte elements copied as bits. */
export function copy_strided_b32(x: usize, offset: i32, out: usize, rank: i32, params: usize): void {
  walkStrided(x, offset, out, rank, params, false);
}

/** The strided view of dst = contiguous src; 4-byte elements copied as bits. */
export function write_strided_b32(dst: usize, offset: i32, src: usize, rank: i32, params: usize): void {
  walkStrided(dst, offset, src, rank, params, true);
}

// ---- indexing -----------------------------------------------------------------------------------

/** 0 when every one of the m indices is in [0, size), else 1 + the first bad position. */
@inline function checkIndices(index: usize, m: i32, size: i32): i32 {
  for (let j = 0; j < m; j++) if (<u32>load<i32>(ptrAt(index, j)) >= <u32>size) return j + 1;
  return 0;
}

/** x as [outer, size, inner]: out[o, j, :] = x[o, index[j], :] (4-byte bits). */
export function index_select_b32(x: usize, out: usize, outer: i32, size: i32, inner: i32, index: usize, m: i32): i32 {
  const bad = checkIndices(index, m, size);
  if (bad) return bad;
  let d = out;
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const xb = o * size;
    for (let j = 0; j < m; j++, d += rowBytes) copyRow32(d, ptrAt(x, (xb + load<i32>(ptrAt(index, j))) * inner), inner);
  }
  return 0;
}

/** out (zeroed here, [outer, size, inner]) [o, index[j], :] += src[o, j, :]. */
export function index_add_f32(src: usize, out: usize, outer: i32, size: i32, inner: i32, index: usize, m: i32): i32 {
  memory.fill(out, 0, <usize>(outer * size * inner) << 2);
  const bad = checkIndices(index, m, size);
  if (bad) return bad;
  let s = src;
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const ob = o * size;
    for (let j = 0; j < m; j++, s += rowBytes) addRowF32(ptrAt(out, (ob + load<i32>(ptrAt(index, j))) * inner), s, inner);
  }
  return 0;
}

/** out[o, j, i] = x[o, index[o, j, i], i] (4-byte bits). */
export function gather_b32(x: usize, out: usize, outer: i32, size: i32, inner: i32, index: usize, idxSize: i32): i32 {
  let r = 0;
  for (let o = 0; o < outer; o++) {
    const xb = o * size;
    for (let j = 0; j < idxSize; j++) {
      for (let i = 0; i < inner; i++, r++) {
        const k = load<i32>(ptrAt(index, r));
        if (<u32>k >= <u32>size) return r + 1;
        store<u32>(ptrAt(out, r), load<u32>(ptrAt(x, (xb + k) * inner + i)));
      }
    }
  }
  return 0;
}

/** out (zeroed here, [outer, size, inner]) [o, index[o, j, i], i] += src[o, j, i]. */
export function scatter_add_f32(src: usize, out: usize, outer: i32, size: i32, inner: i32, index: usize, idxSize: i32): i32 {
  memory.fill(out, 0, <usize>(outer * size * inner) << 2);
  let r = 0;
  for (let o = 0; o < outer; o++) {
    const ob = o * size;
    for (let j = 0; j < idxSize; j++) {
      for (let i = 0; i < inner; i++, r++) {
        const k = load<i32>(ptrAt(index, r));
        if (<u32>k >= <u32>size) return r + 1;
        const p = ptrAt(out, (ob + k) * inner + i);
        store<f32>(p, load<f32>(p) + load<f32>(ptrAt(src, r)));
      }
    }
  }
  return 0;
}

// ---- ranges, for threads ---------------------------------------------------------------------------

/** maxpool2d_f32 on planes (image, channel) begin..end only: threads share a large call by planes. */
export function maxpool2d_planes_f32(
  x: usize, out: usize, idx: usize,
  inH: i32, inW: i32, kH: i32, kW: i32, sH: i32, sW: i32,
  padTop: i32, padLeft: i32, dH: i32, dW: i32, outH: i32, outW: i32, begin: i32, end: i32,
): void {
  const inBytes = <usize>(begin * inH * inW) << 2;
  const outBytes = <usize>(begin * outH * outW) << 2;
  maxpool2d_f32(x + inBytes, out + outBytes, idx + outBytes, end - begin, 1, inH, inW, kH, kW, sH, sW, padTop, padLeft, dH, dW, outH, outW);
}

/**
 * maxpool2d_backward_f32 on planes begin..end only, so threads can share a large call. A bad index
 * sets the i32 at `bad` to 1; the caller then finds the first one with the one-thread kernel, for
 * its error message.
 */
export function maxpool2d_backward_planes_f32(gradOut: usize, indices: usize, gradIn: usize, plane: i32, outPlane: i32, bad: usize, begin: i32, end: i32): void {
  const outBytes = <usize>(begin * outPlane) << 2;
  const r = maxpool2d_backward_f32(gradOut + outBytes, indices + outBytes, gradIn + (<usize>(begin * plane) << 2), end - begin, plane, outPlane);
  if (r != 0) store<i32>(bad, 1);
}
