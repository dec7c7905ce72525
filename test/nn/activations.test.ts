/**
 * The activation bricks: hand values, PyTorch's gradients at the kinks, float64 gradchecks,
 * large inputs, float32 against float64, erf's accuracy, PReLU and Maxout layers, and errors.
 * (Parity with PyTorch over whole grids is in test/ops/parity-act.test.ts.)
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, tensor, erf, gradcheck, manualSeed, randn, ShapeError, ValueError, type Tensor } from "../../src/index.js";
import { awayFrom, f64, rand64 } from "../helpers/tensors.js";

const F = nn.functional;

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    const ok = Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i]));
    assert.ok(ok, `${label}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function throwsWith(fn: () => unknown, cls: new (...a: never[]) => Error, fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    return true;
  });
}

/** d sum(f(x)) / dx at the given points (float64). */
function gradAt(f: (x: Tensor) => Tensor, points: number[]): number[] {
  const x = f64(points, [points.length], true);
  f(x).sum().backward();
  return [...x.grad!.data()];
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

const XS = [-3, -1, -0.25, 0, 0.5, 2, 7];

describe("activation layers: values", () => {
  test("ELU, SELU, SiLU, ReLU6, Hardtanh, Softplus equal their formulas (layer and functional)", () => {
    const x = f64(XS, [XS.length]);
    const cases: [nn.Module, (x: Tensor) => Tensor, (v: number) => number][] = [
      [new nn.ELU(), (t) => F.elu(t), (v) => (v > 0 ? v : Math.exp(v) - 1)],
      [new nn.ELU(0.5), (t) => F.elu(t, 0.5), (v) => (v > 0 ? v : 0.5 * (Math.exp(v) - 1))],
      [new nn.SELU(), F.selu, (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * (Math.exp(v) - 1))],
      [new nn.SiLU(), F.silu, (v) => v * sigmoid(v)],
      [new nn.ReLU6(), F.relu6, (v) => Math.min(Math.max(v, 0), 6)],
      [new nn.Hardtanh(), (t) => F.hardtanh(t), (v) => Math.min(Math.max(v, -1), 1)],
      [new nn.Hardtanh(-2, 0.5), (t) => F.hardtanh(t, -2, 0.5), (v) => Math.min(Math.max(v, -2), 0.5)],
      [new nn.Softplus(), (t) => F.softplus(t), (v) => Math.log1p(Math.exp(v))],
      [new nn.Softplus(2, 3), (t) => F.softplus(t, 2, 3), (v) => (2 * v > 3 ? v : Math.log1p(Math.exp(2 * v)) / 2)],
    ];
    for (const [layer, fn, ref] of cases) {
      const label = `${layer.constructor.name}(${layer.extraRepr()})`;
      close(layer.forward(x).data(), XS.map(ref), 1e-14, label);
      assert.deepEqual([...fn(x).data()], [...layer.forward(x).data()], `${label}: layer vs functional`);
    }
  });

  test("GELU: exact values of x·Φ(x) and the tanh approximation", () => {
    // x·Φ(x) at -1, 0, 1, 2 (Φ from erf: 0.5·(1 + erf(x/√2)))
    const x = f64([-1, 0, 1, 2], [4]);
    close(new nn.GELU().forward(x).data(), [-0.15865525393145707, 0, 0.8413447460685429, 1.9544997361036416], 1e-15, "gelu exact");
    const tanhForm = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    close(new nn.GELU("tanh").forward(x).data(), [-1, 0, 1, 2].map(tanhForm), 1e-14, "gelu tanh");
    assert.equal(new nn.GELU("tanh").extraRepr(), 'approximate="tanh"');
  });

  test("softplus stays finite and linear where PyTorch's log1p(exp) would overflow", () => {
    const y = F.softplus(f64([800, -800, 30], [3]), 1, 1000);
    assert.deepEqual([...y.data()], [800, 0, 30 + Math.log1p(Math.exp(-30))]);
    // small outputs keep their relative precision: softplus(-30) = log1p(e^-30)
    close(F.softplus(f64([-30], [1])).data(), [Math.log1p(Math.exp(-30))], 1e-15, "softplus(-30)");
  });
});

describe("activation layers: gradients at the kinks are PyTorch's", () => {
  test("ReLU, LeakyReLU (existing) at 0", () => {
    assert.deepEqual(gradAt(F.relu, [-1, 0, 1]), [0, 0, 1]);
    assert.deepEqual(gradAt((x) => F.leakyRelu(x, 0.2), [-1, 0, 1]), [0.2, 0.2, 1]);
  });

  test("ELU and SELU take the x <= 0 side at 0: alpha and scale·alpha", () => {
    assert.deepEqual(gradAt((x) => F.elu(x, 0.7), [0, 1]), [0.7, 1]);
    close(gradAt(F.selu, [0, 1]), [SELU_SCALE * SELU_ALPHA, SELU_SCALE], 1e-15, "selu'");
  });

  test("Hardtanh and ReLU6 pass no gradient at their bounds", () => {
    assert.deepEqual(gradAt((x) => F.hardtanh(x), [-1.5, -1, -0.5, 1, 1.5]), [0, 0, 1, 0, 0]);
    assert.deepEqual(gradAt(F.relu6, [-1, 0, 3, 6, 7]), [0, 0, 1, 0, 0]);
  });

  test("Softplus: σ(βx) up to the threshold, 1 beyond it", () => {
    const g = gradAt((x) => F.softplus(x, 2, 3), [1.5, 1.5001, 0]);
    close(g, [sigmoid(3), 1, 0.5], 1e-15, "softplus'");
  });

  test("GELU and SiLU at 0 have slope 1/2", () => {
    close(gradAt((x) => F.gelu(x), [0]), [0.5], 1e-15, "gelu'(0)");
    close(gradAt((x) => F.gelu(x, "tanh"), [0]), [0.5], 1e-15, "gelu tanh'(0)");
    close(gradAt(F.silu, [0]), [0.5], 1e-15, "silu'(0)");
  });

  test("PReLU at 0: slope a for x, nothing for a", () => {
    const x = f64([0, -2, 3], [3], true);
    const w = f64([0.25], [1], true);
    F.prelu(x, w).sum().backward();
    assert.deepEqual([...x.grad!.data()], [0.25, 0.25, 1]);
    assert.deepEqual([...w.grad!.data()], [-2]);
  });
});

describe("activation layers: gradcheck (float64)", () => {
  test("every activation away from its kinks", () => {
    manualSeed(7);
    // Moves draws within 0.05 of a kink 0.1 away from it (finite differences straddling a kink are wrong).
    const off = (kinks: number[]) => (v: number) => kinks.reduce((u, p) => (Math.abs(u - p) < 0.05 ? u + (u >= p ? 0.1 : -0.1) : u), v);
    const fns: [string, (x: Tensor) => Tensor, number[]][] = [
      ["elu", (x) => F.elu(x, 0.8), [0]],
      ["selu", F.selu, [0]],
      ["gelu", (x) => F.gelu(x), []],
      ["gelu tanh", (x) => F.gelu(x, "tanh"), []],
      ["silu", F.silu, []],
      ["softplus", (x) => F.softplus(x, 1.5, 2), [2 / 1.5]],
      ["hardtanh", (x) => F.hardtanh(x, -0.5, 1), [-0.5, 1]],
      ["relu6", (x) => F.relu6(x.mul(4)), [0, 1.5]],
      ["erf", erf, []],
    ];
    for (const [name, fn, kinks] of fns) {
      const x = rand64([3, 5], { scale: 1.5, map: off(kinks) });
      assert.ok(gradcheck(fn, [x]), name);
    }
  });

  test("PReLU with per-channel slopes: input and weight", () => {
    manualSeed(8);
    const x = rand64([2, 3, 2, 2], { map: awayFrom(0, 0.05) });
    const w = rand64([3], { scale: 0.3 });
    assert.ok(gradcheck((a, b) => F.prelu(a, b), [x, w]));
  });

  test("maxout (functional and layer)", () => {
    manualSeed(9);
    const x = rand64([2, 6, 2]);
    assert.ok(gradcheck((t) => F.maxout(t, 3, 1), [x]));
    const layer = new nn.Maxout(3, 2, 2);
    const w = f64([...layer.weight.data()], [4, 3], true);
    const b = f64([...layer.bias!.data()], [4], true);
    const xin = rand64([5, 3]);
    assert.ok(gradcheck((t, ww, bb) => F.maxout(F.linear(t, ww, bb), 2, -1), [xin, w, b]));
  });
});

describe("activation layers: large inputs and float32", () => {
  test("no NaN or Infinity in outputs or gradients at ±1000", () => {
    const fns: [string, (x: Tensor) => Tensor][] = [
      ["elu", (x) => F.elu(x)],
      ["selu", F.selu],
      ["gelu", (x) => F.gelu(x)],
      ["gelu tanh", (x) => F.gelu(x, "tanh")],
      ["silu", F.silu],
      ["softplus", (x) => F.softplus(x)],
      ["softplus, large threshold", (x) => F.softplus(x, 1, 5000)],
      ["erf", erf],
    ];
    for (const [name, fn] of fns) {
      const x = f64([-1000, -60, 60, 1000], [4], true);
      const y = fn(x);
      y.sum().backward();
      for (const v of [...y.data(), ...x.grad!.data()]) assert.ok(Number.isFinite(v), `${name}: ${[...y.data()]} / ${[...x.grad!.data()]}`);
    }
  });

  test("float32 results equal float64 ones to float32 precision", () => {
    manualSeed(10);
    const x64 = randn([4, 25], { dtype: "float64" }).mul(4);
    const x32 = x64.float();
    const fns: [string, (x: Tensor) => Tensor][] = [
      ["elu", (x) => F.elu(x)],
      ["selu", F.selu],
      ["gelu", (x) => F.gelu(x)],
      ["gelu tanh", (x) => F.gelu(x, "tanh")],
      ["silu", F.silu],
      ["softplus", (x) => F.softplus(x, 2, 3)],
      ["hardtanh", (x) => F.hardtanh(x)],
      ["relu6", F.relu6],
      ["erf", erf],
    ];
    for (const [name, fn] of fns) {
      const y32 = fn(x32);
      assert.equal(y32.dtype, "float32", name);
      close(y32.data(), fn(x64).data(), 3e-6, name);
    }
  });
});

describe("erf", () => {
  test("matches reference values to a few ulp, keeps -0, saturates, passes NaN", () => {
    // erf values to 16+ digits (DLMF / mpmath)
    const ref: [number, number][] = [
      [1e-20, 1.1283791670955126e-20],
      [-0.1, -0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [2.5, 0.999593047982555],
      [3, 0.9999779095030014],
      [-4, -0.9999999845827421],
      [5.9, 0.9999999999999999],
    ];
    const y = erf(f64(ref.map((r) => r[0]), [ref.length])).data();
    ref.forEach(([x, v], i) => assert.ok(Math.abs(y[i] - v) <= 4 * Number.EPSILON * Math.abs(v), `erf(${x}) = ${y[i]}, expected ${v}`));
    const special = erf(f64([-0, 6, -30, Infinity, -Infinity, NaN], [6])).data();
    assert.ok(Object.is(special[0], -0), "erf(-0) = -0");
    assert.deepEqual([...special.slice(1, 5)], [1, -1, 1, -1]);
    assert.ok(Number.isNaN(special[5]));
  });

  test("refuses integer tensors", () => {
    throwsWith(() => erf(tensor([1, 2], { dtype: "int32" })), ValueError, ["erf", "int32"]);
  });
});

describe("PReLU", () => {
  test("one shared slope by default, initialised to 0.25, state key 'weight'", () => {
    const p = new nn.PReLU();
    assert.deepEqual([...p.stateDict().keys()], ["weight"]);
    assert.deepEqual([...p.weight.shape], [1]);
    assert.deepEqual([...p.weight.data()], [0.25]);
    assert.deepEqual([...p.forward(tensor([-4, 0, 2])).data()], [-1, 0, 2]);
    assert.equal(p.extraRepr(), "numParameters=1");
  });

  test("one slope per channel (dim 1), custom init; gradients reach the slopes", () => {
    const p = new nn.PReLU(2, 0.1);
    assert.equal(p.numParameters(), 2);
    p.weight.copy_(tensor([0.1, 0.5]));
    const x = tensor([[[-2, 4]], [[-2, -4]]]).reshape([1, 2, 2]); // [N=1, C=2, L=2]
    const y = p.forward(x);
    assert.deepEqual([...y.data()].map((v) => +v.toFixed(6)), [-0.2, 4, -1, -2]);
    y.sum().backward();
    assert.deepEqual([...p.weight.grad!.data()], [-2, -6]);
  });

  test("errors name the layer, the input shape and the rule", () => {
    const model = new nn.Sequential(new nn.PReLU(3));
    model.namedModules();
    throwsWith(() => model.forward(tensor([[1, 2]])), ShapeError, ["0 (PReLU)", "3 slopes", "[1,2]", "one per channel"]);
    throwsWith(() => new nn.PReLU(0), ValueError, ["PReLU", "numParameters", "0"]);
    throwsWith(() => F.prelu(tensor([1]), tensor([[0.1]])), ShapeError, ["scalar or 1-D"]);
  });
});

describe("Maxout", () => {
  test("the lectures' form: max(w1ᵀx + b1, w2ᵀx + b2) per unit", () => {
    const m = new nn.Maxout(2, 2, 2);
    // unit 0: pieces rows 0, 1; unit 1: rows 2, 3
    m.weight.copy_(tensor([[1, 0], [0, 1], [1, 1], [-1, -1]]));
    m.bias!.copy_(tensor([0, 0.5, 0, 0]));
    const y = m.forward(tensor([[2, -3], [-1, 1]]));
    assert.deepEqual([...y.shape], [2, 2]);
    // x=(2,-3): unit0 max(2, -2.5) = 2, unit1 max(-1, 1) = 1; x=(-1,1): max(-1, 1.5), max(0, 0)
    assert.deepEqual([...y.data()], [2, 1, 1.5, 0]);
  });

  test("weights [out·pieces, in] under PyTorch Linear keys; default init bound 1/√in", () => {
    manualSeed(3);
    const m = new nn.Maxout(16, 4, 3);
    assert.deepEqual([...m.stateDict().keys()], ["weight", "bias"]);
    assert.deepEqual([...m.weight.shape], [12, 16]);
    assert.ok([...m.weight.data()].every((v) => Math.abs(v) <= 0.25));
    assert.equal(m.extraRepr(), "16 => 4, pieces=3");
    assert.equal(new nn.Maxout(3, 2, 2, { bias: false }).bias, null);
    // leading dims are kept
    assert.deepEqual([...m.forward(randn([2, 5, 16])).shape], [2, 5, 4]);
  });

  test("functional maxout over channels; the gradient goes to the winning piece", () => {
    const x = f64([1, 5, -2, -7, 3, 3], [1, 6], true);
    const y = F.maxout(x, 2, 1);
    assert.deepEqual([...y.data()], [5, -2, 3]);
    y.sum().backward();
    assert.deepEqual([...x.grad!.data()], [0, 1, 1, 0, 1, 0]); // tie: the first piece
  });

  test("errors", () => {
    throwsWith(() => F.maxout(randn([2, 5]), 2), ShapeError, ["maxout", "[2,5]", "5", "pieces = 2"]);
    throwsWith(() => new nn.Maxout(3, 2, 0), ValueError, ["pieces", "0"]);
    throwsWith(() => new nn.Maxout(3, 2).forward(randn([4, 5])), ShapeError, ["Maxout", "5 features", "expects 3"]);
  });
});

describe("activation layer configuration errors", () => {
  test("bad options are refused at construction", () => {
    throwsWith(() => new nn.GELU("fast" as "tanh"), ValueError, ["GELU", "approximate", "fast"]);
    throwsWith(() => F.gelu(randn([2]), "fast" as "tanh"), ValueError, ["gelu", "fast"]);
    throwsWith(() => new nn.Softplus(0), ValueError, ["Softplus", "beta"]);
    throwsWith(() => new nn.Hardtanh(1, 1), ValueError, ["Hardtanh", "maxVal (1)", "minVal (1)"]);
    throwsWith(() => F.elu(tensor([1], { dtype: "int32" })), ValueError, ["elu", "int32"]);
  });
});
