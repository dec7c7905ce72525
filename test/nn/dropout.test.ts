/**
 * Dropout, Dropout2d and AlphaDropout. Their masks come from Tessera's generator, not PyTorch's,
 * so they are tested by their statistics (fraction dropped, mean and variance preserved, over
 * many elements with tolerances of several standard errors), by exact values of kept and dropped
 * units, by determinism under a seed, by the identity in evaluation mode, and by gradients that
 * equal the mask's scale.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import * as ts from "../../src/index.js";
import { nn, gradcheck, manualSeed, Generator, ValueError, ShapeError, type Tensor } from "../../src/index.js";
import { rand64 } from "../helpers/tensors.js";

const F = nn.functional;
const ALPHA = 1.7580993408473766;

function throwsWith(fn: () => unknown, cls: new (...a: never[]) => Error, fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    return true;
  });
}

function moments(values: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  const mean = s / values.length;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (values[i] - mean) ** 2;
  return { mean, variance: v / values.length };
}

/** |observed fraction − p| within 5 standard errors of a binomial proportion over n trials. */
function assertFraction(dropped: number, n: number, p: number, label: string): void {
  const tol = 5 * Math.sqrt((p * (1 - p)) / n);
  assert.ok(Math.abs(dropped / n - p) <= tol, `${label}: dropped ${dropped}/${n} = ${dropped / n}, expected ${p} ± ${tol}`);
}

describe("Dropout", () => {
  for (const p of [0.1, 0.5, 0.8]) {
    test(`p = ${p}: about p of the units are zeroed, the rest scaled by exactly 1/(1 − p), the mean kept`, () => {
      manualSeed(1);
      const n = 200_000;
      const x = ts.full([n], 2, { dtype: "float64" });
      const y = F.dropout(x, p).data();
      let dropped = 0;
      for (let i = 0; i < n; i++) {
        if (y[i] === 0) dropped++;
        else assert.equal(y[i], 2 / (1 - p), `kept unit ${i}`);
      }
      assertFraction(dropped, n, p, `p = ${p}`);
      // E[y] = 2; sd of one unit is 2·√(p/(1 − p)), so the mean's tolerance is 5 of its standard errors.
      const tol = (5 * 2 * Math.sqrt(p / (1 - p))) / Math.sqrt(n);
      assert.ok(Math.abs(moments(y).mean - 2) <= tol, `mean ${moments(y).mean}`);
    });
  }

  test("the same seed gives the same mask; another seed or generator another one", () => {
    const x = ts.ones([1000]);
    manualSeed(42);
    const a = F.dropout(x, 0.5).data();
    manualSeed(42);
    const b = F.dropout(x, 0.5).data();
    assert.deepEqual(a, b);
    manualSeed(43);
    assert.notDeepEqual(F.dropout(x, 0.5).data(), a);
    const fromGenerator = (seed: number) => F.dropout(x, 0.5, { generator: new Generator(seed) }).data();
    assert.deepEqual(fromGenerator(7), fromGenerator(7));
    // The layer draws from the default generator too.
    manualSeed(42);
    assert.deepEqual(new nn.Dropout(0.5).forward(x).data(), a);
  });

  test("evaluation mode, p = 0 and training: false are the identity", () => {
    const x = ts.randn([3, 4]);
    const layer = new nn.Dropout(0.5);
    assert.equal(layer.eval().forward(x), x);
    assert.equal(F.dropout(x, 0), x);
    assert.equal(F.dropout(x, 0.9, { training: false }), x);
    const model = new nn.Sequential(new nn.Linear(4, 4), new nn.Dropout(0.5)).eval();
    assert.deepEqual(model.forward(x).data(), model.at(0).forward(x).data());
  });

  test("p = 1 gives zeros and zero gradients", () => {
    const x = ts.randn([2, 5]).requiresGrad_();
    const y = new nn.Dropout(1).forward(x);
    // x·0, as PyTorch computes it: -0 for negative x, which equals 0.
    assert.ok(Array.from(y.data()).every((v) => v === 0), `output ${y.data()}`);
    y.sum().backward();
    assert.ok(Array.from(x.grad!.data()).every((v) => v === 0), `grad ${x.grad!.data()}`);
  });

  test("the gradient is the mask: 1/(1 − p) on kept units, 0 on dropped ones", () => {
    manualSeed(5);
    const x = ts.randn([50, 40]).add(10).requiresGrad_(); // far from 0, so y = 0 means dropped
    const y = F.dropout(x, 0.3);
    y.sum().backward();
    const yd = y.data();
    const g = x.grad!.data();
    for (let i = 0; i < yd.length; i++) assert.equal(g[i], yd[i] === 0 ? 0 : Math.fround(1 / 0.7), `grad ${i}`);
  });

  test("gradcheck with a fixed generator", () => {
    manualSeed(3);
    const x = rand64([4, 5]);
    assert.equal(gradcheck((t) => F.dropout(t, 0.4, { generator: new Generator(11) }), [x]), true);
  });

  test("p outside [0, 1] is refused by the layer and the function", () => {
    throwsWith(() => new nn.Dropout(1.5), ValueError, ["Dropout", "p must be in [0, 1]", "1.5"]);
    throwsWith(() => new nn.Dropout(-0.1), ValueError, ["-0.1"]);
    throwsWith(() => new nn.AlphaDropout(Number.NaN), ValueError, ["AlphaDropout", "NaN"]);
    throwsWith(() => F.dropout(ts.ones([2]), 2), ValueError, ["dropout", "[0, 1]"]);
    throwsWith(() => F.dropout(ts.ones([2], { dtype: "int32" }), 0.5), ValueError, ["float"]);
    assert.equal(new nn.Dropout2d(0.25).toString(), "Dropout2d(p=0.25)");
  });
});

describe("Dropout2d", () => {
  test("whole channels are dropped or kept; the fraction of dropped channels is near p", () => {
    manualSeed(8);
    const [N, C, H, W] = [40, 100, 3, 2];
    const y = new nn.Dropout2d(0.3).forward(ts.ones([N, C, H, W], { dtype: "float64" })).data();
    let dropped = 0;
    for (let nc = 0; nc < N * C; nc++) {
      const plane = Array.from(y.slice(nc * H * W, (nc + 1) * H * W));
      const first = plane[0];
      assert.ok(first === 0 || first === 1 / 0.7, `plane ${nc} value ${first}`);
      assert.ok(plane.every((v) => v === first), `plane ${nc} is not uniform: ${plane}`);
      if (first === 0) dropped++;
    }
    assertFraction(dropped, N * C, 0.3, "channels");
  });

  test("[C, H, W] input drops channels of the single image; gradient is the channel mask", () => {
    manualSeed(9);
    const x = ts.randn([6, 2, 2], { dtype: "float64" }).add(5).requiresGrad_();
    const y = F.dropout2d(x, 0.5);
    y.sum().backward();
    const yd = y.data();
    const g = x.grad!.data();
    for (let c = 0; c < 6; c++) {
      const kept = yd[c * 4] !== 0;
      for (let i = c * 4; i < c * 4 + 4; i++) assert.equal(g[i], kept ? 2 : 0, `channel ${c}`);
    }
  });

  test("eval identity and shape errors", () => {
    const x = ts.randn([2, 3, 4, 4]);
    assert.equal(new nn.Dropout2d().eval().forward(x), x);
    throwsWith(() => new nn.Dropout2d().forward(ts.ones([2, 3])), ShapeError, ["Dropout2d", "[N, C, H, W] or [C, H, W]", "[2,3]"]);
  });
});

describe("AlphaDropout", () => {
  const a = (p: number) => 1 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));

  test("kept units are a·x + a·α'·p, dropped ones a·α'·(p − 1): PyTorch's constants", () => {
    manualSeed(4);
    const p = 0.2;
    const x = ts.randn([5000], { dtype: "float64" });
    const y = F.alphaDropout(x, p).data();
    const xd = x.data();
    let dropped = 0;
    for (let i = 0; i < y.length; i++) {
      const kept = a(p) * xd[i] + a(p) * ALPHA * p;
      const gone = a(p) * ALPHA * (p - 1);
      if (Math.abs(y[i] - gone) < 1e-12) dropped++;
      else assert.ok(Math.abs(y[i] - kept) < 1e-12, `unit ${i}: ${y[i]} is neither ${kept} nor ${gone}`);
    }
    assertFraction(dropped, y.length, p, "alpha dropout");
  });

  test("zero mean and unit variance of a standard normal input are preserved", () => {
    manualSeed(6);
    const n = 200_000;
    for (const p of [0.1, 0.5]) {
      const { mean, variance } = moments(F.alphaDropout(ts.randn([n], { dtype: "float64" }), p).data());
      assert.ok(Math.abs(mean) < 0.02, `p = ${p}: mean ${mean}`);
      assert.ok(Math.abs(variance - 1) < 0.02, `p = ${p}: variance ${variance}`);
    }
  });

  test("gradient is a on kept units and 0 on dropped ones; gradcheck; eval identity", () => {
    manualSeed(12);
    const p = 0.4;
    const x = ts.randn([30, 30], { dtype: "float64" }).requiresGrad_();
    const y = new nn.AlphaDropout(p).forward(x);
    y.sum().backward();
    const gone = a(p) * ALPHA * (p - 1);
    const yd = y.data();
    const g = x.grad!.data();
    for (let i = 0; i < yd.length; i++) assert.ok(Math.abs(g[i] - (Math.abs(yd[i] - gone) < 1e-12 ? 0 : a(p))) < 1e-15, `grad ${i}`);
    assert.equal(gradcheck((t: Tensor) => F.alphaDropout(t, p, { generator: new Generator(2) }), [rand64([3, 4])]), true);
    const layer = new nn.AlphaDropout(0.5).eval();
    assert.equal(layer.forward(x), x);
  });
});
