/**
 * optim schedulers: the lr (and momentum) sequences of torch.optim.lr_scheduler (PyTorch 1.13,
 * test/fixtures/sched.json) to 1e-12, resuming from a saved state in the middle of each case,
 * argument validation, and the schedulers driving a real SGD.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, optim, tensor, ValueError } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";

type Args = Record<string, unknown>;

interface GroupSpec {
  lr: number;
  momentum?: number;
  betas?: [number, number];
}

interface SchedCase {
  name: string;
  scheduler: string;
  args: Args;
  optimizer: { type: "SGD" | "Adam"; groups: GroupSpec[] };
  steps: number;
  metrics?: number[];
  lr: number[][];
  momentum?: number[][];
}

const cases = loadFixture<SchedCase>("sched").cases;
const RTOL = 1e-12;

type AnyScheduler = optim.LRScheduler | optim.ReduceLROnPlateau;

/**
 * A torch-like optimizer for the case: a real optim.SGD, or for Adam (not in Tessera yet) a
 * stand-in holding Adam's options, `betas` included — schedulers only touch the groups' options.
 */
function makeOptimizer(spec: SchedCase["optimizer"]): optim.OptimizerLike {
  if (spec.type === "Adam") {
    return { paramGroups: spec.groups.map((g) => ({ params: [], options: { lr: g.lr, betas: [...g.betas!], eps: 1e-8, weightDecay: 0 } })) };
  }
  const groups = spec.groups.map((g) => ({
    params: [new nn.Parameter(tensor([0], { dtype: "float64" }))],
    options: { lr: g.lr, ...(g.momentum !== undefined ? { momentum: g.momentum } : {}) },
  }));
  return new optim.SGD(groups, { lr: spec.groups[0].lr });
}

function build(opt: optim.OptimizerLike, kind: string, args: Args): AnyScheduler {
  const a = args as Record<string, never>;
  switch (kind) {
    case "StepLR":
      return new optim.StepLR(opt, a.stepSize, { gamma: a.gamma });
    case "MultiStepLR":
      return new optim.MultiStepLR(opt, a.milestones, { gamma: a.gamma });
    case "ExponentialLR":
      return new optim.ExponentialLR(opt, a.gamma);
    case "CosineAnnealingLR":
      return new optim.CosineAnnealingLR(opt, a.tMax, { etaMin: a.etaMin });
    case "LinearLR":
      return new optim.LinearLR(opt, args);
    case "OneCycleLR": {
      const { maxLr, ...rest } = args;
      return new optim.OneCycleLR(opt, maxLr as number | number[], rest);
    }
    case "SequentialLR": {
      const subs = (args.schedulers as { scheduler: string; args: Args }[]).map((s) => build(opt, s.scheduler, s.args) as optim.LRScheduler);
      return new optim.SequentialLR(opt, subs, a.milestones);
    }
    case "ReduceLROnPlateau":
      return new optim.ReduceLROnPlateau(opt, args);
    default:
      throw new Error(`unknown scheduler ${kind}`);
  }
}

function stepOnce(s: AnyScheduler, c: SchedCase, k: number): void {
  if (s instanceof optim.ReduceLROnPlateau) s.step(c.metrics![k]);
  else s.step();
}

function momentumOf(opt: optim.OptimizerLike): number[] {
  return opt.paramGroups.map((g) => (Array.isArray(g.options.betas) ? (g.options.betas[0] as number) : (g.options.momentum as number)));
}

function assertRow(actual: number[], expected: number[], label: string): void {
  assert.equal(actual.length, expected.length, `${label}: ${actual.length} groups, expected ${expected.length}`);
  actual.forEach((a, i) => {
    const e = expected[i];
    assert.ok(Math.abs(a - e) <= RTOL * Math.abs(e) + 1e-300, `${label} group ${i}: ${a}, expected ${e} (|diff| ${Math.abs(a - e)})`);
  });
}

/** Checks getLastLr(), the groups' lr and (where recorded) momentum at step k. */
function assertStep(s: AnyScheduler, opt: optim.OptimizerLike, c: SchedCase, k: number): void {
  assertRow(s.getLastLr(), c.lr[k], `${c.name} step ${k} getLastLr`);
  assertRow(opt.paramGroups.map((g) => g.options.lr as number), c.lr[k], `${c.name} step ${k} group lr`);
  if (c.momentum) assertRow(momentumOf(opt), c.momentum[k], `${c.name} step ${k} momentum`);
}

describe("schedulers: parity with torch.optim.lr_scheduler (sched.json)", () => {
  test("the fixture covers every scheduler", () => {
    const kinds = new Set(cases.map((c) => c.scheduler));
    assert.deepEqual([...kinds].sort(), ["CosineAnnealingLR", "ExponentialLR", "LinearLR", "MultiStepLR", "OneCycleLR", "ReduceLROnPlateau", "SequentialLR", "StepLR"]);
    assert.equal(cases.length, 41);
    for (const c of cases) assert.equal(c.lr.length, c.steps + 1, c.name);
  });

  for (const c of cases) {
    test(`${c.name}: lr${c.momentum ? " and momentum" : ""} over ${c.steps} steps`, () => {
      const opt = makeOptimizer(c.optimizer);
      const s = build(opt, c.scheduler, c.args);
      assertStep(s, opt, c, 0);
      for (let k = 0; k < c.steps; k++) {
        stepOnce(s, c, k);
        assertStep(s, opt, c, k + 1);
      }
    });
  }
});

describe("schedulers: stateDict / loadStateDict resume the same schedule", () => {
  // Interrupt after `cut` steps; save through JSON as a checkpoint would; rebuild and continue.
  for (const [i, c] of cases.entries()) {
    const optimizerFirst = i % 2 === 0;
    test(`${c.name}: resumed at step 13 (optimizer state loaded ${optimizerFirst ? "before" : "after"} building the scheduler)`, () => {
      const cut = Math.min(13, c.steps - 1);
      const opt = makeOptimizer(c.optimizer);
      const s = build(opt, c.scheduler, c.args);
      for (let k = 0; k < cut; k++) stepOnce(s, c, k);
      const saved = JSON.parse(JSON.stringify({ groups: opt.paramGroups.map((g) => g.options), scheduler: s.stateDict() }));

      const opt2 = makeOptimizer(c.optimizer);
      const restoreGroups = () => opt2.paramGroups.forEach((g, gi) => Object.assign(g.options, saved.groups[gi]));
      if (optimizerFirst) restoreGroups();
      const s2 = build(opt2, c.scheduler, c.args);
      if (!optimizerFirst) restoreGroups();
      s2.loadStateDict(saved.scheduler);
      assertStep(s2, opt2, c, cut);
      for (let k = cut; k < c.steps; k++) {
        stepOnce(s2, c, k);
        assertStep(s2, opt2, c, k + 1);
      }
    });
  }

  test("the state is plain JSON and names the progress (StepLR, ReduceLROnPlateau before its first step)", () => {
    const opt = makeOptimizer({ type: "SGD", groups: [{ lr: 0.1 }] });
    const s = new optim.StepLR(opt, 2);
    s.step();
    s.step();
    assert.deepEqual(s.stateDict(), { stepSize: 2, gamma: 0.1, lastEpoch: 2, stepCount: 3, baseLrs: [0.1], lastLr: [0.1 * 0.1] });
    const p = new optim.ReduceLROnPlateau(makeOptimizer({ type: "SGD", groups: [{ lr: 0.1 }] }));
    const state = p.stateDict();
    assert.equal(state.best, null); // +Infinity is not JSON
    const p2 = new optim.ReduceLROnPlateau(makeOptimizer({ type: "SGD", groups: [{ lr: 0.1 }] }));
    p2.loadStateDict(JSON.parse(JSON.stringify(state)));
    assert.equal(p2.best, Infinity);
    p2.step(tensor([0.5], { dtype: "float64" })); // a one-element tensor works as the metric
    assert.equal(p2.best, 0.5);
  });

  test("loading the scheduler alone also restores the groups' lr (and OneCycleLR's momentum)", () => {
    for (const name of ["cosine_t10", "onecycle_default_cos", "plateau_min_patience2"]) {
      const c = cases.find((k) => k.name === name)!;
      const opt = makeOptimizer(c.optimizer);
      const s = build(opt, c.scheduler, c.args);
      for (let k = 0; k < 17; k++) stepOnce(s, c, k);
      const opt2 = makeOptimizer(c.optimizer); // fresh: lr and momentum as at the start
      const s2 = build(opt2, c.scheduler, c.args);
      s2.loadStateDict(JSON.parse(JSON.stringify(s.stateDict())));
      assertStep(s2, opt2, c, 17);
      stepOnce(s2, c, 17);
      assertStep(s2, opt2, c, 18);
    }
  });

  test("loading a state saved with other settings throws, naming the setting", () => {
    const s = new optim.StepLR(makeOptimizer({ type: "SGD", groups: [{ lr: 0.1 }] }), 3);
    const other = new optim.StepLR(makeOptimizer({ type: "SGD", groups: [{ lr: 0.1 }] }), 5);
    assert.throws(() => s.loadStateDict(other.stateDict()), (e: unknown) => e instanceof ValueError && /stepSize = 5 but this scheduler has 3/.test(e.message));
    const two = new optim.StepLR(makeOptimizer({ type: "SGD", groups: [{ lr: 0.1 }, { lr: 0.2 }] }), 3);
    assert.throws(() => s.loadStateDict(two.stateDict()), (e: unknown) => e instanceof ValueError && /"baseLrs" must be 1 numbers/.test(e.message));
    const plateau = new optim.ReduceLROnPlateau(makeOptimizer({ type: "SGD", groups: [{ lr: 0.1 }] }), { mode: "max" });
    const plateauMin = new optim.ReduceLROnPlateau(makeOptimizer({ type: "SGD", groups: [{ lr: 0.1 }] }));
    assert.throws(() => plateau.loadStateDict(plateauMin.stateDict()), (e: unknown) => e instanceof ValueError && /mode = "min"/.test(e.message));
  });
});

describe("schedulers: behaviour", () => {
  const sgd = (lr = 0.1, momentum = 0) => {
    const p = new nn.Parameter(tensor([1], { dtype: "float64" }));
    return { p, opt: new optim.SGD([p], { lr, momentum }) };
  };

  test("the optimizer steps with the scheduled lr", () => {
    const { p, opt } = sgd(0.5);
    const s = new optim.StepLR(opt, 1, { gamma: 0.5 });
    let x = 1;
    for (const lr of [0.5, 0.25, 0.125]) {
      opt.zeroGrad();
      p.mul(2).sum().backward(); // gradient 2
      opt.step();
      s.step();
      x -= lr * 2;
      assert.equal(p.item(), x);
    }
    assert.deepEqual(s.getLastLr(), [0.0625]);
    assert.equal(opt.lr, 0.0625);
  });

  test("getLastLr returns a copy; initialLr is recorded once and shared", () => {
    const { opt } = sgd(0.2);
    const warm = new optim.LinearWarmup(opt, 4, { startFactor: 0.5 });
    const last = warm.getLastLr();
    last[0] = 99;
    assert.deepEqual(warm.getLastLr(), [0.1]);
    assert.equal(opt.paramGroups[0].options.initialLr, 0.2);
    const exp = new optim.ExponentialLR(opt, 0.5); // built after the warmup changed lr to 0.1
    assert.deepEqual(exp.baseLrs, [0.2]);
  });

  test("the recursive forms carry on from an lr changed from outside (as PyTorch's)", () => {
    const { opt } = sgd(0.1);
    const s = new optim.ExponentialLR(opt, 0.5);
    s.step();
    opt.paramGroups[0].options.lr = 1;
    s.step();
    assert.deepEqual(s.getLastLr(), [0.5]);
    const { opt: opt2 } = sgd(1);
    const cos = new optim.CosineAnnealingLR(opt2, 4);
    cos.step(); // 1·(1 + cos(π/4))/2
    opt2.paramGroups[0].options.lr = cos.getLastLr()[0] / 2; // halve it: the rest of the curve halves too
    cos.step();
    assert.ok(Math.abs(cos.getLastLr()[0] - 0.25) < 1e-15, `${cos.getLastLr()[0]}`); // ½ of (1 + cos(π/2))/2
  });

  test("LinearWarmup is LinearLR with endFactor 1", () => {
    const c = cases.find((k) => k.name === "linear_warmup_0.1_10")!;
    const { opt } = sgd(0.1);
    const s = new optim.LinearWarmup(opt, 10, { startFactor: 0.1 });
    assert.equal(s.endFactor, 1);
    assertStep(s, opt, c, 0);
    for (let k = 0; k < 30; k++) {
      s.step();
      assertStep(s, opt, c, k + 1);
    }
  });

  test("jumpTo(epoch) uses the closed form (PyTorch's step(epoch))", () => {
    const { opt } = sgd(1);
    const s = new optim.MultiStepLR(opt, [2, 5], { gamma: 0.1 });
    s.jumpTo(6);
    assert.ok(Math.abs(s.getLastLr()[0] - 0.01) < 1e-17);
    s.jumpTo(3);
    assert.ok(Math.abs(s.getLastLr()[0] - 0.1) < 1e-16);
    const { opt: opt2 } = sgd(2);
    const cos = new optim.CosineAnnealingLR(opt2, 10, { etaMin: 0.5 });
    cos.jumpTo(5);
    assert.equal(cos.getLastLr()[0], 0.5 + (1.5 * (1 + Math.cos(Math.PI / 2))) / 2);
  });

  test("OneCycleLR: an optimizer without momentum keeps the lr schedule and skips momentum cycling", () => {
    const c = cases.find((k) => k.name === "onecycle_default_cos")!;
    const opt: optim.OptimizerLike = { paramGroups: [{ options: { lr: 0.1, lrDecay: 0, eps: 1e-10 } }] }; // Adagrad-like
    const s = new optim.OneCycleLR(opt, 0.1, { totalSteps: 30 });
    assert.equal(s.cyclesMomentum, false);
    for (let k = 0; k < 30; k++) {
      s.step();
      assertRow(s.getLastLr(), c.lr[k + 1], `step ${k + 1}`);
    }
    assert.deepEqual(Object.keys(opt.paramGroups[0].options).sort(), ["eps", "initialLr", "lr", "lrDecay"]);
    assert.equal(s.stateDict().lastMomentum, null);
  });

  test("OneCycleLR: a `beta1` option is cycled like betas[0]", () => {
    const c = cases.find((k) => k.name === "onecycle_adam_beta1")!;
    const opt: optim.OptimizerLike = { paramGroups: [{ options: { lr: 0.001, beta1: 0.9, beta2: 0.999 } }] };
    const s = new optim.OneCycleLR(opt, 0.01, { totalSteps: 30, baseMomentum: 0.8, maxMomentum: 0.9 });
    for (let k = 0; k < 30; k++) {
      s.step();
      assertRow([opt.paramGroups[0].options.beta1 as number], c.momentum![k + 1], `beta1 step ${k + 1}`);
      assert.equal(opt.paramGroups[0].options.beta2, 0.999);
    }
  });

  test("OneCycleLR: stepping past totalSteps throws (as PyTorch)", () => {
    const { opt } = sgd(0.1, 0.9);
    const s = new optim.OneCycleLR(opt, 0.1, { totalSteps: 5 });
    for (let k = 0; k < 5; k++) s.step();
    assert.throws(() => s.step(), (e: unknown) => e instanceof ValueError && /tried to step 7 times; the cycle has totalSteps = 5/.test(e.message));
  });

  test("ReduceLROnPlateau: the lectures' divide by 10 when validation accuracy plateaus", () => {
    const { opt } = sgd(0.01, 0.9); // AlexNet: lr 0.01, momentum 0.9
    const s = new optim.ReduceLROnPlateau(opt, { mode: "max", patience: 2 });
    const acc = [0.3, 0.5, 0.6, 0.6, 0.6, 0.6, 0.7, 0.7, 0.7, 0.7];
    const lrs = acc.map((a) => (s.step(a), s.getLastLr()[0]));
    // 0.6 at epoch 2; epochs 3, 4, 5 are not better: the third one cuts; same after 0.7.
    assert.deepEqual(lrs.map((v) => +v.toPrecision(12)), [0.01, 0.01, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.001, 0.0001]);
    assert.equal(s.best, 0.7);
    assert.equal(s.numBadEpochs, 0);
  });

  test("SequentialLR: warmup then cosine, by hand", () => {
    const { opt } = sgd(1);
    const warm = new optim.LinearWarmup(opt, 2, { startFactor: 0.5 });
    const cos = new optim.CosineAnnealingLR(opt, 2);
    const s = new optim.SequentialLR(opt, [warm, cos], [2]);
    const seen = [s.getLastLr()[0]];
    for (let k = 0; k < 4; k++) {
      s.step();
      seen.push(s.getLastLr()[0]);
    }
    assert.deepEqual(seen.map((v) => +v.toFixed(12)), [0.5, 0.75, 1, 0.5, 0]);
  });
});

describe("schedulers: validation", () => {
  const opt = () => makeOptimizer({ type: "SGD", groups: [{ lr: 0.1, momentum: 0.9 }] });
  const rejects = (make: () => unknown, fragments: string[]) =>
    assert.throws(make, (e: unknown) => {
      assert.ok(e instanceof ValueError, String(e));
      for (const f of fragments) assert.ok(e.message.includes(f), `${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
      return true;
    });

  test("gamma <= 0", () => {
    rejects(() => new optim.StepLR(opt(), 3, { gamma: 0 }), ["StepLR: gamma must be a number > 0, got 0"]);
    rejects(() => new optim.ExponentialLR(opt(), -0.5), ["ExponentialLR: gamma must be a number > 0, got -0.5"]);
    rejects(() => new optim.MultiStepLR(opt(), [2], { gamma: Number.NaN }), ["MultiStepLR: gamma must be a number > 0, got NaN"]);
  });
  test("step sizes and iteration counts", () => {
    rejects(() => new optim.StepLR(opt(), -2), ["StepLR: stepSize must be an integer >= 1, got -2"]);
    rejects(() => new optim.StepLR(opt(), 1.5), ["stepSize must be an integer >= 1, got 1.5"]);
    rejects(() => new optim.CosineAnnealingLR(opt(), 0), ["CosineAnnealingLR: tMax must be an integer >= 1, got 0"]);
    rejects(() => new optim.CosineAnnealingLR(opt(), 10, { etaMin: -1 }), ["etaMin must be a number >= 0, got -1"]);
    rejects(() => new optim.LinearLR(opt(), { totalIters: 0 }), ["LinearLR: totalIters must be an integer >= 1, got 0"]);
    rejects(() => new optim.LinearWarmup(opt(), -1), ["LinearWarmup: warmupSteps must be an integer >= 1, got -1"]);
  });
  test("milestones not increasing", () => {
    rejects(() => new optim.MultiStepLR(opt(), [5, 3]), ["MultiStepLR: milestones must be strictly increasing integers >= 0, got [5, 3]"]);
    rejects(() => new optim.MultiStepLR(opt(), [2, 2]), ["strictly increasing", "[2, 2]"]);
    rejects(() => new optim.MultiStepLR(opt(), []), ["non-empty"]);
    const o = opt();
    const a = new optim.LinearLR(o);
    const b = new optim.ExponentialLR(o, 0.9);
    const c = new optim.StepLR(o, 2);
    rejects(() => new optim.SequentialLR(o, [a, b, c], [4, 2]), ["SequentialLR: milestones must be strictly increasing integers >= 1, got [4, 2]"]);
    rejects(() => new optim.SequentialLR(o, [a, b], [1, 2]), ["expected 1 milestones", "got [1,2]"]);
    rejects(() => new optim.SequentialLR(opt(), [a, b], [3]), ["schedulers[0] drives a different optimizer"]);
  });
  test("linear factors", () => {
    rejects(() => new optim.LinearLR(opt(), { startFactor: 0 }), ["LinearLR: startFactor must be in (0, 1], got 0"]);
    rejects(() => new optim.LinearLR(opt(), { endFactor: 1.5 }), ["endFactor must be in [0, 1], got 1.5"]);
  });
  test("OneCycleLR arguments", () => {
    rejects(() => new optim.OneCycleLR(opt(), 0.1), ["OneCycleLR: give totalSteps, or both epochs and stepsPerEpoch"]);
    rejects(() => new optim.OneCycleLR(opt(), 0.1, { totalSteps: 0 }), ["totalSteps must be an integer >= 1, got 0"]);
    rejects(() => new optim.OneCycleLR(opt(), 0.1, { epochs: 2, stepsPerEpoch: -1 }), ["stepsPerEpoch must be an integer >= 1, got -1"]);
    rejects(() => new optim.OneCycleLR(opt(), 0.1, { totalSteps: 10, pctStart: 1.2 }), ["pctStart must be in [0, 1], got 1.2"]);
    rejects(() => new optim.OneCycleLR(opt(), -0.1, { totalSteps: 10 }), ["maxLr must be a number > 0, got -0.1"]);
    rejects(() => new optim.OneCycleLR(opt(), [0.1, 0.2], { totalSteps: 10 }), ["maxLr must be a number or one number per parameter group (1)"]);
    rejects(() => new optim.OneCycleLR(opt(), 0.1, { totalSteps: 10, maxMomentum: 1 }), ["baseMomentum and maxMomentum must be in [0, 1), got 1"]);
    rejects(() => new optim.OneCycleLR(opt(), 0.1, { totalSteps: 10, annealStrategy: "exp" as "cos" }), ['annealStrategy must be "cos" or "linear", got "exp"']);
    rejects(() => new optim.OneCycleLR(opt(), 0.1, { totalSteps: 10, divFactor: 0 }), ["divFactor must be a number > 0, got 0"]);
    // pctStart·totalSteps = 1: the warm-up phase would have no length (PyTorch divides by zero)
    rejects(() => new optim.OneCycleLR(opt(), 0.1, { totalSteps: 10, pctStart: 0.1 }), ["pctStart 0.1 × totalSteps 10 = 1 leaves the warm-up phase empty"]);
    // a later phase of length 0 is met only when reached: two phases with pctStart 1, at the extra step
    const s = new optim.OneCycleLR(opt(), 0.1, { totalSteps: 4, pctStart: 1 });
    for (let k = 0; k < 3; k++) s.step();
    rejects(() => s.step(), ["phase 2 is empty"]);
  });
  test("ReduceLROnPlateau arguments", () => {
    rejects(() => new optim.ReduceLROnPlateau(opt(), { factor: 1 }), ["ReduceLROnPlateau: factor must be in [0, 1) (new lr = lr · factor), got 1"]);
    rejects(() => new optim.ReduceLROnPlateau(opt(), { factor: 2 }), ["factor must be in [0, 1)", "got 2"]);
    rejects(() => new optim.ReduceLROnPlateau(opt(), { mode: "up" as "min" }), ['mode must be "min" or "max", got "up"']);
    rejects(() => new optim.ReduceLROnPlateau(opt(), { thresholdMode: "x" as "abs" }), ['thresholdMode must be "rel" or "abs"']);
    rejects(() => new optim.ReduceLROnPlateau(opt(), { patience: -1 }), ["patience must be an integer >= 0, got -1"]);
    rejects(() => new optim.ReduceLROnPlateau(opt(), { cooldown: 0.5 }), ["cooldown must be an integer >= 0, got 0.5"]);
    rejects(() => new optim.ReduceLROnPlateau(opt(), { minLr: [0.1, 0.2] }), ["minLr must be a number or one number per parameter group (1)"]);
    rejects(() => new optim.ReduceLROnPlateau(opt(), { threshold: -1 }), ["threshold must be a number >= 0, got -1"]);
  });
  test("an optimizer without groups, or a group without a numeric lr", () => {
    rejects(() => new optim.StepLR({ paramGroups: [] }, 2), ["StepLR: expected an optimizer with at least one parameter group"]);
    rejects(() => new optim.StepLR({ paramGroups: [{ options: { lr: "fast" } }] }, 2), ["StepLR: parameter group 0 has no numeric lr (got fast)"]);
  });
  test("a failed construction leaves the optimizer untouched", () => {
    const o = opt();
    const before = { ...o.paramGroups[0].options };
    assert.throws(() => new optim.StepLR(o, 0));
    assert.throws(() => new optim.OneCycleLR(o, 0.1, { totalSteps: 10, pctStart: 0.1 }));
    assert.throws(() => new optim.SequentialLR(o, [], []));
    assert.throws(() => new optim.ReduceLROnPlateau(o, { factor: 1 }));
    assert.deepEqual(o.paramGroups[0].options, before);
  });
});
