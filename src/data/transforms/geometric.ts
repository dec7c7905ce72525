/**
 * Geometric transforms: those that move pixels. Each draws its parameters for a sample and
 * appends its inverse map to a Warp (see warp.ts), so that a run of them inside a Compose is
 * resampled once; alone, a geometric transform resamples its own map.
 */
import { defaultGenerator, type Generator } from "../../random.js";
import { Transform, type ImageShape } from "./transform.js";
import { Warp } from "./warp.js";
import { probability } from "./params.js";

export interface RandomOptions {
  /** The generator this transform draws from (defaults to the global one seeded by manualSeed). */
  generator?: Generator;
}

export abstract class GeometricTransform extends Transform {
  protected readonly generator: Generator;
  /**
   * True when this transform ends a chain (it sets a displacement field, which lives on the
   * output grid, so nothing can be composed after it in the same resampling pass).
   */
  readonly endsChain: boolean = false;
  private readonly warp = new Warp();

  constructor(options: RandomOptions = {}) {
    super();
    this.generator = options.generator ?? defaultGenerator;
  }

  /**
   * Draws this sample's parameters and appends the transform's inverse map to `warp`, whose
   * current output (`warp.height` × `warp.width`) is this transform's input. The caller has
   * checked the shape with `outputShape`.
   */
  abstract sampleInto(warp: Warp): void;

  applyTo(src: Float32Array, shape: ImageShape, out: Float32Array): void {
    this.outputShape(shape);
    this.warp.reset(shape);
    this.sampleInto(this.warp);
    this.warp.resample(src, out);
  }
}

/** Mirrors images left–right with probability p: out(y, x) = in(y, W−1−x). As torchvision's. */
export class RandomHorizontalFlip extends GeometricTransform {
  readonly name = "RandomHorizontalFlip";
  readonly p: number;

  constructor(p = 0.5, options: RandomOptions = {}) {
    super(options);
    this.p = probability(this.name, p);
  }

  sampleInto(warp: Warp): void {
    if (this.generator.uniform() < this.p) warp.then(-1, 0, warp.width - 1, 0, 1, 0);
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** Mirrors images top–bottom with probability p: out(y, x) = in(H−1−y, x). As torchvision's. */
export class RandomVerticalFlip extends GeometricTransform {
  readonly name = "RandomVerticalFlip";
  readonly p: number;

  constructor(p = 0.5, options: RandomOptions = {}) {
    super(options);
    this.p = probability(this.name, p);
  }

  sampleInto(warp: Warp): void {
    if (this.generator.uniform() < this.p) warp.then(1, 0, 0, 0, -1, warp.height - 1);
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }
}
