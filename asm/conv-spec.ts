// The convolution's shape as the JavaScript side writes it (src/backend/wasm/conv.ts), and the
// geometry that every form of the kernels (conv.ts, conv-direct.ts) derives from it.

import { copyRow32 } from "./rows";

// The convolution's shape, written by the caller into a block of i32s (field order matters).
@unmanaged export class ConvSpec {
  batch: i32;
  channels: i32;
  inH: i32;
  inW: i32;
  outChannels: i32;
  groups: i32;
  kH: i32;
  kW: i32;
  sH: i32;
  sW: i32;
  padTop: i32;
  padLeft: i32;
  dH: i32;
  dW: i32;
  outH: i32;
  outW: i32;
  // Output rows per tile, and the number of weight-gradient blocks.
  tileRows: i32;
  blocks: i32;
  // Non-zero when the caller chose the direct form (conv-direct.ts) for this pass.
  direct: i32;
}

// Output positions per image, output channels per group, and column rows (C/groups·kH·kW) per group.
@inline export function outPlane(s: ConvSpec): i32 {
  return s.outH * s.outW;
}
@inline export function groupOutChannels(s: ConvSpec): i32 {
  return s.outChannels / s.groups;
}
@inline export function groupDepth(s: ConvSpec): i32 {
  return (s.channels / s.groups) * s.kH * s.kW;
}

// Block b of the weight gradient covers items [blockStart(b), blockStart(b + 1)).
@inline export function blockStart(s: ConvSpec, b: i32, items: i32): i32 {
  return <i32>((<i64>b * items) / s.blocks);
}
// An item is image item / tiles, output rows from tileRow0 on (tileRowCount of them).
@inline export function tileRow0(s: ConvSpec, item: i32, tiles: i32): i32 {
  return (item % tiles) * s.tileRows;
}
@inline export function tileRowCount(s: ConvSpec, oh0: i32): i32 {
  return min(s.tileRows, s.outH - oh0);
}

@inline export function tilesOf(s: ConvSpec): i32 {
  return (s.outH + s.tileRows - 1) / s.tileRows;
}

@inline export function isPointwise(s: ConvSpec): bool {
  return s.kH == 1 && s.kW == 1 && s.sH == 1 && s.sW == 1 && s.padTop == 0 && s.padLeft == 0;
}

@inline export function isWide(s: ConvSpec): bool {
  return s.sH == 1 && s.sW == 1 && !isPointwise(s);
}

// ---- the wide form (stride 1) -------------------------------------------------------------------

// Padded height and width: exactly what a stride-1 window sweep covers.
@inline export function paddedH(s: ConvSpec): i32 {
  return s.outH + s.dH * (s.kH - 1);
}
@inline export function paddedW(s: ConvSpec): i32 {
  return s.outW + s.dW * (s.kW - 1);
}
// Floats of a padded image, plus the zeros that the last column runs read past its end.
@inline export function paddedFloats(s: ConvSpec): i32 {
  return roundUp4(s.channels * paddedH(s) * paddedW(s) + s.dW * (s.kW - 1));
}
@inline export function roundUp4(n: i32): i32 {
  return (n + 3) & ~3;
}

// Rows and columns of the image that some window reaches: all of them, unless the image runs
// past the last window (a transposed convolution's output padding can make it so).
@inline export function rowsReached(s: ConvSpec): i32 {
  return min(s.inH, paddedH(s) - s.padTop);
}
@inline export function colsReached(s: ConvSpec): i32 {
  return min(s.inW, paddedW(s) - s.padLeft);
}

// Image xn, zero-padded, into xpad (rows and columns no window reaches are left out). Every image
// writes the same interior, so only the first of a call (clear) needs the border zeroed.
export function padImage(s: ConvSpec, xn: usize, xpad: usize, clear: bool): void {
  const Hp = paddedH(s), Wp = paddedW(s);
  const cols = colsReached(s);
  if (clear) memory.fill(xpad, 0, <usize>paddedFloats(s) << 2);
  for (let c = 0; c < s.channels; c++) {
    for (let h = 0; h < rowsReached(s); h++) {
      copyRow32(xpad + (<usize>((c * Hp + h + s.padTop) * Wp + s.padLeft) << 2), xn + (<usize>((c * s.inH + h) * s.inW) << 2), cols);
    }
  }
}

// Offset (floats) in the padded image of the run for column row (c, ki, kj), tile row oh0.
@inline export function runStart(s: ConvSpec, c: i32, ki: i32, kj: i32, oh0: i32): i32 {
  return (c * paddedH(s) + oh0 + ki * s.dH) * paddedW(s) + kj * s.dW;
}

