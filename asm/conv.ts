// Fused 2-D convolution (float32): forward and both backward passes, one image and one tile of
// output rows at a time. A tile's im2col columns (at most a few hundred KiB, chosen by the
// caller) are built in a per-thread buffer that stays in cache, multiplied at once, and
// reused — the whole batch is never unfolded, and no [O, N·L] → [N, O, L] transpose is needed,
// because each image's product lands directly in its [O, L] slice of the output.
//
// Work is split into "items" (an image and a tile of its output rows) so threads can share a
// call: the forward hands out items, the input gradient whole images (neighbouring tiles add
// into the same input pixels), and the weight gradient fixed blocks of items, each summed into
// its own partial gradient; the caller adds the partials in block order, so the result does not
// depend on the thread count. 1x1 convolutions with stride 1 and no padding (pointwise) read the
// image as its own column matrix.
//
// Other stride-1 convolutions use the "wide" form. With the image zero-padded to Hp x Wp, the
// column row of (c, ki, kj) over output positions (oh, ow) is x_pad[c, oh + ki·dH, ow + kj·dW]:
// if ow runs over the padded width Wp instead of outW, consecutive output rows join into ONE
// contiguous run of x_pad. So a tile's columns are a few long copies instead of an im2col walk
// over short rows (its cost for LeNet-sized images was as high as the product's), at the price
// of computing Wp - outW extra columns per output row, which are dropped (forward), multiplied by
// zero output gradients (weight gradient) or add zeros (input gradient). The products read
// those runs in place through a table of their addresses (gemm_rows, gemm_nt_rows) where the
// shapes allow; otherwise, and for the input gradient's adjoint, the runs are copied into a
// column matrix. Each thread's buffer holds, in order: the tile's columns, an [O, tile] block of
// wide outputs or output gradients, the padded image, and the table of run addresses.
//
// When the caller sets the spec's `direct` flag (narrow images), the pass runs the direct form of
// conv-direct.ts instead, one image per item.

import { gemm, gemm_nt_rows, gemm_rows } from "./gemm";
import { ConvSpec, outPlane, groupOutChannels, groupDepth, blockStart, tileRow0, tileRowCount, tilesOf, isPointwise, isWide, paddedH, paddedW, paddedFloats, roundUp4, rowsReached, colsReached, padImage, runStart } from "./conv-spec";
import { directBackwardInput, directBackwardWeight, directForward } from "./conv-direct";
import { walkColumns } from "./columns";
import { addRowF32, copyRow32, zeroRow32 } from "./rows";

// Where the thread buffer's parts start (see the header): columns, [O, tile] block, padded image.
@inline function wideBlock(s: ConvSpec, buffer: usize): usize {
  const K = s.channels * s.kH * s.kW;
  return buffer + (<usize>roundUp4(K * s.tileRows * paddedW(s)) << 2);
}
@inline function widePadded(s: ConvSpec, buffer: usize): usize {
  return wideBlock(s, buffer) + (<usize>roundUp4(s.outChannels * s.tileRows * paddedW(s)) << 2);
}
@inline function wideTable(s: ConvSpec, buffer: usize): usize {
  return widePadded(s, buffer) + (<usize>paddedFloats(s) << 2);
}

// Addresses of the runs of tile rows oh0.. (one per column row (c, ki, kj)) into the table.
function runTable(s: ConvSpec, xpad: usize, table: usize, oh0: i32): void {
  let t = table;
  for (let c = 0; c < s.channels; c++) {
    for (let ki = 0; ki < s.kH; ki++) {
      for (let kj = 0; kj < s.kW; kj++, t += 4) store<u32>(t, <u32>(xpad + (<usize>runStart(s, c, ki, kj, oh0) << 2)));
    }
  }
}

// Read runs in place: the forward when gemm_rows applies (few output channels per group), the
// weight gradient when dot products do (few output channels, rows a few vectors long).
@inline function forwardInPlace(s: ConvSpec): bool {
  return s.outChannels / s.groups <= 128;
}
@inline function weightGradientInPlace(s: ConvSpec, ldw: i32): bool {
  return s.outChannels / s.groups <= 32 && ldw >= 32;
}

// The wide columns of tile rows oh0.. ([C·kH·kW, rows·Wp]) out of the padded image, or
// (toImage) the adjoint: the columns added back into it.
function wideColumns(s: ConvSpec, xpad: usize, col: usize, toImage: bool, oh0: i32, rows: i32): void {
  const ldw = rows * paddedW(s);
  let row = col;
  for (let c = 0; c < s.channels; c++) {
    for (let ki = 0; ki < s.kH; ki++) {
      for (let kj = 0; kj < s.kW; kj++, row += <usize>ldw << 2) {
        const run = xpad + (<usize>runStart(s, c, ki, kj, oh0) << 2);
        if (toImage) addRowF32(run, row, ldw);
        else copyRow32(row, run, ldw);
      }
    }
  }
}

// Output gradient rows oh0.. of image n as a wide [O, rows·Wp] block (zeros past outW).
function widenGradient(s: ConvSpec, gyn: usize, block: usize, oh0: i32, rows: i32): void {
  const Wp = paddedW(s), L = s.outH * s.outW;
  for (let o = 0; o < s.outChannels; o++) {
    for (let r = 0; r < rows; r++) {
      const dst = block + (<usize>((o * rows + r) * Wp) << 2);
      copyRow32(dst, gyn + (<usize>(o * L + (oh0 + r) * s.outW) << 2), s.outW);
      zeroRow32(dst + (<usize>s.outW << 2), Wp - s.outW);
    }
  }
}

function wideForward(s: ConvSpec, x: usize, weight: usize, bias: usize, out: usize, item0: i32, item1: i32, scratch: usize, buffer: usize): void {
  const Wp = paddedW(s), L = outPlane(s), Og = groupOutChannels(s), K = groupDepth(s);
  const tiles = tilesOf(s);
  const block = wideBlock(s, buffer), xpad = widePadded(s, buffer), table = wideTable(s, buffer);
  let padded = -1;
  for (let item = item0; item < item1; item++) {
    const n = item / tiles;
    const oh0 = tileRow0(s, item, tiles);
    const rows = tileRowCount(s, oh0);
    const ldw = rows * Wp;
    if (n != padded) {
      padImage(s, x + (<usize>(n * s.channels * s.inH * s.inW) << 2), xpad, padded == -1);
      padded = n;
    }
    for (let o = 0; o < s.outChannels; o++) {
      const row = block + (<usize>(o * ldw) << 2);
      if (bias) fillRow(row, ldw, load<f32>(bias + (<usize>o << 2)));
      else memory.fill(row, 0, <usize>ldw << 2);
    }
    if (forwardInPlace(s)) {
      runTable(s, xpad, table, oh0);
      for (let g = 0; g < s.groups; g++) {
        gemm_rows(weight + (<usize>(g * Og * K) << 2), K, false, table + (<usize>(g * K) << 2), block + (<usize>(g * Og * ldw) << 2), ldw, Og, ldw, K, scratch);
      }
    } else {
      wideColumns(s, xpad, buffer, false, oh0, rows);
      for (let g = 0; g < s.groups; g++) {
        gemm(weight + (<usize>(g * Og * K) << 2), K, buffer + (<usize>(g * K * ldw) << 2), ldw, block + (<usize>(g * Og * ldw) << 2), ldw, Og, ldw, K, false, false, scratch, 0, ldw);
      }
    }
    // Keep the first outW of every Wp outputs.
    const yn = out + (<usize>(n * s.outChannels * L + oh0 * s.outW) << 2);
    for (let o = 0; o < s.outChannels; o++) {
      for (let r = 0; r < rows; r++) {
        copyRow32(yn + (<usize>(o * L + r * s.outW) << 2), block + (<usize>(o * ldw + r * Wp) << 2), s.outW);
      }
    }
  }
}

function wideBackwardInput(s: ConvSpec, gradOut: usize, weight: usize, gradIn: usize, n0: i32, n1: i32, scratch: usize, buffer: usize): void {
  const Hp = paddedH(s), Wp = paddedW(s), L = outPlane(s), Og = groupOutChannels(s), K = groupDepth(s);
  const tiles = tilesOf(s);
  const block = wideBlock(s, buffer), dxpad = widePadded(s, buffer);
  for (let n = n0; n < n1; n++) {
    memory.fill(dxpad, 0, <usize>paddedFloats(s) << 2);
    const gyn = gradOut + (<usize>(n * s.outChannels * L) << 2);
    for (let t = 0; t < tiles; t++) {
      const oh0 = t * s.tileRows;
      const rows = tileRowCount(s, oh0);
      const ldw = rows * Wp;
      widenGradient(s, gyn, block, oh0, rows);
      for (let g = 0; g < s.groups; g++) {
        gemm(weight + (<usize>(g * Og * K) << 2), K, block + (<usize>(g * Og * ldw) << 2), ldw, buffer + (<usize>(g * K * ldw) << 2), ldw, K, ldw, Og, true, false, scratch, 0, ldw, true);
      }
      wideColumns(s, dxpad, buffer, true, oh0, rows);
    }
    // The gradient of the image is the padded one without its border (zero where no window reaches).
    const dxn = gradIn + (<usize>(n * s.channels * s.inH * s.inW) << 2);
    const rows = rowsReached(s), cols = colsReached(s);
    if (rows < s.inH || cols < s.inW) memory.fill(dxn, 0, <usize>(s.channels * s.inH * s.inW) << 2);
    for (let c = 0; c < s.channels; c++) {
      for (let h = 0; h < rows; h++) {
        copyRow32(dxn + (<usize>((c * s.inH + h) * s.inW) << 2), dxpad + (<usize>((c * Hp + h + s.padTop) * Wp + s.padLeft) << 2), cols);
      }
    }
  }
}

function wideBackwardWeight(s: ConvSpec, gradOut: usize, x: usize, partials: usize, block0: i32, block1: i32, scratch: usize, buffer: usize): void {
  const Wp = paddedW(s), L = outPlane(s), Og = groupOutChannels(s), K = groupDepth(s);
  const tiles = tilesOf(s);
  const items = s.batch * tiles;
  const weightFloats = s.outChannels * K;
  const block = wideBlock(s, buffer), xpad = widePadded(s, buffer), table = wideTable(s, buffer);
  let padded = -1;
  for (let b = block0; b < block1; b++) {
    const acc = partials + (<usize>(b * weightFloats) << 2);
    memory.fill(acc, 0, <usize>weightFloats << 2);
    const first = blockStart(s, b, items);
    const end = blockStart(s, b + 1, items);
    for (let item = first; item < end; item++) {
      const n = item / tiles;
      const oh0 = tileRow0(s, item, tiles);
      const rows = tileRowCount(s, oh0);
      const ldw = rows * Wp;
      if (n != padded) {
        padImage(s, x + (<usize>(n * s.channels * s.inH * s.inW) << 2), xpad, padded == -1);
        padded = n;
      }
      widenGradient(s, gradOut + (<usize>(n * s.outChannels * L) << 2), block, oh0, rows);
      if (weightGradientInPlace(s, ldw)) {
        runTable(s, xpad, table, oh0);
        for (let g = 0; g < s.groups; g++) {
          gemm_nt_rows(block + (<usize>(g * Og * ldw) << 2), ldw, table + (<usize>(g * K) << 2), acc + (<usize>(g * Og * K) << 2), K, Og, K, ldw);
        }
      } else {
        wideColumns(s, xpad, buffer, false, oh0, rows);
        for (let g = 0; g < s.groups; g++) {
          gemm(block + (<usize>(g * Og * ldw) << 2), ldw, buffer + (<usize>(g * K * ldw) << 2), ldw, acc + (<usize>(g * Og * K) << 2), K, Og, K, ldw, false, true, scratch, 0, K);
        }
      }
    }
  }
}

// Columns of output rows oh0..oh0+rows of image `img` into col ([C·kH·kW, rows·outW]), or
// (toImage) the adjoint: col added back into the image. Shifting the top padding by the tile's
// first row makes the tile an ordinary im2col of a shorter output.
@inline function walkTile(s: ConvSpec, img: usize, col: usize, toImage: bool, oh0: i32, rows: i32): void {
  walkColumns(img, col, toImage, 1, s.channels, s.inH, s.inW, s.kH, s.kW, s.sH, s.sW, s.padTop - oh0 * s.sH, s.padLeft, s.dH, s.dW, rows, s.outW);
}

// The column matrix of one item: its tile unfolded into `col` (returned with its row stride),
// or for a pointwise convolution the image itself, offset to the tile.
@inline function columnsOf(s: ConvSpec, xn: usize, col: usize, oh0: i32, rows: i32): usize {
  if (isPointwise(s)) return xn + (<usize>(oh0 * s.outW) << 2);
  walkTile(s, xn, col, false, oh0, rows);
  return col;
}

/** out[n, o, tile] = bias[o] (or 0) + Σ weight[o] · columns, for items item0..item1. */
export function conv2d_f32(spec: usize, x: usize, weight: usize, bias: usize, out: usize, item0: i32, item1: i32, scratch: usize, col: usize): void {
  const s = changetype<ConvSpec>(spec);
  if (s.direct) {
    directForward(s, x, weight, bias, out, item0, item1, col);
    return;
  }
  if (isWide(s)) {
    wideForward(s, x, weight, bias, out, item0, item1, scratch, col);
    return;
  }
  const L = outPlane(s), Og = groupOutChannels(s), K = groupDepth(s);
  const tiles = tilesOf(s);
  for (let item = item0; item < item1; item++) {
    const n = item / tiles;
    const oh0 = tileRow0(s, item, tiles);
    const rows = tileRowCount(s, oh0);
    const lt = rows * s.outW;
    const xn = x + (<usize>(n * s.channels * s.inH * s.inW) << 2);
    const yn = out + (<usize>(n * s.outChannels * L + oh0 * s.outW) << 2);
    for (let o = 0; o < s.outChannels; o++) {
      const row = yn + (<usize>(o * L) << 2);
      if (bias) fillRow(row, lt, load<f32>(bias + (<usize>o << 2)));
      else memory.fill(row, 0, <usize>lt << 2);
    }
    const b = columnsOf(s, xn, col, oh0, rows);
    const ldb = isPointwise(s) ? L : lt;
    for (let g = 0; g < s.groups; g++) {
      gemm(weight + (<usize>(g * Og * K) << 2), K, b + (<usize>(g * K * ldb) << 2), ldb, yn + (<usize>(g * Og * L) << 2), L, Og, lt, K, false, false, scratch, 0, lt);
    }
  }
}

/** gradInput[n] = col2im(weightᵀ · gradOut[n]) for images n0..n1 (zeroed here first). */
export function conv2d_backward_input_f32(spec: usize, gradOut: usize, weight: usize, gradIn: usize, n0: i32, n1: i32, scratch: usize, col: usize): void {
  const s = changetype<ConvSpec>(spec);
  if (s.direct) {
    directBackwardInput(s, gradOut, weight, gradIn, n0, n1, col);
    return;
  }
  if (isWide(s)) {
    wideBackwardInput(s, gradOut, weight, gradIn, n0, n1, scratch, col);
    return;
  }
  const L = outPlane(s), Og = groupOutChannels(s), K = groupDepth(s);
  const tiles = tilesOf(s);
  const pointwise = isPointwise(s);
  const imageFloats = s.channels * s.inH * s.inW;
  for (let n = n0; n < n1; n++) {
    const dxn = gradIn + (<usize>(n * imageFloats) << 2);
    memory.fill(dxn, 0, <usize>imageFloats << 2);
    for (let t = 0; t < tiles; t++) {
      const oh0 = t * s.tileRows;
      const rows = tileRowCount(s, oh0);
      const lt = rows * s.outW;
      const gyn = gradOut + (<usize>(n * s.outChannels * L + oh0 * s.outW) << 2);
      // Pointwise: the column matrix is the image, so the product adds straight into it.
      const c = pointwise ? dxn + (<usize>(oh0 * s.outW) << 2) : col;
      const ldc = pointwise ? L : lt;
      if (!pointwise) memory.fill(col, 0, <usize>(s.groups * K * lt) << 2);
      for (let g = 0; g < s.groups; g++) {
        gemm(weight + (<usize>(g * Og * K) << 2), K, gyn + (<usize>(g * Og * L) << 2), L, c + (<usize>(g * K * ldc) << 2), ldc, K, lt, Og, true, false, scratch, 0, lt);
      }
      if (!pointwise) walkTile(s, dxn, col, true, oh0, rows);
    }
  }
}

/**
 * For weight-gradient blocks block0..block1: partials[block] = Σ over the block's items of
 * gradOut · columnsᵀ (zeroed here first). Block b covers items [b·items/blocks, (b+1)·items/blocks).
 */
export function conv2d_backward_weight_f32(spec: usize, gradOut: usize, x: usize, partials: usize, block0: i32, block1: i32, scratch: usize, col: usize): void {
  const s = changetype<ConvSpec>(spec);
  if (s.direct) {
    directBackwardWeight(s, gradOut, x, partials, block0, block1, col);
    return;
  }
  if (isWide(s)) {
    wideBackwardWeight(s, gradOut, x, partials, block0, block1, scratch, col);
    return;
  }
  const L = outPlane(s), Og = groupOutChannels(s), K = groupDepth(s);
  const tiles = tilesOf(s);
  const items = s.batch * tiles;
  const weightFloats = s.outChannels * K;
  for (let block = block0; block < block1; block++) {
    const acc = partials + (<usize>(block * weightFloats) << 2);
    memory.fill(acc, 0, <usize>weightFloats << 2);
    const first = blockStart(s, block, items);
    const end = blockStart(s, block + 1, items);
    for (let item = first; item < end; item++) {
      const n = item / tiles;
      const oh0 = tileRow0(s, item, tiles);
      const rows = tileRowCount(s, oh0);
      const lt = rows * s.outW;
      const xn = x + (<usize>(n * s.channels * s.inH * s.inW) << 2);
      const gyn = gradOut + (<usize>(n * s.outChannels * L + oh0 * s.outW) << 2);
      const b = columnsOf(s, xn, col, oh0, rows);
      const ldb = isPointwise(s) ? L : lt;
      for (let g = 0; g < s.groups; g++) {
        gemm(gyn + (<usize>(g * Og * L) << 2), L, b + (<usize>(g * K * ldb) << 2), ldb, acc + (<usize>(g * Og * K) << 2), K, Og, K, lt, false, true, scratch, 0, K);
      }
    }
  }
}

@inline function fillRow(dst: usize, n: i32, value: f32): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), value);
}

/** out[i] = Σ over blocks b (in order) of partials[b, i]: the weight gradient from its blocks. */
export function sum_partials_f32(partials: usize, blocks: i32, size: i32, out: usize): void {
  const stride = <usize>size << 2;
  let i = 0;
  for (; i + 4 <= size; i += 4) {
    const o = <usize>i << 2;
    let acc = v128.load(partials + o);
    for (let b = 1; b < blocks; b++) acc = f32x4.add(acc, v128.load(partials + <usize>b * stride + o));
    v128.store(out + o, acc);
  }
  for (; i < size; i++) {
    const o = <usize>i << 2;
    let acc = load<f32>(partials + o);
    for (let b = 1; b < blocks; b++) acc += load<f32>(partials + <usize>b * stride + o);
    store<f32>(out + o, acc);
  }
}
