/**
 * Pooling kernels beyond the 2-D max / average of window.ts: 3-D max and average pooling,
 * adaptive max pooling, the shared max-pooling backward and max unpooling.
 *
 * Each kernel first works out, once per output position along each axis, which input positions
 * its window covers (clipped to the input), then runs plain nested loops over typed arrays: no
 * closure and no bounds test per element. Sums run in a JavaScript number (a double) from +0 in
 * depth, row, column order, as PyTorch's cpu kernels do, so float64 results match PyTorch's.
 */
import { ValueError } from "../../errors.js";
import type { AdaptiveWindow2d, TypedArray, Window3d } from "../types.js";

/**
 * The in-input taps of a dilated window along one axis: output o reads positions
 * first[o] + t*dilation for t < count[o] (count 0 when the window holds padding only).
 */
function dilatedTaps(outSize: number, inSize: number, kernel: number, stride: number, pad: number, dilation: number): { first: Int32Array; count: Int32Array } {
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const start = o * stride - pad;
    const lo = start < 0 ? Math.ceil(-start / dilation) : 0; // first tap inside the input
    const hi = Math.min(kernel, Math.floor((inSize - 1 - start) / dilation) + 1); // one past the last
    first[o] = start + lo * dilation;
    count[o] = Math.max(0, hi - lo);
  }
  return { first, count };
}

/**
 * Average-pooling extents along one axis, PyTorch's rule: the window [start, start+kernel) is
 * first clipped to the padded input (end <= in + pad), which gives `span` (the divisor's share
 * when padding counts), then to the input itself, which gives [lo, hi).
 */
function avgExtents(outSize: number, inSize: number, kernel: number, stride: number, pad: number): { lo: Int32Array; hi: Int32Array; span: Int32Array } {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const span = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const start = o * stride - pad;
    const end = Math.min(start + kernel, inSize + pad);
    span[o] = end - start;
    lo[o] = Math.max(start, 0);
    hi[o] = Math.min(end, inSize);
  }
  return { lo, hi, span };
}

export function maxPool3dInto(x: TypedArray, w: Window3d, out: TypedArray, indices: TypedArray): void {
  const { inD, inH, inW, outD, outH, outW, dilationD, dilationH, dilationW } = w;
  const td = dilatedTaps(outD, inD, w.kernelD, w.strideD, w.padFront, dilationD);
  const th = dilatedTaps(outH, inH, w.kernelH, w.strideH, w.padTop, dilationH);
  const tw = dilatedTaps(outW, inW, w.kernelW, w.strideW, w.padLeft, dilationW);
  const plane = inH * inW;
  const volume = inD * plane;
  const outVolume = outD * outH * outW;
  for (let nc = 0; nc < w.batch * w.channels; nc++) {
    const xb = nc * volume;
    let o = nc * outVolume;
    for (let od = 0; od < outD; od++) {
      const d0 = td.first[od];
      const nd = td.count[od];
      for (let oh = 0; oh < outH; oh++) {
        const h0 = th.first[oh];
        const nh = th.count[oh];
        for (let ow = 0; ow < outW; ow++, o++) {
          const w0 = tw.first[ow];
          const nw = tw.count[ow];
          if (nd === 0 || nh === 0 || nw === 0) {
            out[o] = -Infinity; // a window of padding only: no winner, and no gradient
            indices[o] = -1;
            continue;
          }
          // PyTorch: start from -inf at the first tap; a larger value or a NaN takes over.
          let best = -Infinity;
          let bestIdx = (d0 * inH + h0) * inW + w0;
          for (let a = 0, id = d0; a < nd; a++, id += dilationD) {
            for (let b = 0, ih = h0; b < nh; b++, ih += dilationH) {
              const row = (id * inH + ih) * inW;
              for (let c = 0, iw = w0; c < nw; c++, iw += dilationW) {
                const v = x[xb + row + iw];
                if (v > best || v !== v) {
                  best = v;
                  bestIdx = row + iw;
                }
              }
            }
          }
          out[o] = best;
          indices[o] = bestIdx;
        }
      }
    }
  }
}

/**
 * Shared by the forward (`toInput` false: out = sum / divisor) and the backward (`toInput` true:
 * each input cell of a window gets gradOut / divisor added), so the two agree on every window.
 */
function walkAvg3d(input: TypedArray, output: TypedArray, w: Window3d, countIncludePad: boolean, divisorOverride: number | null, toInput: boolean): void {
  const { inD, inH, inW, outD, outH, outW } = w;
  const ed = avgExtents(outD, inD, w.kernelD, w.strideD, w.padFront);
  const eh = avgExtents(outH, inH, w.kernelH, w.strideH, w.padTop);
  const ew = avgExtents(outW, inW, w.kernelW, w.strideW, w.padLeft);
  const volume = inD * inH * inW;
  const outVolume = outD * outH * outW;
  for (let nc = 0; nc < w.batch * w.channels; nc++) {
    const xb = nc * volume;
    let o = nc * outVolume;
    for (let od = 0; od < outD; od++) {
      const d0 = ed.lo[od];
      const d1 = ed.hi[od];
      for (let oh = 0; oh < outH; oh++) {
        const h0 = eh.lo[oh];
        const h1 = eh.hi[oh];
        for (let ow = 0; ow < outW; ow++, o++) {
          const w0 = ew.lo[ow];
          const w1 = ew.hi[ow];
          if (d0 >= d1 || h0 >= h1 || w0 >= w1) {
            if (!toInput) output[o] = 0; // PyTorch writes 0 for a window outside the input
            continue;
          }
          const divisor = divisorOverride ?? (countIncludePad ? ed.span[od] * eh.span[oh] * ew.span[ow] : (d1 - d0) * (h1 - h0) * (w1 - w0));
          if (toInput) {
            const g = output[o] / divisor;
            for (let id = d0; id < d1; id++) {
              for (let ih = h0; ih < h1; ih++) {
                const row = xb + (id * inH + ih) * inW;
                for (let iw = w0; iw < w1; iw++) input[row + iw] += g;
              }
            }
          } else {
            let s = 0;
            for (let id = d0; id < d1; id++) {
              for (let ih = h0; ih < h1; ih++) {
                const row = xb + (id * inH + ih) * inW;
                for (let iw = w0; iw < w1; iw++) s += input[row + iw];
              }
            }
            output[o] = s / divisor;
          }
        }
      }
    }
  }
}

export function avgPool3dInto(x: TypedArray, w: Window3d, countIncludePad: boolean, divisorOverride: number | null, out: TypedArray): void {
  walkAvg3d(x, out, w, countIncludePad, divisorOverride, false);
}

/** `gradIn` must start zeroed. */
export function avgPool3dBackwardInto(gradOut: TypedArray, w: Window3d, countIncludePad: boolean, divisorOverride: number | null, gradIn: TypedArray): void {
  walkAvg3d(gradIn, gradOut, w, countIncludePad, divisorOverride, true);
}

/** PyTorch's adaptive windows along one axis: [⌊o·in/out⌋, ⌈(o+1)·in/out⌉). */
export function adaptiveRanges(inSize: number, outSize: number): { lo: Int32Array; hi: Int32Array } {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    lo[o] = Math.floor((o * inSize) / outSize);
    hi[o] = Math.ceil(((o + 1) * inSize) / outSize);
  }
  return { lo, hi };
}

export function adaptiveMaxPool2dInto(x: TypedArray, w: AdaptiveWindow2d, out: TypedArray, indices: TypedArray): void {
  const { inH, inW, outH, outW } = w;
  const rh = adaptiveRanges(inH, outH);
  const rw = adaptiveRanges(inW, outW);
  const plane = inH * inW;
  const outPlane = outH * outW;
  for (let nc = 0; nc < w.batch * w.channels; nc++) {
    const xb = nc * plane;
    let o = nc * outPlane;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = rh.lo[oh];
      const h1 = rh.hi[oh];
      for (let ow = 0; ow < outW; ow++, o++) {
        const w0 = rw.lo[ow];
        const w1 = rw.hi[ow];
        let best = -Infinity;
        let bestIdx = h0 * inW + w0;
        for (let ih = h0; ih < h1; ih++) {
          const row = ih * inW;
          for (let iw = w0; iw < w1; iw++) {
            const v = x[xb + row + iw];
            if (v > best || v !== v) {
              best = v;
              bestIdx = row + iw;
            }
          }
        }
        out[o] = best;
        indices[o] = bestIdx;
      }
    }
  }
}

/** gradIn (zeroed, [planes, plane]) += gradOut ([planes, outPlane]) at the indices; -1 is skipped. */
export function maxPoolBackwardInto(gradOut: TypedArray, indices: TypedArray, planes: number, plane: number, outPlane: number, gradIn: TypedArray): void {
  for (let p = 0; p < planes; p++) {
    const gb = p * plane;
    const ob = p * outPlane;
    for (let o = 0; o < outPlane; o++) {
      const idx = indices[ob + o];
      if (idx >= 0) gradIn[gb + idx] += gradOut[ob + o];
    }
  }
}

/** out (zeroed, [planes, outPlane]) [index] = x ([planes, inPlane]); a later duplicate overwrites an earlier one. */
export function maxUnpoolInto(x: TypedArray, indices: TypedArray, planes: number, inPlane: number, outPlane: number, out: TypedArray): void {
  for (let p = 0; p < planes; p++) {
    const xb = p * inPlane;
    const ob = p * outPlane;
    for (let i = 0; i < inPlane; i++) {
      const idx = indices[xb + i];
      if (idx < 0 || idx >= outPlane) throw new ValueError(`maxUnpool: index ${idx} at position ${xb + i} is outside an output plane of ${outPlane} elements`);
      out[ob + idx] = x[xb + i];
    }
  }
}
