/**
 * gradcheck (central differences vs backward, float64) on every differentiable op, including
 * broadcasting, every matmul rank combination and the window ops' geometries; and a check that
 * gradcheck itself rejects a wrong backward.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { Tensor } from "../../src/tensor/tensor.js";
import { gradcheck, GradcheckError, type GradcheckOptions } from "../../src/autograd/gradcheck.js";
import { fromOp } from "../../src/autograd/record.js";
import { noGrad } from "../../src/autograd/engine.js";
import { manualSeed } from "../../src/random.js";
import { add, sub, mul, div, pow, maximum, minimum, where } from "../../src/ops/binary.js";
import { cat, stack, pad } from "../../src/ops/shape.js";
import { linear, matmul } from "../../src/ops/matmul.js";
import { conv2d, type Conv2dOptions } from "../../src/ops/conv.js";
import { avgPool2d, maxPool2d } from "../../src/ops/pool.js";
import { rand64, awayFrom, positive, f64, i32 } from "../helpers/tensors.js";

let seed = 1000;

/** One test: seeds the generator, builds the inputs, runs gradcheck. */
function check(name: string, build: () => { fn: (...xs: Tensor[]) => Tensor; inputs: Tensor[] }, options?: GradcheckOptions): void {
  const s = seed++;
  test(name, () => {
    manualSeed(s);
    const { fn, inputs } = build();
    assert.ok(inputs.some((t) => t.requiresGrad), `${name}: no input requires grad`);
    assert.equal(gradcheck(fn, inputs, options), true);
  });
}

const r = rand64;

describe("gradcheck: binary ops with broadcasting", () => {
  const shapes: [string, number[], number[]][] = [
    ["same shape", [2, 3, 4], [2, 3, 4]],
    ["[2,3,4] with [3,1]", [2, 3, 4], [3, 1]],
    ["[2,3,4] with [4]", [2, 3, 4], [4]],
    ["[3,1] with [1,4]", [3, 1], [1, 4]],
    ["[2,3] with 0-d", [2, 3], []],
    ["[1] with [2,1,3]", [1], [2, 1, 3]],
  ];
  for (const [label, sa, sb] of shapes) {
    check(`add ${label}`, () => ({ fn: (a, b) => add(a, b), inputs: [r(sa), r(sb)] }));
    check(`sub ${label}`, () => ({ fn: (a, b) => sub(a, b), inputs: [r(sa), r(sb)] }));
    check(`mul ${label}`, () => ({ fn: (a, b) => mul(a, b), inputs: [r(sa), r(sb)] }));
    check(`div ${label}`, () => ({ fn: (a, b) => div(a, b), inputs: [r(sa), r(sb, { map: awayFrom(0, 0.5) })] }));
    check(`maximum ${label}`, () => ({ fn: (a, b) => maximum(a, b), inputs: [r(sa), r(sb)] }));
    check(`minimum ${label}`, () => ({ fn: (a, b) => minimum(a, b), inputs: [r(sa), r(sb)] }));
  }
  check("number operands on either side", () => ({
    fn: (x) => add(2, x).mul(-1.5).sub(0.25).div(3).add(sub(1, x)).add(div(2, x)).add(mul(0.5, x)),
    inputs: [r([2, 3], { map: awayFrom(0, 0.5) })],
  }));
  check("maximum/minimum against a number", () => ({ fn: (x) => x.maximum(0.1).add(x.minimum(-0.2)), inputs: [r([3, 4], { map: awayFrom(0, 0.5) })] }));
  check("only one side requires grad", () => ({ fn: (a, b) => a.mul(b).add(b), inputs: [r([2, 3], { requiresGrad: false }), r([3])] }));
  check("the same tensor on both sides", () => ({ fn: (x) => x.mul(x).add(x.div(x.add(5))), inputs: [r([2, 3])] }));
});

describe("gradcheck: pow", () => {
  check("tensor exponent, [2,3,4] ^ [3,1], both require grad", () => ({
    fn: (a, b) => a.pow(b),
    inputs: [r([2, 3, 4], { map: positive(0.3) }), r([3, 1])],
  }));
  check("tensor exponent, negative base with a constant integer exponent tensor", () => ({
    fn: (a, b) => pow(a, b),
    inputs: [r([2, 3], { map: awayFrom(0, 0.2) }), f64([[2, 3, 1], [3, 2, 4]])],
  }));
  check("tensor exponent, base constant", () => ({ fn: (a, b) => a.pow(b), inputs: [r([4], { map: positive(0.3), requiresGrad: false }), r([2, 4])] }));
  for (const e of [2, 3, 1, 0, -1])
    check(`scalar exponent ${e}`, () => ({ fn: (x) => x.pow(e), inputs: [r([2, 3], { map: awayFrom(0, 0.3) })] }));
  for (const e of [2.5, 0.5, -1.5])
    check(`scalar exponent ${e} (positive base)`, () => ({ fn: (x) => x.pow(e), inputs: [r([2, 3], { map: positive(0.3) })] }));
});

describe("gradcheck: unary ops", () => {
  check("exp", () => ({ fn: (x) => x.exp(), inputs: [r([2, 3, 4])] }));
  check("log", () => ({ fn: (x) => x.log(), inputs: [r([2, 3, 4], { map: positive(0.3) })] }));
  check("sqrt", () => ({ fn: (x) => x.sqrt(), inputs: [r([2, 3, 4], { map: positive(0.3) })] }));
  check("abs", () => ({ fn: (x) => x.abs(), inputs: [r([2, 3, 4], { map: awayFrom(0, 0.1) })] }));
  check("neg", () => ({ fn: (x) => x.neg(), inputs: [r([2, 3, 4])] }));
  check("square", () => ({ fn: (x) => x.square(), inputs: [r([2, 3, 4])] }));
  const offBounds = (v: number) => (Math.abs(Math.abs(v) - 0.5) < 0.05 ? v + 0.12 * Math.sign(v) : v);
  check("clamp(min, max)", () => ({ fn: (x) => x.clamp(-0.5, 0.5), inputs: [r([3, 5], { map: offBounds })] }));
  check("clamp(min only)", () => ({ fn: (x) => x.clamp(-0.5), inputs: [r([3, 5], { map: offBounds })] }));
  check("clamp(max only)", () => ({ fn: (x) => x.clamp(null, 0.5), inputs: [r([3, 5], { map: offBounds })] }));
  check("sigmoid", () => ({ fn: (x) => x.sigmoid(), inputs: [r([2, 3, 4], { scale: 3 })] }));
  check("tanh", () => ({ fn: (x) => x.tanh(), inputs: [r([2, 3, 4], { scale: 2 })] }));
  check("relu", () => ({ fn: (x) => x.relu(), inputs: [r([2, 3, 4], { map: awayFrom(0, 0.1) })] }));
  check("leakyRelu (default slope)", () => ({ fn: (x) => x.leakyRelu(), inputs: [r([2, 3, 4], { map: awayFrom(0, 0.1) })] }));
  check("leakyRelu(0.2)", () => ({ fn: (x) => x.leakyRelu(0.2), inputs: [r([2, 3, 4], { map: awayFrom(0, 0.1) })] }));
  check("float64 -> float64 cast is a no-op for gradients", () => ({ fn: (x) => x.double().mul(2), inputs: [r([3])] }));
});

describe("gradcheck: where", () => {
  const cond = () => f64([[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0]]);
  check("where(cond [3,4], a [3,4], b [4])", () => ({ fn: (a, b) => where(cond(), a, b), inputs: [r([3, 4]), r([4])] }));
  check("where(cond [3,1], a [2,3,4], b [3,4])", () => ({ fn: (a, b) => where(f64([[1], [0], [1]]), a, b), inputs: [r([2, 3, 4]), r([3, 4])] }));
  check("where with a number branch", () => ({ fn: (a) => where(cond(), a, 0.5), inputs: [r([3, 4])] }));
  check("where with cond computed from the input", () => ({ fn: (a) => where(a.gt(0), a.exp(), a.mul(-2)), inputs: [r([3, 4], { map: awayFrom(0, 0.1) })] }));
});

describe("gradcheck: reductions", () => {
  const dimCases: [string, number | number[] | null, boolean][] = [
    ["all", null, false],
    ["dim 0", 0, false],
    ["dim -1 keepdim", -1, true],
    ["dims [0,2]", [0, 2], false],
    ["dims [0,2] keepdim", [0, 2], true],
    ["dims [2,1] keepdim", [2, 1], true],
  ];
  for (const [label, dim, keepdim] of dimCases) {
    check(`sum ${label}`, () => ({ fn: (x) => x.sum(dim, keepdim), inputs: [r([2, 3, 4])] }));
    check(`mean ${label}`, () => ({ fn: (x) => x.mean(dim, keepdim), inputs: [r([2, 3, 4])] }));
  }
  const extremeCases: [string, number | null, boolean][] = [
    ["all", null, false],
    ["dim 1", 1, false],
    ["dim 1 keepdim", 1, true],
    ["dim -1", -1, false],
    ["dim 0 keepdim", 0, true],
  ];
  for (const [label, dim, keepdim] of extremeCases) {
    check(`max ${label}`, () => ({ fn: (x) => x.max(dim, keepdim), inputs: [r([2, 5, 3])] }));
    check(`min ${label}`, () => ({ fn: (x) => x.min(dim, keepdim), inputs: [r([2, 5, 3])] }));
  }
  check("logsumexp dim 1", () => ({ fn: (x) => x.logsumexp(1), inputs: [r([2, 3, 4])] }));
  check("logsumexp dim -1 keepdim", () => ({ fn: (x) => x.logsumexp(-1, true), inputs: [r([2, 3, 4])] }));
  check("logsumexp dims [0,2] keepdim", () => ({ fn: (x) => x.logsumexp([0, 2], true), inputs: [r([2, 3, 4])] }));
  check("logsumexp dims [0,2]", () => ({ fn: (x) => x.logsumexp([0, 2]), inputs: [r([2, 3, 4], { scale: 10 })] }));
});

describe("gradcheck: matmul", () => {
  const cases: [number[], number[]][] = [
    [[4], [4]],
    [[4], [4, 3]],
    [[3, 4], [4]],
    [[3, 4], [4, 5]],
    [[2, 3, 4], [4, 5]],
    [[2, 3, 4], [4]],
    [[4], [2, 4, 3]],
    [[3, 4], [2, 4, 5]],
    [[2, 3, 4], [2, 4, 5]],
    [[2, 1, 3, 4], [3, 4, 2]],
    [[2, 3, 4], [1, 4, 2]],
    [[1, 3, 4], [2, 4, 2]],
    [[2, 1, 2, 3], [1, 2, 3, 2]],
  ];
  for (const [sa, sb] of cases) {
    check(`[${sa}] @ [${sb}]`, () => ({ fn: (a, b) => matmul(a, b), inputs: [r(sa), r(sb)] }));
  }
  check("[2,3,4] @ [4,5] with only b requiring grad", () => ({ fn: (a, b) => a.matmul(b), inputs: [r([2, 3, 4], { requiresGrad: false }), r([4, 5])] }));
  check("[3,4] @ [2,4,5] with only a requiring grad", () => ({ fn: (a, b) => a.matmul(b), inputs: [r([3, 4]), r([2, 4, 5], { requiresGrad: false })] }));
  check("x @ x.T", () => ({ fn: (x) => x.matmul(x.T), inputs: [r([3, 4])] }));
});

describe("gradcheck: shape and movement", () => {
  check("reshape with -1", () => ({ fn: (x) => x.reshape(4, -1).mul(f64([1, 2, 3, 4, 5, 6], [6])), inputs: [r([2, 3, 4])] }));
  check("view", () => ({ fn: (x) => x.view([6, 4]).exp(), inputs: [r([2, 3, 4])] }));
  check("flatten()", () => ({ fn: (x) => x.flatten().square(), inputs: [r([2, 3, 2])] }));
  check("flatten(1)", () => ({ fn: (x) => x.flatten(1).matmul(f64([1, -1, 2, 0.5, 3, 1])), inputs: [r([2, 3, 2])] }));
  check("flatten(0, 1)", () => ({ fn: (x) => x.flatten(0, 1).square(), inputs: [r([2, 3, 2])] }));
  check("squeeze()", () => ({ fn: (x) => x.squeeze().square(), inputs: [r([1, 3, 1, 2])] }));
  check("squeeze(2)", () => ({ fn: (x) => x.squeeze(2).square(), inputs: [r([1, 3, 1, 2])] }));
  check("unsqueeze(0) and unsqueeze(-1)", () => ({ fn: (x) => x.unsqueeze(0).unsqueeze(-1).mul(x.unsqueeze(1)), inputs: [r([3, 2])] }));
  check("transpose(0, 2)", () => ({ fn: (x) => x.transpose(0, 2).mul(f64([1, 2], [2])), inputs: [r([2, 3, 4])] }));
  check("permute(2, 0, 1)", () => ({ fn: (x) => x.permute(2, 0, 1).mul(f64([1, 2, 3], [3])), inputs: [r([2, 3, 4])] }));
  check(".T", () => ({ fn: (x) => x.T.mul(f64([1, 2, 3], [3])), inputs: [r([3, 4])] }));
  check("expand [3,1] -> [2,3,4]", () => {
    const w = r([2, 3, 4], { requiresGrad: false });
    return { fn: (x) => x.expand(2, 3, 4).mul(w), inputs: [r([3, 1])] };
  });
  check("expand with -1", () => ({ fn: (x) => x.expand([-1, 4]).mul(f64([1, 2, 3, 4])), inputs: [r([3, 1])] }));
  check("cat dim 0", () => ({ fn: (a, b) => cat([a, b], 0).exp(), inputs: [r([2, 3]), r([1, 3])] }));
  check("cat dim 1 of three, one constant", () => ({
    fn: (a, b, c) => cat([a, b, c], 1).square(),
    inputs: [r([2, 1, 3]), r([2, 2, 3], { requiresGrad: false }), r([2, 3, 3])],
  }));
  check("cat dim -1", () => ({ fn: (a, b) => cat([a, b], -1).square(), inputs: [r([2, 2]), r([2, 3])] }));
  check("stack dim 0", () => ({ fn: (a, b) => stack([a, b]).square(), inputs: [r([3, 2]), r([3, 2])] }));
  check("stack dim -1", () => ({ fn: (a, b, c) => stack([a, b, c], -1).square(), inputs: [r([3, 2]), r([3, 2]), r([3, 2])] }));
  check("stack of the same tensor twice", () => ({ fn: (a) => stack([a, a.exp()], 1).square(), inputs: [r([3, 2])] }));
  check("slice with step", () => ({ fn: (x) => x.slice(1, 0, undefined, 2).square(), inputs: [r([2, 5, 3])] }));
  check("slice with a negative start and step 2", () => ({ fn: (x) => x.slice(-1, -4, undefined, 2).square(), inputs: [r([2, 5])] }));
  check("slice(0, 1, 3) then slice of the result", () => ({ fn: (x) => x.slice(0, 1, 3).slice(1, 1, 5, 3).square(), inputs: [r([4, 6])] }));
  check("narrow", () => ({ fn: (x) => x.narrow(1, 1, 2).square(), inputs: [r([2, 4, 3])] }));
  check("narrow with a negative start", () => ({ fn: (x) => x.narrow(-1, -2, 2).square(), inputs: [r([2, 4, 3])] }));
  check("indexSelect dim 0 with repeats", () => ({ fn: (x) => x.indexSelect(0, [2, 0, 2, 1]).square(), inputs: [r([4, 3])] }));
  check("indexSelect dim 1 with an int32 tensor", () => ({ fn: (x) => x.indexSelect(1, i32([3, 3, 0])).square(), inputs: [r([2, 4, 2])] }));
  check("gather dim 1 with repeats", () => ({ fn: (x) => x.gather(1, i32([[0, 3, 3], [1, 1, 2], [2, 0, 1]])).square(), inputs: [r([3, 4])] }));
  check("gather dim 0, index smaller than the input outside dim", () => ({
    fn: (x) => x.gather(0, i32([[2, 0], [2, 2]])).square(),
    inputs: [r([3, 4])],
  }));
  check("pad last dim", () => ({ fn: (x) => pad(x, [1, 2]).square().add(pad(x, [0, 3], 0.5)), inputs: [r([2, 3])] }));
  check("pad two dims with a value", () => ({ fn: (x) => pad(x, [1, 2, 0, 1], -0.7).exp(), inputs: [r([2, 3, 4])] }));
  check("clone", () => ({ fn: (x) => x.clone().square(), inputs: [r([3, 2])] }));
});

describe("gradcheck: softmax family", () => {
  for (const dim of [0, 1, -1]) {
    check(`softmax dim ${dim}`, () => ({ fn: (x) => x.softmax(dim), inputs: [r([2, 3, 4])] }));
    check(`logSoftmax dim ${dim}`, () => ({ fn: (x) => x.logSoftmax(dim), inputs: [r([2, 3, 4])] }));
  }
  check("softmax of large logits", () => ({ fn: (x) => x.softmax(1), inputs: [r([2, 4], { scale: 5, map: (v) => v + 300 })] }));
  check("logSoftmax of large logits", () => ({ fn: (x) => x.logSoftmax(1), inputs: [r([2, 4], { scale: 5, map: (v) => v - 300 })] }));
});

describe("gradcheck: linear", () => {
  check("linear 2-D with bias", () => ({ fn: (x, w, b) => linear(x, w, b), inputs: [r([4, 5]), r([3, 5]), r([3])] }));
  check("linear 2-D without bias", () => ({ fn: (x, w) => linear(x, w), inputs: [r([4, 5]), r([3, 5])] }));
  check("linear 3-D input with bias", () => ({ fn: (x, w, b) => linear(x, w, b), inputs: [r([2, 3, 4]), r([2, 4]), r([2])] }));
  check("linear 1-D input", () => ({ fn: (x, w, b) => linear(x, w, b), inputs: [r([4]), r([3, 4]), r([3])] }));
  check("linear with a constant weight", () => ({ fn: (x, w, b) => linear(x, w, b), inputs: [r([4, 5]), r([3, 5], { requiresGrad: false }), r([3])] }));
});

describe("gradcheck: conv2d", () => {
  const conv = (label: string, x: number[], w: number[], bias: boolean, options: Conv2dOptions) =>
    check(`conv2d ${label}`, () => ({
      fn: (...t) => conv2d(t[0], t[1], bias ? t[2] : null, options),
      inputs: bias ? [r(x), r(w), r([w[0]])] : [r(x), r(w)],
    }));
  conv("k3 s1 p0 with bias", [1, 2, 5, 5], [3, 2, 3, 3], true, {});
  conv("k3 s2 p1", [2, 2, 5, 6], [2, 2, 3, 3], false, { stride: 2, padding: 1 });
  conv("k3 stride [2,1] padding [1,0]", [1, 2, 6, 5], [2, 2, 3, 3], true, { stride: [2, 1], padding: [1, 0] });
  conv("k2x3 s1 p [1,2]", [1, 1, 4, 5], [2, 1, 2, 3], true, { padding: [1, 2] });
  conv('"same" with even kernel 2x2', [1, 2, 4, 5], [2, 2, 2, 2], true, { padding: "same" });
  conv('"same" with kernel 4x4', [1, 1, 5, 5], [2, 1, 4, 4], false, { padding: "same" });
  conv('"same" with kernel 2x3 and dilation 2', [1, 2, 5, 5], [2, 2, 2, 3], true, { padding: "same", dilation: 2 });
  conv('"same" k3', [1, 2, 4, 4], [2, 2, 3, 3], true, { padding: "same" });
  conv('"valid"', [1, 2, 5, 4], [2, 2, 3, 2], true, { padding: "valid" });
  conv("dilation 2", [1, 2, 6, 6], [2, 2, 3, 3], true, { dilation: 2 });
  conv("dilation [2,1] stride 2 padding 2", [1, 2, 7, 6], [2, 2, 3, 3], false, { dilation: [2, 1], stride: 2, padding: 2 });
  conv("groups 2", [1, 4, 4, 4], [4, 2, 3, 3], true, { groups: 2, padding: 1 });
  conv("depthwise (groups 3, multiplier 2)", [1, 3, 4, 4], [6, 1, 3, 3], true, { groups: 3 });
  conv("groups 2 with stride 2 and dilation 2", [1, 4, 7, 7], [2, 2, 3, 3], true, { groups: 2, stride: 2, dilation: 2, padding: 1 });
  conv("1x1 kernel", [2, 3, 3, 3], [2, 3, 1, 1], true, {});
  conv("batch 2", [2, 2, 4, 4], [2, 2, 3, 3], true, { padding: 1 });
  conv("3-D (CHW) input", [2, 4, 4], [3, 2, 3, 3], true, { padding: 1 });
  check("conv2d with a constant weight (input gradient only)", () => ({
    fn: (x, w) => conv2d(x, w, null, { padding: 1 }),
    inputs: [r([1, 2, 4, 4]), r([2, 2, 3, 3], { requiresGrad: false })],
  }));
  check("conv2d with a constant input (weight and bias gradients only)", () => ({
    fn: (x, w, b) => conv2d(x, w, b, { stride: 2 }),
    inputs: [r([1, 2, 5, 5], { requiresGrad: false }), r([2, 2, 3, 3]), r([2])],
  }));
});

describe("gradcheck: pooling", () => {
  check("maxPool2d k2", () => ({ fn: (x) => maxPool2d(x, 2), inputs: [r([1, 2, 4, 5])] }));
  check("maxPool2d k3 s2 p1", () => ({ fn: (x) => maxPool2d(x, 3, { stride: 2, padding: 1 }), inputs: [r([1, 2, 5, 6])] }));
  check("maxPool2d k3 s1 p1 (overlapping windows)", () => ({ fn: (x) => maxPool2d(x, 3, { stride: 1, padding: 1 }), inputs: [r([1, 1, 4, 4])] }));
  check("maxPool2d k2 ceilMode", () => ({ fn: (x) => maxPool2d(x, 2, { ceilMode: true }), inputs: [r([1, 2, 5, 5])] }));
  check("maxPool2d k2 s2 p1 ceilMode", () => ({ fn: (x) => maxPool2d(x, 2, { stride: 2, padding: 1, ceilMode: true }), inputs: [r([1, 1, 5, 6])] }));
  check("maxPool2d k3 dilation 2", () => ({ fn: (x) => maxPool2d(x, 3, { stride: 1, dilation: 2 }), inputs: [r([1, 1, 6, 7])] }));
  check("maxPool2d k [2,3] stride [1,2]", () => ({ fn: (x) => maxPool2d(x, [2, 3], { stride: [1, 2] }), inputs: [r([2, 1, 4, 7])] }));
  check("maxPool2d 3-D input", () => ({ fn: (x) => maxPool2d(x, 2), inputs: [r([2, 4, 4])] }));
  check("avgPool2d k2", () => ({ fn: (x) => avgPool2d(x, 2), inputs: [r([1, 2, 4, 5])] }));
  check("avgPool2d k3 s2 p1 countIncludePad", () => ({ fn: (x) => avgPool2d(x, 3, { stride: 2, padding: 1 }), inputs: [r([1, 2, 5, 6])] }));
  check("avgPool2d k3 s2 p1 countIncludePad false", () => ({
    fn: (x) => avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }),
    inputs: [r([1, 2, 5, 6])],
  }));
  check("avgPool2d k2 ceilMode", () => ({ fn: (x) => avgPool2d(x, 2, { ceilMode: true }), inputs: [r([1, 2, 5, 5])] }));
  check("avgPool2d k3 s2 p1 ceilMode countIncludePad false", () => ({
    fn: (x) => avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
    inputs: [r([1, 1, 6, 6])],
  }));
  check("avgPool2d k3 s3 p1 ceilMode countIncludePad true", () => ({
    fn: (x) => avgPool2d(x, 3, { stride: 3, padding: 1, ceilMode: true }),
    inputs: [r([1, 1, 6, 7])],
  }));
  check("avgPool2d k [2,3] stride [1,2] padding [1,1]", () => ({ fn: (x) => avgPool2d(x, [2, 3], { stride: [1, 2], padding: [1, 1] }), inputs: [r([1, 1, 4, 5])] }));
  check("avgPool2d 3-D input", () => ({ fn: (x) => avgPool2d(x, 2, { stride: 1 }), inputs: [r([2, 3, 3])] }));
});

describe("gradcheck: composite graphs", () => {
  check("a small MLP with tanh and logSoftmax", () => ({
    fn: (x, w1, b1, w2) => linear(linear(x, w1, b1).tanh(), w2).logSoftmax(-1).sum(),
    inputs: [r([3, 4]), r([5, 4]), r([5]), r([2, 5])],
  }));
  check("conv -> relu -> maxPool -> flatten -> linear", () => ({
    fn: (x, w, v) => linear(maxPool2d(conv2d(x, w, null, { padding: 1 }).relu(), 2).flatten(1), v),
    inputs: [r([2, 1, 4, 4]), r([2, 1, 3, 3]), r([3, 8])],
  }));
});

/** An op whose forward is y = 2x and whose backward claims `dy/dx = factor` (per element `j`, maybe). */
function doubling(x: Tensor, gradFactor: (g: Tensor) => Tensor): Tensor {
  const y = noGrad(() => x.mul(2));
  return fromOp(y.storage, x.shape, "doubling", [x], (g) => [gradFactor(g)]);
}

describe("gradcheck catches wrong gradients", () => {
  test("a correct custom backward passes", () => {
    manualSeed(7);
    assert.equal(gradcheck((x) => doubling(x, (g) => g.mul(2)), [r([2, 3])]), true);
  });

  test("a backward off by a factor throws GradcheckError naming the element", () => {
    manualSeed(7);
    const x = r([2, 3]);
    assert.throws(
      () => gradcheck((t) => doubling(t, (g) => g.mul(3)), [x]),
      (e: unknown) => {
        assert.ok(e instanceof GradcheckError, `expected a GradcheckError, got ${String(e)}`);
        assert.match(e.message, /d output\[0\] \/ d input 0\[0\].*analytic 3, numerical (2|1\.99999)/);
        return true;
      },
    );
  });

  test("a backward wrong in one element only is caught", () => {
    manualSeed(8);
    const x = r([2, 3]);
    const bump = f64([0, 0, 0, 0, 0.05, 0], [2, 3]);
    assert.throws(() => gradcheck((t) => doubling(t, (g) => g.mul(2).add(g.mul(bump))), [x]), GradcheckError);
  });

  test("a backward that routes the gradient to the wrong element is caught", () => {
    manualSeed(9);
    const x = r([4]);
    // forward: y = 2x; backward: a reversed gradient (right for a symmetric input only).
    assert.throws(() => gradcheck((t) => doubling(t, (g) => g.mul(2).indexSelect(0, [3, 2, 1, 0])), [x]), GradcheckError);
  });

  test("a wrong gradient on the second input is caught", () => {
    manualSeed(10);
    const a = r([3]);
    const b = r([3]);
    const badMul = (p: Tensor, q: Tensor): Tensor => {
      const y = noGrad(() => p.mul(q));
      return fromOp(y.storage, y.shape, "badMul", [p, q], (g) => [g.mul(q), g.mul(q)]); // d/dq should be p
    };
    assert.throws(() => gradcheck(badMul, [a, b]), (e: unknown) => e instanceof GradcheckError && /d input 1\[/.test(e.message));
  });

  test("float32 inputs are refused", () => {
    const x = f64([1, 2, 3]).float().requiresGrad_();
    assert.throws(() => gradcheck((t) => t.mul(2), [x]), (e: unknown) => e instanceof GradcheckError && /float32/.test(e.message));
  });

  test("an output that does not depend on any input is refused", () => {
    const x = f64([1, 2, 3], undefined, true);
    assert.throws(() => gradcheck(() => f64([1, 2]), [x]), GradcheckError);
  });
});
