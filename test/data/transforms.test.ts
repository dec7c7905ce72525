/**
 * data.transforms: exact hand values (flips, quarter turns, whole-pixel shifts, identities,
 * Normalize), one resampling per Compose run, determinism under a seed, the distributions of the
 * sampled parameters, and the errors for bad configurations.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { DTypeError, ShapeError, ValueError } from "../../src/errors.js";
import { tensor } from "../../src/tensor/create.js";
import type { Tensor } from "../../src/tensor/tensor.js";
import { Generator, manualSeed } from "../../src/random.js";
import { TensorDataset } from "../../src/data/dataset.js";
import {
  Compose,
  ElasticDistortion,
  GeometricTransform,
  Normalize,
  RandomAffine,
  RandomCrop,
  RandomHorizontalFlip,
  RandomRotation,
  RandomVerticalFlip,
  TransformedDataset,
  Warp,
  functional as TF,
  type Transform,
} from "../../src/data/transforms/index.js";

const values = (t: Tensor): number[] => Array.from(t.data());
const shape = (t: Tensor): number[] => [...t.shape];

/** A C × H × W float32 image holding 1, 2, 3, ... (row-major), so every pixel is distinct. */
function counting(c: number, h: number, w: number): Tensor {
  return tensor(Float32Array.from({ length: c * h * w }, (_, i) => i + 1), { shape: [c, h, w] });
}

/** Pixel (y, x) of channel c of an image tensor [C, H, W] read back as nested arrays. */
function grid(t: Tensor): number[][][] {
  return t.toArray() as number[][][];
}

/** Rows of a 2-D array read with a map (y, x) → source (y', x'), 0 outside. */
function remap(img: number[][], h: number, w: number, src: (y: number, x: number) => [number, number]): number[][] {
  return Array.from({ length: h }, (_, y) =>
    Array.from({ length: w }, (_, x) => {
      const [sy, sx] = src(y, x);
      return sy >= 0 && sy < img.length && sx >= 0 && sx < img[0].length ? img[sy][sx] : 0;
    }),
  );
}

/** A geometric transform with fixed parameters: a shift by (tx, ty) pixels, possibly fractional. */
class Shift extends GeometricTransform {
  readonly name = "Shift";
  constructor(
    private readonly tx: number,
    private readonly ty: number,
  ) {
    super();
  }
  sampleInto(warp: Warp): void {
    warp.then(1, 0, -this.tx, 0, 1, -this.ty);
  }
}

// ---- exact values --------------------------------------------------------------------------

test("horizontal and vertical flips mirror the columns and the rows exactly, per channel", () => {
  const x = counting(2, 2, 3);
  const h = [[[3, 2, 1], [6, 5, 4]], [[9, 8, 7], [12, 11, 10]]];
  const v = [[[4, 5, 6], [1, 2, 3]], [[10, 11, 12], [7, 8, 9]]];
  assert.deepEqual(grid(TF.hflip(x)), h);
  assert.deepEqual(grid(new RandomHorizontalFlip(1).forward(x)), h);
  assert.deepEqual(grid(TF.vflip(x)), v);
  assert.deepEqual(grid(new RandomVerticalFlip(1).forward(x)), v);
  // p = 0 never flips
  assert.deepEqual(values(new RandomHorizontalFlip(0).forward(x)), values(x));
  assert.deepEqual(values(new RandomVerticalFlip(0).forward(x)), values(x));
});

test("a 90° rotation (counter-clockwise) of a square image is its transpose flipped upside down, exactly", () => {
  for (const n of [3, 4, 5]) {
    const x = counting(1, n, n);
    const img = grid(x)[0];
    // rot90 counter-clockwise: out[y][x] = in[x][n−1−y]
    const expected = remap(img, n, n, (y, xx) => [xx, n - 1 - y]);
    assert.deepEqual(grid(TF.rotate(x, 90))[0], expected, `rotate 90, ${n}x${n}`);
    assert.deepEqual(grid(new RandomRotation([90, 90]).forward(x))[0], expected, `RandomRotation 90, ${n}x${n}`);
    // F.affine turns the other way (clockwise), as torchvision's
    assert.deepEqual(grid(TF.affine(x, { angle: -90 }))[0], expected);
    // 180° = both flips; 270° = clockwise quarter turn
    assert.deepEqual(values(TF.rotate(x, 180)), values(TF.vflip(TF.hflip(x))));
    assert.deepEqual(grid(TF.rotate(x, 270))[0], remap(img, n, n, (y, xx) => [n - 1 - xx, y]));
    assert.deepEqual(values(TF.rotate(x, -90)), values(TF.rotate(x, 270)));
  }
});

test("a translation by whole pixels shifts exactly, with zeros where the image moved away", () => {
  const x = counting(2, 4, 5);
  const out = grid(TF.affine(x, { translate: [1, -2] }));
  const img = grid(x);
  for (let c = 0; c < 2; c++) assert.deepEqual(out[c], remap(img[c], 4, 5, (y, xx) => [y + 2, xx - 1]));
  assert.deepEqual(out[0], [[0, 11, 12, 13, 14], [0, 16, 17, 18, 19], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]);
  // Shifted entirely out of the image: all zero.
  assert.deepEqual(values(TF.affine(x, { translate: [5, 0] })), new Array(40).fill(0));
  assert.deepEqual(values(TF.affine(x, { translate: [0, -4] })), new Array(40).fill(0));
});

test("a half-pixel translation is the average of the two neighbours (bilinear), the border averaged with the zero fill", () => {
  const x = tensor([[[2, 4, 8]]]);
  assert.deepEqual(values(TF.affine(x, { translate: [0.5, 0] })), [1, 3, 6]);
  assert.deepEqual(values(TF.affine(x, { translate: [-0.5, 0] })), [3, 6, 4]);
});

test("identity parameters return the input exactly", () => {
  const x = tensor(Float32Array.from({ length: 2 * 5 * 6 }, (_, i) => Math.sin(i) * 3), { shape: [2, 5, 6] });
  const same = values(x);
  assert.deepEqual(values(TF.affine(x, {})), same);
  assert.deepEqual(values(TF.affine(x, { angle: 0, translate: [0, 0], scale: 1, shear: [0, 0], stretch: 1 })), same);
  assert.deepEqual(values(TF.rotate(x, 360)), same);
  assert.deepEqual(values(new RandomAffine(0).forward(x)), same);
  assert.deepEqual(values(new RandomAffine(0, { translate: [0, 0], scale: [1, 1], shear: 0, stretch: 1 }).forward(x)), same);
  assert.deepEqual(values(new RandomRotation(0).forward(x)), same);
  assert.deepEqual(values(new RandomCrop([5, 6]).forward(x)), same);
  assert.deepEqual(values(new Compose([]).forward(x)), same);
  assert.deepEqual(values(new Normalize(0, 1).forward(x)), same);
  assert.deepEqual(values(TF.elastic(x, tensor(new Float32Array(30), { shape: [5, 6] }), tensor(new Float32Array(30), { shape: [5, 6] }))), same);
});

test("ElasticDistortion with alpha = 0 is the identity, whatever sigma", () => {
  const x = counting(3, 7, 6);
  for (const sigma of [0, 1, 4, 30]) {
    assert.deepEqual(values(new ElasticDistortion(0, sigma, { generator: new Generator(1) }).forward(x)), values(x), `sigma ${sigma}`);
  }
});

test("Normalize computes (x − mean[c]) / std[c] per channel (or one value for all)", () => {
  const x = tensor([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
  assert.deepEqual(values(new Normalize([0.5, 1], [0.25, 2]).forward(x)), [-2, 2, 6, 10, 1.5, 2, 2.5, 3]);
  assert.deepEqual(values(new Normalize(1, 0.5).forward(x)), [-2, 0, 2, 4, 6, 8, 10, 12]);
  assert.deepEqual(values(TF.normalize(x, [0, 4], [1, 4])), [0, 1, 2, 3, 0, 0.25, 0.5, 0.75]);
  // MNIST's constants on a black and a white pixel
  const bw = new Normalize(0.1307, 0.3081).forward(tensor([[[0, 1]]]));
  assert.deepEqual(values(bw), [Math.fround(-0.1307 / 0.3081), Math.fround((1 - 0.1307) / 0.3081)]);
});

test("RandomCrop pads with zeros and cuts a window; a crop the size of the padded image is the padded image", () => {
  const x = tensor([[[1, 2], [3, 4]]]);
  const padded = [[0, 0, 0, 0], [0, 1, 2, 0], [0, 3, 4, 0], [0, 0, 0, 0]];
  assert.deepEqual(grid(new RandomCrop(4, { padding: 1 }).forward(x))[0], padded);
  // Asymmetric padding [left, top, right, bottom]
  assert.deepEqual(grid(new RandomCrop([3, 4], { padding: [2, 1, 0, 0] }).forward(x))[0], [[0, 0, 0, 0], [0, 0, 1, 2], [0, 0, 3, 4]]);
  // Every window of a random crop is one of the (4−2+1)² windows of the padded image, at the drawn offset.
  const gen = new Generator(7);
  const crop = new RandomCrop(2, { padding: 1, generator: gen });
  const seen = new Set<string>();
  for (let k = 0; k < 200; k++) {
    const probe = new Generator(0);
    probe.setState(gen.getState());
    const [i, j] = new RandomCrop(2, { padding: 1, generator: probe }).sampleOffset(2, 2);
    const out = grid(crop.forward(x))[0];
    assert.deepEqual(out, [padded[i].slice(j, j + 2), padded[i + 1].slice(j, j + 2)]);
    seen.add(`${i},${j}`);
  }
  assert.equal(seen.size, 9);
  assert.deepEqual(TF.crop(x, -1, 1, 2, 2).toArray(), [[[0, 0], [2, 0]]]);
});

test("flips and crops composed stay a pixel copy: out(y, x) = in(y − 2, W − x) for a flip then a padded crop", () => {
  const x = counting(2, 4, 5);
  const out = new Compose([new RandomHorizontalFlip(1), new RandomCrop([7, 6], { padding: [1, 2, 0, 1] })]).forward(x);
  assert.deepEqual(shape(out), [2, 7, 6]);
  grid(x).forEach((img, c) => assert.deepEqual(grid(out)[c], remap(img, 7, 6, (y, xx) => [y - 2, 5 - xx])));
  // Fused, or one transform after the other: the same pixels (same seed, same crop offsets).
  const crop = (seed: number) => new RandomCrop([3, 3], { padding: 1, generator: new Generator(seed) });
  for (let seed = 0; seed < 10; seed++) {
    const fused = new Compose([new RandomVerticalFlip(1), new RandomHorizontalFlip(1), crop(seed)]).forward(x);
    assert.deepEqual(values(fused), values(crop(seed).forward(TF.hflip(TF.vflip(x)))));
  }
});

test("Compose resamples a run of geometric transforms once: two half-pixel shifts make an exact one-pixel shift", () => {
  const x = counting(1, 3, 4);
  const fused = new Compose([new Shift(0.5, 0), new Shift(0.5, 0)]).forward(x);
  assert.deepEqual(grid(fused)[0], [[0, 1, 2, 3], [0, 5, 6, 7], [0, 9, 10, 11]]);
  // One after the other (two resamplings) blurs instead.
  const twice = new Shift(0.5, 0).forward(new Shift(0.5, 0).forward(x));
  assert.deepEqual(grid(twice)[0][0], [0.25, 1, 2, 3]);
  // Quarter turns and flips compose exactly too.
  assert.deepEqual(values(new Compose([new RandomRotation([90, 90]), new RandomRotation([90, 90])]).forward(counting(2, 3, 3))), values(TF.rotate(counting(2, 3, 3), 180)));
  const chain = new Compose([new RandomHorizontalFlip(1), new RandomCrop(2, { padding: [0, 0, 0, 0] }), new Normalize(1, 2)]);
  const gen = new Generator(3);
  const c2 = new Compose([new RandomHorizontalFlip(1), new RandomCrop(2, { generator: gen }), new Normalize(1, 2)]);
  const y = c2.forward(tensor([[[1, 2], [3, 4]]]));
  assert.deepEqual(values(y), [0.5, 0, 1.5, 1]);
  assert.deepEqual(shape(chain.forward(counting(1, 2, 2))), [1, 2, 2]);
});

test("Compose: an elastic distortion joins the affine run before it, and a new run starts after it", () => {
  const x = counting(1, 4, 5);
  // alpha = 0: the whole pipeline reduces to the two whole-pixel shifts around it.
  const pipeline = new Compose([new Shift(1, 0), new ElasticDistortion(0, 2), new Shift(0, 1), new Normalize(0, 1)]);
  assert.deepEqual(values(pipeline.forward(x)), values(TF.affine(x, { translate: [1, 1] })));
  // Nested Composes flatten into one run.
  const nested = new Compose([new Compose([new Shift(0.5, 0)]), new Compose([new Shift(0.5, 0)])]);
  assert.deepEqual(values(nested.forward(x)), values(TF.affine(x, { translate: [1, 0] })));
  assert.equal(nested.transforms.length, 2);
});

test("shapes are kept (a crop sets its own size), for single images and batches", () => {
  const x = tensor(Float32Array.from({ length: 2 * 3 * 9 * 7 }, (_, i) => (i % 11) / 11), { shape: [2, 3, 9, 7] });
  const keep: Transform[] = [
    new RandomAffine(20, { translate: [0.1, 0.2], scale: [0.8, 1.2], shear: [-5, 5, -3, 3], stretch: 1.3 }),
    new RandomRotation(180),
    new RandomHorizontalFlip(),
    new RandomVerticalFlip(),
    new ElasticDistortion(5, 2),
    new Normalize([0.1, 0.2, 0.3], [1, 2, 3]),
    new Compose([new RandomRotation(10), new ElasticDistortion(), new Normalize(0.5, 0.5)]),
  ];
  for (const t of keep) {
    assert.deepEqual(shape(t.forward(x)), [2, 3, 9, 7], t.name);
    assert.deepEqual(shape(t.forward(counting(3, 9, 7))), [3, 9, 7], t.name);
    assert.ok(values(t.forward(x)).every(Number.isFinite), t.name);
  }
  assert.deepEqual(shape(new RandomCrop([5, 4], { padding: 1 }).forward(x)), [2, 3, 5, 4]);
  assert.deepEqual(shape(new Compose([new RandomCrop(8, { padding: 2 }), new RandomRotation(5)]).forward(x)), [2, 3, 8, 8]);
});

test("a batch gets fresh parameters per sample", () => {
  const one = counting(1, 4, 4);
  const batch = tensor(Float32Array.from({ length: 64 * 16 }, (_, i) => (i % 16) + 1), { shape: [64, 1, 4, 4] });
  const out = new RandomHorizontalFlip(0.5, { generator: new Generator(5) }).forward(batch);
  const flipped = values(TF.hflip(one)).join();
  const rows = Array.from({ length: 64 }, (_, n) => values(out).slice(n * 16, (n + 1) * 16).join());
  const nFlipped = rows.filter((r) => r === flipped).length;
  const nKept = rows.filter((r) => r === values(one).join()).length;
  assert.equal(nFlipped + nKept, 64);
  assert.ok(nFlipped > 16 && nKept > 16, `${nFlipped} flipped, ${nKept} kept`);
});

// ---- determinism ---------------------------------------------------------------------------

function pipeline(generator?: Generator): Compose {
  const o = generator ? { generator } : {};
  return new Compose([
    new RandomAffine(15, { translate: [0.1, 0.1], scale: [0.9, 1.1], shear: 10, stretch: 1.2, ...o }),
    new RandomHorizontalFlip(0.5, o),
    new ElasticDistortion(8, 3, o),
    new RandomCrop(10, { padding: 1, ...o }),
  ]);
}

test("the same seed gives the same augmented images; another seed does not", () => {
  const x = tensor(Float32Array.from({ length: 4 * 1 * 12 * 10 }, (_, i) => Math.cos(i)), { shape: [4, 1, 12, 10] });
  const a = values(pipeline(new Generator(42)).forward(x));
  const b = values(pipeline(new Generator(42)).forward(x));
  const c = values(pipeline(new Generator(43)).forward(x));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  // Without a generator, the global one: manualSeed makes it repeatable.
  const p = pipeline();
  manualSeed(42);
  const d = values(p.forward(x));
  manualSeed(42);
  assert.deepEqual(values(p.forward(x)), d);
  assert.deepEqual(d, a); // the global generator seeded 42 draws what a Generator(42) draws
});

// ---- sampled parameters ---------------------------------------------------------------------

test("RandomAffine draws angles uniformly, scales and stretches log-uniformly, translations as whole pixels", () => {
  const t = new RandomAffine(10, { translate: [2 / 28, 3 / 28], scale: [1 / 1.6, 1.6], shear: [-20, 20], stretch: 1.3, generator: new Generator(11) });
  const n = 20000;
  let angleSum = 0;
  let angleInner = 0;
  let logScaleSum = 0;
  let scaleBelow1 = 0;
  let logStretchSum = 0;
  let shearSum = 0;
  const tx = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const p = t.sampleParams(28, 28);
    assert.ok(p.angle! >= -10 && p.angle! <= 10);
    assert.ok(p.scale! >= 1 / 1.6 && p.scale! <= 1.6);
    assert.ok(p.stretch! >= 1 / 1.3 && p.stretch! <= 1.3);
    const [sx, sy] = p.shear as [number, number];
    assert.ok(sx >= -20 && sx <= 20 && sy === 0);
    const [x, y] = p.translate!;
    assert.ok(Number.isInteger(x) && Math.abs(x) <= 2 && Number.isInteger(y) && Math.abs(y) <= 3);
    angleSum += p.angle!;
    if (Math.abs(p.angle!) < 5) angleInner++;
    logScaleSum += Math.log(p.scale!);
    if (p.scale! < 1) scaleBelow1++;
    logStretchSum += Math.log(p.stretch!);
    shearSum += sx;
    tx.set(x, (tx.get(x) ?? 0) + 1);
  }
  // Uniform angle: mean 0 (sd of the mean 10/√3/√n ≈ 0.04), half the mass within ±5°.
  assert.ok(Math.abs(angleSum / n) < 0.2);
  assert.ok(Math.abs(angleInner / n - 0.5) < 0.02);
  // Log-uniform on [1/1.6, 1.6]: log-scale mean 0 and P(scale < 1) = 1/2 (a uniform draw would give 0.385).
  assert.ok(Math.abs(logScaleSum / n) < 0.01);
  assert.ok(Math.abs(scaleBelow1 / n - 0.5) < 0.02);
  assert.ok(Math.abs(logStretchSum / n) < 0.01);
  assert.ok(Math.abs(shearSum / n) < 0.4);
  // round(U(−2, 2)): ±2 each with probability 1/8 (half a unit of the range), −1, 0, 1 each 1/4.
  assert.deepEqual([...tx.keys()].sort((a, b) => a - b), [-2, -1, 0, 1, 2]);
  assert.ok(Math.abs(tx.get(2)! / n - 0.125) < 0.015 && Math.abs(tx.get(0)! / n - 0.25) < 0.015);
});

test("RandomRotation angles, flip rates and crop offsets follow their ranges", () => {
  const rot = new RandomRotation([0, 360], { generator: new Generator(2) });
  const n = 10000;
  let quadrant = 0;
  for (let k = 0; k < n; k++) {
    const a = rot.sampleAngle();
    assert.ok(a >= 0 && a <= 360);
    if (a < 90) quadrant++;
  }
  assert.ok(Math.abs(quadrant / n - 0.25) < 0.02);
  for (const p of [0.1, 0.5, 0.9]) {
    const x = counting(1, 1, 2);
    const flip = new RandomHorizontalFlip(p, { generator: new Generator(3) });
    let flipped = 0;
    for (let k = 0; k < 4000; k++) if (flip.forward(x).data()[0] === 2) flipped++;
    assert.ok(Math.abs(flipped / 4000 - p) < 0.03, `p = ${p}: ${flipped / 4000}`);
  }
  const crop = new RandomCrop(28, { padding: 2, generator: new Generator(4) });
  const counts = new Array(25).fill(0);
  for (let k = 0; k < 10000; k++) {
    const [i, j] = crop.sampleOffset(28, 28);
    counts[i * 5 + j]++;
  }
  assert.ok(counts.every((c) => Math.abs(c / 10000 - 0.04) < 0.01), `${counts}`);
});

test("ElasticDistortion fields: U(−1, 1)·alpha unsmoothed; smooth and centred with sigma", () => {
  const fieldOf = (t: ElasticDistortion, h: number, w: number): [Float32Array, Float32Array] => {
    const warp = new Warp([1, h, w]);
    t.sampleInto(warp);
    return [Float32Array.from(warp.fieldX!), Float32Array.from(warp.fieldY!)];
  };
  const [rx, ry] = fieldOf(new ElasticDistortion(3, 0, { generator: new Generator(8) }), 40, 40);
  const all = [...rx, ...ry];
  assert.ok(all.every((v) => Math.abs(v) <= 3));
  assert.ok(Math.abs(all.reduce((s, v) => s + Math.abs(v), 0) / all.length - 1.5) < 0.1); // E|U(−3, 3)| = 1.5
  // With sigma = 4, neighbouring displacements differ little compared to their size.
  const t = new ElasticDistortion(34, 4, { generator: new Generator(9) });
  let size = 0;
  let step = 0;
  let mean = 0;
  for (let k = 0; k < 50; k++) {
    const [dx] = fieldOf(t, 28, 28);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 27; x++) {
        size += Math.abs(dx[y * 28 + x]);
        step += Math.abs(dx[y * 28 + x + 1] - dx[y * 28 + x]);
        mean += dx[y * 28 + x];
      }
    }
  }
  assert.ok(step < 0.2 * size, `step ${step} vs size ${size}`);
  assert.ok(Math.abs(mean) < 0.3 * size, `mean ${mean} vs size ${size}`);
  // Simard's sigma = 4, alpha = 34 moves MNIST pixels by about a pixel or two (RMS).
  const rms = Math.sqrt(Array.from(fieldOf(t, 28, 28)[0], (v) => v * v).reduce((a, b) => a + b) / 784);
  assert.ok(rms > 0.3 && rms < 5, `rms ${rms}`);
});

// ---- datasets ------------------------------------------------------------------------------

test("TransformedDataset transforms the inputs of get and getBatch and passes targets through", () => {
  const x = tensor(Float32Array.from({ length: 3 * 4 }, (_, i) => i), { shape: [3, 1, 2, 2] });
  const ds = new TransformedDataset(new TensorDataset(x, tensor(Int32Array.of(7, 8, 9))), new RandomHorizontalFlip(1));
  assert.equal(ds.length, 3);
  const [xi, yi] = ds.get(1);
  assert.deepEqual(grid(xi), [[[5, 4], [7, 6]]]);
  assert.equal(yi.item(), 8);
  const [xb, yb] = ds.getBatch(Int32Array.of(2, 0));
  assert.deepEqual(shape(xb), [2, 1, 2, 2]);
  assert.deepEqual(values(xb), [9, 8, 11, 10, 1, 0, 3, 2]);
  assert.deepEqual(values(yb), [9, 7]);
});

// ---- errors --------------------------------------------------------------------------------

function throwsNaming(fn: () => unknown, type: new (...a: never[]) => Error, ...parts: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    for (const p of parts) assert.ok((e as Error).message.includes(p), `"${(e as Error).message}" should mention "${p}"`);
    return true;
  });
}

test("bad parameters are rejected at construction, naming the transform and the rule", () => {
  throwsNaming(() => new RandomRotation(-5), ValueError, "RandomRotation", "degrees", "[-d, d]", ">= 0", "-5");
  throwsNaming(() => new RandomRotation([10, -10]), ValueError, "RandomRotation", "[10, -10]", "min <= max");
  throwsNaming(() => new RandomAffine(-1), ValueError, "RandomAffine", "degrees", ">= 0");
  throwsNaming(() => new RandomAffine(0, { translate: [0.1, 1.5] }), ValueError, "RandomAffine", "translate", "[0, 1]");
  throwsNaming(() => new RandomAffine(0, { scale: [0, 1.1] }), ValueError, "RandomAffine", "scale", "> 0");
  throwsNaming(() => new RandomAffine(0, { scale: [1.2, 0.9] }), ValueError, "RandomAffine", "min <= max");
  throwsNaming(() => new RandomAffine(0, { shear: 90 }), ValueError, "RandomAffine", "shear", "-90 and 90");
  throwsNaming(() => new RandomAffine(0, { shear: [1, 2, 3] as never }), ValueError, "RandomAffine", "shear");
  throwsNaming(() => new RandomAffine(0, { stretch: 0.5 }), ValueError, "RandomAffine", "stretch", ">= 1");
  throwsNaming(() => new RandomHorizontalFlip(1.5), ValueError, "RandomHorizontalFlip", "probability", "[0, 1]", "1.5");
  throwsNaming(() => new RandomVerticalFlip(-0.1), ValueError, "RandomVerticalFlip", "[0, 1]");
  throwsNaming(() => new RandomHorizontalFlip(NaN), ValueError, "RandomHorizontalFlip");
  throwsNaming(() => new RandomCrop(0), ValueError, "RandomCrop", "size", "positive");
  throwsNaming(() => new RandomCrop(4, { padding: -1 }), ValueError, "RandomCrop", "padding", "non-negative");
  throwsNaming(() => new ElasticDistortion(-1, 4), ValueError, "ElasticDistortion", "alpha", ">= 0");
  throwsNaming(() => new ElasticDistortion(34, -4), ValueError, "ElasticDistortion", "sigma", ">= 0");
  throwsNaming(() => new Normalize(0, 0), ValueError, "Normalize", "std", "> 0");
  throwsNaming(() => new Normalize([0, 0], [1, -1]), ValueError, "Normalize", "std");
  throwsNaming(() => new Compose([new Normalize(0, 1), {} as Transform]), ValueError, "Compose", "transforms");
});

test("images that do not fit are rejected on first use, naming the transform, the shape and the rule", () => {
  const img = counting(1, 5, 5);
  throwsNaming(() => new RandomCrop(10, { padding: 2 }).forward(img), ShapeError, "RandomCrop", "[10, 10]", "larger than the padded image [9, 9]", "[1,5,5]");
  throwsNaming(() => new Compose([new RandomRotation(5), new RandomCrop(6)]).forward(img), ShapeError, "RandomCrop", "[5, 5]");
  throwsNaming(() => new Normalize([0, 0], [1, 1]).forward(counting(3, 2, 2)), ShapeError, "Normalize", "2 values", "3 channels");
  throwsNaming(() => new RandomRotation(5).forward(tensor([1, 2, 3])), ShapeError, "RandomRotation", "[C, H, W]", "[3]");
  throwsNaming(() => new RandomRotation(5).forward(tensor([[[1]]], { dtype: "float64" })), DTypeError, "RandomRotation", "float32", "float64");
  throwsNaming(() => TF.elastic(img, tensor(new Float32Array(4), { shape: [2, 2] }), tensor(new Float32Array(4), { shape: [2, 2] })), ShapeError, "elastic", "[5, 5]");
});

test("transforms print their options", () => {
  const c = new Compose([new RandomAffine(10, { translate: [0.1, 0.1], scale: [0.9, 1.1] }), new RandomHorizontalFlip(0.3), new ElasticDistortion(), new Normalize(0.5, 0.25)]);
  assert.equal(
    String(c),
    "Compose(\n  RandomAffine(degrees=[-10, 10], translate=[0.1, 0.1], scale=[0.9, 1.1]),\n  RandomHorizontalFlip(p=0.3),\n  ElasticDistortion(alpha=34, sigma=4),\n  Normalize(mean=[0.5], std=[0.25])\n)",
  );
  assert.equal(String(new RandomCrop(28, { padding: 4 })), "RandomCrop(size=[28, 28], padding=[4, 4, 4, 4])");
});
