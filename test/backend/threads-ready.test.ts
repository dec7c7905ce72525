/**
 * The non-blocking side of the wasm backend's threads (added for browsers, where the main
 * thread may not block): whenThreadsReady(), the workerChunks diagnostic, and
 * threadsUnavailableReason() — checked here in Node; test/browser/ checks them in Chromium.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { WasmBackend } from "../../src/backend/wasm/index.js";
import { threadsUnavailableReason } from "../../src/backend/wasm/threads.js";
import type { MatmulSpec } from "../../src/backend/types.js";
import { Generator } from "../../src/random.js";

const gen = new Generator(11);
const randomArray = (n: number) => Float32Array.from({ length: n }, () => gen.normal());
const spec = (m: number, n: number, k: number): MatmulSpec => ({ batch: 1, m, n, k, aBatchStride: 0, bBatchStride: 0, transA: false, transB: false, sumBatch: false });

function matmul(b: WasmBackend, m: number, n: number, k: number): Float32Array {
  return b.read(b.matmul(b.fromArray(randomArray(m * k), "float32"), b.fromArray(randomArray(k * n), "float32"), spec(m, n, k))) as Float32Array;
}

test("Node can always run kernel workers", () => {
  assert.equal(threadsUnavailableReason(), null);
});

test("whenThreadsReady resolves without blocking: 0 on one thread, 1 once the worker of 2 threads is up", async () => {
  const b = new WasmBackend();
  assert.equal(await b.whenThreadsReady(), 0);
  b.setNumThreads(2);
  const pending = b.whenThreadsReady(20_000);
  assert.ok(pending instanceof Promise);
  assert.equal(await pending, 1);
  assert.equal(b.threadsReady(), 2);
  assert.equal(b.waitForThreads(), 1, "the blocking wait agrees (Node's main thread may block)");
  b.setNumThreads(1);
  assert.equal(await b.whenThreadsReady(), 0);
});

test("workerChunks counts chunks the workers ran: none for a small gemm, some over big ones", async () => {
  const b = new WasmBackend();
  b.setNumThreads(2);
  assert.equal(await b.whenThreadsReady(20_000), 1);
  assert.equal(b.workerChunks, 0);
  matmul(b, 16, 16, 16); // far below PARALLEL_GEMM_MACS: stays on this thread
  assert.equal(b.workerChunks, 0);
  // A worker that sleeps may wake after this thread took every chunk of one gemm; over a few it runs some.
  for (let i = 0; i < 20 && b.workerChunks === 0; i++) matmul(b, 256, 512, 256);
  assert.ok(b.workerChunks > 0, "the worker ran chunks");
  assert.ok(Number.isInteger(b.workerChunks));
  b.setNumThreads(1);
  assert.equal(b.workerChunks, 0, "counted per pool");
});
