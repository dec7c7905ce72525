/**
 * The computation the browser test runs twice — in Chromium (page.ts) and in Node
 * (chromium.test.ts) — on the wasm backend, returning its numbers for comparison:
 *
 *   - a 509x700 @ 700x645 matmul (230 M multiply-adds: well over the threshold at which a
 *     gemm is split over threads),
 *   - conv2d forward + backward (input, weight and bias gradients) of a batch of 8 images,
 *     16 → 24 channels at 40x40, big enough that the convolution kernels run threaded,
 *   - five SGD (momentum) steps of LeNet-5 on random 28x28 images, batch 32.
 *
 * Everything is seeded, and threaded kernels split work so that every element is computed in
 * the same order on any number of threads (see src/backend/wasm/threads.ts), so the two runs
 * should agree bit for bit when both engines use the same SIMD build. Float arrays travel as
 * base64 of their bytes, which survives any serialisation exactly.
 */
import * as ts from "../../src/browser.js";

export interface Environment {
  /** Whether this engine runs the relaxed-SIMD build of the kernels. */
  relaxedSimd: boolean;
  crossOriginIsolated: boolean | null;
  /** Threads the backend uses after setNumThreads(threadsAsked). */
  numThreads: number;
  /** Workers ready when the workload started (whenThreadsReady). */
  workersReady: number;
  /** Chunks of threaded kernels the workers ran during the workload. */
  workerChunks: number;
}

export interface WorkloadResult {
  env: Environment;
  matmul: string;
  conv: { out: string; gradInput: string; gradWeight: string; gradBias: string };
  lenet: { losses: number[]; params: string };
}

export function toBase64(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(Float32Array.from(values).buffer);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function fromBase64(text: string): Float32Array {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

const bits = (t: ts.Tensor) => toBase64(t.data());

/** Runs the workload on the wasm backend with `threadsAsked` threads. */
export async function runWorkload(threadsAsked: number): Promise<WorkloadResult> {
  ts.setBackend("wasm");
  ts.setNumThreads(threadsAsked);
  const backend = ts.getBackend() as ts.WasmBackend;
  const workersReady = await backend.whenThreadsReady(20_000);
  const chunksBefore = backend.workerChunks;

  ts.manualSeed(20240607);
  const matmul = ts.scope(() => bits(ts.matmul(ts.randn([509, 700]), ts.randn([700, 645]))));

  const conv = ts.scope(() => {
    const x = ts.randn([8, 16, 40, 40], { requiresGrad: true });
    const w = ts.randn([24, 16, 3, 3], { requiresGrad: true });
    const b = ts.randn([24], { requiresGrad: true });
    const y = ts.conv2d(x, w, b, { padding: 1 });
    // A random projection of the output as the loss, so every gradient element matters.
    y.mul(ts.randn(y.shape)).sum().backward();
    return { out: bits(y), gradInput: bits(x.grad!), gradWeight: bits(w.grad!), gradBias: bits(b.grad!) };
  });

  const model = new ts.models.LeNet5();
  const sgd = new ts.optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const losses: number[] = [];
  for (let step = 0; step < 5; step++) {
    ts.scope(() => {
      const x = ts.randn([32, 1, 28, 28]);
      const y = ts.randint(0, 10, [32]);
      sgd.zeroGrad();
      const loss = ts.nn.crossEntropy(model.forward(x), y);
      loss.backward();
      sgd.step();
      losses.push(loss.item());
    });
  }
  const params = model.parameters().flatMap((p) => Array.from(p.data()));

  const g = globalThis as { crossOriginIsolated?: boolean };
  return {
    env: {
      relaxedSimd: backend.relaxedSimd,
      crossOriginIsolated: g.crossOriginIsolated ?? null,
      numThreads: backend.numThreads,
      workersReady,
      workerChunks: backend.workerChunks - chunksBefore,
    },
    matmul,
    conv,
    lenet: { losses, params: toBase64(params) },
  };
}
