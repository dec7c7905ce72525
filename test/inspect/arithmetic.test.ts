/**
 * The conv / pool arithmetic over a grid: PyTorch's sizes equal Tessera's real conv2d and
 * max-pool outputs (themselves tested against PyTorch), TensorFlow's "valid" and "same" equal a
 * brute-force count of window positions, the uncovered cells add up; and bad configurations say
 * what is wrong.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { conv2d, inspect, maxPool2d, noGrad, zeros, ValueError } from "../../src/index.js";

const { axisArithmetic, explainConv, explainPool } = inspect;

/** Window starts 0, S, 2S, ... of a window spanning `span` cells that fit in `cells`. */
function positions(cells: number, span: number, stride: number): number {
  let n = 0;
  for (let start = 0; start + span <= cells; start += stride) n++;
  return n;
}

test("PyTorch floor and ceilMode sizes equal real conv2d / maxPool2d outputs over a grid", () => {
  let checked = 0;
  noGrad(() => {
    for (let size = 1; size <= 9; size++) {
      for (let k = 1; k <= 4; k++) {
        for (let s = 1; s <= 3; s++) {
          for (let p = 0; p <= 2; p++) {
            for (let d = 1; d <= 2; d++) {
              if (size + 2 * p < d * (k - 1) + 1) {
                assert.throws(() => axisArithmetic(size, k, s, p, d), ValueError);
                continue;
              }
              const a = axisArithmetic(size, k, s, p, d);
              const y = conv2d(zeros([1, 1, size, 1]), zeros([1, 1, k, 1]), null, { stride: [s, 1], padding: [p, 0], dilation: [d, 1] });
              assert.equal(a.pytorch, y.shape[2], `conv size ${size} k ${k} s ${s} p ${p} d ${d}`);
              if (2 * p <= k) {
                const pooled = maxPool2d(zeros([1, 1, size, 1]), [k, 1], { stride: [s, 1], padding: [p, 0], dilation: [d, 1], ceilMode: true });
                assert.equal(a.pytorchCeil, pooled.shape[2], `ceil pool size ${size} k ${k} s ${s} p ${p} d ${d}`);
              }
              // The formula and its pieces.
              assert.equal(a.numerator, size - a.span + 2 * p);
              assert.equal(a.exact, a.numerator / s + 1);
              assert.equal(a.coversPerfectly, Number.isInteger(a.exact));
              assert.equal(a.pytorch, positions(size + 2 * p, a.span, s));
              assert.equal(a.uncovered, size + 2 * p - ((a.pytorch - 1) * s + a.span), "cells past the last window");
              // TensorFlow: "valid" counts windows inside the unpadded input; "same" pads to ceil(W/S) outputs.
              assert.equal(a.tfValid, positions(size, a.span, s));
              assert.equal(a.tfSame, Math.ceil(size / s));
              const { total, before, after } = a.tfSamePadding;
              assert.equal(before + after, total);
              assert.ok(after - before === 0 || after - before === 1, "the extra cell goes after");
              assert.equal(positions(size + total, a.span, s), a.tfSame, "the padding gives exactly ceil(W/S) windows");
              if (total > 0) assert.ok(positions(size + total - 1, a.span, s) < a.tfSame, "and is the least that does");
              checked++;
            }
          }
        }
      }
    }
  });
  assert.ok(checked > 500, `${checked} configurations`);
});

test("explainConv: volume, weights (F·F·D/g)·K + K biases, neurons, MACs; non-square and grouped", () => {
  const e = explainConv({ input: [32, 24, 6], kernel: [5, 3], stride: [2, 1], padding: [1, 0], filters: 8, groups: 2 });
  assert.deepEqual(e.outputSize, [15, 22]);
  assert.equal(e.weights, 5 * 3 * 3 * 8);
  assert.equal(e.biases, 8);
  assert.equal(e.params, 5 * 3 * 3 * 8 + 8);
  assert.equal(e.neurons, 15 * 22 * 8);
  assert.equal(e.macs, 15 * 22 * 8 * 5 * 3 * 3);
  assert.deepEqual(e.lines.filter((l) => /^(H2|W2)/.test(l)), ["H2 (height) = (W - F + 2P)/S + 1", "W2 (width) = (W - F + 2P)/S + 1"]);
  assert.ok(e.lines.includes("Weights: (5*3*3)*8 = 45*8 = 360, plus 8 biases = 368 parameters"), e.lines.join("\n"));
  const dilated = explainConv({ input: [9], kernel: 3, dilation: 3, filters: 2, bias: false });
  assert.deepEqual([dilated.outputSize, dilated.weights, dilated.params, dilated.macs], [[3], 6, 6, 3 * 2 * 3]);
  assert.ok(dilated.lines[2].includes("F' = d(F - 1) + 1 = 3*(3 - 1) + 1 = 7 cells"), dilated.lines.join("\n"));
});

test("explain: bad configurations say what is wrong", () => {
  assert.throws(() => explainConv({ input: [5, 5, 3], kernel: 7, filters: 1 }), /the filter spans 7 cells but the padded input has only 5 \+ 2\*0 = 5/);
  assert.throws(() => explainConv({ input: [5, 5, 3], kernel: 3, dilation: 3, filters: 1 }), /F' = d\(F - 1\) \+ 1 = 3\*\(3 - 1\) \+ 1/);
  assert.throws(() => explainConv({ input: [5, 5, 3], kernel: 3, filters: 4, groups: 2 }), /divisible by groups 2/);
  assert.throws(() => explainConv({ input: [5, 5, 3], kernel: 3, filters: 0 }), /filters must be an integer >= 1/);
  assert.throws(() => explainConv({ input: [5, 5, 3], kernel: 3, stride: 0, filters: 1 }), /stride must be an integer >= 1/);
  assert.throws(() => explainPool({ input: [5, 5, 3], kernel: 2, padding: 2 }), /padding 2 must be at most half the kernel 2/);
  assert.throws(() => explainPool({ input: [1, 2, 3, 4], kernel: 2 }), /input must be HxWxD, HxW or L/);
});

test("explainPool: the stride defaults to the kernel; the depth is kept", () => {
  const p = explainPool({ input: [28, 28, 6], kernel: 2 });
  assert.deepEqual([p.outputSize, p.outputDepth, p.params, p.macs, p.neurons], [[14, 14], 6, 0, 0, 14 * 14 * 6]);
  assert.equal(p.axes[0].stride, 2);
});
