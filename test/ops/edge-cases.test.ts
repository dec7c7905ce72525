/**
 * PyTorch's behaviour at the edges, where finite differences cannot help: gradients at kinks and
 * ties, zero exponents, infinities, NaN, empty dims, degenerate clamp bounds.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import type { Tensor } from "../../src/tensor/tensor.js";
import { zeros } from "../../src/tensor/create.js";
import { linear, matmul } from "../../src/ops/matmul.js";
import { maxPool2d } from "../../src/ops/pool.js";
import { f64 } from "../helpers/tensors.js";

const values = (t: Tensor | null): number[] => {
  assert.ok(t, "expected a tensor (a gradient)");
  return Array.from(t.data());
};

/** Gradient of sum(f(x)) at the given points. */
function gradAt(points: number[], f: (x: Tensor) => Tensor): number[] {
  const x = f64(points, undefined, true);
  f(x).sum().backward();
  return values(x.grad);
}

describe("gradients at kinks and ties (PyTorch's conventions)", () => {
  test("relu passes no gradient at 0", () => {
    assert.deepEqual(gradAt([-1, 0, 2], (x) => x.relu()), [0, 0, 1]);
  });

  test("leakyRelu uses the negative slope at 0", () => {
    assert.deepEqual(gradAt([-1, 0, 2], (x) => x.leakyRelu(0.1)), [0.1, 0.1, 1]);
  });

  test("abs has gradient 0 at 0", () => {
    assert.deepEqual(gradAt([-3, 0, 2], (x) => x.abs()), [-1, 0, 1]);
  });

  test("clamp passes the gradient on its bounds, not outside", () => {
    assert.deepEqual(gradAt([-2, -1, 0, 1, 2], (x) => x.clamp(-1, 1)), [0, 1, 1, 1, 0]);
  });

  test("maximum / minimum split the gradient on ties", () => {
    const a = f64([1, 2, 3], undefined, true);
    const b = f64([1, 1, 4], undefined, true);
    a.maximum(b).sum().backward();
    assert.deepEqual(values(a.grad), [0.5, 1, 0]);
    assert.deepEqual(values(b.grad), [0.5, 0, 1]);
    const c = f64([2, 5], undefined, true);
    const d = f64([2, 1], undefined, true);
    c.minimum(d).sum().backward();
    assert.deepEqual(values(c.grad), [0.5, 0]);
    assert.deepEqual(values(d.grad), [0.5, 1]);
  });

  test("max / min over a dim route the gradient to the first tied position", () => {
    assert.deepEqual(gradAt([1, 3, 3, 2], (x) => x.max(0)), [0, 1, 0, 0]);
    assert.deepEqual(gradAt([2, 0, 5, 0], (x) => x.min(0)), [0, 1, 0, 0]);
    const x = f64([[4, 4], [1, 4]], undefined, true);
    x.max(1).sum().backward();
    assert.deepEqual(values(x.grad), [1, 0, 0, 1]);
  });

  test("max / min over everything share the gradient among ties", () => {
    assert.deepEqual(gradAt([1, 3, 3, 2], (x) => x.max()), [0, 0.5, 0.5, 0]);
    assert.deepEqual(gradAt([0, 2, 0, 0], (x) => x.min()), [1 / 3, 0, 1 / 3, 1 / 3]);
    assert.deepEqual(gradAt([1, 7, 2], (x) => x.max()), [0, 1, 0]);
    const x = f64([[5, 1], [5, 5]], undefined, true);
    x.max().mul(6).backward();
    assert.deepEqual(values(x.grad), [2, 0, 2, 2]);
  });

  test("maxPool2d gives the gradient to the first maximum of a window", () => {
    const x = f64([1, 3, 3, 0], [1, 1, 2, 2], true);
    maxPool2d(x, 2).sum().backward();
    assert.deepEqual(values(x.grad), [0, 1, 0, 0]);
  });

  test("a dilated maxPool2d window that holds only padding sends its gradient nowhere", () => {
    // 1x1 planes, kernel 2, dilation 2, padding 1: the one window's taps are at -1 and 1,
    // both outside the image. Its output is -Infinity and must not leak into another plane.
    const x = f64([5, 7], [1, 2, 1, 1], true);
    const y = maxPool2d(x, 2, { dilation: 2, padding: 1 });
    assert.deepEqual(y.shape, [1, 2, 1, 1]);
    assert.deepEqual(values(y), [-Infinity, -Infinity]);
    y.sum().backward();
    assert.deepEqual(values(x.grad), [0, 0]);

    const z = f64(Array.from({ length: 16 }, (_, i) => i), [1, 2, 2, 4], true);
    const out = maxPool2d(z, 2, { dilation: 3, padding: 1, ceilMode: true });
    assert.deepEqual(out.shape, [1, 2, 1, 2]);
    out.sum().backward();
    assert.ok(values(z.grad).every((v) => v === 0), `gradient ${values(z.grad)}`);
  });

  test("pow with a tensor exponent of 0 has zero base gradient, even at base 0", () => {
    const a = f64([0, 2, 0, 3], undefined, true);
    const b = f64([0, 1, 2, 0], undefined, true);
    const y = a.pow(b);
    assert.deepEqual(values(y), [1, 2, 0, 1]);
    y.sum().backward();
    assert.deepEqual(values(a.grad), [0, 1, 0, 0]);
    // d/db a^b = a^b log a, taken as 0 where a = 0.
    assert.deepEqual(values(b.grad), [0, 2 * Math.log(2), 0, Math.log(3)]);
  });

  test("pow with a scalar exponent 0 has zero gradient", () => {
    assert.deepEqual(gradAt([0, 2, -1], (x) => x.pow(0)), [0, 0, 0]);
  });
});

describe("values at the edges", () => {
  test("clamp with min > max gives max everywhere (PyTorch)", () => {
    assert.deepEqual(values(f64([0, 1, 2, 3]).clamp(2, 1)), [1, 1, 1, 1]);
  });

  test("clamp keeps NaN; maximum and max propagate it", () => {
    assert.ok(Number.isNaN(values(f64([NaN, 5]).clamp(0, 1))[0]));
    assert.deepEqual(values(f64([NaN, 5]).clamp(0, 1)).slice(1), [1]);
    const m = values(f64([NaN, 1]).maximum(f64([0, NaN])));
    assert.ok(m.every(Number.isNaN), `maximum: ${m}`);
    assert.ok(Number.isNaN(f64([1, NaN, 5]).max().item()));
    assert.equal(f64([1, NaN, 5]).argmax().item(), 1, "argmax points at the NaN, as in PyTorch");
  });

  test("softmax / logSoftmax / logsumexp with infinities", () => {
    const s = values(f64([-Infinity, 0, 0]).softmax(0));
    assert.deepEqual(s, [0, 0.5, 0.5]);
    const ls = values(f64([-Infinity, 0, 0]).logSoftmax(0));
    assert.deepEqual(ls, [-Infinity, -Math.LN2, -Math.LN2]);
    const lse = values(f64([[-Infinity, -Infinity], [0, 0]]).logsumexp(1));
    assert.deepEqual(lse, [-Infinity, Math.LN2]);
    assert.deepEqual(values(f64([1000, 1000]).logsumexp(0)), [1000 + Math.LN2]);
    assert.deepEqual(values(f64([1000, 0]).softmax(0)), [1, 0]);
  });

  test("matmul and linear with an inner size of 0 give zeros", () => {
    const m = matmul(zeros([2, 0], { dtype: "float64" }), zeros([0, 3], { dtype: "float64" }));
    assert.deepEqual(m.shape, [2, 3]);
    assert.deepEqual(values(m), [0, 0, 0, 0, 0, 0]);
    const b = matmul(zeros([4, 2, 0]), zeros([0, 3]));
    assert.deepEqual(b.shape, [4, 2, 3]);
    assert.ok(values(b).every((v) => v === 0));
    const l = linear(zeros([5, 0], { dtype: "float64" }), zeros([2, 0], { dtype: "float64" }), f64([1, -1]));
    assert.deepEqual(l.shape, [5, 2]);
    assert.deepEqual(values(l), [1, -1, 1, -1, 1, -1, 1, -1, 1, -1]);
  });

  test("matmul and linear with an empty batch", () => {
    assert.deepEqual(matmul(zeros([0, 3]), zeros([3, 2])).shape, [0, 2]);
    assert.deepEqual(linear(zeros([0, 3]), zeros([2, 3])).shape, [0, 2]);
  });

  test("empty tensors through movement ops", () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(x.slice(0, 2, undefined, 2).shape, [0, 3]);
    assert.deepEqual(x.slice(1, 3).shape, [2, 0]);
    assert.deepEqual(zeros([0, 3]).transpose(0, 1).shape, [3, 0]);
    assert.deepEqual(values(zeros([0, 3]).sum(0)), [0, 0, 0]);
  });
});
