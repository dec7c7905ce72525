/**
 * Augmentation inside the DataLoader: MNIST with a transform yields transformed batches, the
 * same batches again under the same seed, fresh ones each epoch, and zero fill that is black
 * even when the images are normalised.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import type { Tensor } from "../../src/tensor/tensor.js";
import { manualSeed } from "../../src/random.js";
import { DataLoader } from "../../src/data/dataloader.js";
import { mnist, MNIST_MEAN, MNIST_STD } from "../../src/data/mnist.js";
import { Compose, ElasticDistortion, RandomAffine, RandomCrop, RandomHorizontalFlip, RandomRotation, TransformedDataset, functional as TF } from "../../src/data/transforms/index.js";

const values = (t: Tensor): number[] => Array.from(t.data());

const augment = () => new Compose([new RandomAffine(10, { translate: [2 / 28, 2 / 28], scale: [0.9, 1.1] }), new ElasticDistortion(34, 4)]);

/** Every batch of one epoch: [pixels, labels]. */
const epoch = (loader: DataLoader): [number[], number[]][] => Array.from(loader, ([x, y]) => [values(x), values(y)]);

test("a DataLoader over MNIST with a transform yields transformed batches, and the same ones again under the same seed", () => {
  const plain = new DataLoader(mnist({ limit: 48 }), { batchSize: 16 });
  const loader = new DataLoader(mnist({ limit: 48, transform: augment() }), { batchSize: 16 });
  const before = epoch(plain);
  manualSeed(123);
  const first = epoch(loader);
  assert.equal(first.length, 3);
  for (let b = 0; b < 3; b++) {
    const [x, y] = first[b];
    assert.equal(x.length, 16 * 784);
    assert.deepEqual(y, before[b][1]); // labels untouched
    // Pixels moved, but stay in [0, 1] and keep roughly their total ink.
    const changed = x.filter((v, i) => Math.abs(v - before[b][0][i]) > 1e-3).length;
    assert.ok(changed > 0.1 * x.length, `only ${changed} pixels changed`);
    assert.ok(x.every((v) => v >= -1e-6 && v <= 1 + 1e-6));
    const ink = (a: number[]) => a.reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(ink(x) / ink(before[b][0]) - 1) < 0.3);
  }
  manualSeed(123);
  assert.deepEqual(epoch(loader), first);
  // A second epoch without reseeding draws new parameters.
  assert.notDeepEqual(epoch(loader)[0][0], first[0][0]);
});

test("the same seed gives the same shuffled, augmented batches", () => {
  const loader = new DataLoader(mnist({ limit: 40, normalize: true, transform: augment() }), { batchSize: 8, shuffle: true });
  manualSeed(9);
  const a = epoch(loader);
  manualSeed(9);
  assert.deepEqual(epoch(loader), a);
  manualSeed(10);
  assert.notDeepEqual(epoch(loader), a);
});

test("the transform runs on pixels in [0, 1], before normalize: zero fill is black after normalisation", () => {
  // A flip is exact: the transformed batch is the plain batch flipped.
  const plain = mnist({ limit: 8, normalize: true }).getBatch(Int32Array.from({ length: 8 }, (_, i) => i))[0];
  const flipped = mnist({ limit: 8, normalize: true, transform: new RandomHorizontalFlip(1) }).getBatch(Int32Array.from({ length: 8 }, (_, i) => i))[0];
  const expected = values(TF.hflip(plain));
  values(flipped).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `pixel ${i}: ${v} vs ${expected[i]}`));
  // Rotating by 45° brings zero-filled corners in: they read as normalised black.
  const rotated = mnist({ limit: 4, normalize: true, transform: new RandomRotation([45, 45]) }).getBatch(Int32Array.of(0, 1, 2, 3))[0];
  const black = (0 - MNIST_MEAN) / MNIST_STD;
  assert.ok(Math.abs(values(rotated)[0] - black) < 1e-6);
  assert.ok(Math.abs(Math.min(...values(rotated)) - black) < 1e-6);
});

test("flattened and cropped MNIST with a transform: shapes follow the transform", () => {
  const idx = Int32Array.of(3, 1);
  assert.deepEqual([...mnist({ limit: 4, flatten: true, transform: new RandomRotation(10) }).getBatch(idx)[0].shape], [2, 784]);
  const cropped = mnist({ limit: 4, transform: new RandomCrop(24) });
  assert.deepEqual(cropped.exampleShape, [1, 24, 24]);
  assert.deepEqual([...cropped.getBatch(idx)[0].shape], [2, 1, 24, 24]);
  assert.deepEqual([...cropped.get(0)[0].shape], [1, 24, 24]);
  assert.deepEqual([...mnist({ limit: 4, flatten: true, transform: new RandomCrop(24) }).getBatch(idx)[0].shape], [2, 576]);
  // TransformedDataset over MNIST works too (on whatever values the dataset holds).
  const wrapped = new TransformedDataset(mnist({ limit: 4 }), new RandomCrop(20, { padding: 0 }));
  const [x, y] = new DataLoader(wrapped, { batchSize: 4 })[Symbol.iterator]().next().value!;
  assert.deepEqual([...x.shape], [4, 1, 20, 20]);
  assert.equal(y.shape[0], 4);
});
