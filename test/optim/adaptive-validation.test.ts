/**
 * The adaptive optimizers' hyper-parameters: PyTorch's defaults, and bad values rejected at
 * construction with the allowed range in the message.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, optim, tensor, ValueError } from "../../src/index.js";
import { OPTIMIZERS, type OptimizerName, type Options } from "../helpers/optim.js";

const param = () => [new nn.Parameter(tensor([1, 2]))];
const make = (name: OptimizerName, options: Options) => new (OPTIMIZERS[name] as unknown as new (p: unknown, o: Options) => optim.Optimizer<optim.Hyper>)(param(), options);

function rejects(name: OptimizerName, options: Options, fragments: string[]): void {
  assert.throws(
    () => make(name, options),
    (e: unknown) => {
      assert.ok(e instanceof ValueError, String(e));
      for (const f of [name, ...fragments]) assert.ok(e.message.includes(f), `${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
      return true;
    },
  );
}

const ALL = Object.keys(OPTIMIZERS) as OptimizerName[];
const WITH_BETAS: OptimizerName[] = ["Adam", "AdamW", "Adamax", "NAdam"];

describe("adaptive optimizers: defaults are PyTorch 1.13's", () => {
  const expected: Record<OptimizerName, Options> = {
    Adagrad: { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 },
    Adadelta: { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0 },
    RMSprop: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false },
    Adam: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false },
    AdamW: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false },
    Adamax: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 },
    NAdam: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 },
  };
  for (const name of ALL) {
    test(name, () => assert.deepEqual({ ...make(name, {}).paramGroups[0].options }, expected[name]));
  }
});

describe("adaptive optimizers: bad hyper-parameters are rejected at construction", () => {
  test("negative or non-finite lr, negative eps, negative weightDecay (every optimizer)", () => {
    for (const name of ALL) {
      rejects(name, { lr: -0.1 }, ["lr must be a number >= 0", "got -0.1"]);
      rejects(name, { lr: Number.NaN }, ["lr must be a number >= 0", "got NaN"]);
      rejects(name, { eps: -1e-8 }, ["eps must be a number >= 0", "got -1e-8"]);
      rejects(name, { weightDecay: -0.01 }, ["weightDecay must be a number >= 0", "got -0.01"]);
    }
  });

  test("betas outside [0, 1), or not a pair", () => {
    for (const name of WITH_BETAS) {
      rejects(name, { betas: [1, 0.999] }, ["betas[0] must be in [0, 1)", "got 1"]);
      rejects(name, { betas: [0.9, 1.5] }, ["betas[1] must be in [0, 1)", "got 1.5"]);
      rejects(name, { betas: [-0.1, 0.9] }, ["betas[0] must be in [0, 1)", "got -0.1"]);
      rejects(name, { betas: [0.9] }, ["betas must be a pair [beta1, beta2] with both in [0, 1)", "got [0.9]"]);
    }
  });

  test("Adadelta: rho outside [0, 1]", () => {
    rejects("Adadelta", { rho: 1.01 }, ["rho must be in [0, 1]", "got 1.01"]);
    rejects("Adadelta", { rho: -0.5 }, ["rho must be in [0, 1]", "got -0.5"]);
  });

  test("RMSprop: momentum outside [0, 1), alpha outside [0, 1]", () => {
    rejects("RMSprop", { momentum: -0.9 }, ["momentum must be in [0, 1)", "got -0.9"]);
    rejects("RMSprop", { momentum: 1 }, ["momentum must be in [0, 1)", "got 1"]);
    rejects("RMSprop", { alpha: 1.2 }, ["alpha must be in [0, 1]", "got 1.2"]);
    rejects("RMSprop", { alpha: -0.1 }, ["alpha must be in [0, 1]", "got -0.1"]);
  });

  test("Adagrad: negative lrDecay or initialAccumulatorValue; NAdam: negative momentumDecay", () => {
    rejects("Adagrad", { lrDecay: -1 }, ["lrDecay must be a number >= 0", "got -1"]);
    rejects("Adagrad", { initialAccumulatorValue: -0.1 }, ["initialAccumulatorValue must be a number >= 0", "got -0.1"]);
    rejects("NAdam", { momentumDecay: -0.004 }, ["momentumDecay must be a number >= 0", "got -0.004"]);
  });

  test("each group's options are validated; an empty parameter list is refused", () => {
    assert.throws(
      () => new optim.Adam([{ params: param() }, { params: param(), options: { betas: [0.9, 1] } }]),
      (e: unknown) => e instanceof ValueError && e.message === "Adam: betas[1] must be in [0, 1), got 1",
    );
    assert.throws(() => new optim.AdamW([], {}), (e: unknown) => e instanceof ValueError && e.message.includes("AdamW: got an empty parameter list"));
  });

  test("edge values are accepted", () => {
    assert.equal(make("Adam", { lr: 0, eps: 0, betas: [0, 0.999999] }).lr, 0);
    assert.equal(make("Adadelta", { rho: 1 }).paramGroups[0].options.rho, 1);
    assert.equal(make("Adadelta", { rho: 0 }).paramGroups[0].options.rho, 0);
    assert.equal(make("RMSprop", { alpha: 1, momentum: 0.999 }).paramGroups[0].options.alpha, 1);
  });
});
