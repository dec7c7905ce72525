/**
 * clipGradNorm / clipGradValue against torch.nn.utils.clip_grad_norm_ / clip_grad_value_
 * (optim.json), plus the edge cases: no gradients, non-finite norms, float32, bad arguments.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, optim, tensor, Tensor, ValueError, zeros } from "../../src/index.js";
import { assertClose, fixtureTensor } from "../helpers/fixtures.js";
import { assertNumber, clipNormCases, clipValueCases, TOL } from "../helpers/optim.js";

/** Parameters whose gradients hold the given values. */
function withGrads(grads: Tensor[]): nn.Parameter[] {
  return grads.map((g) => {
    const p = new nn.Parameter(zeros(g.shape, { dtype: g.dtype }));
    p.grad = g.keep();
    return p;
  });
}

describe("clipGradNorm: parity with clip_grad_norm_ (optim.json)", () => {
  test("the fixture covers orders 2, 1, inf, 3, 0.5, each clipped and not", () => {
    assert.equal(clipNormCases.length, 10);
    assert.deepEqual([...new Set(clipNormCases.map((c) => c.args.normType))], [2, 1, "inf", 3, 0.5]);
    for (const c of clipNormCases) {
      const clipped = c.totalNorm > c.args.maxNorm;
      assert.equal(clipped, c.args.maxNorm === 0.5, c.name);
    }
  });

  for (const c of clipNormCases) {
    test(c.name, () => {
      const params = withGrads(c.grads.map((g) => fixtureTensor(g)));
      const grads = params.map((p) => p.grad);
      const normType = c.args.normType === "inf" ? Infinity : c.args.normType;
      const total = optim.clipGradNorm(params, c.args.maxNorm, normType);
      assertNumber(total, c.totalNorm, `${c.name}: total norm`);
      params.forEach((p, i) => {
        assert.equal(p.grad, grads[i], "the gradient is changed in place");
        assertClose(p.grad!, c.clipped[i], TOL, `${c.name}: grad ${i}`);
      });
    });
  }
});

describe("clipGradValue: parity with clip_grad_value_ (optim.json)", () => {
  for (const c of clipValueCases) {
    test(c.name, () => {
      const params = withGrads(c.grads.map((g) => fixtureTensor(g)));
      optim.clipGradValue(params, c.args.clipValue);
      params.forEach((p, i) => assertClose(p.grad!, c.clipped[i], TOL, `${c.name}: grad ${i}`));
      const max = Math.max(...params.flatMap((p) => [...p.grad!.data()].map(Math.abs)));
      assert.ok(max <= c.args.clipValue);
    });
  }
});

describe("gradient clipping: edge cases", () => {
  test("a worked example: (3, 4) has norm 5; maxNorm 1 scales by 1 / (5 + 1e-6)", () => {
    const [p] = withGrads([tensor([3, 4], { dtype: "float64" })]);
    assert.equal(optim.clipGradNorm(p, 1), 5);
    const coef = 1 / (5 + 1e-6);
    assert.deepEqual([...p.grad!.data()], [3 * coef, 4 * coef]);
    // The inf norm of (3, -7) is 7; the 1-norm 10.
    const [q] = withGrads([tensor([3, -7], { dtype: "float64" })]);
    assert.equal(optim.clipGradNorm([q], 100, Infinity), 7);
    assert.equal(optim.clipGradNorm([q], 100, 1), 10);
  });

  test("parameters without a gradient are skipped; none at all gives 0", () => {
    const a = new nn.Parameter(tensor([1, 2], { dtype: "float64" }));
    assert.equal(optim.clipGradNorm([a], 1), 0);
    const [b] = withGrads([tensor([0, 12], { dtype: "float64" })]);
    assert.equal(optim.clipGradNorm([a, b], 6), 12);
    assert.equal(a.grad, null);
    assertClose(b.grad!, { shape: [2], data: [0, 6] }, { rtol: 1e-6, atol: 0 }, "b");
    optim.clipGradValue([a], 1);
    assert.equal(a.grad, null);
  });

  test("a non-finite norm: scaled as PyTorch does (inf → 0·g, NaN where g is inf), or refused", () => {
    const [p] = withGrads([tensor([1, Infinity, -2], { dtype: "float64" })]);
    assert.equal(optim.clipGradNorm([p], 1), Infinity);
    const g = [...p.grad!.data()];
    assert.deepEqual([g[0], g[2]], [0, -0]);
    assert.ok(Number.isNaN(g[1]));
    const [q] = withGrads([tensor([1, Number.NaN], { dtype: "float64" })]);
    assert.throws(
      () => optim.clipGradNorm([q], 1, 2, { errorIfNonfinite: true }),
      (e: unknown) => e instanceof ValueError && e.message.includes("total norm of order 2 of the gradients is NaN"),
    );
    assert.equal(q.grad!.data()[0], 1, "nothing was scaled");
  });

  test("float32 gradients", () => {
    const [p] = withGrads([tensor([0.3, -0.4, 1.2], { dtype: "float32" })]);
    const total = optim.clipGradNorm([p], 0.65);
    assert.ok(Math.abs(total - 1.3) < 1e-6, `${total}`);
    assert.equal(p.grad!.dtype, "float32");
    assertClose(p.grad!, { shape: [3], data: [0.15, -0.2, 0.6] }, { rtol: 1e-5, atol: 0 }, "clipped");
  });

  test("bad arguments", () => {
    const [p] = withGrads([tensor([1, 2], { dtype: "float64" })]);
    const bad = (fn: () => unknown, text: string) => assert.throws(fn, (e: unknown) => e instanceof ValueError && e.message.includes(text));
    bad(() => optim.clipGradNorm([p], -1), "clipGradNorm: maxNorm must be a number >= 0, got -1");
    bad(() => optim.clipGradNorm([p], 1, 0), "clipGradNorm: normType must be a number > 0 or Infinity, got 0");
    bad(() => optim.clipGradNorm([p], 1, -Infinity), "normType must be a number > 0 or Infinity, got -Infinity");
    bad(() => optim.clipGradValue([p], -0.5), "clipGradValue: clipValue must be a number >= 0, got -0.5");
    assert.deepEqual([...p.grad!.data()], [1, 2]);
  });
});
