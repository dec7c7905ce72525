/**
 * The wasm backend in a real browser: Debian's Chromium (/usr/bin/chromium, installed by
 * tools/ensure-chromium.sh from `npm test`'s pretest) driven by playwright-core, loading the
 * browser entry (build/src/browser.js) as plain ES modules from a small static server.
 *
 *   - A cross-origin isolated page (COOP same-origin + COEP require-corp): SIMD kernels and 2
 *     threads on a shared memory. The workload of workload.ts must match Node's run bit for bit,
 *     both must use relaxed SIMD, and the workers must actually have run chunks of it.
 *   - The same page without those headers: no SharedArrayBuffer for workers, so the backend
 *     warns and stays on one thread — and still computes the same bits.
 *
 * The browser work runs in the TESSERA_BACKEND=wasm pass of `npm test` only (the workload is
 * the wasm backend's, whichever pass runs it; one run is enough). entry.test.ts checks the
 * browser entry's imports in both passes.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { fromBase64, runWorkload, type WorkloadResult } from "./workload.js";
import type { PageOutcome } from "./page.js";

const CHROMIUM = "/usr/bin/chromium";
/** The compiled tree: build/test/browser/ → build/. */
const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), "..", ".."));
const TYPES: Record<string, string> = { ".js": "text/javascript", ".html": "text/html", ".map": "application/json" };

const PAGE = `<!doctype html><meta charset="utf-8"><title>tessera browser test</title><link rel="icon" href="data:,">
<script type="module" src="test/browser/page.js"
  onerror="globalThis.__tessera = { error: 'test/browser/page.js or a module it imports failed to load' }"></script>`;

/**
 * Serves build/ under two prefixes: /isolated/ with the cross-origin isolation headers on every
 * response (the page, its modules and the worker's), /plain/ without them; and /broken/, as
 * /isolated/ but answering 404 for the kernel worker's script.
 */
function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const [, prefix, ...rest] = url.pathname.split("/");
    if (prefix !== "isolated" && prefix !== "plain" && prefix !== "broken") return void res.writeHead(404).end();
    const headers: Record<string, string> = { "Cache-Control": "no-store" };
    if (prefix !== "plain") {
      headers["Cross-Origin-Opener-Policy"] = "same-origin";
      headers["Cross-Origin-Embedder-Policy"] = "require-corp";
    }
    const path = rest.join("/");
    if (prefix === "broken" && path.endsWith("backend/wasm/worker.js")) return void res.writeHead(404, headers).end();
    if (path === "index.html") return void res.writeHead(200, { ...headers, "Content-Type": "text/html" }).end(PAGE);
    const file = normalize(join(ROOT, decodeURIComponent(path)));
    if (!file.startsWith(ROOT + sep) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404, headers).end();
    res.writeHead(200, { ...headers, "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

interface PageRun {
  outcome: PageOutcome;
  console: string[];
  ms: number;
}

let server: Server;
let browser: Browser;
let node: WorkloadResult;

async function runPage(prefix: "isolated" | "plain" | "broken", threads: number): Promise<PageRun> {
  const { port } = server.address() as AddressInfo;
  const page = await browser.newPage();
  const messages: string[] = [];
  page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
  page.on("response", (r) => void (r.status() >= 400 && messages.push(`error: HTTP ${r.status()} for ${r.url()}`)));
  const started = performance.now();
  try {
    await page.goto(`http://127.0.0.1:${port}/${prefix}/index.html?threads=${threads}${prefix === "broken" ? "&broken=1" : ""}`);
    await page.waitForFunction(() => (globalThis as { __tessera?: unknown }).__tessera !== undefined, null, { timeout: 30_000 });
    const outcome = (await page.evaluate(() => (globalThis as { __tessera?: unknown }).__tessera)) as PageOutcome;
    return { outcome, console: messages, ms: performance.now() - started };
  } catch (e) {
    throw new Error(`${prefix} page: ${(e as Error).message}\npage console:\n${messages.join("\n")}`);
  } finally {
    await page.close();
  }
}

/** Asserts two base64 float32 arrays are bit-identical, naming the first difference. */
function assertSameBits(actual: string, expected: string, what: string): void {
  if (actual === expected) return;
  const a = fromBase64(actual), e = fromBase64(expected);
  assert.equal(a.length, e.length, `${what}: length`);
  const i = a.findIndex((x, k) => !Object.is(x, e[k]));
  const maxDiff = a.reduce((m, x, k) => Math.max(m, Math.abs(x - e[k])), 0);
  assert.fail(`${what}: first differing element ${i}: browser ${a[i]} vs node ${e[i]} (max |diff| ${maxDiff})`);
}

function assertSameResults(browserRun: WorkloadResult, where: string): void {
  assertSameBits(browserRun.matmul, node.matmul, `${where}: matmul 509x700 @ 700x645`);
  for (const key of ["out", "gradInput", "gradWeight", "gradBias"] as const) {
    assertSameBits(browserRun.conv[key], node.conv[key], `${where}: conv2d ${key}`);
  }
  assert.deepEqual(browserRun.lenet.losses, node.lenet.losses, `${where}: LeNet-5 losses, 5 SGD steps`);
  assertSameBits(browserRun.lenet.params, node.lenet.params, `${where}: LeNet-5 parameters after 5 steps`);
}

if (process.env.TESSERA_BACKEND === "wasm") {
  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run tools/ensure-chromium.sh (npm test's pretest does)`);
    server = await serve();
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
    node = await runWorkload(2);
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  test("Node's run of the workload used 2 threads and relaxed SIMD (the reference for the pages)", (t) => {
    t.diagnostic(`node: ${JSON.stringify(node.env)}`);
    assert.equal(node.env.numThreads, 2);
    assert.equal(node.env.workersReady, 1);
    assert.ok(node.env.workerChunks > 0, "the Node worker ran chunks");
    assert.equal(node.env.relaxedSimd, true);
    assert.ok(node.lenet.losses.every(Number.isFinite) && node.lenet.losses.length === 5, `losses ${node.lenet.losses}`);
  });

  test("a cross-origin isolated page runs SIMD kernels on 2 threads and matches Node bit for bit", async (t) => {
    const run = await runPage("isolated", 2);
    t.diagnostic(`isolated page: ${JSON.stringify(run.outcome.result?.env)}, ${Math.round(run.ms)} ms`);
    assert.equal(run.outcome.error, undefined, `page failed: ${run.outcome.error}\n${run.console.join("\n")}`);
    const r = run.outcome.result!;
    assert.equal(r.env.crossOriginIsolated, true);
    assert.equal(r.env.relaxedSimd, true, "Chromium runs the relaxed-SIMD build");
    assert.equal(r.env.numThreads, 2);
    assert.equal(r.env.workersReady, 1, "the module worker started and instantiated the kernels");
    assert.ok(r.env.workerChunks > 0, `the worker ran chunks of the threaded kernels (${r.env.workerChunks})`);
    assertSameResults(r, "isolated page");
    assert.match(run.outcome.blockingWait ?? "(did not throw)", /may not block.*whenThreadsReady/);
    assert.deepEqual(run.console.filter((m) => /^(error|pageerror)/.test(m)), [], "no errors in the page");
  });

  test("a page without cross-origin isolation warns, stays on 1 thread and computes the same bits", async (t) => {
    const run = await runPage("plain", 2);
    t.diagnostic(`plain page: ${JSON.stringify(run.outcome.result?.env)}, ${Math.round(run.ms)} ms`);
    assert.equal(run.outcome.error, undefined, `page failed: ${run.outcome.error}\n${run.console.join("\n")}`);
    const r = run.outcome.result!;
    assert.equal(r.env.crossOriginIsolated, false);
    assert.equal(r.env.numThreads, 1);
    assert.equal(r.env.workersReady, 0);
    assert.equal(r.env.workerChunks, 0);
    assert.equal(r.env.relaxedSimd, true);
    assertSameResults(r, "plain page");
    const warnings = run.console.filter((m) => m.startsWith("warning: tessera: the wasm backend stays on 1 thread"));
    assert.equal(warnings.length, 1, `one warning, got:\n${run.console.join("\n")}`);
    assert.match(warnings[0], /not cross-origin isolated/);
  });

  test("a worker whose script fails to load is reported by whenThreadsReady, and kernels stay on the main thread", async (t) => {
    const run = await runPage("broken", 2);
    t.diagnostic(`broken page: ${JSON.stringify(run.outcome)}`);
    assert.equal(run.outcome.error, undefined, `page failed: ${run.outcome.error}\n${run.console.join("\n")}`);
    assert.match(run.outcome.workerFailure ?? "(did not reject)", /kernel worker 0 failed/);
    assert.equal(run.outcome.result!.env.workersReady, 0);
    assert.equal(run.outcome.result!.env.workerChunks, 0);
    assert.equal(run.outcome.fallbackSum, 256 * 256 * 512);
  });
}
