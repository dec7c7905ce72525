/**
 * `npm run bench`: Tessera and its peers on the same workloads in the same run, reported as
 * throughput and as ratios (a ratio survives a noisy machine; an absolute number does not).
 *
 *   LeNet-5 training, batch 64 (images/s)     LeNet-5 inference, batch 1000 (images/s)
 *   Nielsen MLP training, batch 10 (images/s)  1024x1024 float32 matmul (GFLOP/s)
 *
 * Peers: TensorFlow.js 4.22 `cpu` backend (dev dependency) and, when `python3 -c "import torch"`
 * works, PyTorch as installed. Flags: --budget SECONDS per workload (default 3), --no-peers.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { runTessera, type Workloads } from "./tessera.js";
import { runTfjs } from "./tfjs.js";
import { peakRssMB } from "./measure.js";

const ROWS: [keyof Workloads, string, number][] = [
  ["lenetTrain64", "LeNet-5 train, batch 64 (img/s)", 1],
  ["lenetInfer1000", "LeNet-5 inference, batch 1000 (img/s)", 1],
  ["mlpTrain10", "Nielsen MLP train, batch 10 (img/s)", 1],
  ["matmul1024", "matmul 1024² float32 (GFLOP/s)", 1e9],
];

function pytorch(budget: number): (Workloads & { torch: string; threads: number; blas: string }) | null {
  const script = join(dirname(fileURLToPath(import.meta.url)), "../../bench/peers/pytorch_bench.py");
  // Debian's interpreter first: that is where `apt-get install python3-torch` puts PyTorch.
  const python = ["/usr/bin/python3", "python3"].find((p) => spawnSync(p, ["-c", "import torch"]).status === 0);
  if (!python) return null;
  const r = spawnSync(python, [script, String(budget), "1"], { encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(`PyTorch benchmark failed: ${r.stderr}\n`);
    return null;
  }
  return JSON.parse(r.stdout);
}

function fmt(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const budgetAt = args.indexOf("--budget");
  const budget = budgetAt >= 0 ? Number(args[budgetAt + 1]) : 3;
  const peers = !args.includes("--no-peers");

  process.stderr.write("measuring Tessera (cpu backend)...\n");
  const tessera = runTessera(budget);
  const rss = peakRssMB();
  const columns: [string, Workloads][] = [["Tessera cpu", tessera]];
  if (peers) {
    process.stderr.write("measuring TensorFlow.js 4.22 (cpu backend)...\n");
    columns.push(["TF.js cpu", await runTfjs(budget)]);
    process.stderr.write("measuring PyTorch (if installed)...\n");
    const torch = pytorch(budget);
    if (torch) columns.push([`PyTorch ${torch.torch} (1 thread, ${torch.blas})`, torch]);
    else process.stderr.write("PyTorch not available (python3 -c 'import torch' failed): skipped\n");
  }

  const header = ["workload", ...columns.map(([n]) => n), ...columns.slice(1).map(([n]) => `Tessera / ${n.split(" (")[0]}`)];
  const lines = ROWS.map(([key, label, scale]) => [
    label,
    ...columns.map(([, w]) => fmt(w[key].perSecond / scale)),
    ...columns.slice(1).map(([, w]) => `${(tessera[key].perSecond / w[key].perSecond).toFixed(2)}x`),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  console.log(`\n${new Date().toISOString().slice(0, 10)}, Node ${process.version}, single thread\n`);
  console.log(row(header));
  console.log("| " + widths.map((w) => "-".repeat(w)).join(" | ") + " |");
  for (const l of lines) console.log(row(l));
  console.log(`\nTessera peak resident memory during its workloads: ${Math.round(rss)} MB`);
}

await main();
