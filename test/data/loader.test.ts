/**
 * Datasets, collate and the DataLoader, plus the MNIST dataset built on the IDX reader.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { ShapeError, ValueError } from "../../src/errors.js";
import { tensor } from "../../src/tensor/create.js";
import type { Tensor } from "../../src/tensor/tensor.js";
import { Generator, manualSeed } from "../../src/random.js";
import { TensorDataset, Subset, collate, type Dataset, type Example } from "../../src/data/dataset.js";
import { DataLoader } from "../../src/data/dataloader.js";
import { mnist, MNIST_MEAN, MNIST_STD } from "../../src/data/mnist.js";

const values = (t: Tensor): number[] => Array.from(t.data());
const shape = (t: Tensor): number[] => [...t.shape];

/** n examples: input row i is [10i, 10i+1, 10i+2] (float32), target i is the int32 label i. */
function rows(n: number): TensorDataset {
  const x = new Float32Array(n * 3);
  for (let i = 0; i < x.length; i++) x[i] = 10 * Math.floor(i / 3) + (i % 3);
  return new TensorDataset(tensor(x, { shape: [n, 3] }), tensor(Int32Array.from({ length: n }, (_, i) => i)));
}

/** A dataset with only `get` (no getBatch), so the loader has to collate example by example. */
function getOnly(n: number): Dataset {
  return {
    length: n,
    get: (i: number): Example => [tensor([i, -i], { dtype: "float64" }), tensor([i], { dtype: "int32", shape: [] })],
  };
}

/** The targets of every batch of one epoch, batch by batch. */
function epoch(loader: DataLoader): number[][] {
  return Array.from(loader, ([, y]) => values(y));
}

// ---- TensorDataset ---------------------------------------------------------------------------

test("TensorDataset.get returns one row of inputs and targets with the example dim removed", () => {
  const ds = rows(5);
  assert.equal(ds.length, 5);
  const [x, y] = ds.get(2);
  assert.deepEqual(shape(x), [3]);
  assert.deepEqual(values(x), [20, 21, 22]);
  assert.equal(x.dtype, "float32");
  assert.deepEqual(shape(y), []);
  assert.equal(y.item(), 2);
  assert.equal(y.dtype, "int32");
  assert.deepEqual(values(ds.get(4)[0]), [40, 41, 42]);
});

test("TensorDataset.get rejects indices outside 0..length-1", () => {
  const ds = rows(5);
  for (const bad of [5, -1, 1.5]) {
    assert.throws(() => ds.get(bad), (e: unknown) => e instanceof ValueError && e.message.includes(`index ${bad}`) && e.message.includes("0..4"));
  }
});

test("TensorDataset needs inputs and targets with the same first dim", () => {
  assert.throws(
    () => new TensorDataset(tensor(new Float32Array(6), { shape: [3, 2] }), tensor(new Int32Array(4))),
    (e: unknown) => e instanceof ShapeError && e.message.includes("[3,2]") && e.message.includes("[4]"),
  );
  assert.throws(() => new TensorDataset(tensor(new Float32Array(1), { shape: [] }), tensor(new Int32Array(1), { shape: [] })), ShapeError);
});

test("TensorDataset.getBatch gathers the listed rows in the listed order", () => {
  const [x, y] = rows(6).getBatch(Int32Array.from([4, 0, 2, 4]));
  assert.deepEqual(shape(x), [4, 3]);
  assert.deepEqual(values(x), [40, 41, 42, 0, 1, 2, 20, 21, 22, 40, 41, 42]);
  assert.deepEqual(shape(y), [4]);
  assert.deepEqual(values(y), [4, 0, 2, 4]);
  assert.equal(y.dtype, "int32");
});

// ---- Subset ----------------------------------------------------------------------------------

test("Subset maps its own indices to the parent's examples (get and getBatch)", () => {
  const sub = new Subset(rows(6), Int32Array.from([5, 1, 3]));
  assert.equal(sub.length, 3);
  assert.deepEqual(values(sub.get(0)[0]), [50, 51, 52]);
  assert.equal(sub.get(2)[1].item(), 3);
  const [x, y] = sub.getBatch(Int32Array.from([2, 0]));
  assert.deepEqual(shape(x), [2, 3]);
  assert.deepEqual(values(x), [30, 31, 32, 50, 51, 52]);
  assert.deepEqual(values(y), [3, 5]);
});

test("Subset of a dataset without getBatch collates example by example", () => {
  const sub = new Subset(getOnly(10), Int32Array.from([7, 2, 9]));
  const [x, y] = sub.getBatch(Int32Array.from([1, 2]));
  assert.deepEqual(shape(x), [2, 2]);
  assert.equal(x.dtype, "float64");
  assert.deepEqual(values(x), [2, -2, 9, -9]);
  assert.deepEqual(shape(y), [2]);
  assert.deepEqual(values(y), [2, 9]);
});

test("Subset rejects indices outside its own range instead of reading example 0", () => {
  const sub = new Subset(rows(6), Int32Array.from([5, 1]));
  assert.throws(() => sub.get(2), (e: unknown) => e instanceof ValueError && e.message.includes("index 2 is outside 0..1"));
  assert.throws(() => sub.getBatch(Int32Array.from([0, 3])), (e: unknown) => e instanceof ValueError && e.message.includes("index 3 is outside 0..1"));
});

// ---- collate ---------------------------------------------------------------------------------

test("collate stacks inputs and targets along a new first dim and keeps their dtypes", () => {
  const examples: Example[] = [0, 1, 2].map((i) => [
    tensor([[i, i + 0.5], [-i, 1 / 3]], { dtype: "float64" }),
    tensor([i], { dtype: "int32", shape: [] }),
  ]);
  const [x, y] = collate(examples);
  assert.deepEqual(shape(x), [3, 2, 2]);
  assert.equal(x.dtype, "float64");
  assert.deepEqual(values(x), [0, 0.5, -0, 1 / 3, 1, 1.5, -1, 1 / 3, 2, 2.5, -2, 1 / 3]);
  assert.deepEqual(shape(y), [3]);
  assert.equal(y.dtype, "int32");
  assert.deepEqual(values(y), [0, 1, 2]);
});

test("collate rejects an empty batch and examples of different sizes", () => {
  assert.throws(() => collate([]), (e: unknown) => e instanceof ValueError && e.message.includes("empty batch"));
  const a: Example = [tensor([1, 2, 3]), tensor([0], { dtype: "int32", shape: [] })];
  const b: Example = [tensor([1, 2]), tensor([1], { dtype: "int32", shape: [] })];
  assert.throws(() => collate([a, b]), (e: unknown) => e instanceof ShapeError && e.message.includes("example 1 has shape [2]") && e.message.includes("[3]"));
});

// ---- DataLoader ------------------------------------------------------------------------------

test("DataLoader without dropLast: ceil(n / batch) batches, the last one short, in order", () => {
  const loader = new DataLoader(rows(10), { batchSize: 3 });
  assert.equal(loader.length, 4);
  const batches = Array.from(loader);
  assert.equal(batches.length, 4);
  assert.deepEqual(batches.map(([x]) => shape(x)), [[3, 3], [3, 3], [3, 3], [1, 3]]);
  assert.deepEqual(batches.map(([, y]) => values(y)), [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
  assert.deepEqual(values(batches[3][0]), [90, 91, 92]);
});

test("DataLoader with dropLast: floor(n / batch) full batches", () => {
  const loader = new DataLoader(rows(10), { batchSize: 3, dropLast: true });
  assert.equal(loader.length, 3);
  assert.deepEqual(epoch(loader), [[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
  // When the batch size divides n, dropLast changes nothing.
  const even = new DataLoader(rows(10), { batchSize: 5, dropLast: true });
  assert.equal(even.length, 2);
  assert.deepEqual(epoch(even), [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]);
  // A batch larger than the dataset: one short batch, or none with dropLast.
  assert.deepEqual(epoch(new DataLoader(rows(4), { batchSize: 6 })), [[0, 1, 2, 3]]);
  assert.equal(new DataLoader(rows(4), { batchSize: 6, dropLast: true }).length, 0);
  assert.deepEqual(epoch(new DataLoader(rows(4), { batchSize: 6, dropLast: true })), []);
});

test("DataLoader defaults to batchSize 1, no shuffle, no dropLast", () => {
  const loader = new DataLoader(rows(3));
  assert.equal(loader.batchSize, 1);
  assert.equal(loader.shuffle, false);
  assert.equal(loader.dropLast, false);
  assert.deepEqual(epoch(loader), [[0], [1], [2]]);
});

test("DataLoader collates datasets that have no getBatch", () => {
  const batches = Array.from(new DataLoader(getOnly(5), { batchSize: 2 }));
  assert.deepEqual(batches.map(([x]) => shape(x)), [[2, 2], [2, 2], [1, 2]]);
  assert.deepEqual(values(batches[1][0]), [2, -2, 3, -3]);
  assert.deepEqual(batches.map(([, y]) => values(y)), [[0, 1], [2, 3], [4]]);
});

test("a shuffled epoch sees every example exactly once, with and without dropLast", () => {
  manualSeed(11);
  const loader = new DataLoader(rows(23), { batchSize: 4, shuffle: true });
  for (let e = 0; e < 3; e++) {
    const batches = epoch(loader);
    assert.deepEqual(batches.map((b) => b.length), [4, 4, 4, 4, 4, 3]);
    const seen = batches.flat().sort((a, b) => a - b);
    assert.deepEqual(seen, Array.from({ length: 23 }, (_, i) => i));
  }
  const dropping = new DataLoader(rows(23), { batchSize: 4, shuffle: true, dropLast: true });
  const seen = epoch(dropping).flat();
  assert.equal(seen.length, 20);
  assert.equal(new Set(seen).size, 20);
  assert.ok(seen.every((i) => Number.isInteger(i) && i >= 0 && i < 23));
  // Inputs travel with their targets.
  for (const [x, y] of new DataLoader(rows(23), { batchSize: 5, shuffle: true })) {
    values(y).forEach((label, r) => assert.deepEqual(values(x).slice(3 * r, 3 * r + 3), [10 * label, 10 * label + 1, 10 * label + 2]));
  }
});

test("shuffling is reproducible under manualSeed, new each epoch, and different across seeds", () => {
  const identity = Array.from({ length: 50 }, (_, i) => i);
  const twoEpochs = (seed: number): number[][] => {
    manualSeed(seed);
    const loader = new DataLoader(rows(50), { batchSize: 50, shuffle: true });
    return [epoch(loader)[0], epoch(loader)[0]];
  };
  const [a1, a2] = twoEpochs(7);
  const [b1, b2] = twoEpochs(7);
  const [c1] = twoEpochs(8);
  assert.deepEqual(b1, a1);
  assert.deepEqual(b2, a2);
  assert.notDeepEqual(a1, identity);
  assert.notDeepEqual(a2, a1);
  assert.notDeepEqual(c1, a1);
  // An explicit generator seeded the same way gives the same order as the global one.
  const own = new DataLoader(rows(50), { batchSize: 50, shuffle: true, generator: new Generator(7) });
  assert.deepEqual(epoch(own)[0], a1);
});

test("an explicit generator makes shuffling independent of the global seed", () => {
  const order = (globalSeed: number): number[] => {
    manualSeed(globalSeed);
    return epoch(new DataLoader(rows(30), { batchSize: 30, shuffle: true, generator: new Generator(3) }))[0];
  };
  assert.deepEqual(order(1), order(2));
});

test("DataLoader rejects a batch size that is not a positive integer", () => {
  for (const bad of [0, -2, 1.5, Number.NaN]) {
    assert.throws(
      () => new DataLoader(rows(4), { batchSize: bad }),
      (e: unknown) => e instanceof ValueError && e.message.includes("batchSize must be a positive integer") && e.message.includes(`got ${bad}`),
    );
  }
});

// ---- MNIST -----------------------------------------------------------------------------------

test("mnist test split: shapes, dtypes, pixel range and the known first labels", () => {
  const ds = mnist({ split: "test", limit: 100 });
  assert.equal(ds.length, 100);
  assert.deepEqual(shape(ds.inputs), [100, 1, 28, 28]);
  assert.deepEqual(shape(ds.targets), [100]);
  assert.equal(ds.inputs.dtype, "float32");
  assert.equal(ds.targets.dtype, "int32");
  const px = ds.inputs.data();
  let min = Infinity;
  let max = -Infinity;
  for (const v of px) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  assert.equal(min, 0);
  assert.equal(max, 1);
  // Pixels are k/255 for integer k.
  assert.ok(px.every((v) => Math.abs(Math.round(v * 255) - v * 255) < 1e-4));
  assert.deepEqual(values(ds.targets).slice(0, 10), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  assert.equal(ds.get(0)[1].item(), 7);
});

test("mnist train split starts with the known labels 5 0 4 1 9", () => {
  const ds = mnist({ limit: 5 });
  assert.deepEqual(values(ds.targets), [5, 0, 4, 1, 9]);
});

test("mnist normalize: (x - MNIST_MEAN) / MNIST_STD, mean near 0 over 1000 training images", () => {
  const raw = mnist({ split: "train", limit: 1000 }).inputs.data();
  const norm = mnist({ split: "train", limit: 1000, normalize: true }).inputs.data();
  assert.equal(norm.length, 1000 * 784);
  const mean = (a: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return s / a.length;
  };
  const expected = (mean(raw) - MNIST_MEAN) / MNIST_STD;
  const got = mean(norm);
  assert.ok(Math.abs(got - expected) < 1e-4, `normalized mean ${got}, expected ${expected}`);
  assert.ok(Math.abs(got) < 0.1, `normalized mean ${got} should be near 0`);
  // The lowest value is a black pixel.
  assert.ok(Math.abs(Math.min(...norm.slice(0, 784)) - -MNIST_MEAN / MNIST_STD) < 1e-6);
  for (const i of [0, 200, 350, 783, 5000]) assert.ok(Math.abs(norm[i] - (raw[i] - MNIST_MEAN) / MNIST_STD) < 1e-5);
});

test("mnist flatten gives [N, 784] with the same pixels", () => {
  const flat = mnist({ split: "test", limit: 20, flatten: true });
  const images = mnist({ split: "test", limit: 20 });
  assert.deepEqual(shape(flat.inputs), [20, 784]);
  assert.deepEqual(flat.inputs.data(), images.inputs.data());
  assert.deepEqual(values(flat.targets), values(images.targets));
});

test("mnist limit above the split size gives the whole split; limit < 1 or fractional is rejected", () => {
  assert.equal(mnist({ split: "test", limit: 1e9 }).length, 10000);
  for (const bad of [0, -3, 2.5]) {
    assert.throws(() => mnist({ split: "test", limit: bad }), (e: unknown) => e instanceof ValueError && e.message.includes("limit must be a positive integer") && e.message.includes(`got ${bad}`));
  }
});
