/**
 * The wasm backend's movement, indexing, im2col/col2im and pooling kernels against the cpu
 * reference, bit for bit, on random inputs over a grid of awkward geometries: odd sizes, strides
 * larger than the kernel, dilation, symmetric and asymmetric padding, 1-element dims, widths that
 * are not multiples of 4, NaN / ±Infinity / -0 and ties.
 *
 * Both builds of the kernels run every suite: the relaxed-SIMD one this engine picks and the
 * plain-SIMD one other engines fall back to. The backends under test count calls into their
 * WebAssembly exports, so each test also proves that the float32 (and bit-moving int32) cases
 * reach a WebAssembly kernel rather than the reference fallback.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import type { Backend, DType, Storage, StridedView, TypedArray, Window2d } from "../../src/backend/types.js";
import { cpuBackend } from "../../src/backend/cpu/index.js";
import { WasmBackend } from "../../src/backend/wasm/index.js";
import { instantiateKernels, type KernelExports, type LoadedKernels } from "../../src/backend/wasm/module.js";
import { SIMD_WASM } from "../../src/backend/wasm/kernels.generated.js";
import { contiguousStrides } from "../../src/backend/layout.js";
import { convOutputSize, poolOutputSize } from "../../src/ops/window.js";

// ---- wasm backends that count kernel calls ----------------------------------------------------

const calls = new Map<string, number>();

/** The plain-SIMD build, which engines without relaxed SIMD run (this one would pick the other). */
function plainSimdKernels(): LoadedKernels {
  const bytes = Uint8Array.from(atob(SIMD_WASM), (c) => c.charCodeAt(0));
  const module = new WebAssembly.Module(bytes);
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 32768, shared: true });
  const abort = () => {
    throw new Error("wasm kernel aborted");
  };
  const instance = new WebAssembly.Instance(module, { env: { memory, abort } });
  return { module, memory, exports: instance.exports as unknown as KernelExports, relaxed: false };
}

function countingBackend(loaded: LoadedKernels): WasmBackend {
  const raw = loaded.exports as unknown as Record<string, unknown>;
  const spied: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
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

const cpu: Backend = cpuBackend;

/** Runs `body` and asserts it called the WebAssembly export `kernel` (at least `times` times). */
function expectKernel<T>(kernel: string, body: () => T, times = 1): T {
  const before = calls.get(kernel) ?? 0;
  const result = body();
  const made = (calls.get(kernel) ?? 0) - before;
  assert.ok(made >= times, `expected ${times} call(s) of the wasm kernel ${kernel}, got ${made}`);
  return result;
}

/** Runs `body` and asserts it called none of the given WebAssembly exports (the fallback ran). */
function expectNoKernel<T>(kernels: string[], body: () => T): T {
  const before = kernels.map((k) => calls.get(k) ?? 0);
  const result = body();
  kernels.forEach((k, i) => assert.equal(calls.get(k) ?? 0, before[i], `the ${k} kernel ran for a case it does not serve`));
  return result;
}

// ---- random data --------------------------------------------------------------------------------

/** mulberry32: small, seeded, good enough for test data. */
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
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

type Flavour = "normal" | "ties" | "special";

/**
 * Values of one flavour: "normal" (continuous, both signs, varied magnitudes), "ties" (a few
 * small integers and both zeros, so equal maxima are common) or "special" (normal values with
 * NaN, ±Infinity and -0 mixed in).
 */
function values(r: () => number, n: number, flavour: Flavour): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (flavour === "ties") out[i] = pick(r, [-2, -1, -0, 0, 0, 1, 2, 2]);
    else {
      const u = r();
      out[i] = (r() * 2 - 1) * (u < 0.1 ? 1e-3 : u < 0.9 ? 1 : 1e4);
      if (flavour === "special") {
        const s = r();
        if (s < 0.06) out[i] = NaN;
        else if (s < 0.1) out[i] = Infinity;
        else if (s < 0.14) out[i] = -Infinity;
        else if (s < 0.18) out[i] = -0;
      }
    }
  }
  return out;
}

// ---- comparing ----------------------------------------------------------------------------------

function bits(a: TypedArray): Uint32Array | BigUint64Array {
  return a instanceof Float64Array ? new BigUint64Array(a.buffer, a.byteOffset, a.length) : new Uint32Array(a.buffer, a.byteOffset, a.length);
}

const describeWindow = (w: Window2d) =>
  `N${w.batch} C${w.channels} in ${w.inH}x${w.inW} k ${w.kernelH}x${w.kernelW} s ${w.strideH},${w.strideW} p ${w.padTop},${w.padLeft} d ${w.dilationH},${w.dilationW} out ${w.outH}x${w.outW}`;

// ---- geometries ---------------------------------------------------------------------------------

/** A convolution window (padding may differ between the two sides of an axis). */
function convWindow(batch: number, channels: number, inH: number, inW: number, kH: number, kW: number, sH: number, sW: number, pads: [number, number, number, number], dH: number, dW: number): Window2d | null {
  const [pt, pb, pl, pr] = pads;
  if (dH * (kH - 1) + 1 > inH + pt + pb || dW * (kW - 1) + 1 > inW + pl + pr) return null;
  return {
    batch, channels, inH, inW, kernelH: kH, kernelW: kW, strideH: sH, strideW: sW, padTop: pt, padLeft: pl, dilationH: dH, dilationW: dW,
    outH: convOutputSize(inH, kH, sH, pt, pb, dH, "test"),
    outW: convOutputSize(inW, kW, sW, pl, pr, dW, "test"),
  };
}

/** A pooling window (symmetric padding <= kernel/2, optional ceil mode), as ops/pool.ts builds it. */
function poolWindow(batch: number, channels: number, inH: number, inW: number, kH: number, kW: number, sH: number, sW: number, pH: number, pW: number, dH: number, dW: number, ceil: boolean): Window2d | null {
  if (pH > Math.floor(kH / 2) || pW > Math.floor(kW / 2)) return null;
  if (dH * (kH - 1) + 1 > inH + 2 * pH || dW * (kW - 1) + 1 > inW + 2 * pW) return null;
  return {
    batch, channels, inH, inW, kernelH: kH, kernelW: kW, strideH: sH, strideW: sW, padTop: pH, padLeft: pW, dilationH: dH, dilationW: dW,
    outH: poolOutputSize(inH, kH, sH, pH, dH, ceil, "test"),
    outW: poolOutputSize(inW, kW, sW, pW, dW, ceil, "test"),
  };
}

/** LeNet-5 on MNIST at batch 64, plus fixed awkward cases, then random draws from the grid. */
function convWindows(count: number, seed: number): Window2d[] {
  const fixed: (Window2d | null)[] = [
    convWindow(64, 1, 28, 28, 5, 5, 1, 1, [2, 2, 2, 2], 1, 1), // LeNet conv1
    convWindow(64, 6, 14, 14, 5, 5, 1, 1, [0, 0, 0, 0], 1, 1), // LeNet conv2
    convWindow(1, 1, 1, 1, 1, 1, 1, 1, [0, 0, 0, 0], 1, 1),
    convWindow(1, 1, 1, 1, 3, 3, 1, 1, [1, 1, 1, 1], 1, 1),
    convWindow(3, 5, 1, 9, 1, 3, 1, 2, [0, 0, 1, 2], 1, 2),
    convWindow(3, 3, 9, 1, 3, 1, 2, 1, [2, 1, 0, 0], 2, 1),
    convWindow(1, 3, 13, 37, 3, 3, 2, 2, [1, 1, 1, 1], 1, 1), // stride 2, wide enough for the SIMD stride-2 path
    convWindow(3, 1, 7, 33, 2, 5, 1, 1, [0, 1, 2, 0], 2, 2),
    convWindow(1, 5, 6, 6, 2, 2, 5, 5, [0, 0, 0, 0], 1, 1), // stride > kernel
    convWindow(1, 1, 3, 3, 3, 3, 1, 1, [2, 2, 2, 2], 1, 1), // rows made of padding only
    convWindow(1, 1, 2, 2, 1, 1, 1, 1, [3, 3, 3, 3], 1, 1), // windows entirely in the padding
  ];
  const out = fixed.filter((w): w is Window2d => w !== null);
  const r = rng(seed);
  while (out.length < count) {
    const w = convWindow(
      pick(r, [1, 3]), pick(r, [1, 3, 5]), int(r, 1, 12), int(r, 1, 19), int(r, 1, 5), int(r, 1, 5), int(r, 1, 4), int(r, 1, 4),
      [int(r, 0, 2), int(r, 0, 2), int(r, 0, 2), int(r, 0, 2)], pick(r, [1, 1, 2]), pick(r, [1, 1, 2]),
    );
    if (w) out.push(w);
  }
  return out;
}

function poolWindows(count: number, seed: number, dilation: boolean): Window2d[] {
  const fixed: (Window2d | null)[] = [
    poolWindow(64, 6, 28, 28, 2, 2, 2, 2, 0, 0, 1, 1, false), // LeNet pool1
    poolWindow(64, 16, 10, 10, 2, 2, 2, 2, 0, 0, 1, 1, false), // LeNet pool2
    poolWindow(3, 5, 9, 11, 2, 2, 2, 2, 0, 0, 1, 1, false), // 2x2 fast path, odd sizes (last row/column unused)
    poolWindow(3, 5, 9, 11, 2, 2, 2, 2, 0, 0, 1, 1, true), // the same in ceil mode: partial windows
    poolWindow(1, 3, 2, 2, 2, 2, 2, 2, 0, 0, 1, 1, false),
    poolWindow(1, 1, 4, 18, 2, 2, 2, 2, 0, 0, 1, 1, false),
    poolWindow(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, false),
    poolWindow(3, 1, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1, true),
    poolWindow(1, 3, 5, 13, 4, 2, 5, 3, 2, 1, 1, 1, false), // stride > kernel
    poolWindow(3, 1, 2, 9, 2, 3, 1, 2, 1, 1, 1, 1, true),
    poolWindow(1, 3, 9, 37, 3, 3, 1, 1, 1, 1, 1, 1, false), // wide rows: groups of four at stride 1
    poolWindow(3, 2, 11, 41, 3, 3, 2, 2, 1, 1, 1, 1, true), // ... and at stride 2
    poolWindow(1, 2, 6, 30, 2, 4, 1, 2, 0, 2, 1, 1, false),
  ];
  if (dilation) {
    fixed.push(poolWindow(1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 2, 2, false)); // the only window is all padding
    fixed.push(poolWindow(3, 3, 1, 5, 2, 2, 1, 1, 1, 1, 2, 2, true));
    fixed.push(poolWindow(1, 5, 9, 7, 3, 3, 2, 1, 1, 1, 2, 2, false));
    fixed.push(poolWindow(1, 2, 7, 40, 3, 3, 2, 2, 1, 1, 2, 2, false));
    fixed.push(poolWindow(3, 1, 5, 29, 2, 3, 1, 1, 1, 1, 2, 2, true));
  }
  const out = fixed.filter((w): w is Window2d => w !== null);
  const r = rng(seed);
  while (out.length < count) {
    const kH = int(r, 1, 4), kW = int(r, 1, 4);
    const w = poolWindow(
      pick(r, [1, 3]), pick(r, [1, 3, 5]), int(r, 1, 12), int(r, 1, 19), kH, kW, int(r, 1, 5), int(r, 1, 5),
      int(r, 0, Math.floor(kH / 2)), int(r, 0, Math.floor(kW / 2)),
      dilation ? pick(r, [1, 1, 2]) : 1, dilation ? pick(r, [1, 1, 2]) : 1, r() < 0.5,
    );
    if (w) out.push(w);
  }
  return out;
}

const inSize = (w: Window2d) => w.batch * w.channels * w.inH * w.inW;
const outSize = (w: Window2d) => w.batch * w.channels * w.outH * w.outW;
const colsSize = (w: Window2d) => w.channels * w.kernelH * w.kernelW * w.batch * w.outH * w.outW;

/** Every suite below, against one build of the kernels. */
function suites(label: string, wasm: WasmBackend): void {
  /**
   * The two storages hold the same dtype, length and bits. `arithmetic`: the kernel adds or
   * divides, and a NaN may come out of two NaNs (Infinity - Infinity meeting a NaN input); which
   * of the two payloads such an operation returns is left open by IEEE 754 and JavaScript alike
   * (V8 picks by register allocation, so even the cpu reference varies), so there any NaN matches
   * any NaN. Every other bit, the sign of zero included, must still agree.
   */
  function assertSameBits(got: Storage, want: Storage, what: string, arithmetic = false): void {
    assert.equal(got.dtype, want.dtype, `${what}: dtype`);
    const g = wasm.read(got);
    const w = cpu.read(want);
    assert.equal(g.length, w.length, `${what}: length`);
    const gb = bits(g), wb = bits(w);
    for (let i = 0; i < gb.length; i++) {
      if (gb[i] !== wb[i] && !(arithmetic && Number.isNaN(g[i]) && Number.isNaN(w[i]))) assert.fail(`${what}: element ${i} differs: wasm ${g[i]} (0x${gb[i].toString(16)}) vs cpu ${w[i]} (0x${wb[i].toString(16)})`);
    }
  }

  /**
   * Leaves freed blocks full of garbage for the next allocations of these sizes (the heap recycles
   * blocks by size, last freed first), so a kernel that skips a cell of its output fails.
   */
  function dirty(...sizes: number[]): void {
    for (const n of sizes.reverse()) wasm.memory.release(wasm.fromArray(new Float32Array(n).fill(-12345.5), "float32"));
  }

  /** The same values as a storage of each backend. */
  function both(data: ArrayLike<number>, dtype: DType): { c: Storage; w: Storage } {
    return { c: cpu.fromArray(data, dtype), w: wasm.fromArray(data, dtype) };
  }

  // ---- convolution unfolding ----------------------------------------------------------------------

  describe(`${label}: wasm im2col / col2im match the cpu reference bit for bit`, () => {
    const windows = convWindows(220, 11);

    test("im2col over the geometry grid", () => {
      const r = rng(1);
      for (const w of windows) {
        const x = both(values(r, inSize(w), "special"), "float32");
        const got = expectKernel("im2col_f32", () => (dirty(colsSize(w)), wasm.im2col(x.w, w)));
        assertSameBits(got, cpu.im2col(x.c, w), `im2col ${describeWindow(w)}`);
      }
    });

    test("im2col writes every column cell (no stale memory under padding)", () => {
      const w = convWindow(3, 3, 5, 7, 3, 3, 2, 1, [2, 1, 1, 2], 1, 2)!;
      const x = both(values(rng(2), inSize(w), "normal"), "float32");
      const got = expectKernel("im2col_f32", () => (dirty(colsSize(w)), wasm.im2col(x.w, w)));
      assert.ok(!Array.from(wasm.read(got)).includes(-12345.5), "a cell kept the recycled block's old value");
      assertSameBits(got, cpu.im2col(x.c, w), `im2col ${describeWindow(w)}`);
    });

    test("col2im over the geometry grid (overlapping windows add up in the reference order)", () => {
      const r = rng(3);
      for (const w of windows) {
        const cols = both(values(r, colsSize(w), r() < 0.8 ? "normal" : "special"), "float32");
        const got = expectKernel("col2im_f32", () => (dirty(inSize(w)), wasm.col2im(cols.w, w)));
        assertSameBits(got, cpu.col2im(cols.c, w), `col2im ${describeWindow(w)}`, true);
      }
    });

    test("float64 falls back to the reference kernels", () => {
      const w = convWindows(3, 5)[2];
      const x = both(values(rng(4), inSize(w), "normal"), "float64");
      const cols = expectNoKernel(["im2col_f32"], () => wasm.im2col(x.w, w));
      assertSameBits(cols, cpu.im2col(x.c, w), "im2col float64");
      const c = both(values(rng(5), colsSize(w), "normal"), "float64");
      assertSameBits(expectNoKernel(["col2im_f32"], () => wasm.col2im(c.w, w)), cpu.col2im(c.c, w), "col2im float64");
    });
  });

  // ---- pooling ------------------------------------------------------------------------------------

  describe(`${label}: wasm pooling matches the cpu reference bit for bit`, () => {
    const maxWindows = poolWindows(260, 21, true);
    const avgWindows = poolWindows(260, 22, false);
    const flavours: Flavour[] = ["normal", "ties", "special"];

    test("maxPool2d values and indices (ties: first max; NaN wins; padding never wins)", () => {
      const r = rng(6);
      let sawNoWinner = false;
      for (const w of maxWindows) {
        for (const flavour of flavours) {
          const x = both(values(r, inSize(w), flavour), "float32");
          const got = expectKernel("maxpool2d_planes_f32", () => (dirty(outSize(w), outSize(w)), wasm.maxPool2d(x.w, w)));
          const want = cpu.maxPool2d(x.c, w);
          assertSameBits(got.out, want.out, `maxPool2d ${flavour} ${describeWindow(w)}`);
          assertSameBits(got.indices, want.indices, `maxPool2d indices ${flavour} ${describeWindow(w)}`);
          if (wasm.read(got.indices).includes(-1)) sawNoWinner = true;
        }
      }
      assert.ok(sawNoWinner, "the grid should hold an all-padding window (index -1)");
    });

    test("maxPool2d 2x2 stride 2 with NaN placed in every cell pattern", () => {
      // One 2x4 image per pattern of NaN among the four cells of each window, both windows alike.
      const w = poolWindow(16, 1, 2, 8, 2, 2, 2, 2, 0, 0, 1, 1, false)!;
      const data = new Float32Array(inSize(w));
      for (let p = 0; p < 16; p++) {
        for (let cell = 0; cell < 16; cell++) {
          const h = cell >> 3, col = cell & 7;
          const k = ((col & 1) | (h << 1)); // position in the 2x2 window
          data[p * 16 + cell] = (p >> k) & 1 ? NaN : (cell * 7) % 5;
        }
      }
      const x = both(data, "float32");
      const got = expectKernel("maxpool2d_planes_f32", () => wasm.maxPool2d(x.w, w));
      const want = cpu.maxPool2d(x.c, w);
      assertSameBits(got.out, want.out, "maxPool2d NaN patterns");
      assertSameBits(got.indices, want.indices, "maxPool2d NaN pattern indices");
    });

    test("maxPool2d quiets a signalling NaN winner as the reference does (its winner is a JavaScript number)", () => {
      const bits = new Uint32Array(2 * 8 * 12);
      const r = rng(26);
      const vals = values(r, bits.length, "normal");
      bits.set(new Uint32Array(vals.buffer));
      for (let i = 0; i < bits.length; i += 5) bits[i] = i % 2 ? 0x7f800001 + i : 0xff812345; // signalling NaNs
      const data = new Float32Array(bits.buffer);
      for (const w of [
        poolWindow(1, 2, 8, 12, 2, 2, 2, 2, 0, 0, 1, 1, false)!, // the 2x2 fast path
        poolWindow(1, 2, 8, 12, 3, 3, 1, 1, 1, 1, 1, 1, false)!, // groups of eight and single windows
        poolWindow(2, 1, 8, 12, 3, 3, 2, 2, 1, 1, 1, 1, true)!,
      ]) {
        const x = both(data, "float32");
        const got = expectKernel("maxpool2d_planes_f32", () => wasm.maxPool2d(x.w, w));
        const want = cpu.maxPool2d(x.c, w);
        assertSameBits(got.out, want.out, `maxPool2d signalling NaN ${describeWindow(w)}`);
        assertSameBits(got.indices, want.indices, `maxPool2d signalling NaN indices ${describeWindow(w)}`);
      }
    });

    test("maxPool2dBackward routes gradients by index (repeated winners add up, index -1 is skipped)", () => {
      const r = rng(7);
      for (const w of maxWindows) {
        const x = both(values(r, inSize(w), "ties"), "float32");
        const idxC = cpu.maxPool2d(x.c, w).indices;
        const idxW = wasm.fromArray(cpu.read(idxC), "int32");
        const g = both(values(r, outSize(w), "normal"), "float32");
        const got = expectKernel("maxpool2d_backward_planes_f32", () => (dirty(inSize(w)), wasm.maxPool2dBackward(g.w, idxW, w)));
        assertSameBits(got, cpu.maxPool2dBackward(g.c, idxC, w), `maxPool2dBackward ${describeWindow(w)}`);
      }
    });

    test("maxPool2dBackward refuses an index outside the plane instead of writing into another one", () => {
      const w = poolWindow(1, 2, 4, 4, 2, 2, 2, 2, 0, 0, 1, 1, false)!;
      const g = wasm.fromArray([1, 2, 3, 4, 5, 6, 7, 8], "float32");
      const idx = wasm.fromArray([0, 2, 8, 10, 0, 16, 8, 10], "int32");
      assert.throws(() => wasm.maxPool2dBackward(g, idx, w), /index 16 at position 5/);
    });

    for (const include of [true, false]) {
      test(`avgPool2d forward, countIncludePad ${include}`, () => {
        const r = rng(include ? 8 : 9);
        for (const w of avgWindows) {
          for (const flavour of flavours) {
            const x = both(values(r, inSize(w), flavour), "float32");
            const got = expectKernel("avgpool2d_f32", () => (dirty(outSize(w)), wasm.avgPool2d(x.w, w, include)));
            assertSameBits(got, cpu.avgPool2d(x.c, w, include), `avgPool2d ${flavour} ${describeWindow(w)}`, true);
          }
        }
      });

      test(`avgPool2d backward, countIncludePad ${include}`, () => {
        const r = rng(include ? 10 : 12);
        for (const w of avgWindows) {
          for (const flavour of ["normal", "special"] as Flavour[]) {
            const g = both(values(r, outSize(w), flavour), "float32");
            const got = expectKernel("avgpool2d_backward_f32", () => (dirty(inSize(w)), wasm.avgPool2dBackward(g.w, w, include)));
            assertSameBits(got, cpu.avgPool2dBackward(g.c, w, include), `avgPool2dBackward ${flavour} ${describeWindow(w)}`, true);
          }
        }
      });
    }

    test("avgPool2d keeps the double-precision sum and divisor of the reference", () => {
      // Values whose float32 sum would round differently: 1 + 2^-24 + 2^-24 + 2^-24.
      const w = poolWindow(1, 1, 2, 8, 2, 2, 2, 2, 0, 0, 1, 1, false)!;
      const e = 2 ** -24;
      const x = both([1, e, 1, e, 3, e, -0, -0, e, e, 1, e, 1, e, -0, -0], "float32");
      const got = expectKernel("avgpool2d_f32", () => wasm.avgPool2d(x.w, w, true));
      assertSameBits(got, cpu.avgPool2d(x.c, w, true), "avgPool2d double sum");
      assert.ok(Object.is(wasm.read(got)[3], 0), "an all -0 window averages to +0 as the reference's sum starts at +0");
      const g = both([-0, 3, 1e-45, -7], "float32");
      const back = expectKernel("avgpool2d_backward_f32", () => wasm.avgPool2dBackward(g.w, w, true));
      assertSameBits(back, cpu.avgPool2dBackward(g.c, w, true), "avgPool2dBackward");
      assert.ok(Object.is(wasm.read(back)[0], 0), "-0 / 4 added to +0 is +0");
      const narrow = poolWindow(1, 1, 2, 6, 2, 2, 2, 2, 0, 0, 1, 1, false)!; // fewer than four outputs a row
      const gn = both([-0, 5, -0], "float32");
      const backN = expectKernel("avgpool2d_backward_f32", () => (dirty(inSize(narrow)), wasm.avgPool2dBackward(gn.w, narrow, true)));
      assertSameBits(backN, cpu.avgPool2dBackward(gn.c, narrow, true), "avgPool2dBackward narrow");
      assert.ok(Object.is(wasm.read(backN)[0], 0), "-0 / 4 added to +0 is +0 in a narrow row too");
    });

    test("float64 pooling falls back to the reference kernels", () => {
      const w = poolWindows(6, 23, true)[5];
      const x = both(values(rng(13), inSize(w), "special"), "float64");
      const m = expectNoKernel(["maxpool2d_planes_f32"], () => wasm.maxPool2d(x.w, w));
      const want = cpu.maxPool2d(x.c, w);
      assertSameBits(m.out, want.out, "maxPool2d float64");
      assertSameBits(m.indices, want.indices, "maxPool2d float64 indices");
      assertSameBits(expectNoKernel(["avgpool2d_f32"], () => wasm.avgPool2d(x.w, w, false)), cpu.avgPool2d(x.c, w, false), "avgPool2d float64");
    });
  });

  // ---- strided copies -----------------------------------------------------------------------------

  /**
   * A random view into a contiguous base of `baseShape`: axes permuted, sliced with steps (some
   * reversed, with a negative stride), size-1 axes kept, broadcast axes (stride 0) inserted.
   */
  function randomView(r: () => number, baseShape: number[]): StridedView {
    const baseStrides = contiguousStrides(baseShape);
    let offset = 0;
    const axes: { size: number; stride: number }[] = [];
    baseShape.forEach((n, d) => {
      const step = pick(r, [1, 1, 1, 2, 3]);
      const start = int(r, 0, Math.max(0, n - 1));
      const len = Math.max(1, Math.ceil((n - start) / step) - int(r, 0, 1));
      const reverse = r() < 0.15;
      if (reverse) {
        offset += (start + (len - 1) * step) * baseStrides[d];
        axes.push({ size: len, stride: -step * baseStrides[d] });
      } else {
        offset += start * baseStrides[d];
        axes.push({ size: len, stride: step * baseStrides[d] });
      }
    });
    for (let i = axes.length - 1; i > 0; i--) {
      if (r() < 0.5) {
        const j = int(r, 0, i);
        [axes[i], axes[j]] = [axes[j], axes[i]];
      }
    }
    if (r() < 0.3) axes.splice(int(r, 0, axes.length), 0, { size: int(r, 1, 5), stride: 0 });
    if (r() < 0.2) axes.splice(int(r, 0, axes.length), 0, { size: 1, stride: int(r, 0, 9) });
    return { shape: axes.map((a) => a.size), strides: axes.map((a) => a.stride), offset };
  }

  /** Views the conv and shape ops make, and the corner cases of the collapsing walk. */
  function fixedViews(): { base: number; view: StridedView }[] {
    const N = 64, O = 6, L = 784;
    return [
      { base: O * N * L, view: { shape: [N, O, L], strides: [L, N * L, 1], offset: 0 } }, // conv forward [O,N,L] → [N,O,L]
      { base: N * O * L, view: { shape: [O, N, L], strides: [L, O * L, 1], offset: 0 } }, // conv backward
      { base: 35, view: { shape: [5, 7], strides: [1, 5], offset: 0 } }, // transpose
      { base: 7, view: { shape: [6, 7], strides: [0, 1], offset: 0 } }, // broadcast rows
      { base: 6, view: { shape: [6, 9], strides: [1, 0], offset: 0 } }, // broadcast the last axis
      { base: 1, view: { shape: [], strides: [], offset: 0 } }, // a scalar
      { base: 9, view: { shape: [1, 1, 1], strides: [4, 3, 2], offset: 5 } },
      { base: 40, view: { shape: [40], strides: [1], offset: 0 } },
      { base: 41, view: { shape: [3], strides: [-13], offset: 40 } },
      { base: 30, view: { shape: [2, 3, 5], strides: [15, 5, 1], offset: 0 } }, // collapses to one row
    ];
  }

  describe(`${label}: wasm strided copies match the cpu reference bit for bit`, () => {
    const dtypes: DType[] = ["float32", "int32"];

    for (const dtype of dtypes) {
      test(`copyStrided ${dtype}: permutes, slices, reversals, broadcasts`, () => {
        const r = rng(dtype === "float32" ? 14 : 15);
        const cases = fixedViews();
        while (cases.length < 400) {
          const rank = int(r, 1, 5);
          const baseShape = Array.from({ length: rank }, () => int(r, 1, rank > 3 ? 5 : 9));
          cases.push({ base: baseShape.reduce((a, b) => a * b, 1), view: randomView(r, baseShape) });
        }
        for (const { base, view } of cases) {
          const data = dtype === "float32" ? values(r, base, "special") : Int32Array.from({ length: base }, () => int(r, -2e9, 2e9));
          const x = both(data, dtype);
          const got = expectKernel("copy_strided_b32", () => (dirty(view.shape.reduce((a, b) => a * b, 1)), wasm.copyStrided(x.w, view)));
          assertSameBits(got, cpu.copyStrided(x.c, view), `copyStrided ${dtype} ${JSON.stringify(view)}`);
        }
      });

      test(`writeStrided ${dtype}: into slices, reversals and repeating (stride 0) views`, () => {
        const r = rng(dtype === "float32" ? 16 : 17);
        const cases = fixedViews().map(({ base, view }) => ({ base, view }));
        while (cases.length < 400) {
          const rank = int(r, 1, 5);
          const baseShape = Array.from({ length: rank }, () => int(r, 1, rank > 3 ? 5 : 9));
          cases.push({ base: baseShape.reduce((a, b) => a * b, 1), view: randomView(r, baseShape) });
        }
        for (const { base, view } of cases) {
          const n = view.shape.reduce((a, b) => a * b, 1);
          const make = (k: number) => (dtype === "float32" ? values(r, k, "special") : Int32Array.from({ length: k }, () => int(r, -2e9, 2e9)));
          const dst = both(make(base), dtype);
          const src = both(make(n), dtype);
          expectKernel("write_strided_b32", () => wasm.writeStrided(dst.w, view, src.w));
          cpu.writeStrided(dst.c, view, src.c);
          assertSameBits(dst.w, dst.c, `writeStrided ${dtype} ${JSON.stringify(view)}`);
        }
      });
    }

    test("empty views copy nothing", () => {
      const x = both([1, 2, 3], "float32");
      const view = { shape: [0, 3], strides: [3, 1], offset: 0 };
      assert.equal(wasm.copyStrided(x.w, view).size, 0);
      wasm.writeStrided(x.w, view, wasm.fromArray([], "float32"));
      assert.deepEqual(Array.from(wasm.read(x.w)), [1, 2, 3]);
    });

    test("float64 strided copies fall back to the reference kernels", () => {
      const r = rng(18);
      const view = randomView(r, [4, 5, 3]);
      const x = both(Float64Array.from({ length: 60 }, () => r()), "float64");
      assertSameBits(expectNoKernel(["copy_strided_b32"], () => wasm.copyStrided(x.w, view)), cpu.copyStrided(x.c, view), "copyStrided float64");
    });
  });

  // ---- indexing -----------------------------------------------------------------------------------

  interface IndexCase {
    outer: number;
    size: number;
    inner: number;
    m: number;
  }

  function indexCases(r: () => number): IndexCase[] {
    const cases: IndexCase[] = [
      { outer: 1, size: 600, inner: 784, m: 64 }, // a batch of MNIST images from a dataset
      { outer: 64, size: 10, inner: 1, m: 1 }, // cross-entropy's gather
      { outer: 1, size: 1, inner: 1, m: 1 },
      { outer: 3, size: 5, inner: 0, m: 4 },
    ];
    while (cases.length < 120) cases.push({ outer: int(r, 1, 5), size: int(r, 1, 9), inner: int(r, 1, 13), m: int(r, 0, 12) });
    return cases;
  }

  const indices = (r: () => number, n: number, size: number) => Int32Array.from({ length: n }, () => int(r, 0, size - 1));

  describe(`${label}: wasm indexing kernels match the cpu reference bit for bit`, () => {
    for (const dtype of ["float32", "int32"] as DType[]) {
      test(`indexSelect ${dtype} (repeated indices)`, () => {
        const r = rng(dtype === "float32" ? 19 : 20);
        for (const { outer, size, inner, m } of indexCases(r)) {
          const n = outer * size * inner;
          const x = both(dtype === "float32" ? values(r, n, "special") : Int32Array.from({ length: n }, () => int(r, -1e9, 1e9)), dtype);
          const idx = both(indices(r, m, size), "int32");
          const got = expectKernel("index_select_b32", () => (dirty(outer * m * inner), wasm.indexSelect(x.w, outer, size, inner, idx.w)));
          assertSameBits(got, cpu.indexSelect(x.c, outer, size, inner, idx.c), `indexSelect ${dtype} ${outer}x${size}x${inner} m ${m}`);
        }
      });

      test(`gather ${dtype}`, () => {
        const r = rng(dtype === "float32" ? 21 : 22);
        for (const { outer, size, inner, m } of indexCases(r)) {
          const n = outer * size * inner;
          const x = both(dtype === "float32" ? values(r, n, "special") : Int32Array.from({ length: n }, () => int(r, -1e9, 1e9)), dtype);
          const idx = both(indices(r, outer * m * inner, size), "int32");
          const got = expectKernel("gather_b32", () => (dirty(outer * m * inner), wasm.gather(x.w, outer, size, inner, idx.w, m)));
          assertSameBits(got, cpu.gather(x.c, outer, size, inner, idx.c, m), `gather ${dtype} ${outer}x${size}x${inner} m ${m}`);
        }
      });
    }

    test("indexAdd float32 (repeated indices add up in the reference order)", () => {
      const r = rng(23);
      for (const { outer, size, inner, m } of indexCases(r)) {
        if (outer * size * inner > 1e6) continue;
        const src = both(values(r, outer * m * inner, "normal"), "float32");
        const idx = both(indices(r, m, Math.min(size, 3)), "int32"); // few targets: many repeats
        const got = expectKernel("index_add_f32", () => (dirty(outer * size * inner), wasm.indexAdd(src.w, outer, size, inner, idx.w)));
        assertSameBits(got, cpu.indexAdd(src.c, outer, size, inner, idx.c), `indexAdd ${outer}x${size}x${inner} m ${m}`);
      }
    });

    test("scatterAdd float32 (repeated indices add up in the reference order)", () => {
      const r = rng(24);
      for (const { outer, size, inner, m } of indexCases(r)) {
        if (outer * size * inner > 1e6) continue;
        const src = both(values(r, outer * m * inner, r() < 0.8 ? "normal" : "special"), "float32");
        const idx = both(indices(r, outer * m * inner, Math.min(size, 3)), "int32");
        const got = expectKernel("scatter_add_f32", () => (dirty(outer * size * inner), wasm.scatterAdd(src.w, outer, size, inner, idx.w, m)));
        assertSameBits(got, cpu.scatterAdd(src.c, outer, size, inner, idx.c, m), `scatterAdd ${outer}x${size}x${inner} m ${m}`, true);
      }
    });

    test("int32 adds and float64 fall back to the reference kernels", () => {
      const r = rng(25);
      const idx = both(indices(r, 6, 4), "int32");
      const si = both(Int32Array.from({ length: 2 * 6 * 3 }, () => int(r, -9, 9)), "int32");
      assertSameBits(expectNoKernel(["index_add_f32"], () => wasm.indexAdd(si.w, 2, 4, 3, idx.w)), cpu.indexAdd(si.c, 2, 4, 3, idx.c), "indexAdd int32");
      const gi = both(indices(r, 2 * 6 * 3, 4), "int32");
      assertSameBits(expectNoKernel(["scatter_add_f32"], () => wasm.scatterAdd(si.w, 2, 4, 3, gi.w, 6)), cpu.scatterAdd(si.c, 2, 4, 3, gi.c, 6), "scatterAdd int32");
      const x = both(Float64Array.from({ length: 2 * 4 * 3 }, () => r()), "float64");
      assertSameBits(expectNoKernel(["index_select_b32"], () => wasm.indexSelect(x.w, 2, 4, 3, idx.w)), cpu.indexSelect(x.c, 2, 4, 3, idx.c), "indexSelect float64");
      assertSameBits(expectNoKernel(["gather_b32"], () => wasm.gather(x.w, 2, 4, 3, gi.w, 6)), cpu.gather(x.c, 2, 4, 3, gi.c, 6), "gather float64");
    });

    test("an index outside its axis is refused, never read or written out of bounds", () => {
      const x = wasm.fromArray([1, 2, 3, 4, 5, 6], "float32");
      const bad = wasm.fromArray([0, 2, -1], "int32");
      assert.throws(() => wasm.indexSelect(x, 1, 3, 2, bad), /index -1 at position 2 .* size 3/);
      assert.throws(() => wasm.indexAdd(x, 1, 3, 2, bad), /index -1 at position 2/);
      const far = wasm.fromArray([0, 1, 0, 1, 3, 0], "int32");
      assert.throws(() => wasm.gather(x, 1, 3, 2, far, 3), /index 3 at position 4/);
      assert.throws(() => wasm.scatterAdd(x, 1, 3, 2, far, 3), /index 3 at position 4/);
    });
  });
}

suites("relaxed-SIMD build", countingBackend(instantiateKernels()));
suites("plain-SIMD build", countingBackend(plainSimdKernels()));
