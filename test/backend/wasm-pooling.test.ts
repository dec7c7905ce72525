/**
 * The wasm backend's pooling kernels beyond 2-D max / average (3-D max and average, adaptive max,
 * the shared max-pooling backward, max unpooling) against the cpu reference, bit for bit, in
 * float32 and float64, on random inputs (NaN and ±Infinity included) over awkward geometries,
 * with the freed memory the outputs land in first filled with garbage. Also proves the routes
 * that keep WebAssembly kernels: the float32 max-pooling backward runs maxpool2d_backward_f32,
 * and 1-D pooling runs the 2-D SIMD kernels with H = 1.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import type { AdaptiveWindow2d, Backend, DType, Storage, TypedArray, Window3d } from "../../src/backend/types.js";
import { cpuBackend } from "../../src/backend/cpu/index.js";
import { WasmBackend } from "../../src/backend/wasm/index.js";
import { instantiateKernels, type KernelExports } from "../../src/backend/wasm/module.js";
import { poolOutputSize } from "../../src/ops/window.js";
import { Tensor } from "../../src/tensor/tensor.js";
import { avgPool1d, maxPool1dWithIndices } from "../../src/ops/pool1d.js";
import { maxPool3dWithIndices } from "../../src/ops/pool3d.js";

const cpu: Backend = cpuBackend;

// ---- a wasm backend that counts calls into its WebAssembly exports ------------------------------

const calls = new Map<string, number>();

function countingBackend(): WasmBackend {
  const loaded = instantiateKernels();
  const spied: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(loaded.exports as unknown as Record<string, unknown>)) {
    spied[name] =
      typeof value === "function"
        ? (...args: unknown[]) => {
            calls.set(name, (calls.get(name) ?? 0) + 1);
            return (value as (...a: unknown[]) => unknown)(...args);
          }
        : value;
  }
  return new WasmBackend({ ...loaded, exports: spied as unknown as KernelExports });
}

function callsDuring(kernel: string, body: () => void): number {
  const before = calls.get(kernel) ?? 0;
  body();
  return (calls.get(kernel) ?? 0) - before;
}

const wasm = countingBackend();

// ---- data and comparison -------------------------------------------------------------------------

/** mulberry32. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** Mostly normal values, some exact ties, a few NaN / ±Infinity when `special`. */
function values(r: () => number, n: number, special: boolean): number[] {
  return Array.from({ length: n }, () => {
    const u = r();
    if (special && u < 0.04) return NaN;
    if (special && u < 0.07) return u < 0.055 ? Infinity : -Infinity;
    if (u < 0.15) return Math.floor(r() * 3);
    return (r() * 2 - 1) * 10;
  });
}

function bits(a: TypedArray): Uint32Array | BigUint64Array {
  return a instanceof Float64Array ? new BigUint64Array(a.buffer, a.byteOffset, a.length) : new Uint32Array(a.buffer, a.byteOffset, a.length);
}

/** Same dtype, length and bits (any NaN matches any NaN where the kernel does arithmetic). */
function assertSameBits(got: Storage, want: Storage, what: string, arithmetic = false): void {
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  const g = wasm.read(got);
  const w = cpu.read(want);
  assert.equal(g.length, w.length, `${what}: length`);
  const gb = bits(g);
  const wb = bits(w);
  for (let i = 0; i < gb.length; i++) {
    if (gb[i] !== wb[i] && !(arithmetic && Number.isNaN(g[i]) && Number.isNaN(w[i]))) assert.fail(`${what}: element ${i} differs: wasm ${g[i]} vs cpu ${w[i]}`);
  }
}

/** Freed blocks of these element counts full of garbage, so an output the kernel fails to fill (or zero) shows. */
function dirty(dtype: DType, ...sizes: number[]): void {
  for (const n of sizes) wasm.memory.release(wasm.fromArray(new Array<number>(n).fill(-12345.5), dtype));
}

function both(data: number[], dtype: DType): { c: Storage; w: Storage } {
  return { c: cpu.fromArray(data, dtype), w: wasm.fromArray(data, dtype) };
}

// ---- geometries ----------------------------------------------------------------------------------

function window3d(r: () => number): Window3d | null {
  const k = [int(r, 1, 3), int(r, 1, 3), int(r, 1, 3)];
  const inS = [int(r, 1, 6), int(r, 1, 7), int(r, 1, 9)];
  const s = [int(r, 1, 4), int(r, 1, 4), int(r, 1, 4)];
  const p = k.map((kk) => int(r, 0, Math.floor(kk / 2)));
  const d = [1, 2, 3].map(() => (r() < 0.25 ? 2 : 1));
  const ceil = r() < 0.5;
  if (inS.some((n, i) => d[i] * (k[i] - 1) + 1 > n + 2 * p[i])) return null;
  const out = inS.map((n, i) => poolOutputSize(n, k[i], s[i], p[i], d[i], ceil, "test"));
  return {
    batch: int(r, 1, 2), channels: int(r, 1, 3), inD: inS[0], inH: inS[1], inW: inS[2],
    kernelD: k[0], kernelH: k[1], kernelW: k[2], strideD: s[0], strideH: s[1], strideW: s[2],
    padFront: p[0], padTop: p[1], padLeft: p[2], dilationD: d[0], dilationH: d[1], dilationW: d[2],
    outD: out[0], outH: out[1], outW: out[2],
  };
}

function windows3d(count: number, seed: number): Window3d[] {
  const r = rng(seed);
  const out: Window3d[] = [];
  while (out.length < count) {
    const w = window3d(r);
    if (w) out.push(w);
  }
  return out;
}

const vol = (w: Window3d) => w.batch * w.channels * w.inD * w.inH * w.inW;
const outVol = (w: Window3d) => w.batch * w.channels * w.outD * w.outH * w.outW;
const show = (w: Window3d) => `in ${w.inD}x${w.inH}x${w.inW} k ${w.kernelD}${w.kernelH}${w.kernelW} s ${w.strideD}${w.strideH}${w.strideW} p ${w.padFront}${w.padTop}${w.padLeft} d ${w.dilationD}${w.dilationH}${w.dilationW}`;

for (const dtype of ["float32", "float64"] as const) {
  describe(`wasm pooling kernels (${dtype}) match the cpu reference bit for bit`, () => {
    test("maxPool3d values and indices, and maxPoolBackward", () => {
      const r = rng(dtype === "float32" ? 1 : 2);
      for (const w of windows3d(60, dtype === "float32" ? 31 : 32)) {
        const x = both(values(r, vol(w), true), dtype);
        dirty(dtype, outVol(w));
        const got = wasm.maxPool3d(x.w, w);
        const want = cpu.maxPool3d(x.c, w);
        assertSameBits(got.out, want.out, `maxPool3d ${show(w)}`);
        assertSameBits(got.indices, want.indices, `maxPool3d indices ${show(w)}`);
        const g = both(values(r, outVol(w), false), dtype);
        dirty(dtype, vol(w));
        const planes = w.batch * w.channels;
        const volume = w.inD * w.inH * w.inW;
        let back!: Storage;
        const n = callsDuring("maxpool2d_backward_f32", () => (back = wasm.maxPoolBackward(g.w, got.indices, planes, volume)));
        assert.equal(n, dtype === "float32" ? 1 : 0, "float32 runs the WebAssembly plane scatter, float64 the reference");
        assertSameBits(back, cpu.maxPoolBackward(g.c, want.indices, planes, volume), `maxPoolBackward ${show(w)}`, true);
      }
    });

    test("avgPool3d and its backward, with and without countIncludePad and divisorOverride", () => {
      const r = rng(dtype === "float32" ? 3 : 4);
      const divisors = [null, null, 3, -2] as const;
      windows3d(60, dtype === "float32" ? 41 : 42).forEach((w0, i) => {
        const w = { ...w0, dilationD: 1, dilationH: 1, dilationW: 1 };
        w.outD = poolOutputSize(w.inD, w.kernelD, w.strideD, w.padFront, 1, i % 2 === 0, "test");
        w.outH = poolOutputSize(w.inH, w.kernelH, w.strideH, w.padTop, 1, i % 2 === 0, "test");
        w.outW = poolOutputSize(w.inW, w.kernelW, w.strideW, w.padLeft, 1, i % 2 === 0, "test");
        const include = i % 3 !== 0;
        const divisor = divisors[i % 4];
        const x = both(values(r, vol(w), i % 5 === 0), dtype);
        dirty(dtype, outVol(w));
        assertSameBits(wasm.avgPool3d(x.w, w, include, divisor), cpu.avgPool3d(x.c, w, include, divisor), `avgPool3d ${show(w)}`, true);
        const g = both(values(r, outVol(w), false), dtype);
        dirty(dtype, vol(w));
        assertSameBits(wasm.avgPool3dBackward(g.w, w, include, divisor), cpu.avgPool3dBackward(g.c, w, include, divisor), `avgPool3dBackward ${show(w)}`, true);
      });
    });

    test("adaptiveMaxPool2d and maxUnpool (a later duplicate index overwrites)", () => {
      const r = rng(dtype === "float32" ? 5 : 6);
      for (let i = 0; i < 40; i++) {
        const w: AdaptiveWindow2d = { batch: int(r, 1, 2), channels: int(r, 1, 3), inH: int(r, 1, 9), inW: int(r, 1, 11), outH: int(r, 1, 7), outW: int(r, 1, 8) };
        const n = w.batch * w.channels * w.inH * w.inW;
        const m = w.batch * w.channels * w.outH * w.outW;
        const x = both(values(r, n, true), dtype);
        dirty(dtype, m);
        const got = wasm.adaptiveMaxPool2d(x.w, w);
        const want = cpu.adaptiveMaxPool2d(x.c, w);
        assertSameBits(got.out, want.out, `adaptiveMaxPool2d ${JSON.stringify(w)}`);
        assertSameBits(got.indices, want.indices, `adaptiveMaxPool2d indices ${JSON.stringify(w)}`);
        const v = both(values(r, m, true), dtype);
        dirty(dtype, n);
        assertSameBits(wasm.maxUnpool(v.w, got.indices, w.batch * w.channels, w.inH * w.inW), cpu.maxUnpool(v.c, want.indices, w.batch * w.channels, w.inH * w.inW), "maxUnpool");
      }
    });

    test("maxUnpool refuses an index outside the output plane", () => {
      const x = both([1, 2, 3, 4], dtype);
      const idx = both([0, 3, 9, 1], "int32");
      assert.throws(() => wasm.maxUnpool(x.w, idx.w, 1, 9), /index 9 at position 2 is outside an output plane of 9 elements/);
      assert.throws(() => cpu.maxUnpool(x.c, idx.c, 1, 9), /index 9 at position 2/);
    });
  });
}

describe("1-D pooling on the wasm backend runs the 2-D WebAssembly kernels (H = 1)", () => {
  test("maxPool1d / avgPool1d float32 reach maxpool2d_f32 / avgpool2d_f32 and equal the cpu backend", () => {
    const r = rng(9);
    const data = values(r, 2 * 3 * 17, true);
    const onWasm = new Tensor(wasm.fromArray(data, "float32"), [2, 3, 17]);
    const onCpu = new Tensor(cpu.fromArray(data, "float32"), [2, 3, 17]);
    const o = { stride: 2, padding: 1, dilation: 2, ceilMode: true };
    let got!: { out: Tensor; indices: Tensor };
    assert.equal(callsDuring("maxpool2d_planes_f32", () => (got = maxPool1dWithIndices(onWasm, 3, o))), 1);
    const want = maxPool1dWithIndices(onCpu, 3, o);
    assertSameBits(got.out.storage, want.out.storage, "maxPool1d");
    assertSameBits(got.indices.storage, want.indices.storage, "maxPool1d indices");
    let avg!: Tensor;
    assert.equal(callsDuring("avgpool2d_f32", () => (avg = avgPool1d(onWasm, 4, { stride: 3, padding: 2, countIncludePad: false }))), 1);
    assertSameBits(avg.storage, avgPool1d(onCpu, 4, { stride: 3, padding: 2, countIncludePad: false }).storage, "avgPool1d", true);
  });

  test("maxPool3d's gradient on float32 runs the WebAssembly plane scatter", () => {
    const data = values(rng(10), 2 * 2 * 3 * 4 * 5, false);
    const x = new Tensor(wasm.fromArray(data, "float32"), [2, 2, 3, 4, 5]).requiresGrad_();
    const { out } = maxPool3dWithIndices(x, 2, { stride: 1 });
    assert.equal(callsDuring("maxpool2d_backward_f32", () => out.sum().backward()), 1);
    const xc = new Tensor(cpu.fromArray(data, "float32"), [2, 2, 3, 4, 5]).requiresGrad_();
    maxPool3dWithIndices(xc, 2, { stride: 1 }).out.sum().backward();
    assertSameBits(x.grad!.storage, xc.grad!.storage, "maxPool3d gradient");
  });
});
