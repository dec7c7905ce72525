/**
 * Real learning on MNIST with the library's own training loop: Nielsen's network and LeNet-5 each
 * get well above chance (10%) in one short seeded epoch, the MLP's training matches a hand-written
 * backprop step for step, and a seeded run repeats bit for bit.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { manualSeed, Generator } from "../../src/random.js";
import type { Tensor } from "../../src/tensor/tensor.js";
import { mnist } from "../../src/data/mnist.js";
import { DataLoader } from "../../src/data/dataloader.js";
import { MLP } from "../../src/models/mlp.js";
import { LeNet5 } from "../../src/models/lenet.js";
import { SGD } from "../../src/optim/sgd.js";
import { crossEntropy, mseLoss } from "../../src/nn/losses.js";
import { oneHot } from "../../src/nn/one-hot.js";
import { evaluate, trainEpoch } from "../../src/train/loop.js";

/** Nielsen's quadratic cost C = 1/(2n) Σ‖y − a‖² over the mini-batch. */
const quadratic = (out: Tensor, y: Tensor): Tensor => mseLoss(out, oneHot(y, 10), { reduction: "batchmean", half: true });

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

test("Nielsen's MLP (SGD 3.0, batch 10, quadratic cost) learns MNIST in one epoch", (t) => {
  // Observed on this machine: about 1.2-2.5 s of training, test accuracy 0.7615 with seed 1.
  //
  // The brief asked for >= 85% after one epoch on 10,000 images; Nielsen's network does not get
  // there. An independent numpy implementation of network.py on the same 10,000 images gives
  // 0.63-0.80 after one epoch over 6 seeds (0.60-0.86 even on 30,000), and this library gives
  // 0.6265-0.7915 over seeds 0-7 (both first 2,000 test digits); the spread is the well-known
  // saturation of sigmoid outputs under the quadratic cost with N(0, 1) init. 85% needs about
  // 50,000 images and even then depends on the seed (0.884, 0.867, 0.8155, 0.796 for seeds 1-4).
  // So the bar is 60%, six times chance and met by every seed tried; the test below checks the
  // same training step for step against a hand-written backprop, which a seed cannot fake.
  manualSeed(1);
  const train = mnist({ split: "train", limit: 10000, flatten: true });
  const testSet = mnist({ split: "test", limit: 2000, flatten: true });
  const model = new MLP();
  const before = evaluate(model, new DataLoader(testSet, { batchSize: 1000 }), quadratic);
  const optimizer = new SGD(model.parameters(), { lr: 3.0 });
  const losses: number[] = [];
  const result = trainEpoch(model, new DataLoader(train, { batchSize: 10, shuffle: true }), optimizer, quadratic, (r) => losses.push(r.loss));
  const after = evaluate(model, new DataLoader(testSet, { batchSize: 1000 }), quadratic);
  t.diagnostic(`MLP: ${result.seconds.toFixed(2)} s for ${result.examples} images, test accuracy ${before.accuracy} -> ${after.accuracy}, test cost ${before.loss.toFixed(4)} -> ${after.loss.toFixed(4)}`);

  assert.equal(result.examples, 10000);
  assert.equal(losses.length, 1000);
  assert.ok(Math.abs(result.loss - mean(losses)) < 1e-9, "epoch loss is the mean over equal-size batches");
  assert.ok(after.accuracy >= 0.6, `test accuracy ${after.accuracy}`);
  assert.ok(after.accuracy > before.accuracy + 0.4, `accuracy ${before.accuracy} -> ${after.accuracy}`);
  assert.ok(after.loss < before.loss / 3, `test cost ${before.loss} -> ${after.loss}`);
  assert.ok(mean(losses.slice(-100)) < mean(losses.slice(0, 100)) / 2, "training cost falls over the epoch");
  assert.equal(after.examples, 2000);
  assert.equal(after.correct, Math.round(after.accuracy * 2000));
});

test("MLP training matches a hand-written network.py backprop, step for step", () => {
  const steps = 100;
  const batch = 10;
  const n = steps * batch;
  const data = mnist({ split: "train", limit: n, flatten: true });
  const pixels = data.inputs.data();
  const labels = data.targets.data();
  manualSeed(9);
  const model = new MLP();
  const state = model.stateDict();
  // Float64 copies of the initial parameters: W1 [30, 784], b1 [30], W2 [10, 30], b2 [10].
  const W1 = Float64Array.from(state.get("layers.0.weight")!.data());
  const b1 = Float64Array.from(state.get("layers.0.bias")!.data());
  const W2 = Float64Array.from(state.get("layers.1.weight")!.data());
  const b2 = Float64Array.from(state.get("layers.1.bias")!.data());
  assert.equal(W1.length, 30 * 784);
  assert.equal(W2.length, 10 * 30);

  const losses: number[] = [];
  const loader = new DataLoader(data, { batchSize: batch, shuffle: true, generator: new Generator(77) });
  trainEpoch(model, loader, new SGD(model.parameters(), { lr: 3.0 }), quadratic, (r) => losses.push(r.loss));

  const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
  const order = new Generator(77).permutation(n);
  const reference: number[] = [];
  for (let s = 0; s < steps; s++) {
    const gW1 = new Float64Array(W1.length);
    const gb1 = new Float64Array(30);
    const gW2 = new Float64Array(W2.length);
    const gb2 = new Float64Array(10);
    let cost = 0;
    for (let k = 0; k < batch; k++) {
      const ex = order[s * batch + k];
      const x = pixels.subarray(ex * 784, ex * 784 + 784);
      const a1 = new Float64Array(30);
      for (let j = 0; j < 30; j++) {
        let z = b1[j];
        for (let i = 0; i < 784; i++) z += W1[j * 784 + i] * x[i];
        a1[j] = sigmoid(z);
      }
      const d2 = new Float64Array(10);
      for (let c = 0; c < 10; c++) {
        let z = b2[c];
        for (let j = 0; j < 30; j++) z += W2[c * 30 + j] * a1[j];
        const a = sigmoid(z);
        const diff = a - (labels[ex] === c ? 1 : 0);
        cost += 0.5 * diff * diff;
        d2[c] = diff * a * (1 - a);
      }
      for (let j = 0; j < 30; j++) {
        let back = 0;
        for (let c = 0; c < 10; c++) back += W2[c * 30 + j] * d2[c];
        const d1 = back * a1[j] * (1 - a1[j]);
        gb1[j] += d1;
        for (let i = 0; i < 784; i++) gW1[j * 784 + i] += d1 * x[i];
      }
      for (let c = 0; c < 10; c++) {
        gb2[c] += d2[c];
        for (let j = 0; j < 30; j++) gW2[c * 30 + j] += d2[c] * a1[j];
      }
    }
    reference.push(cost / batch);
    const eta = 3.0 / batch;
    for (let i = 0; i < W1.length; i++) W1[i] -= eta * gW1[i];
    for (let i = 0; i < 30; i++) b1[i] -= eta * gb1[i];
    for (let i = 0; i < W2.length; i++) W2[i] -= eta * gW2[i];
    for (let i = 0; i < 10; i++) b2[i] -= eta * gb2[i];
  }

  assert.equal(losses.length, steps);
  for (let s = 0; s < steps; s++) {
    assert.ok(Math.abs(losses[s] - reference[s]) <= 1e-4 * Math.abs(reference[s]) + 1e-6, `step ${s}: loss ${losses[s]}, reference ${reference[s]}`);
  }
  const maxDiff = (a: Tensor, b: Float64Array): number => Array.from(a.data()).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  assert.ok(maxDiff(state.get("layers.0.weight")!, W1) < 1e-3);
  assert.ok(maxDiff(state.get("layers.0.bias")!, b1) < 1e-3);
  assert.ok(maxDiff(state.get("layers.1.weight")!, W2) < 1e-3);
  assert.ok(maxDiff(state.get("layers.1.bias")!, b2) < 1e-3);
  // The parameters did move (the comparison is not between two untouched initialisations).
  assert.ok(reference[steps - 1] < reference[0]);
});

test("LeNet-5 (SGD 0.02, momentum 0.9, batch 32, cross-entropy) learns MNIST in one epoch", (t) => {
  // Observed on this machine: 4-7 s of training; test accuracy on 1,000 digits 0.834 (seed 1,
  // used here), 0.842 / 0.862 / 0.872 (seeds 2-4). Chance is 0.1, the initial accuracy about that.
  manualSeed(1);
  const train = mnist({ split: "train", limit: 3000, normalize: true });
  const testSet = mnist({ split: "test", limit: 1000, normalize: true });
  const model = new LeNet5();
  const before = evaluate(model, new DataLoader(testSet, { batchSize: 1000 }), crossEntropy);
  const optimizer = new SGD(model.parameters(), { lr: 0.02, momentum: 0.9 });
  const losses: number[] = [];
  const result = trainEpoch(model, new DataLoader(train, { batchSize: 32, shuffle: true }), optimizer, crossEntropy, (r) => losses.push(r.loss));
  const after = evaluate(model, new DataLoader(testSet, { batchSize: 1000 }), crossEntropy);
  t.diagnostic(`LeNet-5: ${result.seconds.toFixed(2)} s for ${result.examples} images, test accuracy ${before.accuracy} -> ${after.accuracy}, test loss ${before.loss.toFixed(4)} -> ${after.loss.toFixed(4)}`);

  assert.equal(result.examples, 3000);
  assert.equal(losses.length, 94); // ceil(3000 / 32)
  assert.ok(Math.abs(before.loss - Math.log(10)) < 0.2, `an untrained net is near uniform: loss ${before.loss}`);
  assert.ok(before.accuracy < 0.25, `untrained accuracy ${before.accuracy}`);
  assert.ok(after.accuracy >= 0.8, `test accuracy ${after.accuracy}`);
  assert.ok(after.loss < 0.8, `test loss ${after.loss}`);
  assert.ok(mean(losses.slice(-10)) < mean(losses.slice(0, 10)) / 2, "training loss falls over the epoch");
  assert.equal(model.training, true, "evaluate restores training mode");
});

test("same seed → the same LeNet-5 loss sequence bit for bit; another seed → a different one", () => {
  const images = mnist({ split: "train", limit: 80, normalize: true });
  const run = (seed: number): { losses: number[]; weights: Float32Array[] } => {
    manualSeed(seed);
    const model = new LeNet5();
    const optimizer = new SGD(model.parameters(), { lr: 0.02, momentum: 0.9 });
    const loader = new DataLoader(images, { batchSize: 8, shuffle: true });
    const losses: number[] = [];
    for (let epoch = 0; epoch < 2; epoch++) trainEpoch(model, loader, optimizer, crossEntropy, (r) => losses.push(r.loss));
    return { losses, weights: [...model.stateDict().values()].map((p) => p.data() as Float32Array) };
  };
  const a = run(5);
  const b = run(5);
  const c = run(6);
  assert.equal(a.losses.length, 20);
  assert.ok(a.losses.every(Number.isFinite));
  // deepStrictEqual compares numbers with Object.is: equal bit for bit (up to NaN payloads).
  assert.deepEqual(b.losses, a.losses);
  assert.deepEqual(b.weights, a.weights);
  assert.notEqual(c.losses[0], a.losses[0]);
  assert.equal(c.losses.filter((v, i) => v === a.losses[i]).length, 0);
  assert.notDeepEqual(c.weights, a.weights);
});
