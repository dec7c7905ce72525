import { test } from "node:test";
import assert from "node:assert/strict";
import * as ts from "../../src/index.js";
import { WasmBackend } from "../../src/backend/wasm/index.js";
import { ReleasedTensorError } from "../../src/backend/wasm/storage.js";

/** Runs fn with the wasm backend current, restoring the previous backend afterwards. */
function onWasm<T>(fn: (backend: WasmBackend) => T): T {
  const previous = ts.getBackend().name;
  ts.setBackend("wasm");
  try {
    return fn(ts.getBackend() as WasmBackend);
  } finally {
    ts.setBackend(previous);
  }
}

test("a scope releases what it allocated, except its result; the heap returns to where it was", () => {
  onWasm((b) => {
    const work = () => ts.ones([1000, 100]).mul(2).add(1).sum(1);
    ts.scope(work); // warm-up: kernels' parameter blocks are made once per backend and kept
    const before = b.memory.stats().usedBytes;
    const kept = ts.scope(work);
    assert.equal(kept.shape[0], 1000);
    assert.equal(kept.data()[0], 300);
    // Only the result's block is still in use: 1000 floats, 4000 bytes rounded up to 64-byte lines.
    assert.equal(b.memory.stats().usedBytes - before, 4032);
  });
});

test("a large tensor used after its scope raises a clear error; a small one is copied out and stays readable", () => {
  onWasm(() => {
    let big!: ts.Tensor;
    let small!: ts.Tensor;
    ts.scope(() => {
      big = ts.full([10000], 3);
      small = ts.full([10], 4);
      return null;
    });
    assert.throws(() => big.data(), (e: unknown) => e instanceof ReleasedTensorError && /released at the end of the scope/.test((e as Error).message) && /t\.keep\(\)/.test((e as Error).message));
    assert.deepEqual(Array.from(small.data()), new Array(10).fill(4));
    // A spilled tensor still works as an op input.
    assert.equal(small.mul(2).sum().item(), 80);
  });
});

test("two DataLoaders iterated in lockstep (zipped by hand) each close their own scopes", () => {
  onWasm((b) => {
    const make = () => new ts.data.DataLoader(new ts.data.TensorDataset(ts.randn([64, 256]).keep(), ts.arange(0, 64).keep()), { batchSize: 16 });
    const [first, second] = [make(), make()];
    const used: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      const a = first[Symbol.iterator]();
      const c = second[Symbol.iterator]();
      for (;;) {
        const x = a.next();
        const y = c.next();
        if (x.done || y.done) break;
        const s = x.value[0].add(y.value[0]).relu().sum();
        assert.ok(Number.isFinite(s.item()));
      }
      a.return?.();
      c.return?.();
      used.push(b.memory.stats().usedBytes);
    }
    assert.equal(used[2], used[1], "no growth once warmed up");
  });
});

test("keep() exempts a tensor from its scope", () => {
  onWasm(() => {
    let big!: ts.Tensor;
    ts.scope(() => {
      big = ts.full([10000], 5).keep();
      return null;
    });
    assert.equal(big.sum().item(), 50000);
  });
});

test("DataLoader iterations are scopes: intermediates are freed, batches stay readable, memory stays flat", () => {
  onWasm((b) => {
    const ds = new ts.data.TensorDataset(ts.randn([256, 64]).keep(), ts.arange(0, 256).keep());
    const loader = new ts.data.DataLoader(ds, { batchSize: 32 });
    const batches: ts.Tensor[] = [];
    const used: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const [x] of loader) {
        x.matmul(ts.randn([64, 512])).relu().sum(); // ~130 KB of intermediates per step
        if (epoch === 0) batches.push(x);
      }
      used.push(b.memory.stats().usedBytes);
    }
    assert.equal(used[1], used[0], "no growth from epoch to epoch");
    assert.equal(used[2], used[0]);
    // Batches were copied out at the end of their iterations, not lost.
    assert.equal(batches.length, 8);
    assert.deepEqual(Array.from(batches[0].data()), Array.from(ds.inputs.narrow(0, 0, 32).data()));
  });
});

test("training on wasm keeps parameters, gradients and momentum buffers across DataLoader iterations", () => {
  onWasm(() => {
    ts.manualSeed(3);
    const model = new ts.nn.Sequential(new ts.nn.Linear(8, 16), new ts.nn.ReLU(), new ts.nn.Linear(16, 2));
    const opt = new ts.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const x = ts.randn([64, 8]).keep();
    const y = x.narrow(1, 0, 1).gt(0).reshape([64]).to("int32").keep();
    const loader = new ts.data.DataLoader(new ts.data.TensorDataset(x, y), { batchSize: 16, shuffle: true });
    let first = 0;
    let last = 0;
    for (let epoch = 0; epoch < 30; epoch++) {
      let total = 0;
      for (const [xb, yb] of loader) {
        opt.zeroGrad();
        const loss = ts.nn.crossEntropy(model.forward(xb), yb);
        loss.backward();
        opt.step();
        total += loss.item();
      }
      if (epoch === 0) first = total;
      last = total;
    }
    assert.ok(last < first / 4, `loss fell from ${first} to ${last}`);
    for (const p of model.parameters()) assert.ok(p.grad && p.grad.numel === p.numel, "gradients survive their iteration");
  });
});
