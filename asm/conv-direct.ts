// The direct form of a stride-1 convolution with 16·k output channels (groups 1), for the small
// images where the wide form wastes most (LeNet's conv2: 10 output columns of 14 padded ones,
// 40 % of its products on padding). Nothing is unfolded: a 2 x 16 register tile holds two output
// positions by sixteen output channels, vectorised over the channels, and reads the image
// through two tables, one of byte offsets per column row (c, ki, kj) and one per output
// position, into the zero-padded image.
//
// forward:          out[o, pos] = bias[o] + Σ_p weight[o, p] · xpad[base(pos) + off(p)]
// weight gradient:  dW[o, p]    = Σ_pos gradOut[o, pos] · xpad[base(pos) + off(p)]
//
// The forward sums p in ascending order from zero and adds the bias last, as the wide form's
// gemm does (one depth block for K <= 256), so both forms give the same bits. Each thread's
// buffer holds the padded image, the two tables, and the channel-minor copy of the weights
// (forward) or of one image's output gradient (weight gradient).

import { ConvSpec, blockStart, groupDepth, outPlane, padImage, paddedFloats, paddedW, roundUp4, runStart } from "./conv-spec";

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
    padImage(s, x + (<usize>(n * s.channels * s.inH * s.inW) << 2), xpad);
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
  for (let b = block0; b < block1; b++) {
    const acc = partials + (<usize>(b * O * K) << 2);
    memory.fill(acc, 0, <usize>(O * K) << 2);
    const end = blockStart(s, b + 1, s.batch);
    for (let n = blockStart(s, b, s.batch); n < end; n++) {
      padImage(s, x + (<usize>(n * s.channels * s.inH * s.inW) << 2), xpad);
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
