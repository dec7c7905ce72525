/**
 * Affine augmentation: rotation, translation, scaling, shear and stretch, drawn per sample and
 * applied as one map — the lectures' augmentation list (lecture 002, "Data Augmentation"):
 *
 *   rotation: uniformly chosen random angle between 0° and 360°
 *   translation: random translation between -10 and 10 pixels
 *   rescaling: random scaling with scale factor between 1/1.6 and 1.6 (log-uniform)
 *   flipping: yes or no (bernoulli)                        → RandomHorizontalFlip / VerticalFlip
 *   shearing: random shearing with angle between -20° and 20°
 *   stretching: random stretching with stretch factor between 1/1.3 and 1.3 (log-uniform)
 *
 * The geometry is torchvision's (F.affine / RandomAffine), so a PyTorch recipe carries over: the
 * map keeps the image centre c = ((W−1)/2, (H−1)/2) fixed and, on centred coordinates q = p − c,
 *
 *   q_out = R(angle) · scale · SHy(shearY) · SHx(shearX) · D(stretch) · q_in + (tx, ty),
 *   R(a) = [cos a, −sin a; sin a, cos a], SHx(s) = [1, −tan s; 0, 1], SHy(s) = [1, 0; −tan s, 1],
 *   D(s) = diag(s, 1/s)
 *
 * (x to the right, y down; so a positive `angle` turns the picture clockwise on screen, as in
 * torchvision's F.affine, while `rotate` / RandomRotation turn counter-clockwise, as torchvision's
 * F.rotate / RandomRotation). Stretch is the lectures' addition, applied first: x grows by s while
 * y shrinks by 1/s, so with a scale z the two axes get z·s and z/s — independent x and y scales.
 */
import { ValueError } from "../../errors.js";
import { GeometricTransform, type RandomOptions } from "./geometric.js";
import { logUniformIn, orderedPair, positiveRange, shearAngles, stretchRange, symmetricRange, uniformIn, type Range } from "./params.js";
import type { Warp } from "./warp.js";

/** One sample's affine parameters (all optional: identity by default). */
export interface AffineParams {
  /** Degrees; positive turns the picture clockwise (torchvision's F.affine). */
  angle?: number;
  /** Pixels [tx, ty], applied after rotation, scale and shear. */
  translate?: readonly [number, number];
  /** Uniform scale factor (> 0). */
  scale?: number;
  /** Shear angles in degrees: [x, y], or x alone. */
  shear?: number | readonly [number, number];
  /** Stretch factor s (> 0): x scaled by s, y by 1/s, before everything else. */
  stretch?: number;
}

/** cos and sin of an angle in degrees, exact at multiples of 90° (so quarter turns move pixels exactly). */
function cosSinDegrees(degrees: number): [number, number] {
  const quarter = degrees / 90;
  if (Number.isInteger(quarter)) return ([[1, 0], [0, 1], [-1, 0], [0, -1]] as const)[((quarter % 4) + 4) % 4] as [number, number];
  const r = (degrees * Math.PI) / 180;
  return [Math.cos(r), Math.sin(r)];
}

/**
 * The inverse map of an affine transform about the centre of a height × width image, as the six
 * numbers [n0 n1 n2; n3 n4 n5] taking an output pixel to its source pixel (index coordinates):
 * p_in = c + L⁻¹ (p_out − c − t), with L and t as in the file comment.
 */
export function affineInverse(params: AffineParams, height: number, width: number): [number, number, number, number, number, number] {
  const [cosA, sinA] = cosSinDegrees(params.angle ?? 0);
  const scale = params.scale ?? 1;
  const [shx, shy] = typeof params.shear === "number" ? [params.shear, 0] : (params.shear ?? [0, 0]);
  const tanX = shx === 0 ? 0 : Math.tan((shx * Math.PI) / 180);
  const tanY = shy === 0 ? 0 : Math.tan((shy * Math.PI) / 180);
  const stretch = params.stretch ?? 1;
  const [tx, ty] = params.translate ?? [0, 0];
  // SHy · SHx = [1, −tanX; −tanY, 1 + tanX·tanY]; then · D(stretch), then R · scale.
  const s00 = stretch;
  const s01 = -tanX / stretch;
  const s10 = -tanY * stretch;
  const s11 = (1 + tanX * tanY) / stretch;
  const l00 = scale * (cosA * s00 - sinA * s10);
  const l01 = scale * (cosA * s01 - sinA * s11);
  const l10 = scale * (sinA * s00 + cosA * s10);
  const l11 = scale * (sinA * s01 + cosA * s11);
  const det = l00 * l11 - l01 * l10;
  const i00 = l11 / det;
  const i01 = -l01 / det;
  const i10 = -l10 / det;
  const i11 = l00 / det;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const ux = cx + tx;
  const uy = cy + ty;
  return [i00, i01, cx - (i00 * ux + i01 * uy), i10, i11, cy - (i10 * ux + i11 * uy)];
}

/** Appends the affine map `params` to a warp (whose current output is the image it transforms). */
export function appendAffine(warp: Warp, params: AffineParams): void {
  const n = affineInverse(params, warp.height, warp.width);
  warp.then(n[0], n[1], n[2], n[3], n[4], n[5]);
}

export interface RandomAffineOptions extends RandomOptions {
  /**
   * Maximum absolute translation as fractions [a, b] of the width and height (torchvision): tx is
   * drawn from U(−a·W, a·W) and ty from U(−b·H, b·H), then rounded to whole pixels.
   */
  translate?: readonly [number, number];
  /** Scale factor range [min, max], drawn log-uniformly (the lectures; torchvision draws uniformly). */
  scale?: readonly [number, number];
  /**
   * Shear angles in degrees: d → x-shear in [−d, d]; [min, max] → x-shear range;
   * [xmin, xmax, ymin, ymax] → x and y shear ranges (torchvision).
   */
  shear?: number | readonly [number, number] | readonly [number, number, number, number];
  /** Stretch factor s ≥ 1 → [1/s, s], or a range [min, max]; drawn log-uniformly (the lectures). */
  stretch?: number | readonly [number, number];
}

/**
 * Random affine transform per sample, torchvision's RandomAffine plus the lectures' stretch:
 * `new RandomAffine(10, { translate: [0.1, 0.1], scale: [0.9, 1.1], shear: 5 })`.
 * Parameters are drawn in the order angle, translation (x, y), scale, shear (x, y), stretch;
 * options left out are neither drawn nor applied.
 *
 * @param degrees angle range: d → [−d, d] (d ≥ 0), or [min, max]; 0 turns rotation off.
 */
export class RandomAffine extends GeometricTransform {
  readonly name: string = "RandomAffine";
  readonly degrees: Range;
  readonly translate: Range | null;
  readonly scale: Range | null;
  readonly shearX: Range | null;
  readonly shearY: Range | null;
  readonly stretch: Range | null;

  constructor(degrees: number | readonly [number, number], options: RandomAffineOptions = {}) {
    super(options);
    this.degrees = symmetricRange(this.name, "degrees", degrees);
    this.translate = null;
    if (options.translate !== undefined) {
      const t = options.translate;
      if (!Array.isArray(t) || t.length !== 2 || !t.every((v) => typeof v === "number" && v >= 0 && v <= 1)) {
        throw new ValueError(`${this.name}: translate holds the maximum shifts as fractions [a, b] of the width and height, each in [0, 1], got ${JSON.stringify(t)}`);
      }
      this.translate = [t[0], t[1]];
    }
    this.scale = options.scale === undefined ? null : positiveRange(this.name, "scale", options.scale);
    [this.shearX, this.shearY] = this.shearRanges(options.shear);
    this.stretch = options.stretch === undefined ? null : stretchRange(this.name, options.stretch);
  }

  private shearRanges(shear: RandomAffineOptions["shear"]): [Range | null, Range | null] {
    if (shear === undefined) return [null, null];
    if (typeof shear === "number" || shear.length === 2) return [shearAngles(this.name, symmetricRange(this.name, "shear", shear as number | Range)), null];
    if (shear.length === 4) {
      return [shearAngles(this.name, orderedPair(this.name, "shear", shear.slice(0, 2))), shearAngles(this.name, orderedPair(this.name, "shear (y)", shear.slice(2)))];
    }
    throw new ValueError(`${this.name}: shear must be a number, [min, max] or [xmin, xmax, ymin, ymax], got ${JSON.stringify(shear)}`);
  }

  /** Draws one sample's parameters for an image of height × width. */
  sampleParams(height: number, width: number): AffineParams {
    const g = this.generator;
    const params: AffineParams = { angle: uniformIn(g, this.degrees) };
    if (this.translate) {
      const maxX = this.translate[0] * width;
      const maxY = this.translate[1] * height;
      params.translate = [Math.round(uniformIn(g, [-maxX, maxX])), Math.round(uniformIn(g, [-maxY, maxY]))];
    }
    if (this.scale) params.scale = logUniformIn(g, this.scale);
    if (this.shearX) params.shear = [uniformIn(g, this.shearX), this.shearY ? uniformIn(g, this.shearY) : 0];
    if (this.stretch) params.stretch = logUniformIn(g, this.stretch);
    return params;
  }

  sampleInto(warp: Warp): void {
    appendAffine(warp, this.sampleParams(warp.height, warp.width));
  }

  protected override extraRepr(): string {
    const parts = [`degrees=[${this.degrees.join(", ")}]`];
    if (this.translate) parts.push(`translate=[${this.translate.join(", ")}]`);
    if (this.scale) parts.push(`scale=[${this.scale.join(", ")}]`);
    if (this.shearX) parts.push(`shear=[${[...this.shearX, ...(this.shearY ?? [])].join(", ")}]`);
    if (this.stretch) parts.push(`stretch=[${this.stretch.join(", ")}]`);
    return parts.join(", ");
  }
}

/**
 * Rotates each sample by an angle drawn uniformly from `degrees` (d → [−d, d]), about the image
 * centre, counter-clockwise for positive angles (torchvision's RandomRotation / F.rotate). The
 * lectures' "random angle between 0° and 360°" is `new RandomRotation([0, 360])`.
 */
export class RandomRotation extends GeometricTransform {
  readonly name = "RandomRotation";
  readonly degrees: Range;

  constructor(degrees: number | readonly [number, number], options: RandomOptions = {}) {
    super(options);
    this.degrees = symmetricRange(this.name, "degrees", degrees);
  }

  /** Draws one sample's angle (degrees, counter-clockwise). */
  sampleAngle(): number {
    return uniformIn(this.generator, this.degrees);
  }

  sampleInto(warp: Warp): void {
    appendAffine(warp, { angle: -this.sampleAngle() });
  }

  protected override extraRepr(): string {
    return `degrees=[${this.degrees.join(", ")}]`;
  }
}
