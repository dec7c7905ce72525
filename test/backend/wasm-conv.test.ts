/**
 * The wasm backend's fused convolution kernels (asm/conv.ts) against the cpu reference (im2col
 * over the batch + matrix products) on random float32 inputs, over awkward geometries: odd
 * sizes, stride larger than the kernel, dilation, asymmetric padding, groups and depthwise,
 * pointwise 1x1, 1-element dims, and layers wide enough to be cut into several row tiles.
 * Sums run in a different order than the reference, so results agree to rounding, scaled by
 * the length of each sum. On 2 threads the results equal the 1-thread ones bit for bit.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import type { Backend, Conv2dSpec } from "../../src/backend/types.js";
import { cpuBackend } from "../../src/backend/cpu/index.js";
import { WasmBackend } from "../../src/backend/wasm/index.js";
import { convOutputSize } from "../../src/ops/window.js";
import { Generator } from "../../src/random.js";

const gen = new Generator(11);
const randomArray = (n: number) => Float32Array.from({ length: n }, () => gen.normal());

interface Case {
  n: number; c: number; h: number; w: number; o: number; k: [number, number];
  stride?: [number, number]; pad?: [number, number, number, number]; dil?: [number, number]; groups?: number;
  /** Fewer output rows / columns than the input allows: the image runs past the last window. */
  out?: [number, number];
}

function specOf(cs: Case): Conv2dSpec {
  const [sH, sW] = cs.stride ?? [1, 1];
  const [pt, pb, pl, pr] = cs.pad ?? [0, 0, 0, 0];
  const [dH, dW] = cs.dil ?? [1, 1];
  return {
    batch: cs.n, channels: cs.c, inH: cs.h, inW: cs.w, kernelH: cs.k[0], kernelW: cs.k[1], strideH: sH, strideW: sW,
    padTop: pt, padLeft: pl, dilationH: dH, dilationW: dW,
    outH: cs.out?.[0] ?? convOutputSize(cs.h, cs.k[0], sH, pt, pb, dH, "test"),
    outW: cs.out?.[1] ?? convOutputSize(cs.w, cs.k[1], sW, pl, pr, dW, "test"),
    outChannels: cs.o, groups: cs.groups ?? 1,
  };
}

const CASES: Case[] = [
  { n: 2, c: 1, h: 28, w: 28, o: 6, k: [5, 5], pad: [2, 2, 2, 2] }, // LeNet conv1
  { n: 3, c: 6, h: 14, w: 14, o: 16, k: [5, 5] }, // LeNet conv2
  { n: 1, c: 1, h: 1, w: 1, o: 1, k: [1, 1] },
  { n: 2, c: 3, h: 7, w: 9, o: 5, k: [3, 2], stride: [4, 3], pad: [1, 0, 0, 2] }, // stride > kernel, asymmetric padding
  { n: 2, c: 4, h: 11, w: 10, o: 6, k: [3, 3], dil: [2, 3], pad: [2, 2, 3, 3], groups: 2 },
  { n: 2, c: 6, h: 9, w: 9, o: 6, k: [3, 3], pad: [1, 1, 1, 1], groups: 6 }, // depthwise
  { n: 3, c: 10, h: 5, w: 7, o: 9, k: [1, 1] }, // pointwise
  { n: 2, c: 8, h: 6, w: 6, o: 4, k: [1, 1], groups: 4 }, // grouped pointwise
  { n: 1, c: 2, h: 9, w: 13, o: 3, k: [1, 1], stride: [2, 2] }, // 1x1 with stride: not pointwise
  { n: 2, c: 64, h: 20, w: 40, o: 7, k: [3, 3], pad: [1, 1, 1, 1] }, // 64·9·40 columns a row: many row tiles
  { n: 5, c: 3, h: 12, w: 12, o: 130, k: [3, 3], stride: [2, 2] }, // more than 128 output channels
  { n: 2, c: 3, h: 9, w: 8, o: 4, k: [3, 3], dil: [2, 2], pad: [1, 1, 0, 0], out: [5, 2] }, // image past the last window (a transposed conv's outputPadding)
  { n: 2, c: 2, h: 7, w: 7, o: 3, k: [2, 2], stride: [2, 2], out: [2, 2] },
  // Stride 1 ("wide" form) on both sides of its in-place thresholds: rows under 32 floats,
  // more than 32 and more than 128 output channels per group.
  { n: 3, c: 2, h: 4, w: 3, o: 3, k: [2, 2] },
  { n: 2, c: 5, h: 9, w: 11, o: 48, k: [3, 3], pad: [1, 1, 1, 1] },
  { n: 2, c: 3, h: 6, w: 6, o: 130, k: [3, 3], pad: [1, 1, 1, 1] },
  // A last panel of one or two output channels (the 2x16 tile), over odd and even column panels.
  { n: 2, c: 2, h: 9, w: 10, o: 5, k: [3, 3], pad: [1, 1, 1, 1] },
  { n: 2, c: 3, h: 7, w: 7, o: 6, k: [3, 3] },
  { n: 1, c: 2, h: 8, w: 14, o: 2, k: [2, 3] },
  // The direct form (16·k output channels, narrow images): an odd number of output positions and
  // of column rows, padding, dilation, several channel blocks, more images than blocks.
  { n: 3, c: 3, h: 7, w: 7, o: 32, k: [3, 3] },
  { n: 2, c: 2, h: 6, w: 5, o: 16, k: [3, 2], pad: [1, 1, 0, 0], dil: [2, 1] },
  { n: 5, c: 1, h: 5, w: 5, o: 64, k: [5, 5], pad: [2, 2, 2, 2] },
  { n: 40, c: 2, h: 4, w: 4, o: 16, k: [3, 3] },
  // The direct input gradient: rows of two 16-column tiles, an odd channel count and padding;
  // one channel and a row of 12 in one tile.
  { n: 2, c: 3, h: 9, w: 26, o: 5, k: [5, 9], pad: [1, 1, 2, 2] },
  { n: 3, c: 1, h: 12, w: 12, o: 16, k: [5, 5], pad: [1, 1, 1, 1] },
];

function run(b: Backend, cs: Case, x: Float32Array, wt: Float32Array, bias: Float32Array | null, gy: Float32Array) {
  const spec = specOf(cs);
  const X = b.fromArray(x, "float32"), Wt = b.fromArray(wt, "float32"), G = b.fromArray(gy, "float32");
  return {
    y: b.read(b.conv2d(X, Wt, bias ? b.fromArray(bias, "float32") : null, spec)),
    dx: b.read(b.conv2dBackwardInput(G, Wt, spec)),
    dw: b.read(b.conv2dBackwardWeight(G, X, spec)),
  };
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, terms: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  const tol = 2e-6 * Math.sqrt(terms) * 8;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    assert.ok(Math.abs(actual[i] - e) <= tol * (1 + Math.abs(e)), `${label}[${i}]: ${actual[i]} vs ${e} (tolerance ${tol})`);
  }
}

test("fused float32 convolution (forward, input and weight gradients) matches the cpu reference", () => {
  const wasm = new WasmBackend();
  for (const cs of CASES) {
    const spec = specOf(cs);
    const groups = cs.groups ?? 1;
    const K = (cs.c / groups) * cs.k[0] * cs.k[1];
    const x = randomArray(cs.n * cs.c * cs.h * cs.w);
    const wt = randomArray(cs.o * K);
    const gy = randomArray(cs.n * cs.o * spec.outH * spec.outW);
    for (const bias of [randomArray(cs.o), null]) {
      const label = `${JSON.stringify(cs)} bias=${bias !== null}`;
      const ref = run(cpuBackend, cs, x, wt, bias, gy);
      const got = run(wasm, cs, x, wt, bias, gy);
      assertClose(got.y, ref.y, K, `${label} y`);
      assertClose(got.dx, ref.dx, cs.o / groups * cs.k[0] * cs.k[1], `${label} dx`);
      assertClose(got.dw, ref.dw, cs.n * spec.outH * spec.outW, `${label} dw`);
    }
  }
});

test("fused convolution on 2 threads equals 1 thread bit for bit", () => {
  const one = new WasmBackend();
  const two = new WasmBackend();
  two.setNumThreads(2);
  assert.equal(two.waitForThreads(), 1, "the worker became ready");
  // Big enough to be split (at least 2^19 multiply-adds), with ragged splits of items and blocks.
  for (const cs of [
    { n: 7, c: 6, h: 14, w: 14, o: 16, k: [5, 5] },
    { n: 3, c: 64, h: 20, w: 40, o: 7, k: [3, 3], pad: [1, 1, 1, 1] },
    { n: 5, c: 32, h: 16, w: 16, o: 48, k: [1, 1] },
  ] as Case[]) {
    const spec = specOf(cs);
    const x = randomArray(cs.n * cs.c * cs.h * cs.w);
    const wt = randomArray(cs.o * cs.c * cs.k[0] * cs.k[1]);
    const bias = randomArray(cs.o);
    const gy = randomArray(cs.n * cs.o * spec.outH * spec.outW);
    const a = run(one, cs, x, wt, bias, gy);
    const b = run(two, cs, x, wt, bias, gy);
    assert.deepEqual(b.y, a.y, `${JSON.stringify(cs)} y`);
    assert.deepEqual(b.dx, a.dx, `${JSON.stringify(cs)} dx`);
    assert.deepEqual(b.dw, a.dw, `${JSON.stringify(cs)} dw`);
  }
  two.setNumThreads(1);
});

test("convolutions with an empty batch give empty outputs and a zero weight gradient", () => {
  const wasm = new WasmBackend();
  const cs: Case = { n: 0, c: 2, h: 5, w: 5, o: 3, k: [3, 3] };
  const r = run(wasm, cs, new Float32Array(0), randomArray(3 * 2 * 9), null, new Float32Array(0));
  assert.equal(r.y.length, 0);
  assert.equal(r.dx.length, 0);
  assert.deepEqual(Array.from(r.dw), new Array(54).fill(0));
});
