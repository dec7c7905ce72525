/**
 * optim.SGD: 20-step trajectories against torch.optim.SGD (test/fixtures/sgd.json, float64),
 * hyper-parameter validation, parameter groups, and optimizer state dicts.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, optim, Tensor, tensor, ValueError } from "../../src/index.js";
import { assertClose, fixtureTensor, loadFixture, type FixtureTensor } from "../helpers/fixtures.js";

interface SgdStep {
  loss: number;
  params: Record<string, FixtureTensor>;
}

interface SgdCase {
  name: string;
  options: { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean };
  input: FixtureTensor;
  target: FixtureTensor;
  initial: Record<string, FixtureTensor>;
  steps: SgdStep[];
}

const TOL = { rtol: 1e-9, atol: 1e-12 };
const KEYS = ["0.weight", "0.bias", "2.weight", "2.bias"];
const cases = loadFixture<SgdCase>("sgd").cases;

/** Linear(4,3) → Tanh → Linear(3,2), with float64 parameters holding the fixture's initial values. */
function buildModel(initial: Record<string, FixtureTensor>): nn.Sequential {
  const first = new nn.Linear(4, 3);
  const second = new nn.Linear(3, 2);
  const model = new nn.Sequential(first, new nn.Tanh(), second);
  first.weight = new nn.Parameter(fixtureTensor(initial["0.weight"]));
  first.bias = new nn.Parameter(fixtureTensor(initial["0.bias"]));
  second.weight = new nn.Parameter(fixtureTensor(initial["2.weight"]));
  second.bias = new nn.Parameter(fixtureTensor(initial["2.bias"]));
  assert.deepEqual(model.namedParameters().map(([k]) => k), KEYS);
  for (const [k, p] of model.namedParameters()) {
    assert.equal(p.dtype, "float64", k);
    assert.ok(p.requiresGrad, k);
  }
  return model;
}

/** One training step; returns the loss computed before the update. */
function trainStep(model: nn.Module, opt: optim.SGD, x: Tensor, y: Tensor): number {
  opt.zeroGrad();
  const loss = nn.mseLoss(model.forward(x), y);
  loss.backward();
  opt.step();
  return loss.item();
}

function assertParams(model: nn.Module, expected: Record<string, FixtureTensor>, label: string): void {
  const sd = model.stateDict();
  assert.deepEqual([...sd.keys()], Object.keys(expected), `${label}: keys`);
  for (const [k, t] of sd) assertClose(t, expected[k], TOL, `${label} ${k}`);
}

function assertLoss(actual: number, expected: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= TOL.atol + TOL.rtol * Math.abs(expected), `${label}: loss ${actual}, expected ${expected}`);
}

function snapshot(model: nn.Module): Map<string, number[]> {
  return new Map([...model.stateDict()].map(([k, t]) => [k, [...t.data()]]));
}

describe("SGD: parity with torch.optim.SGD (sgd.json)", () => {
  test("the fixture covers the option sets", () => {
    assert.deepEqual(cases.map((c) => c.name), ["sgd_plain", "sgd_momentum", "sgd_momentum_dampening", "sgd_nesterov", "sgd_momentum_weight_decay"]);
    for (const c of cases) assert.equal(c.steps.length, 20, c.name);
  });

  for (const c of cases) {
    test(`${c.name}: loss and parameters at each of 20 steps`, () => {
      const model = buildModel(c.initial);
      const x = fixtureTensor(c.input);
      const y = fixtureTensor(c.target);
      const opt = new optim.SGD(model.parameters(), c.options);
      assert.deepEqual({ ...opt.paramGroups[0].options }, c.options);
      c.steps.forEach((step, i) => {
        const loss = trainStep(model, opt, x, y);
        assertLoss(loss, step.loss, `${c.name} step ${i}`);
        assertParams(model, step.params, `${c.name} step ${i}`);
      });
      // training made progress
      assert.ok(c.steps[19].loss < c.steps[0].loss);
    });
  }

  test("the option sets give different trajectories (momentum state matters)", () => {
    const last = (name: string) => cases.find((c) => c.name === name)!.steps[19].params["0.weight"].data;
    assert.notDeepEqual(last("sgd_plain"), last("sgd_momentum"));
    assert.notDeepEqual(last("sgd_momentum"), last("sgd_nesterov"));
    assert.notDeepEqual(last("sgd_momentum"), last("sgd_momentum_dampening"));
  });
});

describe("SGD: validation", () => {
  const p = () => [new nn.Parameter(tensor([1, 2]))];
  const rejects = (options: Partial<optim.SGDOptions> & { lr: number }, fragments: string[]) =>
    assert.throws(
      () => new optim.SGD(p(), options),
      (e: unknown) => {
        assert.ok(e instanceof ValueError, String(e));
        for (const f of fragments) assert.ok(e.message.includes(f), `${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
        return true;
      },
    );

  test("negative lr", () => rejects({ lr: -0.1 }, ["SGD", "lr must be a number >= 0", "-0.1"]));
  test("momentum 1 (and below 0)", () => {
    rejects({ lr: 0.1, momentum: 1 }, ["momentum must be in [0, 1)", "got 1"]);
    rejects({ lr: 0.1, momentum: -0.5 }, ["momentum must be in [0, 1)", "-0.5"]);
  });
  test("nesterov without momentum, or with dampening", () => {
    rejects({ lr: 0.1, nesterov: true }, ["nesterov needs momentum > 0 and dampening 0", "momentum 0"]);
    rejects({ lr: 0.1, nesterov: true, momentum: 0.9, dampening: 0.1 }, ["nesterov needs momentum > 0 and dampening 0", "dampening 0.1"]);
  });
  test("dampening, weight decay, non-finite lr, empty parameter list", () => {
    rejects({ lr: 0.1, momentum: 0.9, dampening: 1.5 }, ["dampening must be in [0, 1]", "1.5"]);
    rejects({ lr: 0.1, weightDecay: -1 }, ["weightDecay must be a number >= 0", "-1"]);
    rejects({ lr: Number.NaN }, ["lr must be a number >= 0", "NaN"]);
    assert.throws(() => new optim.SGD([], { lr: 0.1 }), (e: unknown) => e instanceof ValueError && e.message.includes("empty parameter list"));
  });
  test("each group's options are validated", () => {
    assert.throws(
      () => new optim.SGD([{ params: p() }, { params: p(), options: { momentum: 2 } }], { lr: 0.1 }),
      (e: unknown) => e instanceof ValueError && e.message.includes("momentum must be in [0, 1)") && e.message.includes("2"),
    );
  });
  test("valid edge values are accepted", () => {
    assert.equal(new optim.SGD(p(), { lr: 0, momentum: 0.999, dampening: 1 }).lr, 0);
  });
});

describe("SGD: parameter groups", () => {
  test("each group uses its own lr; options fall back to the defaults", () => {
    const a = new nn.Parameter(tensor([1, 2], { dtype: "float64" }));
    const b = new nn.Parameter(tensor([3], { dtype: "float64" }));
    const opt = new optim.SGD([{ params: [a] }, { params: [b], options: { lr: 0.5 } }], { lr: 0.1, momentum: 0.9 });
    assert.equal(opt.paramGroups.length, 2);
    assert.equal(opt.paramGroups[0].options.lr, 0.1);
    assert.equal(opt.paramGroups[1].options.lr, 0.5);
    assert.equal(opt.paramGroups[1].options.momentum, 0.9);
    assert.equal(opt.lr, 0.1);

    const lossFn = () => a.sum().add(b.sum().mul(2)); // grads: a → [1, 1], b → [2]
    opt.zeroGrad();
    lossFn().backward();
    opt.step();
    assert.deepEqual([...a.data()], [1 - 0.1, 2 - 0.1]);
    assert.deepEqual([...b.data()], [3 - 0.5 * 2]);
    // second step: buffers 0.9·g + g = 1.9·g
    opt.zeroGrad();
    lossFn().backward();
    opt.step();
    assert.ok(Math.abs(a.data()[0] - (0.9 - 0.1 * 1.9)) < 1e-15, `${a.data()[0]}`);
    assert.ok(Math.abs(b.data()[0] - (2 - 0.5 * 3.8)) < 1e-15, `${b.data()[0]}`);
    // a scheduler-style change to one group's lr applies to it alone
    opt.paramGroups[1].options.lr = 0;
    opt.zeroGrad();
    lossFn().backward();
    opt.step();
    assert.ok(Math.abs(b.data()[0] - (2 - 0.5 * 3.8)) < 1e-15);
    assert.ok(a.data()[0] < 0.9 - 0.1 * 1.9);
  });

  test("parameters without a gradient are skipped; zeroGrad clears to null", () => {
    const a = new nn.Parameter(tensor([1], { dtype: "float64" }));
    const b = new nn.Parameter(tensor([5], { dtype: "float64" }));
    const opt = new optim.SGD([a, b], { lr: 0.25, weightDecay: 0.1 });
    a.mul(4).sum().backward();
    opt.step();
    // a ← 1 − 0.25·(4 + 0.1·1); b untouched (no grad, so no weight decay either)
    assert.ok(Math.abs(a.item() - (1 - 0.25 * 4.1)) < 1e-15);
    assert.equal(b.item(), 5);
    opt.zeroGrad();
    assert.equal(a.grad, null);
    assert.equal(b.grad, null);
  });
});

describe("SGD: stateDict / loadStateDict", () => {
  const c = cases.find((k) => k.name === "sgd_momentum_weight_decay")!;

  test("a restored optimizer continues the same trajectory as an uninterrupted one", () => {
    const x = fixtureTensor(c.input);
    const y = fixtureTensor(c.target);

    const modelA = buildModel(c.initial);
    const optA = new optim.SGD(modelA.parameters(), c.options);
    for (let i = 0; i < 10; i++) trainStep(modelA, optA, x, y);

    // "Save": clone the model's tensors and the optimizer's state.
    const savedModel = new Map([...modelA.stateDict()].map(([k, t]) => [k, t.clone()]));
    const sd = optA.stateDict();
    assert.deepEqual(Object.keys(sd.state), ["0", "1", "2", "3"]);
    const savedState: typeof sd.state = {};
    for (const [i, s] of Object.entries(sd.state)) {
      const entry: Record<string, Tensor | number> = {};
      for (const [k, v] of Object.entries(s)) entry[k] = typeof v === "number" ? v : v.clone();
      savedState[Number(i)] = entry;
    }
    assert.ok(savedState[0].momentumBuffer instanceof Tensor);
    assert.deepEqual([...(savedState[0].momentumBuffer as Tensor).shape], [3, 4]);
    const saved = { state: savedState, paramGroups: sd.paramGroups.map((g) => ({ ...g })) };

    // "Load" into a fresh model and optimizer built with a different lr.
    const modelB = buildModel(c.initial);
    modelB.loadStateDict(savedModel);
    const optB = new optim.SGD(modelB.parameters(), { ...c.options, lr: 0.5 });
    optB.loadStateDict(saved);
    assert.equal(optB.lr, c.options.lr);

    // A fresh optimizer without the momentum state, for contrast.
    const modelC = buildModel(c.initial);
    modelC.loadStateDict(savedModel);
    const optC = new optim.SGD(modelC.parameters(), c.options);

    for (let i = 10; i < 20; i++) {
      const lossA = trainStep(modelA, optA, x, y);
      const lossB = trainStep(modelB, optB, x, y);
      trainStep(modelC, optC, x, y);
      assert.equal(lossB, lossA, `step ${i}: loss`);
      assert.deepEqual(snapshot(modelB), snapshot(modelA), `step ${i}: parameters`);
      assertLoss(lossB, c.steps[i].loss, `restored step ${i}`);
      assertParams(modelB, c.steps[i].params, `restored step ${i}`);
    }
    // without the momentum buffers the trajectory differs
    const w = modelC.stateDict().get("0.weight")!.data();
    const expected = c.steps[19].params["0.weight"].data;
    assert.ok(w.some((v, j) => Math.abs(v - expected[j]) > 1e-6), "a fresh optimizer should not match the restored trajectory");
  });

  test("stateDict is empty before the first step and refuses a different number of groups", () => {
    const a = new nn.Parameter(tensor([1], { dtype: "float64" }));
    const b = new nn.Parameter(tensor([2], { dtype: "float64" }));
    const opt = new optim.SGD([a, b], { lr: 0.1, momentum: 0.5 });
    assert.deepEqual(opt.stateDict(), { state: {}, paramGroups: [{ lr: 0.1, momentum: 0.5, dampening: 0, weightDecay: 0, nesterov: false }] });
    const two = new optim.SGD([{ params: [a] }, { params: [b] }], { lr: 0.1 });
    assert.throws(() => two.loadStateDict(opt.stateDict()), (e: unknown) => e instanceof ValueError && e.message.includes("1 parameter groups in the state, 2 here"));
  });
});
