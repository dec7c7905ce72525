/**
 * The browser half of chromium.test.ts, loaded by its page as an ES module: runs the workload
 * with the thread count named in the page's query (?threads=N), then checks that a blocking
 * waitForThreads fails with a clear message on this main thread, and leaves the outcome in
 * globalThis.__tessera for the test to read. With ?broken=1 (the worker script cannot load) it
 * checks how that failure is reported instead.
 */
import * as ts from "../../src/browser.js";
import { runWorkload, type WorkloadResult } from "./workload.js";

export interface PageOutcome {
  result?: WorkloadResult;
  /** What waitForThreads() threw on this main thread while workers were starting, if it threw. */
  blockingWait?: string;
  /** ?broken=1 (the server refuses the worker script): what whenThreadsReady rejected with. */
  workerFailure?: string;
  /** ?broken=1: a threaded-size matmul's sum, computed on the main thread alone. */
  fallbackSum?: number;
  error?: string;
}

const g = globalThis as unknown as { __tessera?: PageOutcome; location: { href: string } };

/** The worker script fails to load: whenThreadsReady must say so, and kernels stay on this thread. */
async function broken(): Promise<PageOutcome> {
  ts.setBackend("wasm");
  ts.setNumThreads(2);
  const backend = ts.getBackend() as ts.WasmBackend;
  const outcome: PageOutcome = {};
  try {
    await backend.whenThreadsReady(20_000);
  } catch (e) {
    outcome.workerFailure = (e as Error).message;
  }
  outcome.fallbackSum = ts.scope(() => ts.matmul(ts.ones([256, 512]), ts.ones([512, 256])).sum().item());
  outcome.result = { env: { relaxedSimd: backend.relaxedSimd, crossOriginIsolated: true, numThreads: backend.numThreads, workersReady: backend.threadsReady() - 1, workerChunks: backend.workerChunks } } as WorkloadResult;
  return outcome;
}

async function main(): Promise<PageOutcome> {
  const query = new URL(g.location.href).searchParams;
  if (query.get("broken") === "1") return broken();
  const threads = Number(query.get("threads") ?? "2");
  const result = await runWorkload(threads);
  const outcome: PageOutcome = { result };
  if (threads > 1) {
    const backend = ts.getBackend() as ts.WasmBackend;
    ts.setNumThreads(threads + 1); // new workers, not ready yet: a blocking wait would have to block
    try {
      backend.waitForThreads(1000);
    } catch (e) {
      outcome.blockingWait = (e as Error).message;
    }
    await backend.whenThreadsReady(20_000);
    ts.setNumThreads(1);
  }
  return outcome;
}

main().then(
  (outcome) => (g.__tessera = outcome),
  (e: Error) => (g.__tessera = { error: `${e.message}\n${e.stack ?? ""}` }),
);
