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
 * pytorch.ts), with torch.set_num_threads(--threads). A second table sets the matmul against the
 * WebAssembly SIMD ceiling measured in the same round (ceiling.ts). Flags: --rounds R (default
 * 3), --budget SECONDS per workload and round (default 1), --threads N, --no-peers.
 *
 * The machine this project runs on is a shared VM whose speed drifts by tens of percent within a
 * minute, so one long measurement of Tessera followed by one of a peer can disagree by more than
 * the difference being measured. Every column is therefore measured in R rounds, one after
 * another; each round yields its own ratios from measurements minutes apart at most, and the
 * table gives the median rate of each column and the median ratio with its range over rounds.
 */
import * as ts from "../src/index.js";
import { runTessera, type Workloads } from "./tessera.js";
import { runTfjs } from "./tfjs.js";
import { runPytorch } from "./pytorch.js";
import { peakRssMB } from "./measure.js";
import { measureCeiling, type Ceiling } from "./ceiling.js";

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
  const rounds = flag(args, "--rounds", 3);
  const budget = flag(args, "--budget", 1);
  const threads = flag(args, "--threads", 2);
  const peers = !args.includes("--no-peers");

  // columns[c] = [label, workloads of each round]
  const columns = new Map<string, Workloads[]>();
  const record = (label: string, w: Workloads) => columns.set(label, [...(columns.get(label) ?? []), w]);
  const memory: string[] = [];
  const tesseraLabels: string[] = [];
  const ceilings: Ceiling[] = [];
  const configs: ["cpu" | "wasm", number][] = [["cpu", 1], ["wasm", 1]];
  if (threads > 1) configs.push(["wasm", threads]);
  for (let round = 1; round <= rounds; round++) {
    for (const [backend, n] of configs) {
      const label = backend === "cpu" ? "Tessera cpu" : `Tessera wasm ${n}T`;
      if (round === 1 && !tesseraLabels.includes(label)) tesseraLabels.push(label);
      process.stderr.write(`round ${round}/${rounds}: measuring ${label}...\n`);
      ts.setBackend(backend);
      ts.setNumThreads(n);
      const b = ts.getBackend();
      if (b instanceof ts.WasmBackend) b.waitForThreads();
      record(label, runTessera(budget));
      const stats = b.memory?.stats();
      if (stats && round === rounds) memory.push(`${label}: wasm heap peak ${Math.round(stats.peakBytes / 2 ** 20)} MB`);
    }
    process.stderr.write(`round ${round}/${rounds}: measuring the WebAssembly SIMD ceiling...\n`);
    ceilings.push(await measureCeiling(threads, budget));
    if (peers) {
      process.stderr.write(`round ${round}/${rounds}: measuring TensorFlow.js 4.22 (cpu backend)...\n`);
      record("TF.js cpu", await runTfjs(budget));
      process.stderr.write(`round ${round}/${rounds}: measuring PyTorch (${threads} threads) if installed...\n`);
      for (const r of runPytorch(budget, threads)) record(`PyTorch ${r.torch} ${r.label}`, r);
    }
  }
  const rss = peakRssMB();
  const labels = [...columns.keys()];
  const peerLabels = labels.filter((l) => !tesseraLabels.includes(l));

  const rate = (w: Workloads | undefined, key: keyof Workloads) => w?.[key]?.perSecond;
  /** Best Tessera configuration of round r on a workload. */
  const bestTessera = (key: keyof Workloads, r: number) => Math.max(...tesseraLabels.map((l) => rate(columns.get(l)![r], key) ?? 0));
  const header = ["workload", ...labels, ...peerLabels.map((n) => `best Tessera / ${n}`)];
  const lines = ROWS.map(([key, label, scale]) => [
    label,
    ...labels.map((l) => {
      const rates = columns.get(l)!.map((w) => rate(w, key)).filter((x): x is number => x !== undefined);
      return rates.length === 0 ? "—" : fmt(median(rates) / scale);
    }),
    ...peerLabels.map((l) => {
      const ratios = columns.get(l)!.flatMap((w, r) => {
        const peer = rate(w, key);
        return peer === undefined ? [] : [bestTessera(key, r) / peer];
      });
      return ratios.length === 0 ? "—" : medianWithRange(ratios, 2, "x");
    }),
  ]);
  console.log(`\n${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${threads} threads for the multi-threaded columns; ${rounds} rounds of ${budget} s per workload: median rates, and median ratios (range over rounds)\n`);
  printTable(header, lines);
  printCeilingTable(columns, ceilings, threads);
  console.log(`\nTessera process peak resident memory: ${Math.round(rss)} MB; ${memory.join("; ")}`);
}

/**
 * The matmul against the SIMD ceiling measured in the same round (ceiling.ts): the "80% of
 * the 57 GFLOP/s ceiling" is 70% of the register-only loop, and its two-thread target 1.8x that.
 * Both sides are measured alike: the ceiling is its best 0.1 s burst and the matmul its fastest
 * product (about 0.05 s), so the VM's interruptions count against neither.
 */
function printCeilingTable(columns: Map<string, Workloads[]>, ceilings: Ceiling[], threads: number): void {
  const matmul = (label: string) => (columns.get(label) ?? []).map((w) => w.matmul1024.bestPerSecond / 1e9);
  const one = matmul("Tessera wasm 1T");
  const many = matmul(`Tessera wasm ${threads}T`);
  if (one.length === 0 || ceilings.length === 0) return;
  const fma = ceilings[0].relaxed ? "relaxed-SIMD fused multiply-add" : "SIMD multiply and add";
  const rows: string[][] = [
    [`register-only ${fma} loop, 1 thread (GFLOP/s)`, medianWithRange(ceilings.map((c) => c.oneThread), 1)],
    [`matmul 1024², 1 thread / loop 1 thread (target 70%)`, medianWithRange(one.map((x, r) => (100 * x) / ceilings[r].oneThread), 0, "%")],
  ];
  if (threads > 1 && many.length > 0) {
    rows.push(
      [`register-only loop, ${threads} threads at once (GFLOP/s)`, medianWithRange(ceilings.map((c) => c.allThreads), 1)],
      [`matmul 1024², ${threads} threads / matmul 1 thread (target 1.8x)`, medianWithRange(many.map((x, r) => x / one[r]), 2, "x")],
      [`matmul 1024², ${threads} threads / loop 1 thread (target 1.26 = 1.8 x 70%)`, medianWithRange(many.map((x, r) => x / ceilings[r].oneThread), 2)],
    );
  }
  console.log(`\nMatmul (fastest product of each round) against the WebAssembly SIMD ceiling (best 0.1 s of the same round): median (range over rounds)\n`);
  printTable(["measure", "value"], rows);
}

/** A Markdown table with its columns padded to their widest cell. */
function printTable(header: string[], lines: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  console.log(row(header));
  console.log("| " + widths.map((w) => "-".repeat(w)).join(" | ") + " |");
  for (const l of lines) console.log(row(l));
}

/** "median (min–max)" of per-round values, the range left out for a single round. */
function medianWithRange(xs: number[], digits: number, unit = ""): string {
  const range = xs.length > 1 ? ` (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})` : "";
  return `${median(xs).toFixed(digits)}${unit}${range}`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

await main();
