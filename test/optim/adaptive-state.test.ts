/**
 * stateDict / loadStateDict of the adaptive optimizers: 10 steps, save, a new optimizer loads the
 * state, 10 more steps give the same parameters bit for bit as 20 uninterrupted steps.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, optim, Tensor, tensor, ValueError } from "../../src/index.js";
import { fixtureTensor } from "../helpers/fixtures.js";
import { assertParams, buildModel, makeOptimizer, snapshot, trainStep, trajectories, type AnyOptimizer } from "../helpers/optim.js";

type StateDict = ReturnType<AnyOptimizer["stateDict"]>;

/** A deep copy, as a checkpoint written to disk and read back would be. */
function saveCopy(sd: StateDict): StateDict {
  const state: StateDict["state"] = {};
  for (const [i, s] of Object.entries(sd.state)) {
    const entry: Record<string, Tensor | number> = {};
    for (const [k, v] of Object.entries(s)) entry[k] = typeof v === "number" ? v : tensor([...v.data()], { shape: v.shape, dtype: v.dtype });
    state[Number(i)] = entry;
  }
  return { state, paramGroups: JSON.parse(JSON.stringify(sd.paramGroups)) };
}

describe("adaptive optimizers: a restored optimizer continues the same trajectory", () => {
  for (const c of trajectories) {
    test(c.name, () => {
      const x = fixtureTensor(c.input);
      const y = fixtureTensor(c.target);
      const modelA = buildModel(c.initial);
      const optA = makeOptimizer(c, modelA);
      for (let i = 0; i < 10; i++) trainStep(modelA, optA, x, y);

      const savedModel = new Map([...modelA.stateDict()].map(([k, t]) => [k, t.clone()]));
      const saved = saveCopy(optA.stateDict());

      // A new model and optimizer (built with another lr: the loaded groups replace it).
      const modelB = buildModel(c.initial);
      modelB.loadStateDict(savedModel);
      const optB = makeOptimizer(c, modelB, { lr: 0.123 });
      optB.loadStateDict(saved);
      assert.deepEqual(optB.paramGroups.map((g) => g.options), optA.paramGroups.map((g) => g.options));

      for (let i = 10; i < 20; i++) {
        const lossA = trainStep(modelA, optA, x, y);
        const lossB = trainStep(modelB, optB, x, y);
        assert.equal(lossB, lossA, `step ${i}: loss`);
        assert.deepEqual(snapshot(modelB), snapshot(modelA), `step ${i}: parameters bit for bit`);
      }
      assertParams(modelB, c.steps[19].params, "restored, step 19");

      // Without the state the continuation differs (the state is what carries the history).
      const modelC = buildModel(c.initial);
      modelC.loadStateDict(savedModel);
      const optC = makeOptimizer(c, modelC);
      for (let i = 10; i < 20; i++) trainStep(modelC, optC, x, y);
      assert.notDeepEqual(snapshot(modelC), snapshot(modelA));
    });
  }

  test("the saved state is a copy: stepping on does not change it", () => {
    const c = trajectories.find((k) => k.name === "adam_amsgrad")!;
    const model = buildModel(c.initial);
    const opt = makeOptimizer(c, model);
    const x = fixtureTensor(c.input);
    const y = fixtureTensor(c.target);
    trainStep(model, opt, x, y);
    const sd = opt.stateDict();
    const before = [...(sd.state[0].expAvg as Tensor).data()];
    assert.equal(sd.state[0].step, 1);
    trainStep(model, opt, x, y);
    assert.deepEqual([...(sd.state[0].expAvg as Tensor).data()], before);
    assert.equal(sd.state[0].step, 1);
    assert.equal(opt.stateDict().state[0].step, 2);
    // betas are copied too
    (sd.paramGroups[0].betas as number[])[0] = 0.1;
    assert.deepEqual(opt.paramGroups[0].options.betas, [0.8, 0.9]);
  });

  test("loadStateDict refuses state whose tensors do not fit the parameters", () => {
    const a = new nn.Parameter(tensor([1, 2, 3], { dtype: "float64" }));
    const b = new nn.Parameter(tensor([4, 5], { dtype: "float64" }));
    const opt = new optim.Adam([a, b], { lr: 0.1 });
    a.sum().add(b.sum()).backward();
    opt.step();
    const other = new optim.Adam([b, a], { lr: 0.2, betas: [0.5, 0.6] });
    a.grad = null;
    other.step(); // b only: state for parameter 0
    assert.throws(
      () => other.loadStateDict(opt.stateDict()),
      (e: unknown) => e instanceof ValueError && e.message.includes("Adam.loadStateDict: state 0.expAvg has shape [3], parameter 0 has shape [2]"),
    );
    // Refused as a whole: options and state are as they were.
    const after = other.stateDict();
    assert.deepEqual(after.paramGroups, [{ lr: 0.2, betas: [0.5, 0.6], eps: 1e-8, weightDecay: 0, amsgrad: false }]);
    assert.deepEqual(Object.keys(after.state), ["0"]);
    assert.equal(after.state[0].step, 1);
  });
});
