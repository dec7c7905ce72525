/**
 * PyTorch peers, run as child processes of Debian's python3 (`apt-get install python3-torch`):
 * "as installed" (its reference BLAS, glibc malloc) and, when OpenBLAS and tcmalloc are
 * installed (`apt-get install libopenblas0-pthread libtcmalloc-minimal4`), "tuned": OpenBLAS
 * (1 BLAS thread) through LD_LIBRARY_PATH and tcmalloc through LD_PRELOAD — the configuration
 * the speed targets are set against. Both with torch.set_num_threads(threads).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import type { Workloads } from "./tessera.js";

const LIB = "/usr/lib/x86_64-linux-gnu";
const OPENBLAS_DIR = `${LIB}/openblas-pthread`;
const TCMALLOC = `${LIB}/libtcmalloc_minimal.so.4`;

export interface TorchResult extends Workloads {
  torch: string;
  label: string;
}

function python(): string | null {
  return ["/usr/bin/python3", "python3"].find((p) => spawnSync(p, ["-c", "import torch"]).status === 0) ?? null;
}

function run(py: string, budget: number, threads: number, env: NodeJS.ProcessEnv, label: string): TorchResult | null {
  const script = join(dirname(fileURLToPath(import.meta.url)), "../../bench/peers/pytorch_bench.py");
  const r = spawnSync(py, [script, String(budget), String(threads)], { encoding: "utf8", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    process.stderr.write(`PyTorch (${label}) failed: ${r.stderr}\n`);
    return null;
  }
  return { ...(JSON.parse(r.stdout) as Workloads & { torch: string }), label };
}

export function runPytorch(budget: number, threads: number): TorchResult[] {
  const py = python();
  if (!py) {
    process.stderr.write("PyTorch not available (python3 -c 'import torch' failed): skipped\n");
    return [];
  }
  const results = [run(py, budget, threads, {}, "as installed")];
  if (existsSync(`${OPENBLAS_DIR}/libblas.so.3`) && existsSync(TCMALLOC)) {
    results.push(run(py, budget, threads, { LD_LIBRARY_PATH: OPENBLAS_DIR, LD_PRELOAD: TCMALLOC, OPENBLAS_NUM_THREADS: "1" }, "tuned: OpenBLAS + tcmalloc"));
  } else {
    process.stderr.write("PyTorch tuned skipped: needs libopenblas0-pthread and libtcmalloc-minimal4\n");
  }
  return results.filter((r): r is TorchResult => r !== null);
}
