/**
 * Training checkpoints on disk: everything needed to continue a run exactly where it stopped.
 *
 *   <dir>/checkpoint.json          the pointer: which folder is current, and each of its files'
 *                                  size and SHA-256 (written last, atomically)
 *   <dir>/epoch-0003-<id>/
 *       weights.safetensors        the model's state dict (as io.saveModel writes it)
 *       optimizer.safetensors      the optimizer's per-parameter tensors ("<param>.<name>")
 *       state.json                 epoch, history, stop reason, the optimizer's groups and scalar
 *                                  state, every RNG state, the callbacks' states (early stopping,
 *                                  best metric, scheduler), and the caller's extra settings
 *
 * A save writes a NEW folder, then replaces checkpoint.json (temp file + rename), then deletes
 * the older folders. A crash at any point leaves checkpoint.json naming a complete folder: the
 * previous checkpoint or the new one, never a mix. Loading checks every file against the sizes and
 * hashes in checkpoint.json, so a truncated or damaged file is reported by name.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Tensor } from "../tensor/tensor.js";
import type { RngState } from "../random.js";
import { DataFormatError } from "../errors.js";
import { saveSafetensors, writeFileAtomic } from "../io/files.js";
import { decodeSafetensors } from "../io/safetensors.js";
import { syncFolder } from "./atomic.js";
import type { CallbackState, EpochLog } from "./callback.js";

export const CHECKPOINT_FILE = "checkpoint.json";
const FORMAT = "tessera-checkpoint";
const VERSION = 1;

/** What an optimizer's stateDict holds (optim.Optimizer's shape). */
export interface OptimizerStateDict {
  state: Record<number, Record<string, Tensor | number>>;
  paramGroups: Record<string, unknown>[];
}

/** The contents of a checkpoint, as `saveCheckpoint` takes them and `readCheckpoint` returns them. */
export interface CheckpointData {
  /** Epochs completed. */
  epoch: number;
  history: EpochLog[];
  /** Why training stopped early (early stopping), or null. */
  stopReason: string | null;
  model: Map<string, Tensor>;
  optimizer: OptimizerStateDict;
  /** Generator states by name ("global" is the default generator). */
  rng: Record<string, RngState>;
  /** Callback states by callback key. */
  callbacks: Record<string, CallbackState>;
  /** Anything else the caller wants back on resume (the CLI keeps its settings here). */
  extra: Record<string, unknown>;
}

interface Pointer {
  format: string;
  version: number;
  epoch: number;
  folder: string;
  files: Record<string, { bytes: number; sha256: string }>;
}

const sha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** Writes a checkpoint into `dir` (created if needed), replacing the one there atomically. */
export function saveCheckpoint(dir: string, data: CheckpointData): void {
  mkdirSync(dir, { recursive: true });
  const folder = `epoch-${String(data.epoch).padStart(4, "0")}-${process.pid}-${Date.now().toString(36)}`;
  const path = join(dir, folder);
  mkdirSync(path);
  const tensors = new Map<string, Tensor>();
  const scalars: Record<string, Record<string, number>> = {};
  for (const [i, s] of Object.entries(data.optimizer.state)) {
    for (const [k, v] of Object.entries(s)) {
      if (typeof v === "number") (scalars[i] ??= {})[k] = v;
      else tensors.set(`${i}.${k}`, v);
    }
  }
  saveSafetensors(join(path, "weights.safetensors"), data.model);
  saveSafetensors(join(path, "optimizer.safetensors"), tensors);
  const state = {
    epoch: data.epoch,
    history: data.history,
    stopReason: data.stopReason,
    optimizer: { paramGroups: data.optimizer.paramGroups, scalars },
    rng: data.rng,
    callbacks: data.callbacks,
    extra: data.extra,
  };
  writeFileAtomic(join(path, "state.json"), stringify(state));
  syncFolder(path);
  const files: Pointer["files"] = {};
  for (const name of ["weights.safetensors", "optimizer.safetensors", "state.json"]) {
    const bytes = readFileSync(join(path, name));
    files[name] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
  }
  const pointer: Pointer = { format: FORMAT, version: VERSION, epoch: data.epoch, folder, files };
  writeFileAtomic(join(dir, CHECKPOINT_FILE), JSON.stringify(pointer, null, 2) + "\n");
  syncFolder(dir);
  // Only now is the old checkpoint unreferenced: remove it (and any folder a crash left behind).
  for (const entry of readdirSync(dir)) {
    if (entry !== folder && entry.startsWith("epoch-")) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

/** Whether `dir` holds a checkpoint (a checkpoint.json). */
export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, CHECKPOINT_FILE));
}

/**
 * Reads and verifies a checkpoint. Throws a DataFormatError naming the file when one is missing,
 * truncated, altered or not what it should be.
 */
export function readCheckpoint(dir: string): CheckpointData {
  const pointerPath = join(dir, CHECKPOINT_FILE);
  const pointer = parseJson(pointerPath, readBytes(pointerPath)) as Partial<Pointer>;
  if (pointer?.format !== FORMAT || typeof pointer.folder !== "string" || typeof pointer.files !== "object" || pointer.files === null) {
    throw new DataFormatError(pointerPath, `is not a Tessera checkpoint (expected format '${FORMAT}' with a folder and its files)`);
  }
  if (pointer.version !== VERSION) throw new DataFormatError(pointerPath, `has version ${pointer.version}; this Tessera reads version ${VERSION}`);
  const path = join(dir, pointer.folder);
  const read = (name: string): Buffer => {
    const file = join(path, name);
    const expected = pointer.files![name];
    if (!expected) throw new DataFormatError(pointerPath, `does not list ${name}`);
    const bytes = readBytes(file);
    if (bytes.byteLength !== expected.bytes) {
      throw new DataFormatError(file, `is ${bytes.byteLength < expected.bytes ? "truncated" : "too long"}: ${bytes.byteLength} bytes, the checkpoint recorded ${expected.bytes}`);
    }
    if (sha256(bytes) !== expected.sha256) throw new DataFormatError(file, "is corrupt: its SHA-256 differs from the one the checkpoint recorded");
    return bytes;
  };
  const tensors = (name: string): Map<string, Tensor> => {
    const b = read(name);
    return decodeSafetensors(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), join(path, name)).tensors;
  };
  const model = tensors("weights.safetensors");
  const optimizerTensors = tensors("optimizer.safetensors");
  const statePath = join(path, "state.json");
  const state = parseJson(statePath, read("state.json")) as {
    epoch: number; history: EpochLog[]; stopReason: string | null; rng: Record<string, RngState>;
    optimizer: { paramGroups: Record<string, unknown>[]; scalars: Record<string, Record<string, number>> };
    callbacks: Record<string, CallbackState>; extra: Record<string, unknown>;
  };
  if (typeof state?.epoch !== "number" || !Array.isArray(state.history) || !state.optimizer || !state.rng) {
    throw new DataFormatError(statePath, "is not a checkpoint state (expected epoch, history, optimizer and rng entries)");
  }
  const optimizer: OptimizerStateDict = { state: {}, paramGroups: state.optimizer.paramGroups };
  for (const [i, s] of Object.entries(state.optimizer.scalars ?? {})) optimizer.state[Number(i)] = { ...s };
  for (const [name, t] of optimizerTensors) {
    const dot = name.indexOf(".");
    (optimizer.state[Number(name.slice(0, dot))] ??= {})[name.slice(dot + 1)] = t;
  }
  return {
    epoch: state.epoch,
    history: state.history,
    stopReason: state.stopReason ?? null,
    model,
    optimizer,
    rng: state.rng,
    callbacks: state.callbacks ?? {},
    extra: state.extra ?? {},
  };
}

function readBytes(path: string): Buffer {
  try {
    if (!statSync(path).isFile()) throw new DataFormatError(path, "is not a file");
    return readFileSync(path);
  } catch (e) {
    if (e instanceof DataFormatError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFormatError(path, code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? (e as Error).message})`);
  }
}

/**
 * JSON with the numbers JSON lacks (NaN and ±Infinity: a diverged loss, a best metric not yet
 * set) written as {"$float": "NaN"} and read back as numbers, so every double round-trips exactly.
 */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? { $float: String(v) } : v), 1) + "\n";
}

function parseJson(path: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"), (_k, v) => (v !== null && typeof v === "object" && typeof v.$float === "string" && Object.keys(v).length === 1 ? Number(v.$float) : v));
  } catch (e) {
    throw new DataFormatError(path, `is not valid JSON (${(e as Error).message})`);
  }
}
