/**
 * nn layers: forward shapes and values (against the functional forms and hand-computed numbers),
 * PyTorch's default initialisation statistics, nn.init, and the error messages of bad layers.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, Tensor, tensor, zeros, randn, manualSeed, ShapeError, ValueError } from "../../src/index.js";

const F = nn.functional;

function seq(n: number, shape: number[], scale = 1, offset = 0): Tensor {
  return tensor(Array.from({ length: n }, (_, i) => offset + scale * i), { shape });
}

/** Deterministic, irregular float values. */
function wave(shape: number[], phase = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + phase) * 2), { shape });
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5, label = ""): void {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])), `${label}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function stats(values: ArrayLike<number>): { mean: number; std: number; maxAbs: number } {
  let s = 0;
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    s += values[i];
    maxAbs = Math.max(maxAbs, Math.abs(values[i]));
  }
  const mean = s / values.length;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(v / values.length), maxAbs };
}

/** assert.throws with the error class and every fragment that must appear in the message. */
function throwsWith(fn: () => unknown, cls: new (...a: never[]) => Error, fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    return true;
  });
}

describe("Linear", () => {
  test("forward equals x·Wᵀ + b by hand and F.linear", () => {
    const lin = new nn.Linear(3, 2);
    lin.weight.copy_(tensor([[1, 2, 3], [-1, 0, 0.5]]));
    lin.bias!.copy_(tensor([0.5, -1]));
    const x = tensor([[1, 1, 1], [2, -1, 4]]);
    const y = lin.forward(x);
    assert.deepEqual([...y.shape], [2, 2]);
    // [1+2+3+0.5, -1+0.5-1], [2-2+12+0.5, -2+2-1]
    assert.deepEqual([...y.data()], [6.5, -1.5, 12.5, -1]);
    assert.deepEqual([...y.data()], [...F.linear(x, lin.weight, lin.bias).data()]);
  });

  test("leading dims are kept; bias: false has no bias", () => {
    const lin = new nn.Linear(5, 4, { bias: false });
    assert.equal(lin.bias, null);
    assert.deepEqual(lin.namedParameters().map(([k]) => k), ["weight"]);
    const x = wave([2, 3, 5]);
    const y = lin.forward(x);
    assert.deepEqual([...y.shape], [2, 3, 4]);
    close(y.data(), F.linear(x, lin.weight).data(), 1e-6, "3-D linear");
    // row [1, 2] of the output equals the 2-D forward of that row
    const row = lin.forward(x.reshape([6, 5])).data();
    close(y.data(), row, 1e-6, "3-D vs 2-D");
    assert.equal(lin.extraRepr(), "5 => 4, bias=false");
  });

  test("invalid sizes are refused", () => {
    throwsWith(() => new nn.Linear(0, 3), ValueError, ["inFeatures", "positive integer", "0"]);
    throwsWith(() => new nn.Linear(3, 2.5), ValueError, ["outFeatures", "2.5"]);
  });
});

describe("Conv2d", () => {
  test("hand-computed 2x2 box filter", () => {
    const conv = new nn.Conv2d(1, 1, 2, { bias: false });
    conv.weight.copy_(tensor([[[[1, 1], [1, 1]]]]));
    const x = seq(9, [1, 1, 3, 3]); // 0..8
    const y = conv.forward(x);
    assert.deepEqual([...y.shape], [1, 1, 2, 2]);
    assert.deepEqual([...y.data()], [8, 12, 20, 24]);
  });

  test("bias, padding, stride: shape and values equal F.conv2d", () => {
    manualSeed(1);
    const conv = new nn.Conv2d(2, 4, 3, { padding: 1, stride: 2 });
    const x = wave([2, 2, 7, 7]);
    const y = conv.forward(x);
    assert.deepEqual([...y.shape], [2, 4, 4, 4]);
    const ref = F.conv2d(x, conv.weight, conv.bias, { padding: 1, stride: 2 });
    close(y.data(), ref.data(), 1e-6, "conv");
    // output [0, o, 0, 0]: window rows/cols -1..1 (padded) of both channels, plus bias
    const w = conv.weight.data();
    const xv = x.data();
    const b = conv.bias!.data();
    for (let o = 0; o < 4; o++) {
      let s = b[o];
      for (let c = 0; c < 2; c++) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
        const r = i - 1;
        const q = j - 1;
        if (r < 0 || q < 0) continue;
        s += w[((o * 2 + c) * 3 + i) * 3 + j] * xv[(c * 7 + r) * 7 + q];
      }
      assert.ok(Math.abs(y.data()[o * 16] - s) < 1e-5, `out[0,${o},0,0] ${y.data()[o * 16]} vs ${s}`);
    }
  });

  test("groups, dilation, 'same' and rectangular kernels: shapes and F.conv2d", () => {
    const x = wave([1, 4, 6, 5]);
    const cases: [nn.Conv2d, number[]][] = [
      [new nn.Conv2d(4, 8, 3, { groups: 4 }), [1, 8, 4, 3]],
      [new nn.Conv2d(4, 2, 3, { dilation: 2 }), [1, 2, 2, 1]],
      [new nn.Conv2d(4, 3, [2, 3], { padding: "same" }), [1, 3, 6, 5]],
      [new nn.Conv2d(4, 3, 3, { padding: "valid", bias: false }), [1, 3, 4, 3]],
    ];
    for (const [conv, shape] of cases) {
      const y = conv.forward(x);
      assert.deepEqual([...y.shape], shape, conv.extraRepr());
      const ref = F.conv2d(x, conv.weight, conv.bias, { stride: conv.stride, padding: conv.padding, dilation: conv.dilation, groups: conv.groups });
      close(y.data(), ref.data(), 1e-6, conv.extraRepr());
    }
    assert.deepEqual([...cases[0][0].weight.shape], [8, 1, 3, 3]);
    // 3-D input [C, H, W] gives a 3-D output
    assert.deepEqual([...cases[0][0].forward(wave([4, 6, 5])).shape], [8, 4, 3]);
  });

  test("extraRepr", () => {
    assert.equal(new nn.Conv2d(1, 6, 5, { padding: 2 }).extraRepr(), "1, 6, kernelSize=5, padding=2");
    assert.equal(new nn.Conv2d(4, 8, [2, 3], { stride: 2, groups: 2, bias: false }).extraRepr(), "4, 8, kernelSize=[2, 3], stride=2, groups=2, bias=false");
  });
});

describe("pooling, Flatten, activations", () => {
  test("MaxPool2d and AvgPool2d: hand values", () => {
    const x = seq(16, [1, 1, 4, 4]); // 0..15
    const mp = new nn.MaxPool2d(2).forward(x);
    assert.deepEqual([...mp.shape], [1, 1, 2, 2]);
    assert.deepEqual([...mp.data()], [5, 7, 13, 15]);
    const ap = new nn.AvgPool2d(2).forward(x);
    assert.deepEqual([...ap.data()], [2.5, 4.5, 10.5, 12.5]);
    // stride 1, 3x3 windows: max is the bottom-right corner
    assert.deepEqual([...new nn.MaxPool2d(3, { stride: 1 }).forward(x).data()], [10, 11, 14, 15]);
    // padding 1: the first row of windows covers input row 0 only; countIncludePad (default) still divides by 4
    const apPad = new nn.AvgPool2d(2, { padding: 1 }).forward(x);
    assert.deepEqual([...apPad.shape], [1, 1, 3, 3]);
    assert.equal(apPad.data()[0], 0 / 4); // only x[0,0] = 0 in the window
    assert.equal(apPad.data()[1], (1 + 2) / 4);
    const apPadEx = new nn.AvgPool2d(2, { padding: 1, countIncludePad: false }).forward(x);
    assert.equal(apPadEx.data()[1], (1 + 2) / 2);
  });

  test("pooling layers equal the functional forms", () => {
    const x = wave([2, 3, 7, 6]);
    const mp = new nn.MaxPool2d([3, 2], { stride: [2, 1], padding: 1, ceilMode: true });
    const ymp = mp.forward(x);
    assert.deepEqual([...ymp.data()], [...F.maxPool2d(x, [3, 2], { stride: [2, 1], padding: 1, ceilMode: true }).data()]);
    assert.deepEqual([...ymp.shape], [2, 3, 4, 7]);
    const ap = new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false });
    const yap = ap.forward(x);
    assert.deepEqual([...yap.data()], [...F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }).data()]);
    assert.deepEqual([...yap.shape], [2, 3, 4, 3]);
    assert.equal(mp.extraRepr(), "kernelSize=[3, 2], stride=[2, 1], padding=1, ceilMode=true");
    assert.equal(new nn.AvgPool2d(2).extraRepr(), "kernelSize=2, stride=2");
  });

  test("Flatten keeps values, merges startDim..endDim", () => {
    const x = seq(120, [2, 3, 4, 5]);
    const a = new nn.Flatten().forward(x);
    assert.deepEqual([...a.shape], [2, 60]);
    assert.deepEqual([...a.data()], [...x.data()]);
    assert.deepEqual([...new nn.Flatten(0).forward(x).shape], [120]);
    assert.deepEqual([...new nn.Flatten(1, 2).forward(x).shape], [2, 12, 5]);
    assert.deepEqual([...new nn.Flatten(-2).forward(x).shape], [2, 3, 20]);
    assert.equal(new nn.Identity().forward(x), x);
  });

  test("activations equal hand values and the functional forms", () => {
    const v = [-2, -0.5, 0, 0.5, 3, -1];
    const x = tensor(v, { shape: [2, 3] });
    close(new nn.ReLU().forward(x).data(), v.map((a) => Math.max(0, a)), 1e-7, "relu");
    close(new nn.Sigmoid().forward(x).data(), v.map((a) => 1 / (1 + Math.exp(-a))), 1e-6, "sigmoid");
    close(new nn.Tanh().forward(x).data(), v.map(Math.tanh), 1e-6, "tanh");
    close(new nn.LeakyReLU(0.2).forward(x).data(), v.map((a) => (a > 0 ? a : 0.2 * a)), 1e-6, "leakyRelu");
    close(new nn.LeakyReLU().forward(x).data(), v.map((a) => (a > 0 ? a : 0.01 * a)), 1e-6, "leakyRelu default");
    const rows = [v.slice(0, 3), v.slice(3)];
    const soft = rows.flatMap((r) => {
      const z = r.reduce((s, a) => s + Math.exp(a), 0);
      return r.map((a) => Math.exp(a) / z);
    });
    close(new nn.Softmax(1).forward(x).data(), soft, 1e-6, "softmax");
    close(new nn.LogSoftmax().forward(x).data(), soft.map(Math.log), 1e-5, "logSoftmax");
    // softmax over dim 0: columns sum to 1
    const s0 = new nn.Softmax(0).forward(x).data();
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(s0[j] + s0[3 + j] - 1) < 1e-6);

    const xw = wave([3, 4]);
    assert.deepEqual([...new nn.ReLU().forward(xw).data()], [...F.relu(xw).data()]);
    assert.deepEqual([...new nn.Sigmoid().forward(xw).data()], [...F.sigmoid(xw).data()]);
    assert.deepEqual([...new nn.Tanh().forward(xw).data()], [...F.tanh(xw).data()]);
    assert.deepEqual([...new nn.LeakyReLU(0.3).forward(xw).data()], [...F.leakyRelu(xw, 0.3).data()]);
    assert.deepEqual([...new nn.Softmax(0).forward(xw).data()], [...F.softmax(xw, 0).data()]);
    assert.deepEqual([...new nn.LogSoftmax(1).forward(xw).data()], [...F.logSoftmax(xw, 1).data()]);
    assert.equal(new nn.LeakyReLU(0.2).extraRepr(), "negativeSlope=0.2");
    assert.equal(new nn.Softmax().extraRepr(), "dim=-1");
  });
});

describe("initialisation", () => {
  test("Linear(400, 120): PyTorch default U(±1/√400) for weights and biases", () => {
    manualSeed(42);
    const lin = new nn.Linear(400, 120);
    const bound = 1 / Math.sqrt(400);
    const w = stats(lin.weight.data());
    assert.ok(w.maxAbs <= bound * (1 + 1e-6), `max |w| ${w.maxAbs} > ${bound}`);
    assert.ok(w.maxAbs > bound * 0.99, `max |w| ${w.maxAbs} should approach the bound ${bound}`);
    const expectedStd = bound / Math.sqrt(3);
    assert.ok(Math.abs(w.std - expectedStd) <= 0.1 * expectedStd, `std ${w.std} vs ${expectedStd}`);
    assert.ok(Math.abs(w.mean) < 0.002, `mean ${w.mean}`);
    const b = stats(lin.bias!.data());
    assert.ok(b.maxAbs <= bound * (1 + 1e-6), `max |b| ${b.maxAbs} > ${bound}`);
    assert.ok(b.maxAbs > bound / 2, `biases look unset: max |b| ${b.maxAbs}`);
    assert.equal(lin.weight.dtype, "float32");
  });

  test("Conv2d(6, 16, 5): bound 1/√(6·25)", () => {
    manualSeed(7);
    const conv = new nn.Conv2d(6, 16, 5);
    const bound = 1 / Math.sqrt(150);
    const w = stats(conv.weight.data());
    assert.ok(w.maxAbs <= bound * (1 + 1e-6));
    assert.ok(Math.abs(w.std - bound / Math.sqrt(3)) <= 0.1 * (bound / Math.sqrt(3)), `std ${w.std}`);
    assert.ok(stats(conv.bias!.data()).maxAbs <= bound * (1 + 1e-6));
  });

  test("manualSeed makes initialisation repeatable", () => {
    manualSeed(3);
    const a = new nn.Linear(5, 4).weight.data();
    manualSeed(3);
    const b = new nn.Linear(5, 4).weight.data();
    manualSeed(4);
    const c = new nn.Linear(5, 4).weight.data();
    assert.deepEqual([...a], [...b]);
    assert.notDeepEqual([...a], [...c]);
  });

  test("init.normal_ mean and std; in place, no history", () => {
    manualSeed(11);
    const t = zeros([200, 500], { dtype: "float64" });
    const r = nn.init.normal_(t, 2, 0.5);
    assert.equal(r, t);
    const s = stats(t.data());
    assert.ok(Math.abs(s.mean - 2) < 0.01, `mean ${s.mean}`);
    assert.ok(Math.abs(s.std - 0.5) < 0.01, `std ${s.std}`);
    const p = new nn.Parameter(zeros([1000]));
    nn.init.normal_(p);
    assert.equal(p.gradFn, null);
    assert.equal(p.requiresGrad, true);
    const sp = stats(p.data());
    assert.ok(Math.abs(sp.mean) < 0.1 && Math.abs(sp.std - 1) < 0.1, `N(0,1): mean ${sp.mean}, std ${sp.std}`);
  });

  test("init.constant_, zeros_, ones_, uniform_, xavier and kaiming bounds", () => {
    manualSeed(5);
    const t = zeros([30, 20]);
    assert.ok([...nn.init.constant_(t, 0.25).data()].every((v) => v === 0.25));
    assert.ok([...nn.init.zeros_(t).data()].every((v) => v === 0));
    assert.ok([...nn.init.ones_(t).data()].every((v) => v === 1));
    // resets non-finite values too (a diverged parameter)
    const bad = tensor([Infinity, Number.NaN, -Infinity, 2], { dtype: "float64" });
    assert.deepEqual([...nn.init.zeros_(bad).data()], [0, 0, 0, 0]);
    assert.deepEqual([...nn.init.constant_(bad.copy_(tensor([Number.NaN, 1, 2, 3])), -1.5).data()], [-1.5, -1.5, -1.5, -1.5]);
    const u = stats(nn.init.uniform_(t, -3, -1).data());
    assert.ok(u.maxAbs <= 3 && [...t.data()].every((v) => v >= -3 && v < -1));
    const xb = Math.sqrt(6 / (20 + 30));
    assert.ok(stats(nn.init.xavierUniform_(t).data()).maxAbs <= xb * (1 + 1e-6));
    const kb = Math.sqrt(2) * Math.sqrt(3 / 20);
    assert.ok(stats(nn.init.kaimingUniform_(t, { nonlinearity: "relu" }).data()).maxAbs <= kb * (1 + 1e-6));
    assert.equal(nn.init.calculateGain("tanh"), 5 / 3);
    assert.deepEqual(nn.init.fans(zeros([16, 6, 5, 5])), { fanIn: 150, fanOut: 400 });
  });
});

describe("layer error messages", () => {
  test("Linear given the wrong number of features names its path and both sizes", () => {
    const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU());
    model.parameters(); // the root walk records each layer's path
    throwsWith(() => model.forward(zeros([2, 1, 28, 28])), ShapeError, ["1 (Linear)", "400", "784", "[2,784]"]);
  });

  test("nested path after namedModules()", () => {
    const model = new nn.Sequential({ features: new nn.Sequential(new nn.Conv2d(1, 4, 3)), classifier: new nn.Sequential(new nn.Flatten(), new nn.Linear(10, 2)) });
    model.namedModules();
    throwsWith(() => model.forward(zeros([1, 1, 5, 5])), ShapeError, ["classifier.1 (Linear)", "36", "10"]);
    throwsWith(() => model.forward(zeros([1, 3, 5, 5])), ShapeError, ["features.0 (Conv2d)", "[1,3,5,5]", "1"]);
  });

  test("Conv2d: channels not divisible by groups", () => {
    throwsWith(() => new nn.Conv2d(3, 4, 3, { groups: 2 }), ValueError, ["Conv2d(3, 4)", "divisible by groups 2"]);
    throwsWith(() => new nn.Conv2d(4, 6, 3, { groups: 4 }), ValueError, ["divisible by groups 4"]);
    throwsWith(() => new nn.Conv2d(4, 4, 3, { groups: 0 }), ValueError, ["groups must be a positive integer", "0"]);
  });

  test("Conv2d: zero stride, negative padding", () => {
    throwsWith(() => new nn.Conv2d(1, 1, 3, { stride: 0 }), ValueError, ["Conv2d", "stride must be >= 1", "0"]);
    throwsWith(() => new nn.Conv2d(1, 1, 3, { stride: [1, 0] }), ValueError, ["stride must be >= 1", "[1,0]"]);
    throwsWith(() => new nn.Conv2d(1, 1, 3, { padding: -1 }), ValueError, ["padding must be >= 0"]);
  });

  test("Conv2d: padding 'same' with stride 2 follows TensorFlow's rule; with dilation too it is refused", () => {
    // Output ⌈7/2⌉ = 4 (see test/nn/conv-layers.test.ts for the values).
    assert.deepEqual([...new nn.Conv2d(1, 1, 3, { padding: "same", stride: 2 }).forward(zeros([1, 1, 7, 7])).shape], [1, 1, 4, 4]);
    throwsWith(() => new nn.Conv2d(1, 1, 3, { padding: "same", stride: 2, dilation: 2 }), ValueError, ['padding "same"', "stride [2,2]", "dilation [2,2]", "stride 1 or dilation 1"]);
  });

  test("Conv2d: kernel larger than the padded input gives the input shape and the rule", () => {
    const model = new nn.Sequential(new nn.Conv2d(1, 2, 5, { padding: 0 }));
    model.parameters();
    throwsWith(() => model.forward(zeros([1, 1, 3, 3])), ShapeError, [
      "0 (Conv2d)",
      "[1,1,3,3]",
      "kernel spans 5",
      "padded input is only 3",
      "rule: dilation*(kernel-1)+1 <= input + padding",
    ]);
    // with padding 1 the padded input is 5: fits exactly, one output
    assert.deepEqual([...new nn.Conv2d(1, 2, 5, { padding: 1 }).forward(zeros([1, 1, 3, 3])).shape], [1, 2, 1, 1]);
  });

  test("MaxPool2d: padding greater than half the kernel", () => {
    throwsWith(() => new nn.MaxPool2d(2, { padding: 2 }).forward(zeros([1, 1, 6, 6])), ValueError, ["padding 2", "kernel size 2", "rule: padding <= kernel/2"]);
    throwsWith(() => new nn.MaxPool2d(3, { padding: 2 }).forward(zeros([1, 1, 6, 6])), ValueError, ["rule: padding <= kernel/2"]);
    // padding 1 with kernel 2 is allowed: (6 + 2 - 2)/2 + 1 = 4
    assert.deepEqual([...new nn.MaxPool2d(2, { padding: 1 }).forward(zeros([1, 1, 6, 6])).shape], [1, 1, 4, 4]);
  });

  test("pooling: wrong rank and zero kernel", () => {
    throwsWith(() => new nn.MaxPool2d(2).forward(zeros([4, 4])), ShapeError, ["MaxPool2d", "[4,4]"]);
    throwsWith(() => new nn.AvgPool2d(0), ValueError, ["kernelSize must be >= 1"]);
  });

  test("a Linear with float64 parameters gives float64 output", () => {
    const lin = new nn.Linear(3, 2);
    lin.weight = new nn.Parameter(lin.weight.to("float64"));
    lin.bias = new nn.Parameter(lin.bias!.to("float64"));
    const y = lin.forward(randn([4, 3], { dtype: "float64" }));
    assert.equal(y.dtype, "float64");
    assert.deepEqual([...y.shape], [4, 2]);
  });
});
