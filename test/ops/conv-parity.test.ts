/**
 * Parity with PyTorch for the convolution family: every case of test/fixtures/conv.json
 * (tools/fixtures_conv.py) — conv1d/2d/3d over the padding forms and modes, convTranspose1d/2d
 * with outputPadding, pad with modes, separableConv2d — run in float64 (tight tolerance) and in
 * float32 (looser; on the wasm backend this is the path of the fused SIMD kernels). Output and,
 * after backward(gradOutput), the gradient of every input (x, weight, bias) must match.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, tensor, type Tensor } from "../../src/index.js";
import { conv1d, conv2d, conv3d, type ConvOptions } from "../../src/ops/conv.js";
import { convTranspose1d, convTranspose2d, type ConvTransposeOptions } from "../../src/ops/conv-transpose.js";
import { pad, type PadMode } from "../../src/ops/padding.js";
import type { ConvPadding, PaddingMode } from "../../src/ops/conv-padding.js";
import { assertClose, loadCases, type FixtureTensor, type OpCase, type Tolerance } from "../helpers/fixtures.js";

const TOL64: Tolerance = { rtol: 1e-9, atol: 1e-10 };
const TOL32: Tolerance = { rtol: 1e-4, atol: 1e-4 };

type DT = "float64" | "float32";

function leaf(t: FixtureTensor, dtype: DT): Tensor {
  const data = dtype === "float64" ? Float64Array.from(t.data) : Float32Array.from(t.data);
  return tensor(data, { shape: t.shape, dtype, requiresGrad: true });
}

/** Only the arg names a mapping knows may appear, so nothing is silently ignored. */
function checkArgs(c: OpCase, known: string[]): Record<string, unknown> {
  for (const key of Object.keys(c.args)) assert.ok(known.includes(key), `${c.name}: arg "${key}" is not handled (known: ${known.join(", ")})`);
  return c.args;
}

const CONV_ARGS = ["stride", "padding", "dilation", "groups", "paddingMode"];
const CONVT_ARGS = ["stride", "padding", "outputPadding", "groups", "dilation"];

function convOptions(a: Record<string, unknown>): ConvOptions {
  return {
    stride: a.stride as number | number[],
    padding: a.padding as ConvPadding,
    dilation: a.dilation as number | number[],
    groups: a.groups as number,
    paddingMode: (a.paddingMode as PaddingMode | undefined) ?? "zeros",
  };
}

type Run = (t: Record<string, Tensor>, c: OpCase) => { out: Tensor; grads: Record<string, () => Tensor | null> };

const fromInputs = (t: Record<string, Tensor>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, () => v.grad]));

const RUNS: Record<string, Run> = {
  conv1d: (t, c) => ({ out: conv1d(t.x, t.weight, t.bias ?? null, convOptions(checkArgs(c, CONV_ARGS)) as ConvOptions<number>), grads: fromInputs(t) }),
  conv2d: (t, c) => ({ out: conv2d(t.x, t.weight, t.bias ?? null, convOptions(checkArgs(c, CONV_ARGS)) as ConvOptions<number>), grads: fromInputs(t) }),
  conv3d: (t, c) => ({ out: conv3d(t.x, t.weight, t.bias ?? null, convOptions(checkArgs(c, CONV_ARGS)) as ConvOptions<number>), grads: fromInputs(t) }),
  convTranspose1d: (t, c) => ({ out: convTranspose1d(t.x, t.weight, t.bias ?? null, checkArgs(c, CONVT_ARGS) as ConvTransposeOptions<number>), grads: fromInputs(t) }),
  convTranspose2d: (t, c) => ({ out: convTranspose2d(t.x, t.weight, t.bias ?? null, checkArgs(c, CONVT_ARGS) as ConvTransposeOptions<number>), grads: fromInputs(t) }),
  pad: (t, c) => {
    const a = checkArgs(c, ["pad", "mode", "value"]);
    return { out: pad(t.x, a.pad as number[], a.mode as PadMode, (a.value as number | undefined) ?? 0), grads: fromInputs(t) };
  },
  // Through the module, whose state-dict keys are checked too.
  separableConv2d: (t, c) => {
    const a = checkArgs(c, ["stride", "padding", "dilation", "depthMultiplier", "bias"]);
    const [, cin] = t.x.shape;
    const cout = t.pwWeight.shape[0];
    const layer = new nn.SeparableConv2d(cin, cout, [t.dwWeight.shape[2], t.dwWeight.shape[3]], {
      stride: a.stride as number, padding: a.padding as ConvPadding, dilation: a.dilation as number, depthMultiplier: a.depthMultiplier as number, bias: a.bias as boolean,
    });
    const keys = ["depthwise.weight", "pointwise.weight", ...(t.dwBias ? ["depthwise.bias", "pointwise.bias"] : [])];
    assert.deepEqual([...layer.stateDict().keys()].sort(), keys.sort());
    // The fixture's tensors become the parameters (in the case's dtype).
    layer.depthwise.weight = new nn.Parameter(t.dwWeight);
    layer.pointwise.weight = new nn.Parameter(t.pwWeight);
    if (t.dwBias) {
      layer.depthwise.bias = new nn.Parameter(t.dwBias);
      layer.pointwise.bias = new nn.Parameter(t.pwBias);
    }
    return {
      out: layer.forward(t.x),
      grads: {
        x: () => t.x.grad,
        dwWeight: () => layer.depthwise.weight.grad,
        pwWeight: () => layer.pointwise.weight.grad,
        dwBias: () => layer.depthwise.bias?.grad ?? null,
        pwBias: () => layer.pointwise.bias?.grad ?? null,
      },
    };
  },
};

function runCase(c: OpCase, dtype: DT, tol: Tolerance): void {
  const run = RUNS[c.op];
  assert.ok(run, `${c.name}: op "${c.op}" has no mapping`);
  const inputs: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(c.inputs)) inputs[k] = leaf(v, dtype);
  const { out, grads } = run(inputs, c);
  assert.equal(out.dtype, dtype, `${c.name}: output dtype`);
  assertClose(out, c.output, tol, `${c.name} (${dtype}) output`);
  const keys = Object.keys(c.grads);
  assert.ok(keys.length > 0, `${c.name}: no gradients recorded`);
  out.backward(leaf(c.gradOutput, dtype).detach());
  for (const k of keys) {
    const g = grads[k]?.();
    assert.ok(g, `${c.name}: "${k}" received no gradient`);
    assertClose(g, c.grads[k], tol, `${c.name} (${dtype}) grad of ${k}`);
  }
}

const cases = loadCases("conv.json");

describe("parity with PyTorch: conv.json (float64)", () => {
  test("the file covers every op of the family, with unique names", () => {
    assert.deepEqual([...new Set(cases.map((c) => c.op))].sort(), ["conv1d", "conv2d", "conv3d", "convTranspose1d", "convTranspose2d", "pad", "separableConv2d"]);
    assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
  });
  for (const c of cases) test(c.name, () => runCase(c, "float64", TOL64));
});

describe("parity with PyTorch: conv.json (float32)", () => {
  for (const c of cases) test(c.name, () => runCase(c, "float32", TOL32));
});
