/** The autograd engine: accumulation, leaves, detach, noGrad, errors, graph shapes, depth. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { Tensor } from "../../src/tensor/tensor.js";
import { arange, tensor, zeros } from "../../src/tensor/create.js";
import { enableGrad, isGradEnabled, noGrad } from "../../src/autograd/engine.js";
import { AutogradError, ValueError } from "../../src/errors.js";
import { add, mul } from "../../src/ops/binary.js";
import { assertClose } from "../helpers/fixtures.js";
import { f64 } from "../helpers/tensors.js";

const TOL = { rtol: 1e-12, atol: 1e-12 };

function grad(t: Tensor): Tensor {
  assert.ok(t.grad, "expected a gradient");
  return t.grad;
}

describe("autograd engine", () => {
  test("gradients accumulate over two backward calls", () => {
    const x = f64([1, 2, 3], undefined, true);
    x.mul(x).sum().backward(); // d/dx x^2 = 2x
    assertClose(grad(x), { shape: [3], data: [2, 4, 6] }, TOL, "after one backward");
    x.mul(3).sum().backward(); // + 3
    assertClose(grad(x), { shape: [3], data: [5, 7, 9] }, TOL, "after two backwards");
  });

  test("backward twice through the same graph accumulates again", () => {
    const x = f64([1, -2], undefined, true);
    const y = x.exp().sum();
    y.backward();
    y.backward();
    assertClose(grad(x), { shape: [2], data: [2 * Math.E, 2 * Math.exp(-2)] }, TOL, "grad");
  });

  test("resetting .grad to null starts a fresh accumulation", () => {
    const x = f64([1, 2], undefined, true);
    x.mul(5).sum().backward();
    x.grad = null;
    x.mul(2).sum().backward();
    assertClose(grad(x), { shape: [2], data: [2, 2] }, TOL, "grad");
  });

  test(".grad is set on leaves only", () => {
    const x = f64([1, 2, 3], undefined, true);
    const c = f64([4, 5, 6]);
    const h = x.mul(c);
    const out = h.exp().sum();
    assert.equal(x.isLeaf, true);
    assert.equal(h.isLeaf, false);
    assert.equal(h.gradFn?.name, "mul");
    out.backward();
    assert.equal(h.grad, null, "an intermediate tensor keeps no gradient");
    assert.equal(out.grad, null, "the root keeps no gradient");
    assert.equal(c.grad, null, "a leaf without requiresGrad gets no gradient");
    assertClose(grad(x), { shape: [3], data: [4 * Math.exp(4), 5 * Math.exp(10), 6 * Math.exp(18)] }, { rtol: 1e-12, atol: 0 }, "x.grad");
  });

  test("a leaf's gradient has the leaf's shape and dtype and no history", () => {
    const x = f64([[1, 2], [3, 4]], undefined, true);
    x.sum().backward();
    assert.deepEqual(grad(x).shape, [2, 2]);
    assert.equal(grad(x).dtype, "float64");
    assert.equal(grad(x).requiresGrad, false);
    assert.equal(grad(x).gradFn, null);
  });

  test("detach() stops gradients", () => {
    const x = f64([1, 2, 3], undefined, true);
    const d = x.detach();
    assert.equal(d.requiresGrad, false);
    assert.equal(d.gradFn, null);
    assert.deepEqual(Array.from(d.data()), [1, 2, 3]);
    // y = x * stopgrad(x): the gradient is stopgrad(x) = x, not 2x.
    x.mul(d).sum().backward();
    assertClose(grad(x), { shape: [3], data: [1, 2, 3] }, TOL, "x.grad");
    assert.equal(d.grad, null);
  });

  test("detach() of an intermediate cuts the graph below it", () => {
    const x = f64([2], undefined, true);
    const h = x.mul(3);
    const y = h.detach().requiresGrad_().mul(h);
    y.sum().backward();
    // dy/dx through the live h only: h_detached * 3 = 6 * 3.
    assertClose(grad(x), { shape: [1], data: [18] }, TOL, "x.grad");
  });

  test("noGrad produces tensors with requiresGrad false and restores the mode", () => {
    const x = f64([1, 2], undefined, true);
    assert.equal(isGradEnabled(), true);
    const y = noGrad(() => {
      assert.equal(isGradEnabled(), false);
      return x.mul(2).add(1).exp().sum();
    });
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradFn, null);
    assertClose(y, { shape: [], data: [Math.exp(3) + Math.exp(5)] }, TOL, "value inside noGrad");
    assert.equal(isGradEnabled(), true);
    assert.throws(() => y.backward(), AutogradError);
  });

  test("noGrad restores the mode after a throw, and enableGrad overrides it", () => {
    assert.throws(() =>
      noGrad(() => {
        throw new Error("boom");
      }),
    );
    assert.equal(isGradEnabled(), true);
    const x = f64([3], undefined, true);
    const y = noGrad(() => enableGrad(() => x.mul(x)));
    assert.equal(y.requiresGrad, true);
    y.sum().backward();
    assertClose(grad(x), { shape: [1], data: [6] }, TOL, "x.grad");
  });

  test("backward on a non-scalar without a gradient throws AutogradError", () => {
    const x = f64([1, 2, 3], undefined, true);
    const y = x.mul(2);
    assert.throws(
      () => y.backward(),
      (e: unknown) => e instanceof AutogradError && /shape \[3\]/.test(e.message),
    );
    assert.equal(x.grad, null);
  });

  test("backward with an explicit gradient on a non-scalar", () => {
    const x = f64([1, 2, 3], undefined, true);
    x.mul(x).backward(f64([1, 0.5, -1]));
    assertClose(grad(x), { shape: [3], data: [2, 2, -6] }, TOL, "x.grad");
  });

  test("backward on a one-element non-0-d tensor needs no gradient", () => {
    const x = f64([[4]], undefined, true);
    x.sqrt().backward();
    assertClose(grad(x), { shape: [1, 1], data: [0.25] }, TOL, "x.grad");
  });

  test("backward with a wrongly shaped gradient throws AutogradError naming both shapes", () => {
    const x = f64([1, 2, 3], undefined, true);
    assert.throws(
      () => x.mul(2).backward(f64([1, 2])),
      (e: unknown) => e instanceof AutogradError && e.message.includes("[2]") && e.message.includes("[3]"),
    );
  });

  test("backward on a tensor that does not require grad throws AutogradError", () => {
    assert.throws(() => f64([1, 2]).sum().backward(), AutogradError);
  });

  test("a diamond graph (x used twice) sums both paths", () => {
    const x = f64([0.5, -1, 2], undefined, true);
    const a = x.mul(x); // 2x
    const b = x.exp(); // e^x
    a.add(b).sum().backward();
    assertClose(grad(x), { shape: [3], data: [1 + Math.exp(0.5), -2 + Math.exp(-1), 4 + Math.exp(2)] }, TOL, "x.grad");
  });

  test("a diamond with a shared intermediate", () => {
    const x = f64([1.5, -0.5], undefined, true);
    const h = x.tanh();
    // y = h*h + 3h: dy/dx = (2h + 3) (1 - h^2)
    h.mul(h).add(h.mul(3)).sum().backward();
    const expected = [1.5, -0.5].map((v) => (2 * Math.tanh(v) + 3) * (1 - Math.tanh(v) ** 2));
    assertClose(grad(x), { shape: [2], data: expected }, TOL, "x.grad");
  });

  test("a chain of 20000 ops backprops without stack overflow", () => {
    const x = f64([1, 2], undefined, true);
    let y: Tensor = x;
    for (let i = 0; i < 20000; i++) y = y.mul(1.00001);
    y.sum().backward();
    const g = Math.pow(1.00001, 20000);
    assertClose(grad(x), { shape: [2], data: [g, g] }, { rtol: 1e-9, atol: 0 }, "x.grad");
    assertClose(y, { shape: [2], data: [g, 2 * g] }, { rtol: 1e-9, atol: 0 }, "y");
  });

  test("a wide graph (one leaf feeding 2000 ops) accumulates every path", () => {
    const x = f64([1, 2], undefined, true);
    let acc: Tensor = x.mul(0);
    for (let i = 1; i <= 2000; i++) acc = acc.add(x.mul(i));
    acc.sum().backward();
    const expected = (2000 * 2001) / 2;
    assertClose(grad(x), { shape: [2], data: [expected, expected] }, TOL, "x.grad");
  });

  test("broadcasting gradients reduce to each input's shape", () => {
    const a = tensor(Float64Array.from({ length: 24 }, (_, i) => i / 10), { shape: [2, 3, 4], dtype: "float64", requiresGrad: true });
    const b = f64([[1], [2], [3]], undefined, true); // [3, 1]
    const c = f64([1, -1, 2, -2], undefined, true); // [4]
    const s = tensor([5], { dtype: "float64", shape: [], requiresGrad: true }); // 0-d
    add(mul(a, b), c).mul(s).sum().backward();
    assert.deepEqual(grad(a).shape, [2, 3, 4]);
    assert.deepEqual(grad(b).shape, [3, 1]);
    assert.deepEqual(grad(c).shape, [4]);
    assert.deepEqual(grad(s).shape, []);
    // d/da = b*s (broadcast), d/db = s * sum of a over dims 0 and 2, d/dc = s * 6, d/ds = sum(a*b + c).
    const av = Array.from(a.data());
    const aGrad = av.map((_, i) => 5 * [1, 2, 3][Math.floor(i / 4) % 3]);
    assertClose(grad(a), { shape: [2, 3, 4], data: aGrad }, TOL, "a.grad");
    const bGrad = [0, 1, 2].map((row) => 5 * av.filter((_, i) => Math.floor(i / 4) % 3 === row).reduce((p, v) => p + v, 0));
    assertClose(grad(b), { shape: [3, 1], data: bGrad }, TOL, "b.grad");
    assertClose(grad(c), { shape: [4], data: [30, 30, 30, 30] }, TOL, "c.grad");
    const sGrad = av.reduce((p, v, i) => p + v * [1, 2, 3][Math.floor(i / 4) % 3] + [1, -1, 2, -2][i % 4], 0);
    assertClose(grad(s), { shape: [], data: [sGrad] }, TOL, "s.grad");
  });

  test("a [1, n] input broadcast against [m, 1] gets a [1, n] gradient", () => {
    const a = f64([[1, 2, 3]], undefined, true);
    const b = f64([[1], [10]], undefined, true);
    a.mul(b).sum().backward();
    assertClose(grad(a), { shape: [1, 3], data: [11, 11, 11] }, TOL, "a.grad");
    assertClose(grad(b), { shape: [2, 1], data: [6, 6] }, TOL, "b.grad");
  });

  test("int32 tensors cannot require grad", () => {
    assert.throws(() => tensor([1, 2], { dtype: "int32", requiresGrad: true }), ValueError);
    assert.throws(() => arange(3).requiresGrad_(), (e: unknown) => e instanceof ValueError && /int32/.test(e.message));
    assert.throws(() => zeros([2], { dtype: "int32" }).requiresGrad_(true), ValueError);
    const t = arange(3).requiresGrad_(false);
    assert.equal(t.requiresGrad, false);
  });

  test("integer results carry no gradient", () => {
    const x = f64([3, 1, 2], undefined, true);
    const i = x.argmax();
    assert.equal(i.dtype, "int32");
    assert.equal(i.requiresGrad, false);
    assert.equal(x.gt(1).requiresGrad, false);
    const asInt = x.to("int32");
    assert.equal(asInt.requiresGrad, false);
    assert.deepEqual(Array.from(asInt.data()), [3, 1, 2]);
  });

  test("gradients flow through a float32 <-> float64 cast", () => {
    const x = f64([1, 2], undefined, true);
    const y = x.float().mul(3).double();
    assert.equal(y.dtype, "float64");
    y.sum().backward();
    assert.equal(grad(x).dtype, "float64");
    assertClose(grad(x), { shape: [2], data: [3, 3] }, TOL, "x.grad");
  });

  test("an input that does not reach the output gets no gradient", () => {
    const x = f64([1, 2], undefined, true);
    const unused = f64([3, 4], undefined, true);
    unused.mul(2); // a graph that is never backpropagated
    x.mul(2).sum().backward();
    assert.equal(unused.grad, null);
    assertClose(grad(x), { shape: [2], data: [2, 2] }, TOL, "x.grad");
  });
});

test("every leaf's .grad has memory of its own, even when one gradient reaches several leaves", () => {
  const a = tensor([1, 2, 3], { requiresGrad: true });
  const b = tensor([4, 5, 6], { requiresGrad: true });
  const c = tensor([[7, 8, 9]], { requiresGrad: true });
  // add sends the same gradient to a and b; the reshape hands c a view of that same memory.
  a.add(b).add(c.reshape([3])).sum().backward();
  const storages = [a.grad!.storage, b.grad!.storage, c.grad!.storage];
  assert.equal(new Set(storages).size, 3);
  a.grad!.copy_(tensor([0, 0, 0]));
  assert.deepEqual(b.grad!.toArray(), [1, 1, 1]);
  assert.deepEqual(c.grad!.toArray(), [[1, 1, 1]]);
  // The caller's gradient tensor is not adopted as a leaf's .grad.
  const x = tensor([1, 2], { requiresGrad: true });
  const g = tensor([5, 6]);
  x.backward(g);
  assert.notEqual(x.grad!.storage, g.storage);
  g.copy_(tensor([0, 0]));
  assert.deepEqual(x.grad!.toArray(), [5, 6]);
});
