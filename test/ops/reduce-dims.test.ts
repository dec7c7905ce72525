/**
 * Reductions over several dims: adjacent dims are reduced in one pass (ops/reduce.ts), which
 * must give what reducing each element's group by hand gives, for every pattern of dims.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { randn } from "../../src/tensor/create.js";
import { manualSeed } from "../../src/random.js";

/** Σ of x [2, 3, 4, 5] over `dims`, by an explicit walk in float64. */
function byHand(data: Float32Array, dims: number[]): number[] {
  const shape = [2, 3, 4, 5];
  const outShape = shape.map((d, i) => (dims.includes(i) ? 1 : d));
  const out = new Array(outShape.reduce((n, d) => n * d, 1)).fill(0);
  for (let i = 0; i < data.length; i++) {
    let rest = i;
    const index = [0, 0, 0, 0];
    for (let d = 3; d >= 0; d--) {
      index[d] = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
    }
    let o = 0;
    for (let d = 0; d < 4; d++) o = o * outShape[d] + (dims.includes(d) ? 0 : index[d]);
    out[o] += data[i];
  }
  return out;
}

test("sum and mean over any set of dims equal an explicit walk", () => {
  manualSeed(11);
  const x = randn([2, 3, 4, 5]);
  const data = x.data() as Float32Array;
  for (const dims of [[0, 2, 3], [2, 3], [1, 2], [0, 1], [0, 3], [0, 1, 3], [1], [0, 1, 2, 3], [1, 2, 3]]) {
    const got = Array.from(x.sum(dims).data());
    const want = byHand(data, dims);
    assert.equal(got.length, want.length, `sum over [${dims}]: size`);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-5 * (1 + Math.abs(want[i])), `sum over [${dims}] at ${i}: ${v} vs ${want[i]}`));
    const kept = x.sum(dims, true);
    assert.deepEqual(kept.shape, [2, 3, 4, 5].map((d, i) => (dims.includes(i) ? 1 : d)), `keepdim shape over [${dims}]`);
    const count = dims.reduce((n, d) => n * [2, 3, 4, 5][d], 1);
    Array.from(x.mean(dims).data()).forEach((v, i) => assert.ok(Math.abs(v - want[i] / count) <= 1e-5 * (1 + Math.abs(want[i])), `mean over [${dims}] at ${i}`));
  }
});
