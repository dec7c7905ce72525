/**
 * The fine-tuning example (examples/fine-tune-mnist.ts), reduced: LeNet-5 pretrained on about
 * 2,000 images of the digits 0–4, then a new linear head trained on its frozen conv features (and
 * one on its frozen F6 features) from 10 labelled images per digit 5–9, tested on the 456 images
 * of 5–9 among the first 1,000 test images. Measured (seed 1), the same on cpu and wasm: 95.4% on
 * 0–4 after pretraining, conv head 66.9%, F6 head 46.5% (chance 20%); thresholds 60% and 40%.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { runFineTune, VARIANTS } from "../../examples/fine-tune-mnist.js";

test("fine-tuning a head on frozen MNIST 0-4 features learns 5-9 from 50 images; frozen weights stay bit-identical", (t) => {
  // The model from scratch is left out here (it is the slow one on the cpu backend); the example runs it.
  const r = runFineTune({ pretrainLimit: 4000, shots: [10], fineTuneEpochs: 20, testLimit: 1000, variants: ["conv", "f6"] });
  for (const row of r.rows) t.diagnostic(`${VARIANTS[row.variant]}: ${(100 * row.accuracy).toFixed(1)}% (${row.trainable} trained parameters, ${row.seconds.toFixed(1)} s)`);
  t.diagnostic(`pretrain: ${r.pretrainImages} images, ${(100 * r.pretrainAccuracy).toFixed(1)}% on 0-4 (${r.pretrainSeconds.toFixed(1)} s)`);
  const [conv, f6] = r.rows;
  assert.deepEqual(r.rows.map((row) => row.variant), ["conv", "f6"]);
  assert.ok(r.pretrainAccuracy > 0.9, `pretrained accuracy on 0-4: ${r.pretrainAccuracy}`);
  assert.equal(r.testImages, 456, "test images of 5-9 among the first 1,000");
  assert.ok(conv.accuracy > 0.6, `conv-feature head: ${conv.accuracy} (chance 0.2)`);
  assert.ok(f6.accuracy > 0.4, `F6-feature head: ${f6.accuracy} (chance 0.2)`);
  assert.equal(conv.frozenUnchanged, true);
  assert.equal(f6.frozenUnchanged, true);
  assert.equal(conv.trainable, 400 * 5 + 5);
  assert.equal(f6.trainable, 84 * 5 + 5);
});
