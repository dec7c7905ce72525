/**
 * Losses: parity with PyTorch (test/fixtures/losses.json, float64), gradcheck, and the hand-
 * computed special cases (Nielsen's quadratic cost, huge logits, posWeight), errors and oneHot.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, Tensor, tensor, gradcheck, manualSeed, randn, ValueError, ShapeError } from "../../src/index.js";
import { assertClose, fixtureTensor, loadCases, type OpCase } from "../helpers/fixtures.js";

const TOL = { rtol: 1e-9, atol: 1e-10 };

type FixtureReduction = "mean" | "sum" | "none";
type LossFn = (input: Tensor, target: Tensor, options: { reduction?: FixtureReduction }) => Tensor;

/** Fixture op name → Tessera function. An op missing here fails its case. */
const LOSSES: Record<string, LossFn> = {
  mseLoss: nn.mseLoss,
  crossEntropy: nn.crossEntropy,
  nllLoss: nn.nllLoss,
  binaryCrossEntropy: nn.binaryCrossEntropy,
  binaryCrossEntropyWithLogits: nn.bceWithLogits,
};

const KNOWN_ARGS = new Set(["reduction"]);
const REDUCTIONS = new Set(["mean", "sum", "none"]);

const cases = loadCases("losses");

function f64(values: number[], shape: number[], requiresGrad = false): Tensor {
  return tensor(values, { shape, dtype: "float64", requiresGrad });
}

function runCase(c: OpCase): void {
  const fn = Object.prototype.hasOwnProperty.call(LOSSES, c.op) ? LOSSES[c.op] : undefined;
  if (!fn) assert.fail(`${c.name}: fixture op ${JSON.stringify(c.op)} has no Tessera loss mapped (known: ${Object.keys(LOSSES).join(", ")})`);
  for (const key of Object.keys(c.args)) assert.ok(KNOWN_ARGS.has(key), `${c.name}: unknown arg ${key}`);
  const reduction = c.args.reduction;
  assert.ok(typeof reduction === "string" && REDUCTIONS.has(reduction), `${c.name}: reduction ${JSON.stringify(reduction)}`);
  for (const key of Object.keys(c.inputs)) assert.ok(key === "x" || key === "target", `${c.name}: unexpected input ${key}`);
  for (const key of Object.keys(c.grads)) assert.ok(key in c.inputs, `${c.name}: grad for unknown input ${key}`);

  const x = fixtureTensor(c.inputs.x, { requiresGrad: "x" in c.grads });
  const target = fixtureTensor(c.inputs.target, { requiresGrad: "target" in c.grads });
  if (c.inputs.target.dtype === "int64") assert.equal(target.dtype, "int32");

  const out = fn(x, target, { reduction: reduction as FixtureReduction });
  assert.equal(out.dtype, "float64", `${c.name}: output dtype`);
  assertClose(out, c.output, TOL, `${c.name} output`);

  out.backward(fixtureTensor(c.gradOutput));
  const leaves: Record<string, Tensor> = { x, target };
  for (const [key, expected] of Object.entries(c.grads)) {
    const g = leaves[key].grad;
    assert.ok(g, `${c.name}: no gradient for ${key}`);
    assertClose(g, expected, TOL, `${c.name} grad ${key}`);
  }
}

describe("losses: parity with PyTorch (losses.json)", () => {
  test("the fixture holds every loss family", () => {
    assert.ok(cases.length >= 20, `only ${cases.length} cases`);
    assert.deepEqual([...new Set(cases.map((c) => c.op))].sort(), Object.keys(LOSSES).sort());
  });

  for (const c of cases) test(c.name, () => runCase(c));

  test("an unmapped op name fails the case", () => {
    const fake: OpCase = { ...cases[0], name: "fake", op: "huberLoss" };
    assert.throws(() => runCase(fake), (e: Error) => e.message.includes('fixture op "huberLoss" has no Tessera loss mapped'));
    const proto: OpCase = { ...cases[0], name: "proto", op: "toString" };
    assert.throws(() => runCase(proto), /has no Tessera loss mapped/);
  });
});

describe("losses: gradcheck (float64)", () => {
  const reductions: nn.Reduction[] = ["mean", "sum", "none", "batchmean"];

  test("mseLoss, both arguments, every reduction, half", () => {
    manualSeed(21);
    for (const reduction of reductions) {
      for (const half of [false, true]) {
        const x = randn([3, 4], { dtype: "float64", requiresGrad: true });
        const t = randn([3, 4], { dtype: "float64", requiresGrad: true });
        assert.equal(gradcheck((a, b) => nn.mseLoss(a, b, { reduction, half }), [x, t]), true);
      }
    }
  });

  test("crossEntropy 2-D and 4-D, nllLoss", () => {
    manualSeed(22);
    const labels = tensor([0, 3, 1, 2, 3], { dtype: "int32" });
    const labels4 = tensor([0, 2, 1, 1, 0, 2, 2, 1, 0, 1, 2, 0], { shape: [2, 2, 3], dtype: "int32" });
    for (const reduction of ["mean", "sum", "none"] as const) {
      const x = randn([5, 4], { dtype: "float64", requiresGrad: true });
      assert.equal(gradcheck((a) => nn.crossEntropy(a, labels, { reduction }), [x]), true);
      const x4 = randn([2, 3, 2, 3], { dtype: "float64", requiresGrad: true });
      assert.equal(gradcheck((a) => nn.crossEntropy(a, labels4, { reduction }), [x4]), true);
      const lp = randn([5, 4], { dtype: "float64", requiresGrad: true });
      assert.equal(gradcheck((a) => nn.nllLoss(a, labels, { reduction }), [lp]), true);
    }
  });

  test("binaryCrossEntropy and bceWithLogits (with posWeight)", () => {
    manualSeed(23);
    const t = f64([1, 0, 1, 0, 0, 1], [2, 3]);
    const soft = f64([0.2, 0.9, 0.5, 0.7, 0.1, 1], [2, 3], true);
    for (const reduction of reductions) {
      const p = f64([0.1, 0.35, 0.6, 0.82, 0.5, 0.93], [2, 3], true);
      assert.equal(gradcheck((a) => nn.binaryCrossEntropy(a, t, { reduction }), [p]), true);
      const logits = f64([-2.5, 1.2, 0.3, -0.7, 4, -0.2], [2, 3], true);
      assert.equal(gradcheck((a, b) => nn.bceWithLogits(a, b, { reduction }), [logits, soft]), true);
      const w = f64([1, 2.5, 0.5], [3]);
      assert.equal(gradcheck((a) => nn.bceWithLogits(a, t, { reduction, posWeight: w }), [logits]), true);
    }
  });

  test("gradcheck would catch a wrong gradient here", () => {
    // A loss whose backward is deliberately wrong (detached term) must be refused.
    const x = f64([0.3, -1.2, 0.8], [3], true);
    const t = f64([0, 1, 0], [3]);
    assert.throws(() => gradcheck((a) => nn.mseLoss(a, t).add(a.detach().square().sum()), [x]), /analytic/);
  });
});

describe("losses: hand-computed values", () => {
  test("mseLoss half + batchmean is Nielsen's C = 1/(2n) Σ‖y − a‖², gradient (a − y)/n", () => {
    const aVals = [0.1, 0.9, 0.3, 0.2, 0.8, 0.5, 0.0, 0.4, 0.6, 1.0, 0.25, 0.75];
    const yVals = [0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0];
    const n = 3;
    const a = f64(aVals, [n, 4], true);
    const y = f64(yVals, [n, 4]);
    let sumSq = 0;
    for (let i = 0; i < aVals.length; i++) sumSq += (yVals[i] - aVals[i]) ** 2;
    const expected = sumSq / (2 * n);
    const loss = nn.mseLoss(a, y, { half: true, reduction: "batchmean" });
    assert.equal(loss.ndim, 0);
    assert.ok(Math.abs(loss.item() - expected) < 1e-14, `${loss.item()} vs ${expected}`);
    loss.backward();
    const g = a.grad!.data();
    aVals.forEach((v, i) => assert.ok(Math.abs(g[i] - (v - yVals[i]) / n) < 1e-14, `grad[${i}]`));
    // and the other reductions, by hand
    assert.ok(Math.abs(nn.mseLoss(a, y).item() - sumSq / 12) < 1e-14);
    assert.ok(Math.abs(nn.mseLoss(a, y, { reduction: "sum" }).item() - sumSq) < 1e-14);
    assert.ok(Math.abs(nn.mseLoss(a, y, { reduction: "batchmean" }).item() - sumSq / n) < 1e-14);
    assert.ok(Math.abs(nn.mseLoss(a, y, { half: true, reduction: "sum" }).item() - sumSq / 2) < 1e-14);
  });

  test("bceWithLogits stays finite at ±1000 and equals the hand value", () => {
    const x = f64([1000, -1000, 1000, -1000], [4], true);
    const t = f64([0, 1, 1, 0], [4]);
    const none = nn.bceWithLogits(x, t, { reduction: "none" });
    assert.deepEqual([...none.data()].map((v) => v + 0), [1000, 1000, 0, 0]);
    const mean = nn.bceWithLogits(x, t);
    assert.equal(mean.item(), 500);
    mean.backward();
    // d/dx = (σ(x) − t)/4
    assert.deepEqual([...x.grad!.data()].map((v) => v + 0), [0.25, -0.25, 0, 0]);
    // float32 too
    const x32 = tensor([1000, -1000], { requiresGrad: true });
    const l32 = nn.bceWithLogits(x32, tensor([0, 1]), { reduction: "sum" });
    assert.equal(l32.item(), 2000);
    l32.backward();
    assert.ok([...x32.grad!.data()].every(Number.isFinite));
  });

  test("bceWithLogits at x = 0: loss log 2, gradient σ(0) − t (as PyTorch), gradcheck passes there", () => {
    const x = f64([0, 0, 0], [3], true);
    const t = f64([1, 0, 0.25], [3]);
    const loss = nn.bceWithLogits(x, t, { reduction: "sum" });
    assert.ok(Math.abs(loss.item() - 3 * Math.LN2) < 1e-15);
    loss.backward();
    assert.deepEqual([...x.grad!.data()], [-0.5, 0.5, 0.25]);
    const w = f64([3, 1, 2], [3]);
    const xw = f64([0, 0, 0], [3], true);
    nn.bceWithLogits(xw, t, { reduction: "sum", posWeight: w }).backward();
    // (1 − t)σ(0) − w·t·(1 − σ(0))
    assert.deepEqual([...xw.grad!.data()], [-1.5, 0.5, 0.375 - 0.25]);
    assert.equal(gradcheck((a) => nn.bceWithLogits(a, t, { reduction: "none", posWeight: w }), [f64([0, 1e-9, -1e-9], [3], true)]), true);
  });

  test("binaryCrossEntropy at saturated probabilities: loss 0 or 100, gradients finite", () => {
    for (const dtype of ["float64", "float32"] as const) {
      const p = tensor([1, 0, 1, 0, 1e-45, 0.5], { dtype, requiresGrad: true });
      const t = tensor([1, 0, 0, 1, 0, 1], { dtype });
      const loss = nn.binaryCrossEntropy(p, t, { reduction: "none" });
      const values = [...loss.data()].map((v) => v + 0);
      assert.deepEqual(values.slice(0, 5), [0, 0, 100, 100, 0]);
      assert.ok(Math.abs(values[5] - Math.LN2) < 1e-6);
      loss.sum().backward();
      const g = [...p.grad!.data()];
      assert.ok(g.every(Number.isFinite), `${dtype}: gradient ${g}`);
      assert.ok(Math.abs(g[5] + 2) < 1e-6, `${dtype}: d/dp −log p at 0.5 is −2, got ${g[5]}`);
    }
  });

  test("bceWithLogits with posWeight against −[w·t·log σ(x) + (1−t)·log(1−σ(x))]", () => {
    const xv = [0.5, -1.5, 2, -0.25, 3, -4];
    const tv = [1, 0, 1, 1, 0, 0.3];
    const wv = [2, 0.5, 3];
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    const hand = xv.map((z, i) => -(wv[i % 3] * tv[i] * Math.log(sig(z)) + (1 - tv[i]) * Math.log(1 - sig(z))));
    const x = f64(xv, [2, 3], true);
    const out = nn.bceWithLogits(x, f64(tv, [2, 3]), { reduction: "none", posWeight: f64(wv, [3]) });
    const got = out.data();
    hand.forEach((h, i) => assert.ok(Math.abs(got[i] - h) < 1e-12, `element ${i}: ${got[i]} vs ${h}`));
    const mean = nn.bceWithLogits(x, f64(tv, [2, 3]), { posWeight: f64(wv, [3]) });
    assert.ok(Math.abs(mean.item() - hand.reduce((a, b) => a + b, 0) / 6) < 1e-12);
    // gradient: (1 − t)σ(x) − w·t·(1 − σ(x)), averaged
    mean.backward();
    const g = x.grad!.data();
    xv.forEach((z, i) => {
      const e = ((1 - tv[i]) * sig(z) - wv[i % 3] * tv[i] * (1 - sig(z))) / 6;
      assert.ok(Math.abs(g[i] - e) < 1e-12, `grad ${i}: ${g[i]} vs ${e}`);
    });
    // posWeight 1 is the plain loss
    const plain = nn.bceWithLogits(f64(xv, [2, 3]), f64(tv, [2, 3])).item();
    const w1 = nn.bceWithLogits(f64(xv, [2, 3]), f64(tv, [2, 3]), { posWeight: f64([1, 1, 1], [3]) }).item();
    assert.ok(Math.abs(plain - w1) < 1e-15);
  });

  test("binaryCrossEntropy clamps the logs at −100 and refuses non-probabilities", () => {
    const out = nn.binaryCrossEntropy(f64([0, 1, 1], [3]), f64([1, 0, 1], [3]), { reduction: "none" });
    assert.deepEqual([...out.data()].map((v) => v + 0), [100, 100, 0]);
    assert.throws(() => nn.binaryCrossEntropy(f64([0.5, 1.2], [2]), f64([1, 0], [2])), (e: unknown) => e instanceof ValueError && e.message.includes("1.2") && e.message.includes("[0, 1]"));
  });

  test("crossEntropy hand value: −log softmax[target]", () => {
    const rows = [[1, 2, 3], [0.5, -1, 0]];
    const labels = [2, 1];
    const hand = rows.map((r, i) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0)) - r[labels[i]]);
    const out = nn.crossEntropy(f64(rows.flat(), [2, 3]), tensor(labels, { dtype: "int32" }), { reduction: "none" });
    hand.forEach((h, i) => assert.ok(Math.abs(out.data()[i] - h) < 1e-14));
    const mean = nn.crossEntropy(f64(rows.flat(), [2, 3]), tensor(labels, { dtype: "int32" }));
    assert.ok(Math.abs(mean.item() - (hand[0] + hand[1]) / 2) < 1e-14);
    // a single unbatched example [C] with a 0-d target
    const single = nn.crossEntropy(f64(rows[0], [3]), tensor(2, { dtype: "int32" }));
    assert.ok(Math.abs(single.item() - hand[0]) < 1e-14);
  });
});

describe("losses: errors", () => {
  test("crossEntropy: a label out of range names it and the valid range", () => {
    const x = f64([0, 0, 0, 0, 0, 0, 0, 0], [2, 4]);
    assert.throws(
      () => nn.crossEntropy(x, tensor([1, 4], { dtype: "int32" })),
      (e: unknown) => e instanceof ValueError && e.message.includes("target 4") && e.message.includes("position 1") && e.message.includes("0..3"),
    );
    assert.throws(() => nn.crossEntropy(x, tensor([-1, 0], { dtype: "int32" })), (e: unknown) => e instanceof ValueError && e.message.includes("target -1"));
  });

  test("crossEntropy: a float target is refused", () => {
    const x = f64([0, 0, 0, 0, 0, 0, 0, 0], [2, 4]);
    assert.throws(
      () => nn.crossEntropy(x, tensor([1, 2])),
      (e: unknown) => e instanceof ValueError && e.message.includes("int32") && e.message.includes("float32"),
    );
    assert.throws(() => nn.nllLoss(x, f64([1, 2], [2])), (e: unknown) => e instanceof ValueError && e.message.includes("float64"));
  });

  test("target shape and input/target mismatches", () => {
    assert.throws(() => nn.crossEntropy(f64(new Array(8).fill(0), [2, 4]), tensor([1, 2, 3], { dtype: "int32" })), (e: unknown) => e instanceof ShapeError && e.message.includes("[3]"));
    assert.throws(() => nn.mseLoss(f64([1, 2], [2]), f64([1, 2, 3], [3])), (e: unknown) => e instanceof ShapeError && e.message.includes("[2]") && e.message.includes("[3]"));
    assert.throws(() => nn.mseLoss(f64([1], [1]), f64([1], [1]), { reduction: "avg" as string as nn.Reduction }), /reduction must be/);
  });
});

describe("oneHot", () => {
  test("labels → one-hot rows, float32 by default", () => {
    const oh = nn.oneHot(tensor([2, 0, 1], { dtype: "int32" }), 3);
    assert.equal(oh.dtype, "float32");
    assert.deepEqual([...oh.shape], [3, 3]);
    assert.deepEqual(oh.toArray(), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  });

  test("keeps the label shape and takes a dtype", () => {
    const oh = nn.oneHot(tensor([[1], [0]], { dtype: "int32" }), 2, "float64");
    assert.equal(oh.dtype, "float64");
    assert.deepEqual([...oh.shape], [2, 1, 2]);
    assert.deepEqual([...oh.data()], [0, 1, 1, 0]);
    assert.deepEqual(nn.functional.oneHot(tensor(3, { dtype: "int32" }), 5).toArray(), [0, 0, 0, 1, 0]);
  });

  test("refuses labels out of range or not int32", () => {
    assert.throws(() => nn.oneHot(tensor([0, 3], { dtype: "int32" }), 3), (e: unknown) => e instanceof ValueError && e.message.includes("label 3") && e.message.includes("0..2"));
    assert.throws(() => nn.oneHot(tensor([0, 1]), 3), (e: unknown) => e instanceof ValueError && e.message.includes("int32"));
  });

  test("oneHot targets with Nielsen's cost", () => {
    const out = f64([0.1, 0.7, 0.2, 0.6, 0.3, 0.1], [2, 3]);
    const y = nn.oneHot(tensor([1, 0], { dtype: "int32" }), 3, "float64");
    // (0.01 + 0.09 + 0.04 + 0.16 + 0.09 + 0.01) / (2·2) = 0.4 / 4
    assert.ok(Math.abs(nn.mseLoss(out, y, { half: true, reduction: "batchmean" }).item() - 0.1) < 1e-14);
  });
});
