/**
 * Loading the PyTorch reference fixtures (test/fixtures/*.json, see test/fixtures/README.md)
 * and comparing Tessera's numbers with them.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { Tensor } from "../../src/tensor/tensor.js";
import { tensor } from "../../src/tensor/create.js";

/** A tensor as the fixtures store it: row-major data, plus a dtype for integer / boolean ones. */
export interface FixtureTensor {
  shape: number[];
  data: number[];
  dtype?: "int64" | "bool";
}

/** One op case (every fixture file but sgd.json). */
export interface OpCase {
  name: string;
  op: string;
  args: Record<string, unknown>;
  inputs: Record<string, FixtureTensor>;
  output: FixtureTensor;
  gradOutput: FixtureTensor;
  grads: Record<string, FixtureTensor>;
}

export interface FixtureFile<C = OpCase> {
  generator: string;
  torch: string;
  cases: C[];
}

export interface Tolerance {
  rtol: number;
  atol: number;
}

let cachedRoot: string | null = null;

/**
 * The repository root: the first folder above this (compiled or source) file that holds a
 * package.json and a test/fixtures folder. Works from build/test/helpers as well as from
 * test/helpers, whatever the current working directory is.
 */
export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "test", "fixtures"))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`fixtures: no folder with package.json and test/fixtures above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function fixturePath(file: string): string {
  return join(repoRoot(), "test", "fixtures", file.endsWith(".json") ? file : `${file}.json`);
}

/** Parses test/fixtures/<file> (".json" optional) and checks its outline. */
export function loadFixture<C = OpCase>(file: string): FixtureFile<C> {
  const path = fixturePath(file);
  const parsed = JSON.parse(readFileSync(path, "utf8")) as FixtureFile<C>;
  if (!parsed || !Array.isArray(parsed.cases)) throw new Error(`fixtures: ${path} has no "cases" array`);
  return parsed;
}

/** The op cases of one fixture file. */
export function loadCases(file: string): OpCase[] {
  return loadFixture<OpCase>(file).cases;
}

export function isFloatFixture(t: FixtureTensor): boolean {
  return t.dtype === undefined;
}

/**
 * A fixture tensor as a Tessera tensor: float64 for float data, int32 for "int64" and a 0/1
 * float64 tensor for "bool". `requiresGrad` applies to float tensors only.
 */
export function fixtureTensor(t: FixtureTensor, options: { requiresGrad?: boolean } = {}): Tensor {
  if (!t || !Array.isArray(t.shape) || !Array.isArray(t.data)) throw new Error(`fixtures: not a tensor: ${JSON.stringify(t)?.slice(0, 200)}`);
  const n = t.shape.reduce((p, d) => p * d, 1);
  if (n !== t.data.length) throw new Error(`fixtures: shape [${t.shape}] needs ${n} values, data has ${t.data.length}`);
  switch (t.dtype) {
    case undefined:
      return tensor(Float64Array.from(t.data), { shape: t.shape, dtype: "float64", requiresGrad: options.requiresGrad ?? false });
    case "int64":
      if (!t.data.every((v) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647)) throw new Error("fixtures: int64 data does not fit int32");
      return tensor(Int32Array.from(t.data), { shape: t.shape, dtype: "int32" });
    case "bool":
      if (!t.data.every((v) => v === 0 || v === 1)) throw new Error("fixtures: bool data must be 0/1");
      return tensor(Float64Array.from(t.data), { shape: t.shape, dtype: "float64" });
    default:
      throw new Error(`fixtures: unknown dtype ${JSON.stringify((t as { dtype: unknown }).dtype)}`);
  }
}

function same(a: number, b: number, tol: Tolerance): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true; // also equal infinities
  return Math.abs(a - b) <= tol.atol + tol.rtol * Math.abs(b);
}

/**
 * Asserts |actual - expected| <= atol + rtol*|expected| for every element, after checking the
 * shape (a Tensor's shape must equal expected.shape; a plain array must have as many elements).
 * The failure message names the label, the first bad (multi-)index and both values.
 */
export function assertClose(
  actual: Tensor | ArrayLike<number>,
  expected: { shape: readonly number[]; data: ArrayLike<number> },
  tol: Tolerance,
  label: string,
): void {
  const expectedSize = expected.shape.reduce((p, d) => p * d, 1);
  assert.equal(expected.data.length, expectedSize, `${label}: expected shape [${expected.shape}] does not match its ${expected.data.length} values`);
  let values: ArrayLike<number>;
  if (actual instanceof Tensor) {
    assert.deepEqual([...actual.shape], [...expected.shape], `${label}: shape [${actual.shape}] differs from expected [${expected.shape}]`);
    values = actual.data();
  } else {
    values = actual;
    assert.equal(values.length, expectedSize, `${label}: ${values.length} values but expected shape [${expected.shape}] holds ${expectedSize}`);
  }
  for (let i = 0; i < expectedSize; i++) {
    const a = values[i];
    const e = expected.data[i];
    if (!same(a, e, tol)) {
      assert.fail(
        `${label}: element ${i} (index [${unravel(i, expected.shape)}]) is ${a}, expected ${e} ` +
          `(|diff| ${Math.abs(a - e)} > atol ${tol.atol} + rtol ${tol.rtol} * |expected|)`,
      );
    }
  }
}

/** Flat row-major position → multi-index. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}
