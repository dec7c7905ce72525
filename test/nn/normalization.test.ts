/**
 * Normalization layers beyond the PyTorch fixtures (test/nn/norm-parity.test.ts): float64
 * gradchecks, train/eval behaviour and running statistics worked by hand, buffers and state-dict
 * keys, memory scopes on wasm, the error messages, and local contrast normalization (no PyTorch
 * equivalent) against a hand-computed example and a direct loop implementation of its formula.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import * as ts from "../../src/index.js";
import { nn, gradcheck, manualSeed, tensor, ShapeError, ValueError, type Tensor } from "../../src/index.js";
import { rand64, f64 } from "../helpers/tensors.js";

const F = nn.functional;

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])), `${label}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function throwsWith(fn: () => unknown, cls: new (...a: never[]) => Error, fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    return true;
  });
}

/** Values of channel c of x [N, C, *] (row-major). */
function channel(x: Tensor, c: number): number[] {
  const [N, C] = x.shape;
  const L = x.numel / (N * C);
  const d = x.data();
  const out: number[] = [];
  for (let n = 0; n < N; n++) for (let l = 0; l < L; l++) out.push(d[(n * C + c) * L + l]);
  return out;
}

const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const biasedVar = (v: number[]) => meanOf(v.map((x) => (x - meanOf(v)) ** 2));

describe("gradcheck (float64) of the normalization ops", () => {
  const cases: [string, () => { fn: (...t: Tensor[]) => Tensor; inputs: Tensor[] }][] = [
    ["batchNorm train [5, 3] with weight and bias", () => ({
      fn: (x, w, b) => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }),
      inputs: [rand64([5, 3]), rand64([3]), rand64([3])],
    })],
    ["batchNorm train [2, 3, 2, 3] with weight and bias", () => ({
      fn: (x, w, b) => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }),
      inputs: [rand64([2, 3, 2, 3]), rand64([3]), rand64([3])],
    })],
    ["batchNorm train [3, 1, 4], no affine, updating running stats", () => {
      const rm = f64([0]), rv = f64([1]);
      return { fn: (x) => F.batchNorm(x, rm, rv, { training: true, momentum: 0.5 }), inputs: [rand64([3, 1, 4])] };
    }],
    ["batchNorm eval [2, 3, 4] with running stats", () => ({
      fn: (x, w, b) => F.batchNorm(x, f64([0.5, -1, 2]), f64([1.5, 0.25, 3]), { weight: w, bias: b, training: false }),
      inputs: [rand64([2, 3, 4]), rand64([3]), rand64([3])],
    })],
    ["layerNorm over [3, 4] with weight and bias", () => ({
      fn: (x, w, b) => F.layerNorm(x, [3, 4], { weight: w, bias: b }),
      inputs: [rand64([2, 3, 4]), rand64([3, 4]), rand64([3, 4])],
    })],
    ["layerNorm over the last dim, no affine", () => ({ fn: (x) => F.layerNorm(x, 5), inputs: [rand64([3, 5])] })],
    ["groupNorm 2 groups of [2, 4, 3]", () => ({
      fn: (x, w, b) => F.groupNorm(x, 2, { weight: w, bias: b }),
      inputs: [rand64([2, 4, 3]), rand64([4]), rand64([4])],
    })],
    ["groupNorm instance-style [1, 3, 2, 2]", () => ({ fn: (x) => F.groupNorm(x, 3), inputs: [rand64([1, 3, 2, 2])] })],
    ["localResponseNorm size 3 [2, 4, 3]", () => ({ fn: (x) => F.localResponseNorm(x, 3, { alpha: 0.5, beta: 0.75, k: 1 }), inputs: [rand64([2, 4, 3])] })],
    ["localResponseNorm even size 4 [1, 5, 2, 2]", () => ({ fn: (x) => F.localResponseNorm(x, 4, { alpha: 0.8, beta: 0.6, k: 2 }), inputs: [rand64([1, 5, 2, 2])] })],
    ["localContrastNorm gaussian 3x3 [2, 2, 4, 5]", () => ({ fn: (x) => F.localContrastNorm(x, { size: 3, sigma: 1 }), inputs: [rand64([2, 2, 4, 5])] })],
    ["localContrastNorm box 5x5 [1, 3, 4, 4]", () => ({ fn: (x) => F.localContrastNorm(x, { size: 5, window: "box" }), inputs: [rand64([1, 3, 4, 4])] })],
  ];
  cases.forEach(([name, build], i) => {
    test(name, () => {
      manualSeed(500 + i);
      const { fn, inputs } = build();
      assert.equal(gradcheck(fn, inputs), true);
    });
  });

  test("standardize: the closed-form backward equals the derivative of the composed formula", () => {
    manualSeed(7);
    const x = rand64([3, 4, 5]);
    const g = rand64([3, 4, 5], { requiresGrad: false });
    ts.standardize(x, [0, 2], 1e-5).out.mul(g).sum().backward();
    const x2 = x.detach().requiresGrad_();
    const m = x2.mean([0, 2], true);
    const v = x2.sub(m).square().mean([0, 2], true);
    x2.sub(m).div(v.add(1e-5).sqrt()).mul(g).sum().backward();
    close(x.grad!.data(), x2.grad!.data(), 1e-10, "dx");
  });

  test("standardize: negative dims, statistics returned, scale shape checked", () => {
    const x = f64([[1, 3], [2, 6]]);
    const { out, mean, variance } = ts.standardize(x, [-1], 0);
    close(mean.data(), [2, 4], 0, "mean");
    close(variance.data(), [1, 4], 0, "variance");
    close(out.data(), [-1, 1, -1, 1], 0, "out");
    throwsWith(() => ts.standardize(x, [0], 1e-5, f64([1, 2])), ShapeError, ["scale", "[1,2]", "got [2]"]);
  });
});

describe("BatchNorm", () => {
  test("training: batch statistics, biased variance in the output, unbiased in running_var", () => {
    const bn = new nn.BatchNorm1d(2);
    // Channel 0: 1, 2, 3, 6 (mean 3, biased var 3.5, unbiased 14/3); channel 1: 0, 0, 4, 4 (mean 2, var 4, unbiased 16/3).
    const x = tensor([[1, 0], [2, 0], [3, 4], [6, 4]]);
    const y = bn.forward(x);
    close(channel(y, 0), [1, 2, 3, 6].map((v) => (v - 3) / Math.sqrt(3.5 + 1e-5)), 1e-5, "channel 0");
    close(channel(y, 1), [0, 0, 4, 4].map((v) => (v - 2) / Math.sqrt(4 + 1e-5)), 1e-5, "channel 1");
    close(bn.runningMean!.data(), [0.9 * 0 + 0.1 * 3, 0.1 * 2], 1e-6, "running_mean");
    close(bn.runningVar!.data(), [0.9 + (0.1 * 14) / 3, 0.9 + (0.1 * 16) / 3], 1e-6, "running_var");
    assert.equal(bn.numBatchesTracked!.item(), 1);
    assert.equal(bn.numBatchesTracked!.dtype, "int32");
  });

  test("every channel of a training output has mean 0 and variance 1 (before the affine)", () => {
    manualSeed(3);
    const x = ts.randn([4, 3, 5, 6]).mul(3).add(2);
    const y = new nn.BatchNorm2d(3).forward(x);
    for (let c = 0; c < 3; c++) {
      const v = channel(y, c);
      assert.ok(Math.abs(meanOf(v)) < 1e-5, `channel ${c} mean ${meanOf(v)}`);
      assert.ok(Math.abs(biasedVar(v) - 1) < 1e-3, `channel ${c} var ${biasedVar(v)}`);
    }
  });

  test("evaluation uses the running statistics and does not touch them", () => {
    const bn = new nn.BatchNorm1d(2).eval();
    bn.loadStateDict({
      weight: tensor([2, 1]), bias: tensor([0.5, -1]), running_mean: tensor([1, -2]), running_var: tensor([4, 0.25]), num_batches_tracked: tensor([7], { dtype: "int32" }).reshape([]),
    });
    const y = bn.forward(tensor([[3, 0], [-1, -2]]));
    const e = 1e-5;
    close(y.data(), [2 * (2 / Math.sqrt(4 + e)) + 0.5, 2 / Math.sqrt(0.25 + e) - 1, 2 * (-2 / Math.sqrt(4 + e)) + 0.5, -1], 1e-6, "eval output");
    close(bn.runningMean!.data(), [1, -2], 0, "running_mean unchanged");
    close(bn.runningVar!.data(), [4, 0.25], 0, "running_var unchanged");
    assert.equal(bn.numBatchesTracked!.item(), 7);
  });

  test("momentum null keeps the cumulative average of the batch statistics", () => {
    manualSeed(11);
    const bn = new nn.BatchNorm1d(3, { momentum: null });
    const means: number[][] = [];
    const vars: number[][] = [];
    for (let step = 0; step < 3; step++) {
      const x = ts.randn([5, 3]).mul(step + 1).add(step);
      bn.forward(x);
      means.push([0, 1, 2].map((c) => meanOf(channel(x, c))));
      vars.push([0, 1, 2].map((c) => (biasedVar(channel(x, c)) * 5) / 4));
    }
    close(bn.runningMean!.data(), [0, 1, 2].map((c) => meanOf(means.map((m) => m[c]))), 1e-5, "cumulative mean");
    close(bn.runningVar!.data(), [0, 1, 2].map((c) => meanOf(vars.map((v) => v[c]))), 1e-5, "cumulative var");
    assert.equal(bn.numBatchesTracked!.item(), 3);
  });

  test("trackRunningStats false: no buffers, batch statistics in both modes", () => {
    const bn = new nn.BatchNorm2d(2, { trackRunningStats: false, affine: false });
    assert.deepEqual([...bn.stateDict().keys()], []);
    const x = ts.randn([2, 2, 3, 3]);
    const train = bn.forward(x).data();
    const evaluated = bn.eval().forward(x).data();
    close(evaluated, train, 0, "eval equals train");
  });

  test("state-dict keys and order are PyTorch's; buffers are updated in place", () => {
    const bn = new nn.BatchNorm2d(4);
    assert.deepEqual([...bn.stateDict().keys()], ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]);
    assert.deepEqual(bn.namedParameters().map(([k]) => k), ["weight", "bias"]);
    assert.deepEqual(bn.namedBuffers().map(([k]) => k), ["running_mean", "running_var", "num_batches_tracked"]);
    const [rm, rv, storage] = [bn.runningMean, bn.runningVar, bn.runningMean!.storage];
    bn.forward(ts.randn([3, 4, 2, 2]));
    assert.equal(bn.runningMean, rm);
    assert.equal(bn.runningVar, rv);
    assert.equal(bn.runningMean!.storage, storage);
    assert.ok(bn.runningMean!.data().some((v) => v !== 0));
    assert.equal(bn.runningMean!.requiresGrad, false);
  });

  test("resetRunningStats returns to mean 0, var 1, no batches", () => {
    const bn = new nn.BatchNorm1d(3);
    bn.forward(ts.randn([4, 3]).add(5));
    bn.resetRunningStats();
    close(bn.runningMean!.data(), [0, 0, 0], 0, "mean");
    close(bn.runningVar!.data(), [1, 1, 1], 0, "var");
    assert.equal(bn.numBatchesTracked!.item(), 0);
  });

  test("the module equals the functional form; gradients reach weight and bias", () => {
    manualSeed(21);
    const bn = new nn.BatchNorm1d(3, { dtype: "float64" });
    bn.loadStateDict({ weight: f64([1.5, -0.5, 2]), bias: f64([0.1, 0.2, 0.3]), running_mean: f64([0, 0, 0]), running_var: f64([1, 1, 1]), num_batches_tracked: tensor([0], { dtype: "int32" }).reshape([]) });
    const x = rand64([4, 3, 5]);
    const y = bn.forward(x);
    const rm = f64([0, 0, 0]), rv = f64([1, 1, 1]);
    const z = F.batchNorm(x.detach(), rm, rv, { weight: f64([1.5, -0.5, 2]), bias: f64([0.1, 0.2, 0.3]), training: true });
    close(y.data(), z.data(), 1e-12, "module vs functional");
    close(bn.runningVar!.data(), rv.data(), 1e-12, "running_var");
    y.sum().backward();
    // Σ_x ∂y/∂β = count; Σ ∂y/∂γ = Σ x̂ = 0.
    close(bn.bias!.grad!.data(), [20, 20, 20], 1e-12, "bias grad");
    close(bn.weight!.grad!.data(), [0, 0, 0], 1e-9, "weight grad");
  });

  test("buffers survive memory scopes on the wasm backend", () => {
    const previous = ts.getBackend().name;
    ts.setBackend("wasm");
    try {
      // 400 float32 channels = 1600 bytes: more than a scope copies out, so only keep() saves it.
      const bn = ts.scope(() => new nn.BatchNorm1d(400));
      for (let step = 0; step < 3; step++) ts.scope(() => bn.forward(ts.ones([2, 400]).mul(step)));
      // running_mean after batches of constant 0, 1, 2: 0 → 0.1·1 = 0.1 → 0.9·0.1 + 0.1·2 = 0.29
      close(bn.runningMean!.data().slice(0, 3), [0.29, 0.29, 0.29], 1e-6, "running_mean");
      assert.equal(bn.numBatchesTracked!.item(), 3);
    } finally {
      ts.setBackend(previous);
    }
  });

  test("printing shows the configuration", () => {
    assert.equal(new nn.BatchNorm2d(16).toString(), "BatchNorm2d(16, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)  # 32 params");
    assert.equal(new nn.BatchNorm1d(4, { momentum: null, affine: false }).extraRepr(), "4, eps=0.00001, momentum=null, affine=false, trackRunningStats=true");
  });

  test("bad configurations and inputs are refused with the rule that failed", () => {
    throwsWith(() => new nn.BatchNorm1d(0), ValueError, ["BatchNorm1d", "numFeatures", "positive integer"]);
    throwsWith(() => new nn.BatchNorm2d(3, { momentum: 1.5 }), ValueError, ["BatchNorm2d", "momentum", "[0, 1]"]);
    throwsWith(() => new nn.BatchNorm2d(3, { eps: 0 }), ValueError, ["eps", "> 0"]);
    throwsWith(() => new nn.BatchNorm2d(3).forward(ts.zeros([2, 3, 4])), ShapeError, ["BatchNorm2d", "[N, C, H, W]", "3-D input", "[2,3,4]"]);
    throwsWith(() => new nn.BatchNorm1d(3).forward(ts.zeros([2, 4])), ShapeError, ["BatchNorm1d", "C = 3", "4 channels", "[2,4]"]);
    throwsWith(() => new nn.BatchNorm1d(3).forward(ts.zeros([1, 3])), ValueError, ["more than 1 value per channel", "[1,3]"]);
    // One value per channel is fine in evaluation mode.
    assert.deepEqual([...new nn.BatchNorm1d(3).eval().forward(ts.zeros([1, 3])).shape], [1, 3]);
    throwsWith(() => F.batchNorm(ts.zeros([2, 3]), null, null), ValueError, ["evaluation mode needs runningMean"]);
    throwsWith(() => F.batchNorm(ts.zeros([2, 3]), ts.zeros([2]), ts.ones([2])), ShapeError, ["runningMean has 2 elements", "3 channels"]);
    throwsWith(() => F.batchNorm(ts.zeros([2]), null, null, { training: true }), ShapeError, ["[N, C, *]", "[2]"]);
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(5));
    model.namedModules();
    throwsWith(() => model.forward(ts.zeros([2, 4])), ShapeError, ["1 (BatchNorm1d)"]);
  });
});

describe("LayerNorm", () => {
  test("each row is standardized over the normalized dims, then scaled elementwise", () => {
    const ln = new nn.LayerNorm(4);
    ln.weight!.copy_(tensor([1, 2, 1, 1]));
    ln.bias!.copy_(tensor([0, 0, 0, 10]));
    const y = ln.forward(tensor([[1, 2, 3, 6], [5, 5, 5, 5]]));
    const s = Math.sqrt(3.5 + 1e-5);
    close(y.data(), [-2 / s, (2 * -1) / s, 0, 3 / s + 10, 0, 0, 0, 10], 1e-5, "layer norm");
    assert.deepEqual(ln.namedParameters().map(([k, p]) => [k, [...p.shape]]), [["weight", [4]], ["bias", [4]]]);
  });

  test("train and eval give the same result; options and printing", () => {
    const ln = new nn.LayerNorm([2, 3], { elementwiseAffine: false, eps: 1e-3 });
    assert.deepEqual(ln.parameters(), []);
    const x = ts.randn([4, 2, 3]);
    close(ln.eval().forward(x).data(), ln.train().forward(x).data(), 0, "modes");
    assert.equal(ln.extraRepr(), "[2,3], eps=0.001, elementwiseAffine=false");
    assert.equal(new nn.LayerNorm(3, { bias: false }).bias, null);
  });

  test("errors name the layer and both shapes", () => {
    throwsWith(() => new nn.LayerNorm(4).forward(ts.zeros([2, 3])), ShapeError, ["LayerNorm", "[*, 4]", "[2,3]"]);
    throwsWith(() => new nn.LayerNorm([]), ValueError, ["at least one dim"]);
    throwsWith(() => F.layerNorm(ts.zeros([2, 3]), 3, { weight: ts.ones([2]) }), ShapeError, ["weight has shape [2]", "normalizedShape is [3]"]);
  });
});

describe("GroupNorm", () => {
  test("one group equals layer norm over [C, *]; C groups normalize each channel alone", () => {
    manualSeed(5);
    const x = ts.randn([2, 4, 3, 3]);
    close(new nn.GroupNorm(1, 4, { affine: false }).forward(x).data(), F.layerNorm(x, [4, 3, 3]).data(), 1e-6, "one group");
    const inst = new nn.GroupNorm(4, 4).forward(x);
    const d = inst.data();
    for (let nc = 0; nc < 8; nc++) {
      const v = Array.from(d.slice(nc * 9, nc * 9 + 9));
      assert.ok(Math.abs(meanOf(v)) < 1e-5 && Math.abs(biasedVar(v) - 1) < 1e-3, `instance ${nc}`);
    }
  });

  test("groups are consecutive channels; affine is per channel", () => {
    const gn = new nn.GroupNorm(2, 4);
    gn.weight!.copy_(tensor([1, 1, 3, 1]));
    // Group 0 = channels 0, 1: values 0, 2 | 4, 6 (mean 3, var 5); group 1 = channels 2, 3: all 1 (var 0 → 0).
    const y = gn.forward(tensor([[[0, 2], [4, 6], [1, 1], [1, 1]]]));
    const s = Math.sqrt(5 + 1e-5);
    close(y.data(), [-3 / s, -1 / s, 1 / s, 3 / s, 0, 0, 0, 0], 1e-5, "group norm");
    assert.deepEqual([...gn.stateDict().keys()], ["weight", "bias"]);
    assert.equal(gn.extraRepr(), "2, 4, eps=0.00001, affine=true");
  });

  test("channels must be divisible by the groups; the input must have numChannels", () => {
    throwsWith(() => new nn.GroupNorm(4, 6), ValueError, ["GroupNorm", "numChannels 6", "divisible by numGroups 4"]);
    throwsWith(() => new nn.GroupNorm(2, 4).forward(ts.zeros([2, 6, 3])), ShapeError, ["GroupNorm", "[N, 4, *]", "[2,6,3]"]);
    throwsWith(() => F.groupNorm(ts.zeros([2, 6]), 4), ValueError, ["6 channels", "not divisible by numGroups 4"]);
  });
});

describe("LocalResponseNorm", () => {
  test("PyTorch's formula: the sum of squares over a window of channels, divided by size, zero beyond the edges", () => {
    // One position, C = 3, size 3: windows {0,1}, {0,1,2}, {1,2}; divisor (k + α/3 · Σx²)^β.
    const x = tensor([[[1], [2], [3]]]);
    const y = new nn.LocalResponseNorm(3, { alpha: 0.3, beta: 0.5, k: 2 }).forward(x);
    const d = (s: number) => Math.sqrt(2 + (0.3 / 3) * s);
    close(y.data(), [1 / d(1 + 4), 2 / d(1 + 4 + 9), 3 / d(4 + 9)], 1e-6, "size 3");
    // Even size 2: channel c sees c − 1 and c (⌊2/2⌋ = 1 before, ⌊1/2⌋ = 0 after).
    const y2 = F.localResponseNorm(x, 2, { alpha: 1, beta: 1, k: 1 });
    close(y2.data(), [1 / (1 + 1 / 2), 2 / (1 + 5 / 2), 3 / (1 + 13 / 2)], 1e-6, "size 2");
  });

  test("defaults alpha 1e-4, beta 0.75, k 1 and errors", () => {
    const lrn = new nn.LocalResponseNorm(5);
    assert.equal(lrn.extraRepr(), "5, alpha=0.0001, beta=0.75, k=1");
    throwsWith(() => lrn.forward(ts.zeros([2, 3])), ShapeError, ["LocalResponseNorm", "at least 3 dims", "[2,3]"]);
    throwsWith(() => new nn.LocalResponseNorm(0), ValueError, ["size", "positive integer"]);
  });
});

/** Direct loops over the formula of src/ops/contrast.ts, for x [N, C, H, W]. */
function lcnReference(x: Tensor, w1: number[]): number[] {
  const [N, C, H, W] = x.shape;
  const d = x.data();
  const r = (w1.length - 1) / 2;
  const at = (n: number, c: number, h: number, w: number) => d[((n * C + c) * H + h) * W + w];
  const localMean = (f: (h: number, w: number) => number, h: number, w: number) => {
    let s = 0;
    let wsum = 0;
    for (let p = -r; p <= r; p++) {
      for (let q = -r; q <= r; q++) {
        if (h + p < 0 || h + p >= H || w + q < 0 || w + q >= W) continue;
        const wt = w1[p + r] * w1[q + r];
        s += wt * f(h + p, w + q);
        wsum += wt;
      }
    }
    return s / wsum;
  };
  const out: number[] = [];
  for (let n = 0; n < N; n++) {
    const m = (h: number, w: number) => localMean((hh, ww) => meanOf(Array.from({ length: C }, (_, c) => at(n, c, hh, ww))), h, w);
    const v = (c: number, h: number, w: number) => at(n, c, h, w) - m(h, w);
    const sigma: number[] = [];
    for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) sigma.push(Math.sqrt(Math.max(localMean((hh, ww) => meanOf(Array.from({ length: C }, (_, c) => v(c, hh, ww) ** 2)), h, w), 1e-8)));
    const cMean = meanOf(sigma);
    for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) out.push(v(c, h, w) / Math.max(sigma[h * W + w], cMean));
  }
  return out;
}

describe("localContrastNorm", () => {
  test("a 3x3 box example worked by hand", () => {
    // x = 1..9 in a 3x3 image, box window 3x3 renormalized at the borders.
    // Local means: corners average 4 pixels, edges 6, the centre 9:
    //   m = [[3, 3.5, 4], [4.5, 5, 5.5], [6, 6.5, 7]]  →  v = x − m = [[-2, -1.5, -1], [-0.5, 0, 0.5], [1, 1.5, 2]]
    // v² = [[4, 2.25, 1], [0.25, 0, 0.25], [1, 2.25, 4]]; its local means σ²:
    //   [[6.5/4, 7.75/6, 3.5/4], [9.75/6, 15/9, 9.75/6], [3.5/4, 7.75/6, 6.5/4]]
    const v = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2];
    const s2 = [6.5 / 4, 7.75 / 6, 3.5 / 4, 9.75 / 6, 15 / 9, 9.75 / 6, 3.5 / 4, 7.75 / 6, 6.5 / 4];
    const sigma = s2.map(Math.sqrt);
    const c = meanOf(sigma); // ≈ 1.1704: where σ is smaller (corners (0, 2), (2, 0) and edges (0, 1), (2, 1)) v is divided by c
    const expected = v.map((vi, i) => vi / Math.max(sigma[i], c));
    const x = f64([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
    close(F.localContrastNorm(x, { size: 3, window: "box" }).data(), expected, 1e-12, "3x3 box");
    assert.ok(Math.abs(expected[2] - -1 / 1.17043) < 1e-5 && Math.abs(expected[0] - -2 / Math.sqrt(1.625)) < 1e-12, "corner (0, 2) uses c, corner (0, 0) its own σ");
  });

  test("matches a direct loop implementation: Gaussian window, several channels, [C, H, W] input", () => {
    manualSeed(9);
    const x = rand64([2, 3, 5, 6], { requiresGrad: false });
    const w1 = [-1, 0, 1].map((p) => Math.exp(-(p * p) / (2 * 1.2 * 1.2)));
    const total = w1.reduce((a, b) => a + b, 0);
    close(F.localContrastNorm(x, { size: 3, sigma: 1.2 }).data(), lcnReference(x, w1.map((v) => v / total)), 1e-12, "gaussian 3x3");
    const box7 = new Array(7).fill(1 / 7);
    close(F.localContrastNorm(x, { size: 7, window: "box" }).data(), lcnReference(x, box7), 1e-12, "box 7x7 larger than the image");
    const single = x.narrow(0, 1, 1);
    close(F.localContrastNorm(single.squeeze(0), { size: 3, sigma: 1.2 }).data(), F.localContrastNorm(single, { size: 3, sigma: 1.2 }).data(), 0, "[C, H, W]");
  });

  test("a constant image maps to zeros; the default window is 9x9 Gaussian", () => {
    // In float64: the local means are exact to ~1e-16, which the σ floor (1e-4) magnifies to ~1e-12.
    const y = F.localContrastNorm(ts.full([1, 2, 12, 12], 3.5, { dtype: "float64" }));
    close(y.data(), new Array(288).fill(0), 1e-10, "constant");
    manualSeed(2);
    const x = rand64([1, 1, 10, 11], { requiresGrad: false });
    const g = Array.from({ length: 9 }, (_, i) => Math.exp(-((i - 4) ** 2) / (2 * 2 * 2)));
    const total = g.reduce((a, b) => a + b, 0);
    close(F.localContrastNorm(x).data(), lcnReference(x, g.map((v) => v / total)), 1e-12, "defaults");
  });

  test("errors", () => {
    throwsWith(() => F.localContrastNorm(ts.zeros([2, 3])), ShapeError, ["localContrastNorm", "[N, C, H, W]", "[2,3]"]);
    throwsWith(() => F.localContrastNorm(ts.zeros([1, 1, 4, 4]), { size: 4 }), ValueError, ["odd", "4"]);
    throwsWith(() => F.localContrastNorm(ts.zeros([1, 1, 4, 4]), { sigma: 0 }), ValueError, ["sigma", "> 0"]);
  });
});
