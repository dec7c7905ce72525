/**
 * Convolution throughput hook for `npm run bench` (bench/run.ts wires it in): forward + backward
 * of two layers on the current backend, float32, batch 8, each step in a memory scope.
 *
 *   alexnetConv1  AlexNet's first layer: 3 → 96, 11x11, stride 4, 227x227 → 55x55. The input is
 *                 the image, so the backward computes the weight and bias gradients only (as
 *                 PyTorch does for a leaf that needs no grad).
 *   conv3x3x64    a ResNet-style 3x3 layer: 64 → 64, padding 1, 56x56. A middle layer: the
 *                 backward computes the input gradient as well.
 *
 * GFLOP/s counts 2 FLOPs per multiply-add: forward 2·N·O·outH·outW·(C/groups)·kH·kW, each
 * gradient (weight, input) as much again; bias and the loss are not counted.
 *
 * Standalone: `node build/bench/conv.js [budgetSeconds]` on the default backend.
 */
import * as ts from "../src/index.js";
import { fileURLToPath } from "node:url";
import { measure, type Rate } from "./measure.js";

export interface ConvBenchResult {
  label: string;
  /** Images (batch entries) per second, forward + backward. */
  imagesPerSecond: number;
  gflopsPerSecond: number;
  rate: Rate;
}

interface Workload {
  label: string;
  batch: number;
  inChannels: number;
  outChannels: number;
  size: number;
  kernel: number;
  stride: number;
  padding: number;
  /** Whether the input needs a gradient (a middle layer) or not (the first layer). */
  inputGrad: boolean;
}

const WORKLOADS: Workload[] = [
  { label: "alexnetConv1", batch: 8, inChannels: 3, outChannels: 96, size: 227, kernel: 11, stride: 4, padding: 0, inputGrad: false },
  { label: "conv3x3x64", batch: 8, inChannels: 64, outChannels: 64, size: 56, kernel: 3, stride: 1, padding: 1, inputGrad: true },
];

function runOne(w: Workload, budgetSeconds: number): ConvBenchResult {
  ts.manualSeed(0);
  const conv = new ts.nn.Conv2d(w.inChannels, w.outChannels, w.kernel, { stride: w.stride, padding: w.padding });
  const x = ts.randn([w.batch, w.inChannels, w.size, w.size], { requiresGrad: w.inputGrad }).keep();
  const out = Math.floor((w.size + 2 * w.padding - w.kernel) / w.stride) + 1;
  const forwardFlops = 2 * w.batch * w.outChannels * out * out * w.inChannels * w.kernel * w.kernel;
  const flopsPerStep = forwardFlops * (w.inputGrad ? 3 : 2);
  const step = () =>
    ts.scope(() => {
      conv.zeroGrad();
      ts.release(x.grad);
      x.grad = null;
      conv.forward(x).sum().backward();
    });
  const rate = measure(step, w.batch, budgetSeconds, 2);
  releaseAll([x, x.grad, ...conv.parameters().flatMap((p) => [p, p.grad])]);
  return { label: w.label, imagesPerSecond: rate.perSecond, gflopsPerSecond: (rate.perSecond / w.batch) * flopsPerStep / 1e9, rate };
}

/** Frees what a measurement kept, so that rounds do not pile up WebAssembly memory. */
export function releaseAll(tensors: (ts.Tensor | null)[]): void {
  for (const t of tensors) ts.release(t);
}

/** Measures each workload for about `budgetSeconds` on the current backend. */
export function runConvBench(budgetSeconds: number): ConvBenchResult[] {
  return WORKLOADS.map((w) => runOne(w, budgetSeconds));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const budget = Number(process.argv[2] ?? 3);
  const b = ts.getBackend();
  if (b instanceof ts.WasmBackend) b.waitForThreads();
  for (const r of runConvBench(budget)) {
    console.log(`${ts.getBackend().name} ${r.label}: ${r.imagesPerSecond.toFixed(1)} images/s, ${r.gflopsPerSecond.toFixed(2)} GFLOP/s (${r.rate.iterations} steps)`);
  }
}
