/**
 * The shape-only pass (inspect's meta backend): for layers of every family in src/nn, the output
 * shape equals a real forward's and the MACs equal the convention's formula; the model is left
 * exactly as it was; errors name the layer; nothing touches the real backend or the generator.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { defaultGenerator, getBackend, inspect, nn, noGrad, randn, tensor, ShapeError, type Tensor } from "../../src/index.js";

const { summary, onMeta } = inspect;

interface Case {
  name: string;
  make: () => nn.Module;
  /** Input without the batch dim. */
  input: number[];
  /** Batch size (default 2). */
  batch?: number;
  /** Expected MACs for the whole batch (omit: 0). */
  macs?: number;
  dtype?: "int32";
}

const conv = (N: number, O: number, oh: number, ow: number, C: number, g: number, k: number) => N * O * oh * ow * (C / g) * k;

const CASES: Case[] = [
  { name: "Linear", make: () => new nn.Linear(20, 7), input: [20], macs: 2 * 20 * 7 },
  { name: "Linear on 3-D input", make: () => new nn.Linear(6, 4), input: [5, 6], macs: 2 * 5 * 6 * 4 },
  { name: "Conv2d stride 2 pad 1", make: () => new nn.Conv2d(3, 8, 3, { stride: 2, padding: 1 }), input: [3, 11, 9], macs: conv(2, 8, 6, 5, 3, 1, 9) },
  { name: "Conv2d grouped dilated", make: () => new nn.Conv2d(4, 6, [3, 2], { groups: 2, dilation: 2 }), input: [4, 10, 9], macs: conv(2, 6, 6, 7, 4, 2, 6) },
  { name: "Conv2d depthwise", make: () => new nn.Conv2d(5, 5, 3, { groups: 5, padding: 1 }), input: [5, 7, 7], macs: conv(2, 5, 7, 7, 5, 5, 9) },
  { name: "Conv1d", make: () => new nn.Conv1d(3, 4, 5, { stride: 2 }), input: [3, 17], macs: 2 * 4 * 7 * 3 * 5 },
  { name: "Conv3d", make: () => new nn.Conv3d(2, 3, 3, { padding: 1 }), input: [2, 4, 5, 6], macs: 2 * 3 * 4 * 5 * 6 * 2 * 27 },
  // A transposed convolution costs what the convolution it transposes costs: Cin·Hin·Win·(Cout/g)·kH·kW.
  { name: "ConvTranspose2d", make: () => new nn.ConvTranspose2d(4, 3, 3, { stride: 2 }), input: [4, 5, 6], macs: 2 * 4 * 5 * 6 * 3 * 9 },
  { name: "ConvTranspose1d", make: () => new nn.ConvTranspose1d(3, 2, 4, { stride: 3, padding: 1 }), input: [3, 7], macs: 2 * 3 * 7 * 2 * 4 },
  { name: "SeparableConv2d", make: () => new nn.SeparableConv2d(4, 8, 3, { padding: 1 }), input: [4, 6, 6], macs: conv(2, 4, 6, 6, 4, 4, 9) + conv(2, 8, 6, 6, 4, 1, 1) },
  { name: "MaxPool2d ceilMode", make: () => new nn.MaxPool2d(3, { stride: 2, ceilMode: true }), input: [3, 8, 8] },
  { name: "AvgPool2d padded", make: () => new nn.AvgPool2d(3, { stride: 2, padding: 1 }), input: [2, 9, 7] },
  { name: "MaxPool1d", make: () => new nn.MaxPool1d(3, { stride: 2 }), input: [3, 12] },
  { name: "AvgPool3d", make: () => new nn.AvgPool3d(2), input: [2, 4, 6, 5] },
  { name: "MaxPool3d", make: () => new nn.MaxPool3d(2, { stride: 1 }), input: [2, 3, 4, 5] },
  { name: "LPPool2d", make: () => new nn.LPPool2d(2, 2), input: [2, 6, 6] },
  { name: "AdaptiveAvgPool2d uneven (matrix form: not counted)", make: () => new nn.AdaptiveAvgPool2d([3, 4]), input: [2, 7, 9] },
  { name: "AdaptiveMaxPool2d", make: () => new nn.AdaptiveMaxPool2d(3), input: [2, 7, 8] },
  { name: "AdaptiveAvgPool1d", make: () => new nn.AdaptiveAvgPool1d(4), input: [3, 10] },
  { name: "BatchNorm2d", make: () => new nn.BatchNorm2d(3), input: [3, 4, 4] },
  { name: "LayerNorm", make: () => new nn.LayerNorm([4, 5]), input: [3, 4, 5] },
  { name: "GroupNorm", make: () => new nn.GroupNorm(2, 4), input: [4, 3, 3] },
  { name: "LocalResponseNorm", make: () => new nn.LocalResponseNorm(3), input: [5, 4, 4] },
  { name: "Dropout", make: () => new nn.Dropout(0.5), input: [10] },
  { name: "Dropout2d", make: () => new nn.Dropout2d(0.5), input: [3, 4, 4] },
  { name: "activations", make: () => new nn.Sequential(new nn.ReLU(), new nn.GELU(), new nn.ELU(), new nn.Softmax(1), new nn.LeakyReLU(0.1), new nn.Tanh()), input: [6] },
  { name: "PReLU", make: () => new nn.PReLU(), input: [3, 4] },
  { name: "Flatten + Unflatten", make: () => new nn.Sequential(new nn.Flatten(), new nn.Unflatten(1, [4, 6])), input: [2, 3, 4] },
  { name: "Upsample nearest", make: () => new nn.Upsample({ scaleFactor: 2 }), input: [2, 3, 5] },
  { name: "Upsample bilinear (fixed weights: not counted)", make: () => new nn.Upsample({ size: [7, 9], mode: "bilinear" }), input: [2, 3, 5] },
  { name: "Unfold", make: () => new nn.Unfold(2, { stride: 2 }), input: [3, 6, 4] },
  { name: "Embedding", make: () => new nn.Embedding(11, 5), input: [7], dtype: "int32" },
  { name: "RNN", make: () => new nn.RNN(4, 6, { batchFirst: true }), input: [5, 4], macs: 2 * 5 * (4 * 6 + 6 * 6) },
  { name: "LSTM 2 layers", make: () => new nn.LSTM(3, 5, { numLayers: 2, batchFirst: true }), input: [4, 3], macs: 2 * 4 * 4 * 5 * (3 + 5) + 2 * 4 * 4 * 5 * (5 + 5) },
  { name: "GRU", make: () => new nn.GRU(3, 4, { batchFirst: true }), input: [6, 3], macs: 2 * 6 * 3 * 4 * (3 + 4) },
  { name: "LSTMCell", make: () => new nn.LSTMCell(3, 4), input: [3], macs: 2 * 4 * 4 * (3 + 4) },
];

function realInput(c: Case): Tensor {
  const shape = [c.batch ?? 2, ...c.input];
  if (c.dtype === "int32") return tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i % 11), { shape, dtype: "int32" });
  return randn(shape);
}

for (const c of CASES) {
  test(`meta pass of ${c.name}: output shape of a real forward, MACs by the convention`, () => {
    const m = c.make();
    const s = summary(m, c.input, { batchSize: c.batch ?? 2, dtype: c.dtype });
    m.eval();
    const real = noGrad(() => m.forward(realInput(c)));
    assert.deepEqual(s.outputShape, [...real.shape]);
    assert.equal(s.totals.macs, c.macs ?? 0);
    assert.equal(s.totals.params, m.numParameters());
  });
}

test("the model is left as it was: weights, buffers, training flags, no leftover forward wrappers", () => {
  const m = new nn.Sequential(new nn.Conv2d(2, 3, 3), new nn.BatchNorm2d(3), new nn.ReLU(), new nn.Dropout(0.5));
  m.train();
  (m.at(1) as nn.BatchNorm2d).training = false; // mixed flags must come back as they were
  const before = [...m.stateDict()].map(([k, t]) => [k, t.storage, Array.from(t.data())] as const);
  summary(m, [2, 8, 8]);
  assert.deepEqual(m.modules().map((x) => x.training), [true, true, false, true, true]);
  for (const [k, storage, values] of before) {
    const t = m.stateDict().get(k)!;
    assert.equal(t.storage, storage, `${k} has its own storage back`);
    assert.deepEqual(Array.from(t.data()), values, `${k} unchanged`);
  }
  for (const x of m.modules()) assert.equal(Object.hasOwn(x, "forward"), false);
  m.eval();
  const y = noGrad(() => m.forward(randn([1, 2, 8, 8])));
  assert.deepEqual(y.shape, [1, 3, 6, 6]);
  assert.equal(getBackend().name === "meta", false);
});

test("a forward that does not fit the input fails with the layer's own message, and the model is restored", () => {
  const m = new nn.Sequential(new nn.Flatten(), new nn.Linear(12, 4));
  const storage = (m.at(1) as nn.Linear).weight.storage;
  assert.throws(() => summary(m, [3, 5]), (e: Error) => e instanceof ShapeError && /Linear/.test(e.message) && /15/.test(e.message));
  assert.equal((m.at(1) as nn.Linear).weight.storage, storage);
  assert.equal(getBackend().name === "meta", false);
  for (const x of m.modules()) assert.equal(Object.hasOwn(x, "forward"), false);
});

test("summary checks its arguments", () => {
  const m = new nn.Linear(3, 2);
  assert.throws(() => summary(m, []), /inputShape/);
  assert.throws(() => summary(m, [0]), /positive integers/);
  assert.throws(() => summary(m, [3], { batchSize: 0 }), /batchSize/);
});

test("summary draws nothing from the generator; onMeta builds a model without drawing either", () => {
  const state = JSON.stringify(defaultGenerator.getState());
  const m = onMeta(() => new nn.Sequential(new nn.Linear(1000, 1000), new nn.Dropout(0.5), new nn.Embedding(50, 8)));
  assert.equal(JSON.stringify(defaultGenerator.getState()), state);
  assert.equal(m.numParameters(), 1000 * 1000 + 1000 + 50 * 8);
  assert.equal(m.parameters()[0].storage.backend.name, "meta");
  m.train();
  summary(m.at(0), [1000]);
  assert.equal(JSON.stringify(defaultGenerator.getState()), state);
  // Its weights have no values: a real forward refuses them.
  assert.throws(() => (m.at(0) as nn.Linear).forward(randn([1, 1000])));
});

test("rows: one per module with calls, first-call shape and summed MACs; containers on request", () => {
  class Twice extends nn.Module {
    fc = new nn.Linear(4, 4);
    act = new nn.ReLU();
    forward(x: Tensor): Tensor {
      return this.act.forward(this.fc.forward(this.act.forward(this.fc.forward(x))));
    }
  }
  const m = new nn.Sequential({ block: new Twice(), head: new nn.Linear(4, 2) });
  const s = summary(m, [4], { batchSize: 3 });
  assert.deepEqual(s.rows.map((r) => [r.name, r.type, r.calls, r.outputShape, r.params, r.macs, r.activationBytes]), [
    ["block.fc", "Linear", 2, [3, 4], 20, 2 * 3 * 16, 2 * 12 * 4],
    ["block.act", "ReLU", 2, [3, 4], 0, 0, 2 * 12 * 4],
    ["head", "Linear", 1, [3, 2], 10, 3 * 8, 6 * 4],
  ]);
  assert.equal(s.totals.macs, 2 * 3 * 16 + 3 * 8);
  assert.equal(s.totals.activationBytes, (2 * 12 + 2 * 12 + 6) * 4);
  const c = summary(m, [4], { batchSize: 3, containers: true });
  assert.deepEqual(c.rows.map((r) => [r.name, r.depth, r.leaf, r.params, r.macs]), [
    ["block", 1, false, 20, 2 * 3 * 16],
    ["block.fc", 2, true, 20, 2 * 3 * 16],
    ["block.act", 2, true, 0, 0],
    ["head", 1, true, 10, 3 * 8],
  ]);
  assert.equal(c.totals.activationBytes, s.totals.activationBytes, "containers do not count twice");
});

test("a model that is a single layer is its own row", () => {
  const s = summary(new nn.Conv2d(3, 4, 3), [3, 5, 5]);
  assert.deepEqual(s.rows.map((r) => [r.name, r.type, r.depth, r.outputShape, r.params, r.macs]), [["(model)", "Conv2d", 0, [1, 4, 3, 3], 112, 4 * 9 * 27]]);
  assert.match(inspect.formatSummary(s), /^\(model\)\s+Conv2d\s+\[1, 4, 3, 3\]\s+112\s+972\s+144 B$/m);
});

test("a container holding a parameter itself gets a row with its own parameters and MACs", () => {
  class Scaled extends nn.Module {
    scale = new nn.Parameter(randn([5, 5]));
    fc = new nn.Linear(5, 5);
    forward(x: Tensor): Tensor {
      return this.fc.forward(x).matmul(this.scale);
    }
  }
  const m = new nn.Sequential(new Scaled());
  const s = summary(m, [5]);
  assert.deepEqual(s.rows.map((r) => [r.name, r.params, r.macs]), [["0", 25, 25], ["0.fc", 30, 25]]);
  assert.equal(s.rows.reduce((n, r) => n + r.params, 0), m.numParameters());
});

test("frozen parameters are counted as non-trainable", () => {
  const m = new nn.Sequential(new nn.Linear(3, 4), new nn.Linear(4, 2));
  for (const p of m.at(0).parameters()) p.requiresGrad = false;
  const s = summary(m, [3]);
  assert.deepEqual([s.totals.params, s.totals.trainable, s.totals.nonTrainable], [26, 10, 16]);
  assert.deepEqual(s.rows.map((r) => [r.trainable, r.nonTrainable]), [[0, 16], [10, 0]]);
  assert.match(inspect.formatSummary(s), /Non-trainable params: 16/);
});
