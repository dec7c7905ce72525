/**
 * crossEntropy / nllLoss with ignoreIndex: parity with PyTorch's ignore_index
 * (test/fixtures/ignore.json from tools/fixtures_ignore.py, float64) for every reduction, 2-D and
 * sequence-shaped [N, C, T] inputs, the default −100 and an explicit index; plus the edge cases.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, tensor, ValueError, type Tensor } from "../../src/index.js";
import { assertClose, fixtureTensor, loadCases } from "../helpers/fixtures.js";

const TOL = { rtol: 1e-9, atol: 1e-10 };
const cases = loadCases("ignore");

describe("losses with ignoreIndex: parity with PyTorch (ignore.json)", () => {
  test("the fixture holds 24 cases over both ops, both shapes, both indices and every reduction", () => {
    assert.equal(cases.length, 24);
  });
  for (const c of cases) {
    test(c.name, () => {
      for (const key of Object.keys(c.args)) assert.ok(key === "reduction" || key === "ignoreIndex", `${c.name}: unknown arg ${key}`);
      const fn = c.op === "crossEntropy" ? nn.crossEntropy : c.op === "nllLoss" ? nn.nllLoss : assert.fail(`unknown op ${c.op}`);
      const x = fixtureTensor(c.inputs.x, { requiresGrad: true });
      const target = fixtureTensor(c.inputs.target);
      const ignoreIndex = c.args.ignoreIndex as number;
      // The default (−100) is exercised by leaving the option out.
      const options = { reduction: c.args.reduction as "mean" | "sum" | "none", ...(ignoreIndex === -100 ? {} : { ignoreIndex }) };
      const out = fn(x, target, options);
      assertClose(out, c.output, TOL, `${c.name} output`);
      out.backward(fixtureTensor(c.gradOutput));
      assertClose(x.grad as Tensor, c.grads.x, TOL, `${c.name} grad x`);
    });
  }
});

describe("losses with ignoreIndex: edge cases", () => {
  const logits = (): Tensor => tensor([[1, 2, 3], [3, 1, 0], [0, 0, 5]], { dtype: "float64", requiresGrad: true });
  test("the mean is over the kept targets only, and ignored rows get a zero gradient", () => {
    const x = logits();
    const loss = nn.crossEntropy(x, tensor([2, -100, 2], { dtype: "int32" }));
    const lse = (r: number[]) => Math.log(r.reduce((a, v) => a + Math.exp(v), 0));
    const expected = ((lse([1, 2, 3]) - 3) + (lse([0, 0, 5]) - 5)) / 2;
    assert.ok(Math.abs(loss.item() - expected) < 1e-12, `${loss.item()} vs ${expected}`);
    loss.backward();
    assert.deepEqual(Array.from((x.grad as Tensor).data()).slice(3, 6), [0, 0, 0]);
  });
  test("every target ignored: mean is NaN (0/0, as PyTorch), sum is 0", () => {
    const t = tensor([-100, -100, -100], { dtype: "int32" });
    assert.ok(Number.isNaN(nn.crossEntropy(logits(), t).item()));
    assert.equal(nn.crossEntropy(logits(), t, { reduction: "sum" }).item(), 0);
  });
  test("a target outside the classes that is not the ignore index still throws, naming both", () => {
    assert.throws(() => nn.crossEntropy(logits(), tensor([0, -1, 2], { dtype: "int32" })), (e: Error) => e instanceof ValueError && /target -1 at position 1 is outside 0\.\.2 \(and is not ignoreIndex -100\)/.test(e.message));
    assert.throws(() => nn.nllLoss(logits(), tensor([0, 1, 2], { dtype: "int32" }), { ignoreIndex: 0.5 }), /ignoreIndex must be an integer, got 0.5/);
  });
  test("an ignoreIndex inside the classes ignores that class", () => {
    const a = nn.crossEntropy(logits(), tensor([1, 0, 2], { dtype: "int32" }), { ignoreIndex: 1, reduction: "sum" }).item();
    const b = nn.crossEntropy(logits(), tensor([-100, 0, 2], { dtype: "int32" }), { reduction: "sum" }).item();
    assert.equal(a, b);
  });
});
