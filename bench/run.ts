/**
 * `npm run bench`: Tessera and its peers on the same workloads in the same run, reported as
 * throughput and as ratios (a ratio survives a noisy machine; an absolute number does not).
 *
 *   LeNet-5 training, batch 64 (images/s)     LeNet-5 inference, batch 1000 (images/s)
 *   Nielsen MLP training, batch 10 (images/s)  1024x1024 float32 matmul (GFLOP/s)
 *   AlexNet conv1 and a 3x3 64→64 conv at 56x56, forward + backward, batch 8 (images/s)
 *
 * Tessera: the cpu backend, and the wasm backend on 1 and on --threads threads (default 2).
 * Peers: TensorFlow.js 4.22's `cpu` backend (dev dependency) and PyTorch when installed (see
 * pytorch.ts), with torch.set_num_threads(--threads). Flags: --budget SECONDS per workload
 * (default 3), --threads N, --no-peers.
 */
import * as ts from "../src/index.js";
import { runTessera, type Workloads } from "./tessera.js";
import { runTfjs } from "./tfjs.js";
import { runPytorch } from "./pytorch.js";
import { peakRssMB } from "./measure.js";

const ROWS: [keyof Workloads, string, number][] = [
  ["lenetTrain64", "LeNet-5 train, batch 64 (img/s)", 1],
  ["lenetInfer1000", "LeNet-5 inference, batch 1000 (img/s)", 1],
  ["mlpTrain10", "Nielsen MLP train, batch 10 (img/s)", 1],
  ["matmul1024", "matmul 1024² float32 (GFLOP/s)", 1e9],
  ["alexnetConv1", "AlexNet conv1 fwd+bwd, batch 8 (img/s)", 1],
  ["conv3x3x64", "conv 3x3 64→64 at 56², fwd+bwd, batch 8 (img/s)", 1],
];

function fmt(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(2);
}

function flag(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const budget = flag(args, "--budget", 3);
  const threads = flag(args, "--threads", 2);
  const peers = !args.includes("--no-peers");

  const columns: [string, Workloads][] = [];
  const memory: string[] = [];
  for (const [backend, n] of [["cpu", 1], ["wasm", 1], ["wasm", threads]] as const) {
    if (backend === "wasm" && n === 1 && threads === 1 && columns.length > 1) continue;
    const label = backend === "cpu" ? "Tessera cpu" : `Tessera wasm ${n}T`;
    process.stderr.write(`measuring ${label}...\n`);
    ts.setBackend(backend);
    ts.setNumThreads(n);
    const b = ts.getBackend();
    if (b instanceof ts.WasmBackend) b.waitForThreads();
    columns.push([label, runTessera(budget)]);
    const stats = b.memory?.stats();
    if (stats) memory.push(`${label}: wasm heap peak ${Math.round(stats.peakBytes / 2 ** 20)} MB`);
  }
  const rss = peakRssMB();
  const tessera = columns.length;
  if (peers) {
    process.stderr.write("measuring TensorFlow.js 4.22 (cpu backend)...\n");
    columns.push(["TF.js cpu", await runTfjs(budget)]);
    process.stderr.write(`measuring PyTorch (${threads} threads) if installed...\n`);
    for (const r of runPytorch(budget, threads)) columns.push([`PyTorch ${r.torch} ${r.label}`, r]);
  }

  // Ratios: Tessera's best configuration for each workload against each peer.
  const header = ["workload", ...columns.map(([n]) => n), ...columns.slice(tessera).map(([n]) => `best Tessera / ${n}`)];
  const rate = (w: Workloads, key: keyof Workloads) => w[key]?.perSecond;
  const lines = ROWS.map(([key, label, scale]) => {
    const best = Math.max(...columns.slice(0, tessera).map(([, w]) => rate(w, key) ?? 0));
    return [
      label,
      ...columns.map(([, w]) => {
        const r = rate(w, key);
        return r === undefined ? "—" : fmt(r / scale);
      }),
      ...columns.slice(tessera).map(([, w]) => {
        const r = rate(w, key);
        return r === undefined ? "—" : `${(best / r).toFixed(2)}x`;
      }),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  console.log(`\n${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${threads} threads for the multi-threaded columns\n`);
  console.log(row(header));
  console.log("| " + widths.map((w) => "-".repeat(w)).join(" | ") + " |");
  for (const l of lines) console.log(row(l));
  console.log(`\nTessera process peak resident memory: ${Math.round(rss)} MB; ${memory.join("; ")}`);
}

await main();
