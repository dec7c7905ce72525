/**
 * The browser half of chromium.test.ts, loaded by its page as an ES module: runs the workload
 * with the thread count named in the page's query (?threads=N), then checks that a blocking
 * waitForThreads fails with a clear message on this main thread, and leaves the outcome in
 * globalThis.__tessera for the test to read.
 */
import * as ts from "../../src/browser.js";
import { runWorkload, type WorkloadResult } from "./workload.js";

export interface PageOutcome {
  result?: WorkloadResult;
  /** What waitForThreads() threw on this main thread while workers were starting, if it threw. */
  blockingWait?: string;
  error?: string;
}

const g = globalThis as unknown as { __tessera?: PageOutcome; location: { href: string } };

async function main(): Promise<PageOutcome> {
  const threads = Number(new URL(g.location.href).searchParams.get("threads") ?? "2");
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
