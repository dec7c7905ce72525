/**
 * unfold (im2col) and fold (col2im) as PyTorch's F.unfold / F.fold: the sliding blocks of an
 * image as columns, and back.
 *
 *   unfold: x [N, C, H, W] → [N, C·kH·kW, L]     L = outH · outW blocks, each a column
 *   fold:   cols [N, C·kH·kW, L] → [N, C, H, W]   overlapping entries are summed
 *
 * Row c·kH·kW + i·kW + j of a column holds channel c at kernel offset (i, j). fold is the adjoint
 * of unfold (⟨unfold(x), y⟩ = ⟨x, fold(y)⟩), so each is the other's backward. Both run on the
 * backend's im2col / col2im kernels, whose layout [C·kH·kW, N·L] differs only by moving N in
 * front (one strided copy).
 */
import type { Storage, Window2d } from "../backend/types.js";
import { fromOp } from "../autograd/record.js";
import { ShapeError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { backendOf, requireFloat } from "./util.js";
import { convOutputSize, pair, positivePair, type Pair } from "./window.js";

export interface FoldOptions {
  dilation?: Pair;
  /** Zero padding on both sides of each spatial dim. */
  padding?: Pair;
  stride?: Pair;
  /** Names the layer in error messages. */
  name?: string;
}

interface Geometry {
  kernel: [number, number];
  dilation: [number, number];
  padding: [number, number];
  stride: [number, number];
}

function geometry(kernelSize: Pair, o: FoldOptions, where: string): Geometry {
  const padding = pair(o.padding ?? 0, "padding", where);
  if (padding[0] < 0 || padding[1] < 0) throw new ValueError(`${where}: padding must be >= 0, got ${JSON.stringify(o.padding)}`);
  return {
    kernel: positivePair(kernelSize, "kernelSize", where),
    dilation: positivePair(o.dilation ?? 1, "dilation", where),
    padding,
    stride: positivePair(o.stride ?? 1, "stride", where),
  };
}

function window(N: number, C: number, H: number, W: number, g: Geometry, where: string): Window2d {
  return {
    batch: N, channels: C, inH: H, inW: W, kernelH: g.kernel[0], kernelW: g.kernel[1],
    strideH: g.stride[0], strideW: g.stride[1], padTop: g.padding[0], padLeft: g.padding[1],
    dilationH: g.dilation[0], dilationW: g.dilation[1],
    outH: convOutputSize(H, g.kernel[0], g.stride[0], g.padding[0], g.padding[0], g.dilation[0], where),
    outW: convOutputSize(W, g.kernel[1], g.stride[1], g.padding[1], g.padding[1], g.dilation[1], where),
  };
}

/** A copy of a contiguous [a, b, c] storage of `like`'s backend with the first two dims swapped: [b, a, c]. */
function swap01(like: Tensor, s: Storage, a: number, b: number, c: number): Storage {
  return backendOf(like).copyStrided(s, { shape: [b, a, c], strides: [c, b * c, 1], offset: 0 });
}

/**
 * The sliding kH×kW blocks of x [N, C, H, W] (or [C, H, W]) as columns: [N, C·kH·kW, L]
 * (or [C·kH·kW, L]), L the number of block positions, as a convolution with the same geometry
 * would produce. `conv2d(x, w)` equals `w.reshape([O, -1]).matmul(unfold(x, k))` reshaped.
 */
export function unfold(x: Tensor, kernelSize: Pair, options: FoldOptions = {}): Tensor {
  const where = options.name ?? "unfold";
  if (x.ndim === 3) return unfold(x.unsqueeze(0), kernelSize, options).squeeze(0);
  requireFloat(x, where);
  if (x.ndim !== 4) throw new ShapeError(`${where}: expects input [N, C, H, W] or [C, H, W], got shape [${x.shape}]`);
  const g = geometry(kernelSize, options, where);
  const [N, C, H, W] = x.shape;
  const win = window(N, C, H, W, g, `${where} with input [${x.shape}]`);
  const K = C * g.kernel[0] * g.kernel[1];
  const L = win.outH * win.outW;
  const cols = backendOf(x).im2col(x.storage, win); // [K, N·L]
  return fromOp(swap01(x, cols, K, N, L), [N, K, L], "unfold", [x], (grad) => [fold(grad, [H, W], kernelSize, options)]);
}

/**
 * Sums columns cols [N, C·kH·kW, L] (or [C·kH·kW, L]) back into an image [N, C, H, W] of
 * spatial size `outputSize`, each block added at its place (overlaps add up). L must equal the
 * number of block positions in that image. fold(unfold(x)) multiplies each pixel by the number
 * of blocks that cover it.
 */
export function fold(cols: Tensor, outputSize: Pair, kernelSize: Pair, options: FoldOptions = {}): Tensor {
  const where = options.name ?? "fold";
  if (cols.ndim === 2) return fold(cols.unsqueeze(0), outputSize, kernelSize, options).squeeze(0);
  requireFloat(cols, where);
  if (cols.ndim !== 3) throw new ShapeError(`${where}: expects input [N, C·kH·kW, L] or [C·kH·kW, L], got shape [${cols.shape}]`);
  const g = geometry(kernelSize, options, where);
  const [H, W] = positivePair(outputSize, "outputSize", where);
  const [N, K, L] = cols.shape;
  const kk = g.kernel[0] * g.kernel[1];
  if (K % kk !== 0) {
    throw new ShapeError(`${where}: dim 1 of input [${cols.shape}] is ${K}, which is not divisible by kH·kW = ${g.kernel[0]}·${g.kernel[1]} = ${kk}`);
  }
  const C = K / kk;
  const win = window(N, C, H, W, g, `${where} with outputSize [${H}, ${W}]`);
  if (win.outH * win.outW !== L) {
    throw new ShapeError(
      `${where}: input [${cols.shape}] has ${L} blocks (dim 2) but outputSize [${H}, ${W}] with kernelSize [${g.kernel}], dilation [${g.dilation}], ` +
        `padding [${g.padding}], stride [${g.stride}] has ${win.outH}·${win.outW} = ${win.outH * win.outW}`,
    );
  }
  const image = backendOf(cols).col2im(swap01(cols, cols.storage, N, K, L), win);
  return fromOp(image, [N, C, H, W], "fold", [cols], (grad) => [unfold(grad, kernelSize, options)]);
}
