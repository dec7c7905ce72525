/**
 * Compose: transforms applied one after another, as torchvision's Compose — with one difference
 * that only shows in the pixels: consecutive geometric transforms (flips, RandomAffine,
 * RandomRotation, RandomCrop, and an ElasticDistortion ending the run) are composed into one map
 * and the image is resampled once, not once per transform (see warp.ts). Each transform still
 * draws its own parameters, in order, so the result is the image the transforms would give one
 * by one, without the blur and the zero-filled corners of intermediate images.
 */
import { ValueError } from "../../errors.js";
import { GeometricTransform } from "./geometric.js";
import { Transform, checkImageShape, imageSize, type ImageShape } from "./transform.js";
import { Warp } from "./warp.js";

/** A stage: a run of geometric transforms resampled once, or one other transform. */
type Stage = { chain: GeometricTransform[] } | { transform: Transform };

export class Compose extends Transform {
  readonly name = "Compose";
  readonly transforms: readonly Transform[];
  private readonly stages: Stage[] = [];
  private readonly warp = new Warp();
  // Ping-pong buffers for the images between stages (reused; grown when needed).
  private buffers: [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];

  constructor(transforms: readonly Transform[]) {
    super();
    if (!Array.isArray(transforms) || !transforms.every((t) => t instanceof Transform)) {
      throw new ValueError(`${this.name}: expected an array of transforms, got ${String(transforms)}`);
    }
    // Nested Composes are flattened, so their geometric transforms join the same runs.
    this.transforms = transforms.flatMap((t) => (t instanceof Compose ? t.transforms : [t]));
    let chain: GeometricTransform[] | null = null;
    for (const t of this.transforms) {
      if (t instanceof GeometricTransform) {
        if (!chain) this.stages.push({ chain: (chain = []) });
        chain.push(t);
        if (t.endsChain) chain = null;
      } else {
        chain = null;
        this.stages.push({ transform: t });
      }
    }
  }

  override outputShape(shape: ImageShape): ImageShape {
    let s = checkImageShape(this.name, shape);
    for (const t of this.transforms) s = t.outputShape(s);
    return s;
  }

  applyTo(src: Float32Array, shape: ImageShape, out: Float32Array): void {
    let input = src;
    let inShape = checkImageShape(this.name, shape);
    if (this.stages.length === 0) {
      out.set(src.subarray(0, imageSize(inShape)));
      return;
    }
    for (let k = 0; k < this.stages.length; k++) {
      const stage = this.stages[k];
      let outShape = inShape;
      if ("chain" in stage) for (const t of stage.chain) outShape = t.outputShape(outShape);
      else outShape = stage.transform.outputShape(inShape);
      const dst = k === this.stages.length - 1 ? out : this.buffer(k % 2, imageSize(outShape));
      if ("chain" in stage) {
        this.warp.reset(inShape);
        for (const t of stage.chain) t.sampleInto(this.warp);
        this.warp.resample(input, dst);
      } else {
        stage.transform.applyTo(input, inShape, dst);
      }
      input = dst;
      inShape = outShape;
    }
  }

  private buffer(which: number, size: number): Float32Array {
    if (this.buffers[which].length < size) this.buffers[which] = new Float32Array(size);
    return this.buffers[which].subarray(0, size);
  }

  override toString(): string {
    return `Compose(\n${this.transforms.map((t) => `  ${t}`).join(",\n")}\n)`;
  }
}
