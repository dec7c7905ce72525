/**
 * Elastic distortion (Simard, Steinkraus & Platt, "Best Practices for Convolutional Neural
 * Networks Applied to Visual Document Analysis", ICDAR 2003, section 2): the augmentation behind
 * the best MNIST results the lectures quote ("affine + elastic", 0.35 % error; lecture 004's table
 * of Cireşan et al.'s networks).
 *
 * For each sample, two random displacement fields are drawn, one value per pixel from U(−1, 1),
 * each is smoothed by a Gaussian of standard deviation σ (pixels) and multiplied by α:
 *
 *   Δx = α · (G_σ ∗ U(−1, 1)),   Δy = α · (G_σ ∗ U(−1, 1)),   out(p) = in(p + Δ(p))  (bilinear)
 *
 * σ sets how smooth (how "elastic") the deformation is — small σ gives random noise, large σ a
 * nearly rigid shift of small amplitude — and α its strength. Simard et al. used σ = 4, α = 34 on
 * 28 × 28 digits; those are the defaults (displacements of about 1.4 pixels RMS). The paper also
 * discusses normalising the smoothed field; like the common implementations (and torchvision's
 * ElasticTransform) this one does not: the smoothed field is scaled by α as it is. The Gaussian is cut at 4σ (a kernel of 2·⌈4σ⌉ + 1
 * taps, as torchvision's ElasticTransform) and applied separably, rows then columns, mirroring
 * the field at its edges (torch's "reflect" padding).
 *
 * Placed after affine transforms in a Compose, the distortion joins their resampling pass:
 * out(p) = in(M·(p + Δ(p))).
 */
import { ValueError } from "../../errors.js";
import { GeometricTransform, type RandomOptions } from "./geometric.js";
import type { Warp } from "./warp.js";

export class ElasticDistortion extends GeometricTransform {
  readonly name = "ElasticDistortion";
  override readonly endsChain = true;
  readonly alpha: number;
  readonly sigma: number;
  private readonly kernel: Float64Array;
  private readonly radius: number;
  // Scratch space, reused from sample to sample (grown when a larger image comes).
  private dx = new Float32Array(0);
  private dy = new Float32Array(0);
  private noise = new Float64Array(0);
  private transposed = new Float64Array(0);
  private pad = new Float64Array(0);
  private rowTaps: Int32Array = new Int32Array(0);
  private colTaps: Int32Array = new Int32Array(0);
  private tapsFor: [number, number] = [-1, -1];

  /**
   * @param alpha strength: the smoothed fields are multiplied by α (pixels), α ≥ 0 (0: identity)
   * @param sigma smoothness: the Gaussian's standard deviation in pixels, σ ≥ 0 (0: no smoothing)
   */
  constructor(alpha = 34, sigma = 4, options: RandomOptions = {}) {
    super(options);
    if (!(Number.isFinite(alpha) && alpha >= 0)) throw new ValueError(`${this.name}: alpha (the displacement scale, in pixels) must be a finite number >= 0, got ${alpha}`);
    if (!(Number.isFinite(sigma) && sigma >= 0)) throw new ValueError(`${this.name}: sigma (the Gaussian's standard deviation, in pixels) must be a finite number >= 0, got ${sigma}`);
    this.alpha = alpha;
    this.sigma = sigma;
    this.radius = Math.ceil(4 * sigma);
    this.kernel = gaussianKernel(sigma, this.radius);
  }

  sampleInto(warp: Warp): void {
    const h = warp.height;
    const w = warp.width;
    const n = h * w;
    if (this.dx.length !== n) {
      this.dx = new Float32Array(n);
      this.dy = new Float32Array(n);
      this.noise = new Float64Array(n);
      this.transposed = new Float64Array(n);
      this.pad = new Float64Array(Math.max(h, w) + 2 * this.radius);
    }
    if (this.tapsFor[0] !== h || this.tapsFor[1] !== w) {
      this.rowTaps = mirroredIndices(h, this.radius);
      this.colTaps = mirroredIndices(w, this.radius);
      this.tapsFor = [h, w];
    }
    this.drawField(this.dx, h, w);
    this.drawField(this.dy, h, w);
    warp.thenField(this.dx, this.dy);
  }

  /**
   * One field: U(−1, 1) per pixel (one 32-bit draw each: plenty for noise that is then
   * averaged), smoothed along rows and then along columns, times α.
   */
  private drawField(field: Float32Array, h: number, w: number): void {
    const g = this.generator;
    const noise = this.noise;
    const n = h * w;
    for (let i = 0; i < n; i++) noise[i] = g.nextUint32() * 2 ** -31 - 1;
    if (this.radius > 0) {
      // Each pass smooths rows and writes them transposed, so the second pass smooths columns
      // as rows too and writes them back in place: contiguous reads throughout.
      smoothRowsTransposed(noise, h, w, this.kernel, this.radius, this.colTaps, this.pad, this.transposed);
      smoothRowsTransposed(this.transposed, w, h, this.kernel, this.radius, this.rowTaps, this.pad, noise);
    }
    const alpha = this.alpha;
    for (let i = 0; i < n; i++) field[i] = alpha * noise[i];
  }

  protected override extraRepr(): string {
    return `alpha=${this.alpha}, sigma=${this.sigma}`;
  }
}

/**
 * dst (w × h) = transpose of src (h × w) smoothed along its rows by the symmetric kernel k
 * (2r + 1 taps, centre k[r]), each row first copied mirrored into `pad` (w + 2r values):
 * dst[x, y] = k[r]·pad[x + r] + Σ_{t<r} k[t]·(pad[x + t] + pad[x + 2r − t]).
 */
function smoothRowsTransposed(src: Float64Array, h: number, w: number, k: Float64Array, r: number, mirror: Int32Array, pad: Float64Array, dst: Float64Array): void {
  const centre = k[r];
  for (let y = 0; y < h; y++) {
    const base = y * w;
    for (let j = 0; j < w + 2 * r; j++) pad[j] = src[base + mirror[j]];
    for (let x = 0; x < w; x++) {
      let s = centre * pad[x + r];
      for (let t = 0; t < r; t++) s += k[t] * (pad[x + t] + pad[x + 2 * r - t]);
      dst[x * h + y] = s;
    }
  }
}

/** exp(−t²/2σ²) for t = −r..r, normalised to sum 1 (σ = 0: the unit impulse). */
function gaussianKernel(sigma: number, r: number): Float64Array {
  const k = new Float64Array(2 * r + 1);
  if (r === 0) {
    k[0] = 1;
    return k;
  }
  let sum = 0;
  for (let t = -r; t <= r; t++) sum += k[t + r] = Math.exp(-(t * t) / (2 * sigma * sigma));
  for (let t = 0; t < k.length; t++) k[t] /= sum;
  return k;
}

/**
 * For padded positions j = 0..n+2r−1, the index of position j − r mirrored into 0..n−1 about the
 * edge pixels (… 2 1 | 0 1 2 … n−1 | n−2 …), repeating as often as r needs (r may exceed n).
 */
function mirroredIndices(n: number, r: number): Int32Array {
  const out = new Int32Array(n + 2 * r);
  const period = 2 * (n - 1);
  for (let j = 0; j < out.length; j++) {
    if (period === 0) continue;
    let i = (((j - r) % period) + period) % period;
    if (i >= n) i = period - i;
    out[j] = i;
  }
  return out;
}
