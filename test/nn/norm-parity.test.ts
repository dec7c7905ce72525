/**
 * Parity with PyTorch for the normalization layers (test/fixtures/norm.json, made by
 * tools/fixtures_norm.py): each case builds the layer in float64 with PyTorch's parameters and
 * buffers, runs one forward in the recorded mode, back-propagates gradOutput and compares the
 * output, the gradients of x, weight and bias, and the running statistics after the step.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, type Tensor } from "../../src/index.js";
import { assertClose, fixtureTensor, loadCases, type FixtureTensor, type OpCase } from "../helpers/fixtures.js";

const TOL = { rtol: 1e-9, atol: 1e-10 };

interface NormCase extends OpCase {
  buffersAfter?: Record<string, FixtureTensor>;
}

function build(c: NormCase): nn.Module {
  const a = c.args as Record<string, unknown>;
  const dtype = "float64" as const;
  switch (a.module) {
    case "BatchNorm1d":
    case "BatchNorm2d":
    case "BatchNorm3d": {
      const options = { eps: a.eps as number, momentum: a.momentum as number | null, affine: a.affine as boolean, trackRunningStats: a.trackRunningStats as boolean, dtype };
      const cls = { BatchNorm1d: nn.BatchNorm1d, BatchNorm2d: nn.BatchNorm2d, BatchNorm3d: nn.BatchNorm3d }[a.module];
      return new cls(a.numFeatures as number, options);
    }
    case "LayerNorm":
      return new nn.LayerNorm(a.normalizedShape as number[], { eps: a.eps as number, elementwiseAffine: a.elementwiseAffine as boolean, dtype });
    case "GroupNorm":
      return new nn.GroupNorm(a.numGroups as number, a.numChannels as number, { eps: a.eps as number, affine: a.affine as boolean, dtype });
    case "LocalResponseNorm":
      return new nn.LocalResponseNorm(a.size as number, { alpha: a.alpha as number, beta: a.beta as number, k: a.k as number });
    default:
      throw new Error(`${c.name}: no Tessera module for ${String(a.module)}`);
  }
}

const STATE_KEYS: Record<string, string> = {
  weight: "weight",
  bias: "bias",
  runningMean: "running_mean",
  runningVar: "running_var",
  numBatchesTracked: "num_batches_tracked",
};

function runCase(c: NormCase): void {
  const m = build(c);
  // Load parameters and buffers through the state dict, by PyTorch's keys.
  const state = new Map<string, Tensor>();
  for (const [name, t] of Object.entries(c.inputs)) if (name !== "x") state.set(STATE_KEYS[name], fixtureTensor(t));
  m.loadStateDict(state);
  m.train(c.args.training as boolean);

  const x = fixtureTensor(c.inputs.x, { requiresGrad: true });
  const out = m.forward(x);
  assertClose(out, c.output, TOL, `${c.name} output`);
  out.backward(fixtureTensor(c.gradOutput));
  assertClose(x.grad!, c.grads.x, TOL, `${c.name} grad x`);

  const own = m.stateDict();
  for (const key of ["weight", "bias"]) {
    if (c.grads[key]) assertClose(own.get(key)!.grad!, c.grads[key], TOL, `${c.name} grad ${key}`);
    else assert.ok(!own.has(key), `${c.name}: PyTorch has no ${key} but Tessera does`);
  }
  if (c.buffersAfter) {
    for (const [name, expected] of Object.entries(c.buffersAfter)) assertClose(own.get(STATE_KEYS[name])!, expected, TOL, `${c.name} ${name} after`);
  } else {
    assert.ok(!own.has("running_mean"), `${c.name}: PyTorch has no running statistics but Tessera does`);
  }
}

describe("parity with PyTorch: norm.json", () => {
  const cases = loadCases("norm") as NormCase[];
  test("the file covers every layer with unique case names", () => {
    assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
    const modules = new Set(cases.map((c) => c.args.module));
    assert.deepEqual([...modules].sort(), ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "GroupNorm", "LayerNorm", "LocalResponseNorm"]);
  });
  for (const c of cases) test(c.name, () => runCase(c));
});
