// The direct form of a stride-1 convolution (groups 1), for the small images where the wide form
// wastes most (LeNet's conv2: 10 output columns of 14 padded ones, 40 % of its products on
// padding). Nothing is unfolded. The forward and the weight gradient (16·k output channels) use
// a 2 x 16 register tile of two output positions by sixteen output channels, vectorised over the
// channels, and read the image through two tables, one of byte offsets per column row
// (c, ki, kj) and one per output position, into the zero-padded image:
//
// forward:          out[o, pos] = bias[o] + Σ_p weight[o, p] · xpad[base(pos) + off(p)]
// weight gradient:  dW[o, p]    = Σ_pos gradOut[o, pos] · xpad[base(pos) + off(p)]
//
// The forward sums p in ascending order from zero and adds the bias last, as the wide form's
// gemm does (one depth block for K <= 256), so both forms give the same bits. Each thread's
// buffer holds the padded image, the two tables, and the channel-minor copy of the weights
// (forward) or of one image's output gradient (weight gradient). The input gradient, at the end
// of this file, gathers from the bordered output gradient instead.

import { ConvSpec, blockStart, groupDepth, outPlane, padImage, paddedFloats, paddedW, roundUp4, runStart } from "./conv-spec";
import { copyRow32 } from "./rows";

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// Where the buffer's parts start: padded image, offsets (K u32), bases (L u32), channel-minor block.
@inline function offsetsAt(s: ConvSpec, buffer: usize): usize {
  return buffer + (<usize>paddedFloats(s) << 2);
}
@inline function basesAt(s: ConvSpec, buffer: usize): usize {
  return offsetsAt(s, buffer) + (<usize>roundUp4(groupDepth(s)) << 2);
}
@inline function channelMinorAt(s: ConvSpec, buffer: usize): usize {
  return basesAt(s, buffer) + (<usize>roundUp4(outPlane(s)) << 2);
}

// Byte offset of column row p = (c, ki, kj) from a window's corner, and of output position
// (oh, ow)'s window corner, in the padded image.
function fillTables(s: ConvSpec, buffer: usize): void {
  let t = offsetsAt(s, buffer);
  for (let c = 0; c < s.channels; c++) {
    for (let ki = 0; ki < s.kH; ki++) {
      for (let kj = 0; kj < s.kW; kj++, t += 4) store<u32>(t, <u32>runStart(s, c, ki, kj, 0) << 2);
    }
  }
  const Wp = paddedW(s);
  t = basesAt(s, buffer);
  for (let oh = 0; oh < s.outH; oh++) {
    for (let ow = 0; ow < s.outW; ow++, t += 4) store<u32>(t, <u32>(oh * Wp + ow) << 2);
  }
}

// dst[rows × cols] = src[cols × rows]ᵀ (both row-major).
function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < rows; j++) store<f32>(dst + (<usize>(j * cols + i) << 2), load<f32>(src + (<usize>(i * rows + j) << 2)));
  }
}

// The four lanes of v to dst, dst + stride, dst + 2·stride, dst + 3·stride (add: added to them).
@inline function storeLanes(v: v128, dst: usize, stride: usize, add: bool): void {
  if (add) {
    store<f32>(dst, load<f32>(dst) + f32x4.extract_lane(v, 0));
    store<f32>(dst + stride, load<f32>(dst + stride) + f32x4.extract_lane(v, 1));
    store<f32>(dst + 2 * stride, load<f32>(dst + 2 * stride) + f32x4.extract_lane(v, 2));
    store<f32>(dst + 3 * stride, load<f32>(dst + 3 * stride) + f32x4.extract_lane(v, 3));
  } else {
    store<f32>(dst, f32x4.extract_lane(v, 0));
    store<f32>(dst + stride, f32x4.extract_lane(v, 1));
    store<f32>(dst + 2 * stride, f32x4.extract_lane(v, 2));
    store<f32>(dst + 3 * stride, f32x4.extract_lane(v, 3));
  }
}

/** out[n] for images n0..n1 (see the header). */
export function directForward(s: ConvSpec, x: usize, weight: usize, bias: usize, out: usize, n0: i32, n1: i32, buffer: usize): void {
  const O = s.outChannels, K = groupDepth(s), L = outPlane(s);
  const xpad = buffer, offsets = offsetsAt(s, buffer), bases = basesAt(s, buffer), wt = channelMinorAt(s, buffer);
  fillTables(s, buffer);
  transpose(weight, wt, K, O);
  const rowO = <usize>O << 2, planeL = <usize>L << 2;
  for (let n = n0; n < n1; n++) {
    padImage(s, x + (<usize>(n * s.channels * s.inH * s.inW) << 2), xpad, n == n0);
    const yn = out + (<usize>(n * O * L) << 2);
    for (let ob = 0; ob < O; ob += 16) {
      const w0 = wt + (<usize>ob << 2);
      let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
      if (bias) {
        const bp = bias + (<usize>ob << 2);
        b0 = v128.load(bp); b1 = v128.load(bp, 16); b2 = v128.load(bp, 32); b3 = v128.load(bp, 48);
      }
      for (let pos = 0; pos < L; pos += 2) {
        const two = pos + 1 < L;
        const a0 = xpad + <usize>load<u32>(bases + (<usize>pos << 2));
        const a1 = two ? xpad + <usize>load<u32>(bases + (<usize>pos << 2), 4) : a0;
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
        let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
        let w = w0;
        // Pointer-bounded loops (no counter): one induction variable fewer for V8 (see gemm.ts).
        const offEnd = offsets + (<usize>K << 2);
        for (let o = offsets; o < offEnd; o += 4, w += rowO) {
          const off = <usize>load<u32>(o);
          const v0 = v128.load(w), v1 = v128.load(w, 16), v2 = v128.load(w, 32), v3 = v128.load(w, 48);
          let xs = v128.load32_splat(a0 + off);
          c00 = madd(xs, v0, c00); c01 = madd(xs, v1, c01); c02 = madd(xs, v2, c02); c03 = madd(xs, v3, c03);
          xs = v128.load32_splat(a1 + off);
          c10 = madd(xs, v0, c10); c11 = madd(xs, v1, c11); c12 = madd(xs, v2, c12); c13 = madd(xs, v3, c13);
        }
        const y0 = yn + (<usize>(ob * L + pos) << 2);
        storeLanes(f32x4.add(b0, c00), y0, planeL, false);
        storeLanes(f32x4.add(b1, c01), y0 + 4 * planeL, planeL, false);
        storeLanes(f32x4.add(b2, c02), y0 + 8 * planeL, planeL, false);
        storeLanes(f32x4.add(b3, c03), y0 + 12 * planeL, planeL, false);
        if (!two) continue;
        storeLanes(f32x4.add(b0, c10), y0 + 4, planeL, false);
        storeLanes(f32x4.add(b1, c11), y0 + 4 + 4 * planeL, planeL, false);
        storeLanes(f32x4.add(b2, c12), y0 + 4 + 8 * planeL, planeL, false);
        storeLanes(f32x4.add(b3, c13), y0 + 4 + 12 * planeL, planeL, false);
      }
    }
  }
}

/**
 * For weight-gradient blocks block0..block1: partials[block] = Σ over the block's images of the
 * weight gradient (zeroed here first); block b covers images [b·N/blocks, (b+1)·N/blocks).
 */
export function directBackwardWeight(s: ConvSpec, gradOut: usize, x: usize, partials: usize, block0: i32, block1: i32, buffer: usize): void {
  const O = s.outChannels, K = groupDepth(s), L = outPlane(s);
  const xpad = buffer, offsets = offsetsAt(s, buffer), bases = basesAt(s, buffer), gyt = channelMinorAt(s, buffer);
  fillTables(s, buffer);
  const rowO = <usize>O << 2, rowK = <usize>K << 2;
  let cleared = false;
  for (let b = block0; b < block1; b++) {
    const acc = partials + (<usize>(b * O * K) << 2);
    memory.fill(acc, 0, <usize>(O * K) << 2);
    const end = blockStart(s, b + 1, s.batch);
    for (let n = blockStart(s, b, s.batch); n < end; n++) {
      padImage(s, x + (<usize>(n * s.channels * s.inH * s.inW) << 2), xpad, !cleared);
      cleared = true;
      transpose(gradOut + (<usize>(n * O * L) << 2), gyt, L, O);
      for (let ob = 0; ob < O; ob += 16) {
        for (let p = 0; p < K; p += 2) {
          const two = p + 1 < K;
          const off0 = <usize>load<u32>(offsets + (<usize>p << 2));
          const off1 = two ? <usize>load<u32>(offsets + (<usize>p << 2), 4) : off0;
          let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
          let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
          let g = gyt + (<usize>ob << 2);
          const baseEnd = bases + (<usize>L << 2);
          for (let bp = bases; bp < baseEnd; bp += 4, g += rowO) {
            const a = xpad + <usize>load<u32>(bp);
            const v0 = v128.load(g), v1 = v128.load(g, 16), v2 = v128.load(g, 32), v3 = v128.load(g, 48);
            let xs = v128.load32_splat(a + off0);
            c00 = madd(xs, v0, c00); c01 = madd(xs, v1, c01); c02 = madd(xs, v2, c02); c03 = madd(xs, v3, c03);
            xs = v128.load32_splat(a + off1);
            c10 = madd(xs, v0, c10); c11 = madd(xs, v1, c11); c12 = madd(xs, v2, c12); c13 = madd(xs, v3, c13);
          }
          const d0 = acc + (<usize>(ob * K + p) << 2);
          storeLanes(c00, d0, rowK, true);
          storeLanes(c01, d0 + 4 * rowK, rowK, true);
          storeLanes(c02, d0 + 8 * rowK, rowK, true);
          storeLanes(c03, d0 + 12 * rowK, rowK, true);
          if (!two) continue;
          storeLanes(c10, d0 + 4, rowK, true);
          storeLanes(c11, d0 + 4 + 4 * rowK, rowK, true);
          storeLanes(c12, d0 + 4 + 8 * rowK, rowK, true);
          storeLanes(c13, d0 + 4 + 12 * rowK, rowK, true);
        }
      }
    }
  }
}

// ---- The input gradient ---------------------------------------------------------------------------
// dx[c, y, x] = Σ_o Σ_ki Σ_kj weight[o, c, ki, kj] · gradOut[o, y + padTop − ki, x + padLeft − kj],
// zero where the output gradient has no such position: a correlation of the zero-bordered output
// gradient with the flipped kernel, gathered rather than scattered (the wide form's 16-deep
// products and column-to-image adds took twice the forward's time on LeNet's conv2). A 2 x 16
// register tile holds two input channels by sixteen input columns of one row, vectorised along
// the row; each depth step reads sixteen floats of the bordered gradient through a table of
// byte offsets, one per kernel tap. Rows whose taps fall outside the gradient's rows are skipped,
// so only the border columns cost products that are zero. Stride 1, dilation 1, groups 1, and an
// image that the windows cover entirely (the caller checks).
//
// Each thread's buffer holds the bordered gradient of one image [O, outH + 2(kH − 1), outW +
// 2(kW − 1)] (plus slack that the last tile's spare lanes read), the weights in channel pairs
// [⌈C/2⌉, O, kH·kW, 2] (zero for a missing odd channel), and the tap table; directInputFloats in
// src/backend/wasm/conv.ts sizes it.

const TILE_COLUMNS: i32 = 16;

@inline function borderedH(s: ConvSpec): i32 {
  return s.outH + 2 * (s.kH - 1);
}
@inline function borderedW(s: ConvSpec): i32 {
  return s.outW + 2 * (s.kW - 1);
}
// Floats of the bordered gradient, with slack for the spare lanes of a row's last tile.
@inline function borderedFloats(s: ConvSpec): i32 {
  return roundUp4(s.outChannels * borderedH(s) * borderedW(s) + 2 * TILE_COLUMNS + s.kW);
}
@inline function pairsAt(s: ConvSpec, buffer: usize): usize {
  return buffer + (<usize>borderedFloats(s) << 2);
}
@inline function tapTableAt(s: ConvSpec, buffer: usize): usize {
  return pairsAt(s, buffer) + (<usize>(((s.channels + 1) >> 1) * s.outChannels * s.kH * s.kW * 2) << 2);
}

// The first `count` (at most 16) of a tile row's columns to dst.
@inline function storeRow16(dst: usize, count: i32, v0: v128, v1: v128, v2: v128, v3: v128): void {
  if (count < 4) return storeFirstLanes(dst, v0, count);
  v128.store(dst, v0);
  if (count < 8) return storeFirstLanes(dst + 16, v1, count - 4);
  v128.store(dst, v1, 16);
  if (count < 12) return storeFirstLanes(dst + 32, v2, count - 8);
  v128.store(dst, v2, 32);
  if (count < 16) return storeFirstLanes(dst + 48, v3, count - 12);
  v128.store(dst, v3, 48);
}

// The first `count` (0 to 3) lanes of v to dst.
@inline function storeFirstLanes(dst: usize, v: v128, count: i32): void {
  if (count > 0) store<f32>(dst, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(dst, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(dst, f32x4.extract_lane(v, 2), 8);
}

/** gradIn[n] for images n0..n1 (every element written). */
export function directBackwardInput(s: ConvSpec, gradOut: usize, weight: usize, gradIn: usize, n0: i32, n1: i32, buffer: usize): void {
  const O = s.outChannels, C = s.channels, taps = s.kH * s.kW;
  const gH = borderedH(s), gW = borderedW(s);
  const planeBytes = <usize>(gH * gW) << 2;
  const pairs = pairsAt(s, buffer), table = tapTableAt(s, buffer);
  // Tap (ki, kj), in the weights' order: the byte offset of gradOut[o, y' − ki, x' − kj] from the
  // bordered gradient's [o, y', x'] (y', x' in padded-image coordinates).
  for (let ki = 0; ki < s.kH; ki++) {
    for (let kj = 0; kj < s.kW; kj++) store<u32>(table + (<usize>(ki * s.kW + kj) << 2), <u32>((s.kH - 1 - ki) * gW + s.kW - 1 - kj) << 2);
  }
  for (let cp = 0; cp < C; cp += 2) {
    for (let o = 0; o < O; o++) {
      const d = pairs + (<usize>(((cp >> 1) * O + o) * taps * 2) << 2);
      for (let t = 0; t < taps; t++) {
        store<f32>(d + (<usize>(2 * t) << 2), load<f32>(weight + (<usize>((o * C + cp) * taps + t) << 2)));
        store<f32>(d + (<usize>(2 * t + 1) << 2), cp + 1 < C ? load<f32>(weight + (<usize>((o * C + cp + 1) * taps + t) << 2)) : 0);
      }
    }
  }
  const rowBytes = <usize>s.inW << 2, planeIn = <usize>(s.inH * s.inW) << 2;
  const wStep = <usize>(taps * 2) << 2;
  // The border stays zero: every image writes the same interior.
  memory.fill(buffer, 0, <usize>borderedFloats(s) << 2);
  for (let n = n0; n < n1; n++) {
    for (let o = 0; o < O; o++) {
      for (let r = 0; r < s.outH; r++) {
        copyRow32(buffer + (<usize>((o * gH + r + s.kH - 1) * gW + s.kW - 1) << 2), gradOut + (<usize>(((n * O + o) * s.outH + r) * s.outW) << 2), s.outW);
      }
    }
    const dxn = gradIn + <usize>n * <usize>C * planeIn;
    for (let cp = 0; cp < C; cp += 2) {
      const two = cp + 1 < C;
      const wPair = pairs + (<usize>((cp >> 1) * O * taps * 2) << 2);
      for (let y = 0; y < s.inH; y++) {
        const yp = y + s.padTop;
        // Taps whose gradient row exists: y' − ki in [0, outH).
        const kiLo = max(0, yp - s.outH + 1), kiHi = min(s.kH - 1, yp);
        const tLo = <usize>(kiLo * s.kW) << 2, tHi = <usize>((kiHi + 1) * s.kW) << 2;
        const d0 = dxn + <usize>cp * planeIn + <usize>y * rowBytes;
        for (let x0 = 0; x0 < s.inW; x0 += TILE_COLUMNS) {
          const g0 = buffer + (<usize>(yp * gW + x0 + s.padLeft) << 2);
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
          // Taps outside, output channels inside: a fixed trip count of O, and no table read in it.
          const tEnd = table + tHi;
          for (let t = table + tLo; t < tEnd; t += 4) {
            let at = g0 + <usize>load<u32>(t);
            let w = wPair + ((t - table) << 1);
            const end = at + <usize>O * planeBytes;
            for (; at < end; at += planeBytes, w += wStep) {
              const v0 = v128.load(at), v1 = v128.load(at, 16), v2 = v128.load(at, 32), v3 = v128.load(at, 48);
              let ws = v128.load32_splat(w);
              a0 = madd(ws, v0, a0); a1 = madd(ws, v1, a1); a2 = madd(ws, v2, a2); a3 = madd(ws, v3, a3);
              ws = v128.load32_splat(w, 4);
              b0 = madd(ws, v0, b0); b1 = madd(ws, v1, b1); b2 = madd(ws, v2, b2); b3 = madd(ws, v3, b3);
            }
          }
          const dx0 = d0 + (<usize>x0 << 2);
          const count = min(TILE_COLUMNS, s.inW - x0);
          storeRow16(dx0, count, a0, a1, a2, a3);
          if (two) storeRow16(dx0 + planeIn, count, b0, b1, b2, b3);
        }
      }
    }
  }
}
