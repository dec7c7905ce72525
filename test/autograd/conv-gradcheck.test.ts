/**
 * gradcheck (float64 central differences vs backward) for every layer type of the convolution
 * family: conv1d, conv2d with the new padding forms and modes, conv3d, the transposed
 * convolutions, pad with modes, and the layers themselves (parameters as inputs).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { gradcheck, manualSeed, nn, type Tensor } from "../../src/index.js";
import { conv1d, conv2d, conv3d, type ConvOptions } from "../../src/ops/conv.js";
import { convTranspose1d, convTranspose2d, type ConvTransposeOptions } from "../../src/ops/conv-transpose.js";
import { pad, type PadMode } from "../../src/ops/padding.js";
import { rand64 } from "../helpers/tensors.js";

let seed = 7000;

function check(name: string, build: () => { fn: (...xs: Tensor[]) => Tensor; inputs: Tensor[] }): void {
  const s = seed++;
  test(name, () => {
    manualSeed(s);
    const { fn, inputs } = build();
    assert.equal(gradcheck(fn, inputs), true);
  });
}

type ConvFn = (x: Tensor, w: Tensor, b: Tensor | null, o: ConvOptions<number>) => Tensor;

function convCheck(op: string, f: ConvFn, label: string, x: number[], w: number[], bias: boolean, options: ConvOptions) {
  check(`${op} ${label}`, () => ({
    fn: (...t) => f(t[0], t[1], bias ? t[2] : null, options as ConvOptions<number>),
    inputs: [rand64(x), rand64(w, { scale: 0.5 }), ...(bias ? [rand64([w[0]])] : [])],
  }));
}

describe("gradcheck: conv1d", () => {
  const c = (label: string, x: number[], w: number[], bias: boolean, o: ConvOptions) => convCheck("conv1d", conv1d as ConvFn, label, x, w, bias, o);
  c("k3 stride 2 padding 1, bias", [2, 2, 7], [3, 2, 3], true, { stride: 2, padding: 1 });
  c('"same" even kernel, dilation 2', [1, 2, 6], [2, 2, 2], true, { padding: "same", dilation: 2 });
  c('"full"', [1, 1, 5], [2, 1, 3], false, { padding: "full" });
  c("[left, right] = [0, 2], groups 2", [1, 4, 6], [2, 2, 3], true, { padding: [0, 2], groups: 2 });
  c('"same" stride 3 (TensorFlow rule)', [1, 2, 8], [2, 2, 3], true, { padding: "same", stride: 3 });
  c("reflect padding 2", [1, 2, 5], [2, 2, 3], true, { padding: 2, paddingMode: "reflect" });
  c("replicate [[1, 3]]", [1, 1, 4], [2, 1, 4], false, { padding: [[1, 3]], paddingMode: "replicate" });
  c('circular "same"', [1, 2, 5], [1, 2, 4], true, { padding: "same", paddingMode: "circular" });
});

describe("gradcheck: conv2d padding forms and modes", () => {
  const c = (label: string, x: number[], w: number[], bias: boolean, o: ConvOptions) => convCheck("conv2d", conv2d as ConvFn, label, x, w, bias, o);
  c("per side [[1, 2], [0, 3]] stride [2, 3]", [1, 2, 5, 6], [2, 2, 3, 3], true, { padding: [[1, 2], [0, 3]], stride: [2, 3] });
  c("{ total: [1, 3] }", [1, 1, 4, 4], [2, 1, 2, 3], true, { padding: { total: [1, 3] } });
  c('"same" stride 2 (TensorFlow rule), odd size', [1, 2, 5, 6], [2, 2, 3, 3], true, { padding: "same", stride: 2 });
  c('"full" with dilation [1, 2]', [1, 1, 3, 4], [1, 1, 2, 2], true, { padding: "full", dilation: [1, 2] });
  c("reflect [1, 2], depthwise", [1, 2, 4, 5], [2, 1, 3, 3], true, { padding: [1, 2], groups: 2, paddingMode: "reflect" });
  c("replicate per side", [1, 1, 4, 4], [2, 1, 3, 3], false, { padding: [[2, 0], [1, 2]], paddingMode: "replicate" });
  c("circular padding 1 stride 2", [1, 2, 5, 4], [2, 2, 3, 3], true, { padding: 1, stride: 2, paddingMode: "circular" });
});

describe("gradcheck: conv3d", () => {
  const c = (label: string, x: number[], w: number[], bias: boolean, o: ConvOptions) => convCheck("conv3d", conv3d as ConvFn, label, x, w, bias, o);
  c("k [2,2,3] stride [2,1,1] padding [1,0,1]", [1, 2, 4, 3, 4], [2, 2, 2, 2, 3], true, { stride: [2, 1, 1], padding: [1, 0, 1] });
  c("groups 2, dilation [2,1,1]", [1, 4, 5, 3, 3], [2, 2, 2, 2, 2], true, { groups: 2, dilation: [2, 1, 1] });
  c('"same" k3', [1, 1, 3, 3, 4], [2, 1, 3, 3, 3], true, { padding: "same" });
  c("k [1,2,2] (no depth unfolding)", [2, 2, 3, 3, 3], [2, 2, 1, 2, 2], true, {});
  c("reflect padding 1", [1, 1, 3, 3, 3], [1, 1, 2, 2, 2], true, { padding: 1, paddingMode: "reflect" });
  c("circular per side, stride 2", [1, 1, 4, 3, 4], [1, 1, 2, 2, 2], false, { padding: [[0, 1], 1, [1, 0]], stride: 2, paddingMode: "circular" });
});

describe("gradcheck: transposed convolutions", () => {
  type TFn = (x: Tensor, w: Tensor, b: Tensor | null, o: ConvTransposeOptions<number>) => Tensor;
  const c = (op: string, f: TFn, label: string, x: number[], w: number[], bias: boolean, o: ConvTransposeOptions) =>
    check(`${op} ${label}`, () => ({
      fn: (...t) => f(t[0], t[1], bias ? t[2] : null, o as ConvTransposeOptions<number>),
      inputs: [rand64(x), rand64(w, { scale: 0.5 }), ...(bias ? [rand64([w[1] * ((o.groups as number) ?? 1)])] : [])],
    }));
  const t1 = (label: string, x: number[], w: number[], bias: boolean, o: ConvTransposeOptions) => c("convTranspose1d", convTranspose1d as TFn, label, x, w, bias, o);
  const t2 = (label: string, x: number[], w: number[], bias: boolean, o: ConvTransposeOptions) => c("convTranspose2d", convTranspose2d as TFn, label, x, w, bias, o);
  t1("stride 2 padding 1 outputPadding 1", [2, 2, 4], [2, 3, 3], true, { stride: 2, padding: 1, outputPadding: 1 });
  t1("groups 2 stride 3 outputPadding 2", [1, 4, 3], [4, 1, 2], true, { stride: 3, outputPadding: 2, groups: 2 });
  t1("dilation 2, outputPadding 1 past the reach", [1, 2, 3], [2, 2, 3], true, { dilation: 2, outputPadding: 1 });
  t2("stride 2 padding 1 outputPadding 1", [1, 2, 3, 3], [2, 2, 3, 3], true, { stride: 2, padding: 1, outputPadding: 1 });
  t2("stride [2,3], padding [1,0], groups 2", [1, 4, 2, 3], [4, 1, 2, 3], true, { stride: [2, 3], padding: [1, 0], groups: 2 });
  t2("dilation 2, stride 1, outputPadding 1 past the reach", [1, 1, 3, 3], [1, 2, 3, 3], false, { dilation: 2, outputPadding: 1 });
  t2("per-side padding", [1, 2, 3, 3], [2, 1, 3, 3], true, { stride: 2, padding: [[1, 0], [0, 2]] });
});

describe("gradcheck: pad modes", () => {
  const p = (mode: PadMode, shape: number[], padding: number[]) =>
    check(`pad ${mode} [${padding}] of [${shape}]`, () => ({ fn: (x) => pad(x, padding, mode), inputs: [rand64(shape)] }));
  p("reflect", [2, 5], [2, 3]);
  p("reflect", [1, 1, 3, 4], [3, 1, 2, 0]);
  p("replicate", [1, 2, 3, 3], [0, 2, 3, 1]);
  p("circular", [1, 2, 3, 4], [4, 1, 2, 3]);
  p("replicate", [1, 1, 2, 2, 3], [1, 1, 0, 2, 2, 1]);
});

describe("gradcheck: the layers, parameters included", () => {
  test("every layer type, through its module", () => {
    manualSeed(seed++);
    const cases: [string, () => nn.Module, number[]][] = [
      ["Conv1d", () => new nn.Conv1d(2, 2, 3, { padding: "same", paddingMode: "reflect" }), [1, 2, 5]],
      ["Conv2d", () => new nn.Conv2d(2, 2, [2, 3], { stride: 2, padding: "same" }), [1, 2, 4, 5]],
      ["Conv3d", () => new nn.Conv3d(2, 2, 2, { padding: [[1, 0], 0, 1], groups: 2 }), [1, 2, 3, 3, 2]],
      ["ConvTranspose1d", () => new nn.ConvTranspose1d(2, 2, 3, { stride: 2, outputPadding: 1 }), [1, 2, 3]],
      ["ConvTranspose2d", () => new nn.ConvTranspose2d(2, 2, 2, { stride: 2, padding: 1, dilation: 2, outputPadding: 1 }), [1, 2, 3, 3]],
      ["SeparableConv2d", () => new nn.SeparableConv2d(2, 3, 3, { padding: 1, depthMultiplier: 2 }), [1, 2, 3, 4]],
    ];
    for (const [label, make, shape] of cases) {
      const m = make();
      const names = [...m.stateDict().keys()];
      // The module's forward as a function of (input, ...parameters): each call loads the candidates.
      const fn = (x: Tensor, ...ps: Tensor[]) => {
        names.forEach((name, i) => setParam(m, name, ps[i]));
        return m.forward(x);
      };
      const inputs = [rand64(shape), ...names.map((n) => rand64(m.stateDict().get(n)!.shape, { scale: 0.5 }))];
      assert.equal(gradcheck(fn, inputs), true, label);
    }
  });
});

/** Puts tensor t in place of the parameter at a dotted path, so the forward uses it. */
function setParam(m: nn.Module, path: string, t: Tensor): void {
  const parts = path.split(".");
  let owner: Record<string, unknown> = m as unknown as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) owner = owner[part] as Record<string, unknown>;
  owner[parts[parts.length - 1]] = t;
}
