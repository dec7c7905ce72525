/**
 * optim.paramGroupsWithoutDecay: weight decay on weights, none on biases and normalization
 * parameters; the grouped trajectory matches PyTorch's (adamw_groups_without_decay in optim.json).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, optim, tensor } from "../../src/index.js";
import { fixtureTensor } from "../helpers/fixtures.js";
import { assertParams, buildModel, trainStep, trajectories } from "../helpers/optim.js";

describe("paramGroupsWithoutDecay", () => {
  test("splits conv / linear weights from biases and norm weights; frozen parameters are left out", () => {
    const model = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.Flatten(), new nn.Linear(4 * 3 * 3, 2));
    const names = new Map(model.namedParameters().map(([k, p]) => [p, k]));
    const [decay, noDecay] = optim.paramGroupsWithoutDecay(model, 5e-4);
    assert.deepEqual(decay.params.map((p) => names.get(p)), ["0.weight", "4.weight"]);
    assert.deepEqual(noDecay.params.map((p) => names.get(p)), ["0.bias", "1.weight", "1.bias", "4.bias"]);
    assert.deepEqual(decay.options, { weightDecay: 5e-4 });
    assert.deepEqual(noDecay.options, { weightDecay: 0 });

    const frozen = model.namedParameters().find(([k]) => k === "1.weight")![1];
    frozen.requiresGrad = false;
    const [, noDecay2] = optim.paramGroupsWithoutDecay(model, 5e-4);
    assert.deepEqual(noDecay2.params.map((p) => names.get(p)), ["0.bias", "1.bias", "4.bias"]);
  });

  test("the groups feed any optimizer; AdamW's trajectory matches PyTorch's with the same groups", () => {
    const c = trajectories.find((k) => k.name === "adamw_groups_without_decay")!;
    const model = buildModel(c.initial);
    const groups = optim.paramGroupsWithoutDecay(model, 0.1);
    const names = new Map(model.namedParameters().map(([k, p]) => [p, k]));
    assert.deepEqual(groups.map((g) => g.params.map((p) => names.get(p))), c.groups!.map((g) => g.params));
    const opt = new optim.AdamW(groups, { lr: 0.05 });
    assert.deepEqual(opt.paramGroups.map((g) => ({ ...g.options })), c.groups!.map((g) => g.options));
    const x = fixtureTensor(c.input);
    const y = fixtureTensor(c.target);
    c.steps.forEach((step, i) => {
      trainStep(model, opt, x, y);
      assertParams(model, step.params, `step ${i}`);
    });
  });

  test("with SGD the bias takes the plain gradient step, the weight the regularized one (D = Δ/n + λΘ)", () => {
    const layer = new nn.Linear(2, 1);
    layer.weight = new nn.Parameter(tensor([[1, -2]], { dtype: "float64" }));
    layer.bias = new nn.Parameter(tensor([3], { dtype: "float64" }));
    const opt = new optim.SGD(optim.paramGroupsWithoutDecay(layer, 0.5), { lr: 0.1 });
    layer.forward(tensor([[1, 1]], { dtype: "float64" })).sum().backward(); // ∂/∂w = [1, 1], ∂/∂b = 1
    opt.step();
    assert.deepEqual([...layer.weight.data()], [1 - 0.1 * (1 + 0.5 * 1), -2 - 0.1 * (1 + 0.5 * -2)]);
    assert.deepEqual([...layer.bias!.data()], [3 - 0.1]);
  });
});
