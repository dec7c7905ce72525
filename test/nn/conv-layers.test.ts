/**
 * The convolution layers beyond Conv2d: Conv1d, Conv3d, ConvTranspose1d/2d, SeparableConv2d, the
 * padding forms and modes. Weight layouts and state-dict keys (PyTorch's), initialisation,
 * equalities that pin the semantics (grouped = convolutions of the channel halves, depthwise =
 * per-channel, conv3d = a sum of conv2d over the depth, transposed = the adjoint), and the
 * errors of impossible configurations.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, tensor, zeros, randn, manualSeed, ShapeError, ValueError, cat, type Tensor } from "../../src/index.js";

const F = nn.functional;

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5, label = ""): void {
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

const shape = (t: Tensor) => [...t.shape];
const keys = (m: nn.Module) => [...m.stateDict().keys()];
const sum = (t: Tensor) => t.sum().item();

describe("weight layouts, state-dict keys and initialisation (PyTorch's)", () => {
  test("Conv1d, Conv3d, ConvTranspose1d/2d, SeparableConv2d", () => {
    const c1 = new nn.Conv1d(4, 6, 3, { groups: 2 });
    assert.deepEqual(shape(c1.weight), [6, 2, 3]);
    const c3 = new nn.Conv3d(4, 8, [2, 3, 5], { groups: 4, bias: false });
    assert.deepEqual(shape(c3.weight), [8, 1, 2, 3, 5]);
    assert.deepEqual(keys(c3), ["weight"]);
    const t1 = new nn.ConvTranspose1d(4, 6, 5, { groups: 2 });
    assert.deepEqual(shape(t1.weight), [4, 3, 5]);
    const t2 = new nn.ConvTranspose2d(16, 8, [3, 4]);
    assert.deepEqual(shape(t2.weight), [16, 8, 3, 4]);
    assert.deepEqual(shape(t2.bias!), [8]);
    assert.deepEqual(keys(t2), ["weight", "bias"]);
    const sep = new nn.SeparableConv2d(32, 64, 3, { padding: 1 });
    assert.deepEqual(keys(sep), ["depthwise.weight", "depthwise.bias", "pointwise.weight", "pointwise.bias"]);
    assert.deepEqual(shape(sep.depthwise.weight), [32, 1, 3, 3]);
    assert.deepEqual(shape(sep.pointwise.weight), [64, 32, 1, 1]);
    const model = new nn.Sequential(new nn.Conv1d(1, 2, 3), new nn.ReLU(), new nn.ConvTranspose1d(2, 1, 3));
    assert.deepEqual(keys(model), ["0.weight", "0.bias", "2.weight", "2.bias"]);
  });

  test("ConvTranspose2d(6, 16, 5): PyTorch's bound 1/√fanIn with fanIn = weight dim 1 · k² = 16·25", () => {
    manualSeed(11);
    const m = new nn.ConvTranspose2d(6, 16, 5);
    const bound = 1 / Math.sqrt(16 * 25);
    const w = m.weight.data();
    const maxAbs = Math.max(...Array.from(w, Math.abs));
    assert.ok(maxAbs <= bound * (1 + 1e-6) && maxAbs > bound * 0.95, `max |w| ${maxAbs} vs bound ${bound}`);
    assert.ok(Math.max(...Array.from(m.bias!.data(), Math.abs)) <= bound * (1 + 1e-6));
    manualSeed(11);
    const c3 = new nn.Conv3d(2, 4, 3);
    const b3 = 1 / Math.sqrt(2 * 27);
    const m3 = Math.max(...Array.from(c3.weight.data(), Math.abs));
    assert.ok(m3 <= b3 * (1 + 1e-6) && m3 > b3 * 0.9, `Conv3d max |w| ${m3} vs ${b3}`);
  });

  test("extraRepr names every non-default option", () => {
    assert.equal(new nn.Conv1d(1, 2, 3, { padding: "same", paddingMode: "reflect" }).extraRepr(), '1, 2, kernelSize=3, padding="same", paddingMode="reflect"');
    assert.equal(new nn.Conv3d(2, 4, [1, 3, 3], { stride: [1, 2, 2], padding: [[0, 1], 1, 1] }).extraRepr(), "2, 4, kernelSize=[1, 3, 3], stride=[1, 2, 2], padding=[[0,1],1,1]");
    assert.equal(new nn.ConvTranspose2d(4, 2, 4, { stride: 2, padding: 1, outputPadding: [1, 0], bias: false }).extraRepr(), "4, 2, kernelSize=4, stride=2, padding=1, outputPadding=[1, 0], bias=false");
    assert.equal(new nn.Conv2d(3, 6, 3, { padding: { total: [1, 3] } }).extraRepr(), '3, 6, kernelSize=3, padding={"total":[1,3]}');
  });
});

describe("what the layers compute", () => {
  test("layers equal their functional forms; unbatched inputs work", () => {
    manualSeed(2);
    const c1 = new nn.Conv1d(2, 3, 4, { stride: 2, padding: "same" });
    const x1 = randn([2, 2, 9]);
    close(c1.forward(x1).data(), F.conv1d(x1, c1.weight, c1.bias, { stride: 2, padding: "same" }).data(), 1e-6, "conv1d");
    assert.deepEqual(shape(c1.forward(x1)), [2, 3, 5]); // ⌈9/2⌉
    assert.deepEqual(shape(c1.forward(randn([2, 9]))), [3, 5]);
    const c3 = new nn.Conv3d(2, 2, 3, { padding: 1 });
    assert.deepEqual(shape(c3.forward(randn([2, 4, 5, 6]))), [2, 4, 5, 6]);
    const t2 = new nn.ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1, outputPadding: 1 });
    const x2 = randn([1, 2, 4, 5]);
    assert.deepEqual(shape(t2.forward(x2)), [1, 3, 8, 10]);
    close(t2.forward(x2).data(), F.convTranspose2d(x2, t2.weight, t2.bias, { stride: 2, padding: 1, outputPadding: 1 }).data(), 1e-6, "convT2d");
    assert.deepEqual(shape(t2.forward(randn([2, 4, 5]))), [3, 8, 10]);
  });

  test("grouped convolution (AlexNet's two towers, groups = 2) = each half of the channels convolved on its own", () => {
    manualSeed(3);
    const conv = new nn.Conv2d(4, 6, 3, { groups: 2, padding: 1 });
    const x = randn([2, 4, 5, 5]);
    const w = conv.weight;
    const b = conv.bias!;
    const top = F.conv2d(x.narrow(1, 0, 2), w.narrow(0, 0, 3), b.narrow(0, 0, 3), { padding: 1 });
    const bottom = F.conv2d(x.narrow(1, 2, 2), w.narrow(0, 3, 3), b.narrow(0, 3, 3), { padding: 1 });
    close(conv.forward(x).data(), cat([top, bottom], 1).data(), 1e-5, "towers");
    // AlexNet conv2: 96 → 256, 5x5, groups 2: 256·48·25 = 307,200 weights (the lectures' 307K)
    assert.equal(new nn.Conv2d(96, 256, 5, { padding: 2, groups: 2, bias: false }).numParameters(), 307200);
  });

  test("depthwise (groups = channels) filters each channel alone", () => {
    manualSeed(4);
    const conv = new nn.Conv1d(3, 3, 3, { groups: 3, bias: false, padding: 1 });
    const x = randn([1, 3, 6]);
    const y = conv.forward(x);
    for (let c = 0; c < 3; c++) {
      const ref = F.conv1d(x.narrow(1, c, 1), conv.weight.narrow(0, c, 1), null, { padding: 1 });
      close(y.narrow(1, c, 1).data(), ref.data(), 1e-5, `channel ${c}`);
    }
  });

  test("conv3d = Σ over the depth kernel of conv2d on depth slices", () => {
    manualSeed(5);
    const x = randn([2, 2, 5, 4, 4]);
    const w = randn([3, 2, 2, 3, 3]);
    const y = F.conv3d(x, w, null, { stride: [2, 1, 1], padding: [0, 1, 1], dilation: [2, 1, 1] });
    assert.deepEqual(shape(y), [2, 3, 2, 4, 4]); // ⌊(5 - 3)/2⌋ + 1 = 2
    for (let od = 0; od < 2; od++) {
      let ref: Tensor | null = null;
      for (let kd = 0; kd < 2; kd++) {
        const slice = x.narrow(2, od * 2 + kd * 2, 1).squeeze(2);
        const part = F.conv2d(slice, w.narrow(2, kd, 1).squeeze(2), null, { padding: 1 });
        ref = ref ? ref.add(part) : part;
      }
      close(y.narrow(2, od, 1).squeeze(2).data(), ref!.data(), 1e-4, `depth ${od}`);
    }
  });

  test("the transposed convolution is the adjoint: <convT(x), y> = <x, conv(y)>", () => {
    manualSeed(6);
    const opts = { stride: [2, 3] as [number, number], padding: [1, 0] as [number, number], dilation: [1, 2] as [number, number], groups: 2 };
    const w = randn([4, 3, 3, 2], { dtype: "float64" });
    const x = randn([2, 4, 3, 4], { dtype: "float64" });
    const up = F.convTranspose2d(x, w, null, opts);
    const y = randn(shape(up), { dtype: "float64" });
    const down = F.conv2d(y, w, null, opts);
    assert.deepEqual(shape(down), shape(x));
    const lhs = sum(up.mul(y));
    const rhs = sum(x.mul(down));
    assert.ok(Math.abs(lhs - rhs) < 1e-9 * Math.max(1, Math.abs(lhs)), `${lhs} vs ${rhs}`);
  });

  test("ConvTranspose2d inverts a stride-2 conv's size; forwardToSize picks among the sizes (PyTorch's output_size)", () => {
    const down = new nn.Conv2d(1, 1, 3, { stride: 2, padding: 1 });
    const up = new nn.ConvTranspose2d(1, 1, 3, { stride: 2, padding: 1 });
    for (const n of [7, 8]) {
      const x = zeros([1, 1, n, n]);
      const h = down.forward(x);
      assert.deepEqual(shape(h), [1, 1, 4, 4]); // both 7 and 8 map to 4
      assert.deepEqual(shape(up.forwardToSize(h, x.shape)), [1, 1, n, n]);
    }
    throwsWith(() => up.forwardToSize(zeros([1, 1, 4, 4]), [9, 9]), ValueError, ["ConvTranspose2d", "[9,9]", "[1,1,4,4]", "[7, 8]"]);
  });

  test("SeparableConv2d = depthwise then pointwise; c·k² + c·f weights instead of f·c·k²", () => {
    manualSeed(7);
    const sep = new nn.SeparableConv2d(8, 16, 3, { padding: 1, bias: false });
    assert.equal(sep.numParameters(), 8 * 9 + 8 * 16);
    assert.equal(new nn.Conv2d(8, 16, 3, { bias: false }).numParameters(), 16 * 8 * 9);
    const x = randn([1, 8, 5, 5]);
    const ref = F.conv2d(F.conv2d(x, sep.depthwise.weight, null, { padding: 1, groups: 8 }), sep.pointwise.weight);
    close(sep.forward(x).data(), ref.data(), 1e-5, "separable");
    const m2 = new nn.SeparableConv2d(3, 4, 3, { depthMultiplier: 2, stride: 2 });
    assert.deepEqual(shape(m2.depthwise.weight), [6, 1, 3, 3]);
    assert.deepEqual(shape(m2.forward(zeros([1, 3, 7, 7]))), [1, 4, 3, 3]);
  });

  test('"same" at stride 2 is TensorFlow\'s rule: ⌈l/s⌉ outputs, the odd pixel of padding at the end', () => {
    manualSeed(8);
    const x = randn([1, 1, 8, 7]);
    const w = randn([1, 1, 3, 3]);
    // H: o = 4, p = max(2·3 + 3 - 8, 0) = 1 → (0, 1); W: o = 4, p = max(6 + 3 - 7, 0) = 2 → (1, 1)
    const same = F.conv2d(x, w, null, { stride: 2, padding: "same" });
    assert.deepEqual(shape(same), [1, 1, 4, 4]);
    close(same.data(), F.conv2d(x, w, null, { stride: 2, padding: [[0, 1], [1, 1]] }).data(), 1e-6, "same s2");
    // and no negative padding when the stride outruns the kernel: l = 9, k = 2, s = 3 → o = 3, p = max(6 + 2 - 9, 0) = 0
    assert.deepEqual(shape(F.conv1d(zeros([1, 1, 9]), zeros([1, 1, 2]), null, { stride: 3, padding: "same" })), [1, 1, 3]);
  });

  test("padding modes: reflect / replicate / circular fill the border from the input", () => {
    const x = tensor([[[1, 2, 3, 4]]]);
    assert.deepEqual([...F.pad(x, [2, 2], "reflect").data()], [3, 2, 1, 2, 3, 4, 3, 2]);
    assert.deepEqual([...F.pad(x, [2, 2], "replicate").data()], [1, 1, 1, 2, 3, 4, 4, 4]);
    assert.deepEqual([...F.pad(x, [2, 2], "circular").data()], [3, 4, 1, 2, 3, 4, 1, 2]);
    assert.deepEqual([...F.pad(x, [1, 0], "constant", 9).data()], [9, 1, 2, 3, 4]);
    assert.deepEqual([...F.pad(x, [1, 0], 9).data()], [9, 1, 2, 3, 4]); // the older pad(x, padding, value)
    // a circular convolution with an identity-shift kernel rotates the signal
    const shift = F.conv1d(x, tensor([[[0, 0, 1]]]), null, { padding: 1, paddingMode: "circular" });
    assert.deepEqual([...shift.data()], [2, 3, 4, 1]);
    const conv = new nn.Conv2d(1, 1, 3, { padding: 1, paddingMode: "replicate", bias: false });
    conv.weight.copy_(zeros([1, 1, 3, 3]).add(1 / 9));
    // a constant image stays constant under a replicate-padded box blur (zeros would darken the edge)
    close(conv.forward(zeros([1, 1, 4, 5]).add(2)).data(), new Array(20).fill(2), 1e-6, "replicate blur");
  });

  test("inside a scope (wasm memory), a conv3d / convTranspose training step leaves only what it keeps", async () => {
    const { scope } = await import("../../src/index.js");
    manualSeed(9);
    const c3 = new nn.Conv3d(2, 2, 3, { padding: 1, paddingMode: "reflect" });
    const t2 = new nn.ConvTranspose2d(2, 1, 3, { stride: 2, outputPadding: 1 });
    for (let i = 0; i < 3; i++) {
      scope(() => {
        c3.zeroGrad();
        t2.zeroGrad();
        const y = c3.forward(randn([1, 2, 3, 4, 4])).sum().add(t2.forward(randn([1, 2, 3, 3])).sum());
        y.backward();
      });
    }
    assert.deepEqual(shape(c3.weight.grad!), [2, 2, 3, 3, 3]);
    assert.ok(Number.isFinite(sum(c3.weight.grad!)) && Number.isFinite(sum(t2.weight.grad!)));
  });
});

describe("errors of impossible configurations name the layer, the input shape and the rule", () => {
  test("at construction", () => {
    throwsWith(() => new nn.Conv1d(3, 4, 3, { groups: 2 }), ValueError, ["Conv1d(3, 4)", "divisible by groups 2"]);
    throwsWith(() => new nn.Conv3d(2, 2, 3, { stride: [1, 0, 1] }), ValueError, ["Conv3d", "stride must be >= 1", "[1,0,1]"]);
    throwsWith(() => new nn.Conv3d(2, 2, [3, 3] as never), ValueError, ["Conv3d", "kernelSize", "3 integers"]);
    throwsWith(() => new nn.Conv1d(1, 1, 3, { dilation: 0 }), ValueError, ["Conv1d", "dilation must be >= 1"]);
    throwsWith(() => new nn.Conv2d(1, 1, 3, { padding: [[1, 2]] }), ValueError, ["Conv2d", "padding must be", "one entry per spatial dim (2)"]);
    throwsWith(() => new nn.Conv2d(1, 1, 3, { padding: [[-1, 2], 0] }), ValueError, ["padding must be >= 0"]);
    throwsWith(() => new nn.Conv2d(1, 1, 3, { paddingMode: "mirror" as never }), ValueError, ["paddingMode must be one of", '"mirror"']);
    throwsWith(() => new nn.Conv1d(1, 1, 3, { padding: "same", stride: 2, dilation: 2 }), ValueError, ['padding "same"', "stride 1 or dilation 1"]);
    throwsWith(() => new nn.ConvTranspose2d(1, 1, 3, { stride: 2, outputPadding: 2 }), ValueError, ["ConvTranspose2d", "outputPadding [2,2]", "smaller than either stride [2,2] or dilation [1,1]"]);
    throwsWith(() => new nn.ConvTranspose1d(1, 1, 3, { padding: "same" as never }), ValueError, ["ConvTranspose1d", '"same"', "not supported by a transposed convolution"]);
    throwsWith(() => new nn.ConvTranspose2d(1, 1, 3, { paddingMode: "reflect" as never }), ValueError, ['only paddingMode "zeros"']);
    throwsWith(() => new nn.ConvTranspose2d(4, 6, 3, { groups: 4 }), ValueError, ["ConvTranspose2d(4, 6)", "divisible by groups 4"]);
    throwsWith(() => new nn.SeparableConv2d(2, 4, 3, { depthMultiplier: 0 }), ValueError, ["SeparableConv2d", "depthMultiplier"]);
  });

  test("at the first forward", () => {
    const model = new nn.Sequential(new nn.Conv1d(1, 2, 5), new nn.Conv3d(2, 2, 2));
    model.parameters(); // records the paths
    throwsWith(() => model.forward(zeros([1, 1, 3])), ShapeError, ["0 (Conv1d)", "[1,1,3]", "kernel spans 5", "padded input is only 3", "rule"]);
    throwsWith(() => (model.children()[1] as nn.Conv3d).forward(zeros([1, 3, 2, 2, 2])), ShapeError, ["1 (Conv3d)", "expects input [N, 2, D, H, W]", "[1,3,2,2,2]"]);
    throwsWith(() => new nn.Conv3d(1, 1, [1, 3, 3], { dilation: [1, 2, 1] }).forward(zeros([1, 1, 2, 4, 4])), ShapeError, ["Conv3d", "[1,1,2,4,4]", "kernel spans 5"]);
    throwsWith(() => new nn.Conv2d(1, 1, 3, { padding: 3, paddingMode: "reflect" }).forward(zeros([1, 1, 3, 5])), ValueError, ["Conv2d", "[1,1,3,5]", "reflect padding (3, 3)", "padding < input size"]);
    throwsWith(() => new nn.Conv1d(1, 1, 1, { padding: 3, paddingMode: "circular" }).forward(zeros([1, 1, 2])), ValueError, ["Conv1d", "wrap around more than once"]);
    throwsWith(() => new nn.ConvTranspose2d(1, 1, 1, { padding: 1 }).forward(zeros([1, 1, 2, 2])), ShapeError, ["ConvTranspose2d", "[1,1,2,2]", "is below 1", "rule"]);
    throwsWith(() => new nn.ConvTranspose1d(2, 1, 3).forward(zeros([1, 3, 4])), ShapeError, ["ConvTranspose1d", "expects input [N, 2, L]", "[1,3,4]"]);
    throwsWith(() => F.convTranspose2d(zeros([1, 3, 4, 4]), zeros([2, 1, 3, 3])), ShapeError, ["convTranspose2d", "3 channels", "[in, out/groups", "[1,3,4,4]"]);
    throwsWith(() => F.pad(zeros([1, 1, 3]), [3, 0], "reflect"), ValueError, ["pad (reflect)", "[1,1,3]", "padding < input size"]);
  });
});

describe("unbatched input", () => {
  test("errors show the shape the caller passed", () => {
    throwsWith(() => new nn.Conv2d(1, 1, 5).forward(zeros([1, 3, 3])), ShapeError, ["Conv2d with input [1,3,3]", "kernel spans 5"]);
    throwsWith(() => F.conv3d(zeros([2, 3, 3, 3]), zeros([1, 1, 2, 2, 2])), ShapeError, ["conv3d", "input has 2 channels", "input shape [2,3,3,3]"]);
  });
});
