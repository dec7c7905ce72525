// The im2col walk shared by the im2col/col2im kernels (window.ts) and the fused convolution
// kernels (conv.ts): one pass over the column matrix, copying from the image or adding back.
import { addRowF32, copyRow32, ptrAt, zeroRow32, zeroRow32Scalar } from "./rows";

// cols[(c*kH + ki)*kW + kj, (n*outH + oh)*outW + ow] = x[n, c, oh*sH - padTop + ki*dH, ow*sW - padLeft + kj*dW]
// (zero outside the image). toImage: the adjoint, img += cols at the same places (col2im).
@inline export function walkColumns(
  img: usize, cols: usize, toImage: bool,
  batch: i32, channels: i32, inH: i32, inW: i32, kH: i32, kW: i32, sH: i32, sW: i32,
  padTop: i32, padLeft: i32, dH: i32, dW: i32, outH: i32, outW: i32,
): void {
  const plane = inH * inW;
  const rowBytes = <usize>outW << 2;
  let colRow = cols;
  for (let c = 0; c < channels; c++) {
    for (let ki = 0; ki < kH; ki++) {
      for (let kj = 0; kj < kW; kj++) {
        // Output columns whose input column is inside the image: lo <= ow < hi.
        const shift = kj * dW - padLeft;
        let lo = shift < 0 ? (sW - 1 - shift) / sW : 0;
        if (lo > outW) lo = outW;
        const t = inW - 1 - shift;
        let hi = t < 0 ? 0 : min(outW, t / sW + 1);
        if (hi < lo) hi = lo;
        const span = hi - lo;
        let dst = colRow;
        for (let n = 0; n < batch; n++) {
          const imgBase = (n * channels + c) * plane + shift;
          for (let oh = 0; oh < outH; oh++, dst += rowBytes) {
            const ih = oh * sH - padTop + ki * dH;
            if (<u32>ih >= <u32>inH) {
              if (!toImage) zeroRow32(dst, outW);
              continue;
            }
            const src = ptrAt(img, imgBase + ih * inW + lo * sW);
            const d = dst + (<usize>lo << 2);
            if (toImage) {
              if (sW == 1) {
                addRowF32(src, d, span);
              } else {
                const step = <usize>sW << 2;
                let s = src;
                for (let ow = 0; ow < span; ow++, s += step) store<f32>(s, load<f32>(s) + load<f32>(d + (<usize>ow << 2)));
              }
            } else {
              for (let ow = 0; ow < lo; ow++) store<u32>(dst + (<usize>ow << 2), 0);
              if (sW == 1) {
                copyRow32(d, src, span);
              } else if (sW == 2) {
                // 8 consecutive image floats hold 4 columns at stride 2; read them only while
                // the 8th is still in the image row (image column shift + 2*(lo+ow) + 7)
                let ow = 0;
                for (; ow + 4 <= span && 2 * (lo + ow) + 8 <= inW - shift; ow += 4) {
                  const s = src + (<usize>ow << 3);
                  v128.store(d + (<usize>ow << 2), i32x4.shuffle(v128.load(s), v128.load(s, 16), 0, 2, 4, 6));
                }
                for (; ow < span; ow++) store<u32>(d + (<usize>ow << 2), load<u32>(src + (<usize>ow << 3)));
              } else {
                const step = <usize>sW << 2;
                let s = src;
                for (let ow = 0; ow < span; ow++, s += step) store<u32>(d + (<usize>ow << 2), load<u32>(s));
              }
              zeroRow32Scalar(dst + (<usize>hi << 2), outW - hi);
            }
          }
        }
        colRow += <usize>batch * <usize>outH * rowBytes;
      }
    }
  }
}
