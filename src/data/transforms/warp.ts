/**
 * One sample's geometry, composed into a single map, and the bilinear resampling that applies it.
 *
 * Resampling is done backwards: for every output pixel p (x = column, y = row, in pixel-index
 * coordinates) the map gives the point of the input image it comes from,
 *
 *   source(p) = M · (p + d(p)),   M = [m0 m1 m2; m3 m4 m5] (homogeneous 2×3),
 *
 * where d is an optional displacement field on the output grid (elastic distortion), and the
 * value there is interpolated bilinearly from the four neighbouring input pixels, neighbours
 * outside the image counting as 0 ("zero fill", as grid_sample's padding_mode="zeros").
 *
 * A chain of geometric transforms T1, ..., Tk applied in that order has the inverse
 * T1⁻¹ ∘ ... ∘ Tk⁻¹, so each transform appends its own inverse on the right (`then`); the whole
 * chain is resampled once, which keeps images sharp (every bilinear pass blurs a little) and
 * costs one pass instead of k. A displacement field can only come last in a chain (it lives on
 * the output grid); Compose starts a new chain after one.
 */
import { ValueError } from "../../errors.js";
import type { ImageShape } from "./transform.js";

export class Warp {
  /** Input image of the chain. */
  channels = 1;
  inHeight = 1;
  inWidth = 1;
  /** Current output size (after the transforms appended so far). */
  height = 1;
  width = 1;
  /** Output pixel → input pixel (index coordinates), row-major 2×3. */
  readonly m = new Float64Array(6);
  /** Displacement of each output pixel (height × width), or null. */
  fieldX: Float32Array | null = null;
  fieldY: Float32Array | null = null;

  constructor(shape?: ImageShape) {
    if (shape) this.reset(shape);
    else this.m.set([1, 0, 0, 0, 1, 0]);
  }

  /** Starts a new chain on an input image of `shape`: the identity map. */
  reset(shape: ImageShape): void {
    [this.channels, this.inHeight, this.inWidth] = shape;
    this.height = this.inHeight;
    this.width = this.inWidth;
    this.m.set([1, 0, 0, 0, 1, 0]);
    this.fieldX = this.fieldY = null;
  }

  /** The shape of the image the chain produces. */
  get outputShape(): ImageShape {
    return [this.channels, this.height, this.width];
  }

  /**
   * Appends a transform given by its inverse n (its output pixel → its input pixel, i.e. a pixel
   * of the current output) producing a `height` × `width` image: M ← M · n.
   */
  then(n0: number, n1: number, n2: number, n3: number, n4: number, n5: number, height = this.height, width = this.width): void {
    if (this.fieldX) throw new ValueError("Warp.then: a displacement field must be the last step of a chain (a GeometricTransform that sets one must have endsChain = true)");
    const m = this.m;
    const [a, b, c, d, e, f] = m;
    m[0] = a * n0 + b * n3;
    m[1] = a * n1 + b * n4;
    m[2] = a * n2 + b * n5 + c;
    m[3] = d * n0 + e * n3;
    m[4] = d * n1 + e * n4;
    m[5] = d * n2 + e * n5 + f;
    this.height = height;
    this.width = width;
  }

  /** Appends a displacement field on the current output grid (height × width values each). */
  thenField(dx: Float32Array, dy: Float32Array): void {
    if (this.fieldX) throw new ValueError("Warp.thenField: a chain holds one displacement field (a GeometricTransform that sets one must have endsChain = true)");
    this.fieldX = dx;
    this.fieldY = dy;
  }

  /** Resamples `src` (the chain's input image) into `out` (the chain's output image). */
  resample(src: Float32Array, out: Float32Array): void {
    const m = this.m;
    if (!this.fieldX && m[1] === 0 && m[3] === 0 && Math.abs(m[0]) === 1 && Math.abs(m[4]) === 1 && Number.isInteger(m[2]) && Number.isInteger(m[5])) {
      pixelCopy(src, this.channels, this.inHeight, this.inWidth, out, this.height, this.width, m[0], m[2], m[4], m[5]);
    } else {
      resampleBilinear(src, this.channels, this.inHeight, this.inWidth, out, this.height, this.width, m, this.fieldX, this.fieldY);
    }
  }
}

/**
 * The map sends pixels to pixels — sx = ax·x + bx, sy = ay·y + by with ax, ay = ±1 and integer
 * offsets (identity, flips, crops, whole-pixel shifts, and any mix of them): a copy, exact, 0
 * outside the input.
 */
function pixelCopy(src: Float32Array, C: number, H: number, W: number, out: Float32Array, oH: number, oW: number, ax: number, bx: number, ay: number, by: number): void {
  // Output columns whose source column ax·x + bx lies in 0..W−1: x0 ≤ x < x1.
  const lo = ax === 1 ? -bx : bx - W + 1;
  const x0 = Math.min(oW, Math.max(0, lo));
  const x1 = Math.max(x0, Math.min(oW, lo + W));
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < oH; y++) {
      const o = (c * oH + y) * oW;
      const sy = ay * y + by;
      if (sy < 0 || sy >= H || x0 === x1) {
        out.fill(0, o, o + oW);
        continue;
      }
      const s = (c * H + sy) * W + bx; // source index of output column x: s + ax·x
      out.fill(0, o, o + x0);
      if (ax === 1) out.set(src.subarray(s + x0, s + x1), o + x0);
      else for (let x = x0; x < x1; x++) out[o + x] = src[s - x];
      out.fill(0, o + x1, o + oW);
    }
  }
}

/**
 * The general case: one tight loop over output pixels. For each pixel the source point
 * (sx, sy) = M·(p + d(p)) is computed once, with its four bilinear weights
 * (1−fx)(1−fy), fx(1−fy), (1−fx)fy, fx·fy around (⌊sx⌋, ⌊sy⌋); then every channel is read with
 * the same weights. Pixels whose four neighbours are inside take the unchecked path; the others
 * drop the neighbours that fall outside (zero fill).
 */
export function resampleBilinear(
  src: Float32Array,
  C: number,
  H: number,
  W: number,
  out: Float32Array,
  oH: number,
  oW: number,
  m: Float64Array,
  fieldX: Float32Array | null,
  fieldY: Float32Array | null,
): void {
  const [m0, m1, m2, m3, m4, m5] = m;
  const plane = H * W;
  const oPlane = oH * oW;
  for (let y = 0; y < oH; y++) {
    for (let x = 0; x < oW; x++) {
      const i = y * oW + x;
      let px = x;
      let py = y;
      if (fieldX !== null) {
        px += fieldX[i];
        py += fieldY![i];
      }
      const sx = m0 * px + m1 * py + m2;
      const sy = m3 * px + m4 * py + m5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      if (x0 >= 0 && y0 >= 0 && x0 < W - 1 && y0 < H - 1) {
        const w00 = (1 - fx) * (1 - fy);
        const w01 = fx * (1 - fy);
        const w10 = (1 - fx) * fy;
        const w11 = fx * fy;
        let s = y0 * W + x0;
        for (let c = 0, o = i; c < C; c++, s += plane, o += oPlane) {
          out[o] = w00 * src[s] + w01 * src[s + 1] + w10 * src[s + W] + w11 * src[s + W + 1];
        }
      } else if (x0 < -1 || y0 < -1 || x0 >= W || y0 >= H || !(sx === sx && sy === sy)) {
        // Entirely outside (or a NaN coordinate): nothing to interpolate.
        for (let c = 0, o = i; c < C; c++, o += oPlane) out[o] = 0;
      } else {
        // On the border: keep only the neighbours inside the image.
        const inX0 = x0 >= 0;
        const inX1 = x0 + 1 < W;
        const inY0 = y0 >= 0;
        const inY1 = y0 + 1 < H;
        const w00 = inX0 && inY0 ? (1 - fx) * (1 - fy) : 0;
        const w01 = inX1 && inY0 ? fx * (1 - fy) : 0;
        const w10 = inX0 && inY1 ? (1 - fx) * fy : 0;
        const w11 = inX1 && inY1 ? fx * fy : 0;
        // Clamped indices: a dropped neighbour has weight 0, so any in-range index will do.
        const cx0 = inX0 ? x0 : 0;
        const cx1 = inX1 ? x0 + 1 : W - 1;
        const cy0 = inY0 ? y0 : 0;
        const cy1 = inY1 ? y0 + 1 : H - 1;
        for (let c = 0, o = i, base = 0; c < C; c++, o += oPlane, base += plane) {
          out[o] =
            w00 * src[base + cy0 * W + cx0] + w01 * src[base + cy0 * W + cx1] + w10 * src[base + cy1 * W + cx0] + w11 * src[base + cy1 * W + cx1];
        }
      }
    }
  }
}
