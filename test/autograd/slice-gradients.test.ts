/**
 * Slices give the engine partial gradients (autograd/partial.ts), added into one accumulator per
 * tensor: overlapping and repeated slices still sum correctly, a dense gradient that arrived
 * first is never changed in place, and T slices of one tensor (an RNN's steps) cost memory
 * linear in T.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { randn } from "../../src/tensor/create.js";
import { manualSeed } from "../../src/random.js";
import { getBackend, setBackend } from "../../src/backend/registry.js";
import { scope } from "../../src/tensor/scope.js";
import { LSTM } from "../../src/nn/recurrent/index.js";
import { f64 } from "../helpers/tensors.js";

test("overlapping and repeated slices of one tensor sum their gradients", () => {
  const x = f64([1, 2, 3, 4, 5], undefined, true);
  const a = x.narrow(0, 0, 3).mul(f64([1, 10, 100]));
  const b = x.narrow(0, 1, 3).mul(f64([1000, 10000, 100000]));
  const c = x.slice(0, 0, 5, 2); // positions 0, 2, 4
  a.sum().add(b.sum()).add(c.sum()).add(x.narrow(0, 4, 1).sum()).backward();
  assert.deepEqual(Array.from(x.grad!.data()), [1 + 1, 10 + 1000, 100 + 10000 + 1, 100000, 1 + 1]);
});

test("a dense gradient that arrives before a slice's is copied, not changed in place", () => {
  const x = f64([1, 2, 3], undefined, true);
  const y = x.mul(1); // its gradient reaches x as a dense tensor first...
  const shared = y.add(x.narrow(0, 1, 1).sum()); // ...then a slice's adds to it
  shared.sum().backward();
  assert.deepEqual(Array.from(x.grad!.data()), [1, 4, 1]);
});

test("an LSTM's training memory grows linearly with the sequence length", () => {
  const before = getBackend().name;
  setBackend("wasm");
  try {
    const memory = getBackend().memory!;
    const peakFor = (steps: number) => {
      manualSeed(0);
      const lstm = new LSTM(16, 32);
      const x = randn([steps, 8, 16]);
      scope(() => lstm.forward(x).sum().backward());
      return memory.stats().peakBytes;
    };
    const short = peakFor(80);
    const long = peakFor(320);
    // Linear: about 4x for 4x the steps (less, for the fixed weights); quadratic would be 16x.
    assert.ok(long < 5 * short, `peak ${long} bytes at 320 steps vs ${short} at 80`);
  } finally {
    setBackend(before);
  }
});
