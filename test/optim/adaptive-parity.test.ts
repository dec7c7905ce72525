/**
 * Adagrad, Adadelta, RMSprop, Adam, AdamW, Adamax, NAdam: 20-step trajectories and final state
 * against torch.optim (test/fixtures/optim.json, float64), per optimizer and option set.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { Tensor } from "../../src/index.js";
import { assertClose, fixtureTensor, type FixtureTensor } from "../helpers/fixtures.js";
import { assertNumber, assertParams, buildModel, KEYS, makeOptimizer, OPTIMIZERS, TOL, trainStep, trajectories, type TrajectoryCase } from "../helpers/optim.js";

/** Parameter keys in the optimizer's flat order (groups one after the other). */
function flatKeys(c: TrajectoryCase): string[] {
  return c.groups ? c.groups.flatMap((g) => g.params) : KEYS;
}

describe("adaptive optimizers: parity with torch.optim (optim.json)", () => {
  test("the fixture covers every optimizer with at least two option sets", () => {
    for (const name of Object.keys(OPTIMIZERS)) {
      assert.ok(trajectories.filter((c) => c.optimizer === name).length >= 2, name);
    }
    assert.deepEqual(
      trajectories.filter((c) => c.optimizer === "RMSprop").map((c) => c.name),
      ["rmsprop_plain", "rmsprop_alpha_weight_decay", "rmsprop_centered", "rmsprop_momentum", "rmsprop_centered_momentum", "rmsprop_groups_lr"],
    );
    assert.deepEqual(
      trajectories.filter((c) => c.optimizer === "Adam").map((c) => c.name),
      ["adam_plain", "adam_weight_decay", "adam_amsgrad", "adam_betas_eps"],
    );
    for (const c of trajectories) assert.equal(c.steps.length, 20, c.name);
  });

  for (const c of trajectories) {
    test(`${c.name}: options, loss and parameters at each of 20 steps, final state`, () => {
      const model = buildModel(c.initial);
      const x = fixtureTensor(c.input);
      const y = fixtureTensor(c.target);
      const opt = makeOptimizer(c, model);
      // The defaults filled in are PyTorch's (the fixture holds every hyper-parameter of the group).
      const expectedGroups = c.groups ? c.groups.map((g) => g.options) : [c.options];
      assert.deepEqual(opt.paramGroups.map((g) => ({ ...g.options })), expectedGroups);

      c.steps.forEach((step, i) => {
        const loss = trainStep(model, opt, x, y);
        assertNumber(loss, step.loss, `${c.name} step ${i}: loss`);
        assertParams(model, step.params, `${c.name} step ${i}`);
      });
      assert.ok(c.steps[19].loss < c.steps[0].loss, "training made progress");

      // The state holds what PyTorch's holds, under the same (camelCase) names.
      const { state } = opt.stateDict();
      const keys = flatKeys(c);
      assert.deepEqual(Object.keys(state).map(Number), [0, 1, 2, 3]);
      for (const [i, s] of Object.entries(state)) {
        const key = keys[Number(i)];
        const expected = c.state[key];
        assert.deepEqual(Object.keys(s).sort(), Object.keys(expected).sort(), `${c.name} state of ${key}`);
        for (const [name, value] of Object.entries(s)) {
          const e = expected[name];
          if (value instanceof Tensor) assertClose(value, e as FixtureTensor, TOL, `${c.name} state ${key}.${name}`);
          else assertNumber(value, e as number, `${c.name} state ${key}.${name}`);
        }
      }
      assert.equal(state[0].step, 20);
    });
  }

  test("every option set changes the trajectory of its optimizer's plain case", () => {
    const last = (c: TrajectoryCase) => c.steps[19].params["0.weight"].data;
    for (const c of trajectories) {
      const plain = trajectories.find((k) => k.optimizer === c.optimizer && k.name.endsWith("_plain"))!;
      if (c === plain) continue;
      const a = last(c);
      const b = last(plain);
      assert.ok(a.some((v, j) => Math.abs(v - b[j]) > 1e-6), `${c.name} ends where ${plain.name} does`);
    }
  });

  test("AdamW's decoupled decay differs from Adam's L2 decay with the same λ", () => {
    const adam = trajectories.find((c) => c.name === "adam_weight_decay")!;
    assert.equal(adam.options.weightDecay, 0.1);
    const model = buildModel(adam.initial);
    const opt = makeOptimizer({ ...adam, optimizer: "AdamW" }, model);
    const x = fixtureTensor(adam.input);
    const y = fixtureTensor(adam.target);
    for (let i = 0; i < 20; i++) trainStep(model, opt, x, y);
    const w = model.stateDict().get("0.weight")!.data();
    const expected = adam.steps[19].params["0.weight"].data;
    assert.ok(w.some((v, j) => Math.abs(v - expected[j]) > 1e-4));
  });
});
