/**
 * Saving and loading on disk (Node). Every write goes to a temporary file in the same folder and
 * is renamed over the target, so a crash mid-save leaves the old file or the new one, never half
 * of one.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Module } from "../nn/module.js";
import type { Tensor } from "../tensor/tensor.js";
import { DataFormatError } from "../errors.js";
import { createModel, type AnyModelSpec } from "../models/registry.js";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";
import { recoverInterruptedReplace } from "./folder-recovery.js";

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function readFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFormatError(path, code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? (e as Error).message})`);
  }
}

/** Writes a state dict as safetensors. */
export function saveSafetensors(path: string, tensors: Map<string, Tensor>, metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

export function loadSafetensors(path: string): Map<string, Tensor> {
  const bytes = readFile(path);
  return decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path).tensors;
}

export const MODEL_FILE = "model.json";
export const WEIGHTS_FILE = "weights.safetensors";

/**
 * Saves a model as a folder: `model.json` (how to rebuild it: the zoo name and options, plus any
 * extra info such as training metrics) and `weights.safetensors` (its state dict).
 */
export function saveModel(dir: string, model: Module, spec: AnyModelSpec, info: Record<string, unknown> = {}): void {
  saveSafetensors(join(dir, WEIGHTS_FILE), model.stateDict());
  writeFileAtomic(join(dir, MODEL_FILE), JSON.stringify({ format: "tessera-model", version: 1, model: spec, ...info }, null, 2) + "\n");
}

export interface LoadedModel {
  model: Module;
  spec: AnyModelSpec;
  info: Record<string, unknown>;
}

/** Rebuilds a model saved by saveModel and loads its weights (strictly: every key must match). */
export function loadModel(dir: string): LoadedModel {
  recoverInterruptedReplace(dir);
  const specPath = join(dir, MODEL_FILE);
  let parsed: { format?: string; model?: AnyModelSpec } & Record<string, unknown>;
  try {
    parsed = JSON.parse(readFile(specPath).toString("utf8"));
  } catch (e) {
    if (e instanceof DataFormatError) throw e;
    throw new DataFormatError(specPath, `is not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || parsed.format !== "tessera-model" || !parsed.model) throw new DataFormatError(specPath, "is not a Tessera model description (expected format 'tessera-model' and a 'model' entry)");
  const model = createModel(parsed.model);
  model.loadStateDict(loadSafetensors(join(dir, WEIGHTS_FILE)));
  const { format: _f, model: spec, ...info } = parsed;
  return { model, spec: spec as AnyModelSpec, info };
}
