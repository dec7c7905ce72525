/**
 * Sliding-window kernels over NCHW images: im2col / col2im for convolution, and pooling.
 * Out-of-range (padding) cells read as zero for convolution and never win a max.
 */
import type { TypedArray, Window2d } from "../types.js";

/**
 * cols[(c*kH + ki)*kW + kj, (n*outH + oh)*outW + ow] = x[n, c, oh*sH - padTop + ki*dH, ow*sW - padLeft + kj*dW].
 * `accumulate` = false copies image → columns (im2col); true adds columns → image (col2im), the
 * adjoint, which is exactly the input gradient's scatter. One routine keeps the two in step.
 */
function walkColumns(img: TypedArray, cols: TypedArray, w: Window2d, toImage: boolean): void {
  const { batch, channels, inH, inW, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW } = w;
  const L = batch * outH * outW;
  const plane = inH * inW;
  for (let c = 0; c < channels; c++) {
    for (let ki = 0; ki < kernelH; ki++) {
      for (let kj = 0; kj < kernelW; kj++) {
        const row = ((c * kernelH + ki) * kernelW + kj) * L;
        // Output columns whose input column is inside the image: owLo <= ow < owHi.
        const shift = kj * dilationW - padLeft;
        const owLo = Math.max(0, Math.ceil(-shift / strideW));
        const owHi = Math.min(outW, Math.floor((inW - 1 - shift) / strideW) + 1);
        for (let n = 0; n < batch; n++) {
          const imgBase = (n * channels + c) * plane;
          for (let oh = 0; oh < outH; oh++) {
            const ih = oh * strideH - padTop + ki * dilationH;
            const colBase = row + (n * outH + oh) * outW;
            if (ih < 0 || ih >= inH) {
              if (!toImage) cols.fill(0, colBase, colBase + outW);
              continue;
            }
            const imgRow = imgBase + ih * inW + shift;
            if (toImage) {
              for (let ow = owLo; ow < owHi; ow++) img[imgRow + ow * strideW] += cols[colBase + ow];
            } else {
              for (let ow = 0; ow < owLo; ow++) cols[colBase + ow] = 0;
              for (let ow = owLo; ow < owHi; ow++) cols[colBase + ow] = img[imgRow + ow * strideW];
              for (let ow = Math.max(owHi, owLo); ow < outW; ow++) cols[colBase + ow] = 0;
            }
          }
        }
      }
    }
  }
}

export function im2colInto(x: TypedArray, w: Window2d, cols: TypedArray): void {
  walkColumns(x, cols, w, false);
}

export function col2imInto(cols: TypedArray, w: Window2d, img: TypedArray): void {
  walkColumns(img, cols, w, true);
}

export function maxPool2dInto(x: TypedArray, w: Window2d, out: TypedArray, indices: TypedArray): void {
  const { batch, channels, inH, inW, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW } = w;
  const plane = inH * inW;
  for (let nc = 0; nc < batch * channels; nc++) {
    const xb = nc * plane;
    const ob = nc * outH * outW;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - padTop;
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * strideW - padLeft;
        let best = -Infinity;
        let bestIdx = -1;
        for (let ki = 0; ki < kernelH; ki++) {
          const ih = h0 + ki * dilationH;
          if (ih < 0 || ih >= inH) continue;
          for (let kj = 0; kj < kernelW; kj++) {
            const iw = w0 + kj * dilationW;
            if (iw < 0 || iw >= inW) continue;
            const v = x[xb + ih * inW + iw];
            if (v > best || v !== v || bestIdx < 0) {
              best = v;
              bestIdx = ih * inW + iw;
              if (v !== v) break;
            }
          }
        }
        out[ob + oh * outW + ow] = best;
        indices[ob + oh * outW + ow] = bestIdx;
      }
    }
  }
}

export function maxPool2dBackwardInto(gradOut: TypedArray, indices: TypedArray, w: Window2d, gradIn: TypedArray): void {
  const plane = w.inH * w.inW;
  const outPlane = w.outH * w.outW;
  for (let nc = 0; nc < w.batch * w.channels; nc++) {
    const gb = nc * plane;
    const ob = nc * outPlane;
    // A window that holds only padding (possible with dilation) has no winner (index -1): its
    // output is a constant -Infinity and its gradient goes nowhere, not into another plane.
    for (let o = 0; o < outPlane; o++) {
      const idx = indices[ob + o];
      if (idx >= 0) gradIn[gb + idx] += gradOut[ob + o];
    }
  }
}

/**
 * PyTorch's averaging rule: a window is clipped to the padded image (so with ceilMode a window
 * hanging past the padding counts fewer cells), and the divisor counts padding cells only when
 * countIncludePad. `visit` gets the clipped in-image window and its divisor.
 */
function forEachAvgWindow(
  w: Window2d,
  countIncludePad: boolean,
  visit: (oh: number, ow: number, h0: number, h1: number, w0: number, w1: number, divisor: number) => void,
): void {
  const padBottom = w.padTop; // PyTorch pads symmetrically for pooling
  const padRight = w.padLeft;
  for (let oh = 0; oh < w.outH; oh++) {
    let h0 = oh * w.strideH - w.padTop;
    let h1 = Math.min(h0 + w.kernelH, w.inH + padBottom);
    const hSpan = h1 - h0;
    h0 = Math.max(h0, 0);
    h1 = Math.min(h1, w.inH);
    for (let ow = 0; ow < w.outW; ow++) {
      let w0 = ow * w.strideW - w.padLeft;
      let w1 = Math.min(w0 + w.kernelW, w.inW + padRight);
      const wSpan = w1 - w0;
      w0 = Math.max(w0, 0);
      w1 = Math.min(w1, w.inW);
      const divisor = countIncludePad ? hSpan * wSpan : (h1 - h0) * (w1 - w0);
      visit(oh, ow, h0, h1, w0, w1, divisor);
    }
  }
}

export function avgPool2dInto(x: TypedArray, w: Window2d, countIncludePad: boolean, out: TypedArray): void {
  const plane = w.inH * w.inW;
  const outPlane = w.outH * w.outW;
  for (let nc = 0; nc < w.batch * w.channels; nc++) {
    const xb = nc * plane;
    const ob = nc * outPlane;
    forEachAvgWindow(w, countIncludePad, (oh, ow, h0, h1, w0, w1, divisor) => {
      let s = 0;
      for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) s += x[xb + ih * w.inW + iw];
      out[ob + oh * w.outW + ow] = s / divisor;
    });
  }
}

export function avgPool2dBackwardInto(gradOut: TypedArray, w: Window2d, countIncludePad: boolean, gradIn: TypedArray): void {
  const plane = w.inH * w.inW;
  const outPlane = w.outH * w.outW;
  for (let nc = 0; nc < w.batch * w.channels; nc++) {
    const gb = nc * plane;
    const ob = nc * outPlane;
    forEachAvgWindow(w, countIncludePad, (oh, ow, h0, h1, w0, w1, divisor) => {
      const g = gradOut[ob + oh * w.outW + ow] / divisor;
      for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) gradIn[gb + ih * w.inW + iw] += g;
    });
  }
}
