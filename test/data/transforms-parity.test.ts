/**
 * The deterministic transforms against PyTorch (test/fixtures/aug.json, made by
 * tools/fixtures_aug.py): torchvision's F.affine / F.rotate geometry, resampled by
 * F.grid_sample (bilinear, zero fill, align_corners=False), and displacement fields.
 */
import { test } from "node:test";

import { tensor } from "../../src/tensor/create.js";
import type { Tensor } from "../../src/tensor/tensor.js";
import { GeometricTransform, Warp, functional as TF } from "../../src/data/transforms/index.js";
import { appendAffine, type AffineParams } from "../../src/data/transforms/affine.js";
import { assertClose, loadCases, type FixtureTensor } from "../helpers/fixtures.js";

const f32 = (t: FixtureTensor): Tensor => tensor(Float32Array.from(t.data), { shape: t.shape });
// Pixels are stored as float32 (inputs rounded to it, outputs too): a few float32 ulps.
const TOL = { rtol: 1e-5, atol: 2e-6 };

/** A fixed affine map followed by a fixed displacement field, resampled once (as a Compose run would). */
class AffineThenField extends GeometricTransform {
  readonly name = "AffineThenField";
  constructor(
    private readonly params: AffineParams,
    private readonly dx: Float32Array,
    private readonly dy: Float32Array,
  ) {
    super();
  }
  sampleInto(warp: Warp): void {
    appendAffine(warp, this.params);
    warp.thenField(this.dx, this.dy);
  }
}

const cases = loadCases("aug");

test("aug.json holds the cases this file knows", () => {
  const ops = new Set(cases.map((c) => c.op));
  for (const op of ops) if (!["affine", "rotate", "elastic", "affineElastic"].includes(op)) throw new Error(`unknown op ${op}`);
  if (cases.length < 19) throw new Error(`only ${cases.length} cases`);
});

for (const c of cases) {
  test(`${c.op} matches PyTorch: ${c.name}`, () => {
    const x = f32(c.inputs.x);
    const a = c.args as { angle: number; translate: [number, number]; scale: number; shear: [number, number]; stretch: number };
    let out: Tensor;
    switch (c.op) {
      case "affine":
        out = TF.affine(x, a);
        break;
      case "rotate":
        out = TF.rotate(x, a.angle);
        break;
      case "elastic":
        out = TF.elastic(x, f32(c.inputs.dx), f32(c.inputs.dy));
        break;
      default:
        out = new AffineThenField(a, Float32Array.from(c.inputs.dx.data), Float32Array.from(c.inputs.dy.data)).forward(x);
    }
    assertClose(out, c.output, TOL, c.name);
  });
}
