/** The --backend and --threads flags shared by the commands that compute. */
import { listBackends, setBackend, setNumThreads, getBackend, getNumThreads } from "../backend/registry.js";
import { choiceFlag, intFlag, UsageError } from "./options.js";

export const BACKEND_OPTIONS = {
  backend: { type: "string" },
  threads: { type: "string" },
} as const;

export const BACKEND_HELP = `  --backend NAME      ${listBackends().join(" | ")}: where tensors live and kernels run (default: $TESSERA_BACKEND, else wasm)
  --threads N         threads for the wasm backend's big kernels, 1-64 (default: $TESSERA_THREADS or 1)`;

/** Validates and applies the flags; returns what is in effect. */
export function applyBackendFlags(values: { backend?: string; threads?: string }): { backend: string; threads: number } {
  const names = listBackends();
  const backend = choiceFlag(values.backend, "backend", getBackend().name, names);
  const threads = intFlag(values.threads, "threads", getNumThreads(), 1);
  if (threads > 64) throw new UsageError(`--threads must be an integer from 1 to 64, got '${values.threads}'`);
  setNumThreads(threads);
  setBackend(backend);
  return { backend, threads };
}
