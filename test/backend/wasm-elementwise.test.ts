/**
 * The float32 SIMD elementwise and reduction kernels of the wasm backend (asm/elementwise.ts)
 * against the cpu reference kernels, bit for bit: every op on random and awkward sizes, every
 * kind of broadcasting and strided view, and values full of NaN, ±Infinity, ±0 and subnormals.
 * Any NaN matches any NaN (payloads are not compared); everything else, -0 included, must match
 * exactly. float64 and int32 take the reference path and are checked the same way.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpuBackend } from "../../src/backend/cpu/index.js";
import { WasmBackend } from "../../src/backend/wasm/index.js";
import { instantiateKernels } from "../../src/backend/wasm/module.js";
import { contiguousStrides } from "../../src/backend/layout.js";
import type { Backend, BinaryOp, DType, ReduceOp, Storage, StridedView, TypedArray, UnaryOp } from "../../src/backend/types.js";
import { Generator } from "../../src/random.js";

// ---- a wasm backend whose elementwise kernels count their calls -----------------------------------

const calls = new Map<string, number>();
const loaded = instantiateKernels();
const counted: Record<string, unknown> = { ...(loaded.exports as unknown as Record<string, unknown>) };
for (const name of Object.keys(counted)) {
  const f = counted[name];
  if (name.startsWith("ew_") && typeof f === "function") {
    counted[name] = (...args: number[]) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return (f as (...a: number[]) => unknown)(...args);
    };
  }
}
const wasm = new WasmBackend({ ...loaded, exports: counted as unknown as typeof loaded.exports });
const cpu: Backend = cpuBackend;

/** Runs fn and returns how many times each ew_ kernel ran. */
function countCalls(fn: () => void): Map<string, number> {
  calls.clear();
  fn();
  return new Map(calls);
}

// ---- values ------------------------------------------------------------------------------------

const gen = new Generator(20240611);
const F32_MAX = 3.4028234663852886e38;
const SPECIALS = [
  NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 2, -2, 3, 0.1, -0.1,
  1e-45, -1e-45, 1.1754943508222875e-38, -1.1754943508222875e-38, F32_MAX, -F32_MAX,
  88.72, 89, -87.3, -103.9, -104, 100, -100, 710, -710, 1e-8, -1e-8, 20, -20, 9.5, -9.5, 1e20, -1e20,
];

/** Mostly normals over six decades, with special values and small integers (ties) mixed in. */
function values(n: number, specials = 0.15, ints = 0.15): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = gen.uniform();
    if (u < specials) out[i] = SPECIALS[gen.int(SPECIALS.length)];
    else if (u < specials + ints) out[i] = gen.int(7) - 3;
    else out[i] = gen.normal() * 10 ** (gen.uniform() * 6 - 3);
  }
  return out;
}

/** Finite values only, over many magnitudes (sums whose rounding depends on order). */
function finiteValues(n: number): Float32Array {
  return Float32Array.from({ length: n }, () => (gen.uniform() < 0.1 ? (gen.uniform() < 0.5 ? 0 : -0) : gen.normal() * 10 ** (gen.uniform() * 8 - 4)));
}

// ---- comparison --------------------------------------------------------------------------------

function bitsOf(a: TypedArray): Uint32Array | Int32Array | BigUint64Array {
  if (a instanceof Float32Array) return new Uint32Array(a.buffer, a.byteOffset, a.length);
  if (a instanceof Float64Array) return new BigUint64Array(a.buffer, a.byteOffset, a.length);
  return a;
}

/** Same dtype, length and bits everywhere, except that any NaN matches any NaN. */
function assertSameBits(actual: TypedArray, expected: TypedArray, label: string, inputs?: ArrayLike<number>[]): void {
  assert.equal(actual.constructor.name, expected.constructor.name, `${label}: dtype`);
  assert.equal(actual.length, expected.length, `${label}: length`);
  const ab = bitsOf(actual), eb = bitsOf(expected);
  for (let i = 0; i < actual.length; i++) {
    if (ab[i] === eb[i]) continue;
    if (Number.isNaN(actual[i]) && Number.isNaN(expected[i])) continue;
    const shown = inputs ? ` (inputs at ${i}: ${inputs.map((x) => Object.is(x[i], -0) ? "-0" : String(x[i])).join(", ")})` : "";
    assert.fail(`${label}: element ${i} is ${Object.is(actual[i], -0) ? "-0" : actual[i]}, the cpu backend gives ${Object.is(expected[i], -0) ? "-0" : expected[i]}${shown}`);
  }
}

test("the bit comparison itself catches -0 for +0, a number for NaN, one ulp and a dtype change", () => {
  assert.throws(() => assertSameBits(new Float32Array([1, 0]), new Float32Array([1, -0]), "zero"));
  assert.throws(() => assertSameBits(new Float32Array([NaN]), new Float32Array([0]), "nan"));
  assert.throws(() => assertSameBits(new Float32Array([1]), new Float32Array([1 + 2 ** -23]), "ulp"));
  assert.throws(() => assertSameBits(new Float64Array([1]), new Float32Array([1]), "dtype"));
  assertSameBits(new Float32Array([NaN, -0]), new Float32Array([-NaN, -0]), "NaNs match");
});

// ---- views ---------------------------------------------------------------------------------------

/** A storage pair (wasm, cpu) holding the same values. */
function both(data: ArrayLike<number>, dtype: DType = "float32"): [Storage, Storage] {
  return [wasm.fromArray(data, dtype), cpu.fromArray(data, dtype)];
}

/** The broadcasting view of a contiguous `shape` seen as `outShape` (as ops/util.ts makes them). */
function broadcastView(shape: readonly number[], outShape: readonly number[]): StridedView {
  const own = contiguousStrides(shape);
  const lead = outShape.length - shape.length;
  return { shape: outShape, strides: outShape.map((d, i) => (i < lead || shape[i - lead] === 1 ? 0 : own[i - lead])), offset: 0 };
}

/**
 * A strided view of `shape` inside a larger buffer: axes laid out in a random order, each with a
 * random step (so strides are large and out of order), at a random offset. Returns the buffer size.
 */
function scatteredView(shape: readonly number[]): { view: StridedView; size: number } {
  const order = Array.from(gen.permutation(shape.length));
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (const d of order) {
    strides[d] = s * (1 + gen.int(3));
    s = strides[d] * shape[d] + gen.int(5);
  }
  const offset = gen.int(7);
  return { view: { shape, strides, offset }, size: offset + s };
}

const prod = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** Output shape of two broadcast shapes. */
function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    return x === 1 ? y : x;
  });
}

/** Pairs of operand shapes covering every kind of broadcasting, with awkward sizes. */
function shapePairs(): [number[], number[]][] {
  const pairs: [number[], number[]][] = [];
  for (const n of [1, 3, 4, 5, 8, 17, 1000]) {
    pairs.push([[n], [n]], [[n], [1]], [[1], [n]], [[n], []], [[], [n]]);
  }
  pairs.push(
    [[], []],
    [[7, 13], [7, 13]],
    [[2, 3, 5, 7], [2, 3, 5, 7]],
    [[64, 10], [10]], // a row added to every row
    [[64, 10], [64, 1]], // a column, one value per row
    [[5, 17], [1, 17]],
    [[5, 17], [5, 1]],
    [[3, 1], [1, 4]], // outer product
    [[1, 9], [6, 1]],
    [[4, 6, 5, 5], [6, 1, 1]], // conv bias: one value per channel plane
    [[3, 6, 7, 7], [1, 6, 1, 1]],
    [[6, 1, 1], [4, 6, 5, 5]],
    [[2, 1, 3], [1, 5, 1]],
    [[2, 1, 3, 1, 5], [1, 4, 1, 3, 1]],
    [[1, 1, 1], [1, 1, 1]],
    [[1, 1, 17], [17, 1, 1]],
    [[3, 1, 4, 1], [1, 5, 1, 2]],
    [[9, 1001], [1001]],
    [[9, 1001], [9, 1]],
    [[2, 3, 4], [2, 3, 4]],
  );
  // a rank-12 odometer: operands broadcast on alternating axes, so nothing collapses
  const hi = Array.from({ length: 12 }, (_, i) => (i % 2 ? 2 : 3));
  pairs.push([hi.map((d, i) => (i % 2 ? d : 1)), hi.map((d, i) => (i % 2 ? 1 : d))]);
  // random shapes with random 1-dims and dropped leading axes
  for (let t = 0; t < 25; t++) {
    const rank = 1 + gen.int(5);
    const full = Array.from({ length: rank }, () => [1, 2, 3, 4, 5, 7, 17][gen.int(7)]);
    const pick = () => full.slice(gen.int(rank)).map((d) => (gen.uniform() < 0.35 ? 1 : d));
    pairs.push([pick(), pick()]);
  }
  return pairs;
}

interface Operand {
  data: Float32Array;
  view: StridedView;
  label: string;
}

/** Operand `shape` broadcast to `out`: a contiguous broadcast view, or a scattered strided one. */
function operand(shape: readonly number[], out: readonly number[], scattered: boolean, make: (n: number) => Float32Array): Operand {
  if (!scattered) {
    return { data: make(prod(shape)), view: broadcastView(shape, out), label: `[${shape}]` };
  }
  // lay the operand out scattered, then broadcast that view (stride 0 on the broadcast axes)
  const { view, size } = scatteredView(shape);
  const lead = out.length - shape.length;
  const strides = out.map((d, i) => (i < lead || shape[i - lead] === 1 ? 0 : view.strides[i - lead]));
  return { data: make(size), view: { shape: out, strides, offset: view.offset }, label: `[${shape}] strides [${view.strides}] offset ${view.offset}` };
}

/** The element of `o` that output index `i` reads (for messages). */
function elementAt(o: Operand, out: readonly number[], i: number): number {
  let at = o.view.offset;
  for (let d = out.length - 1; d >= 0; d--) {
    at += (i % out[d]) * o.view.strides[d];
    i = Math.floor(i / out[d]);
  }
  return o.data[at];
}

function inputsAt(ops: Operand[], out: readonly number[]): ArrayLike<number>[] {
  const n = prod(out);
  return ops.map((o) => Float32Array.from({ length: n }, (_, i) => elementAt(o, out, i)));
}

// ---- unary -------------------------------------------------------------------------------------

const UNARY: UnaryOp[] = ["neg", "exp", "log", "sqrt", "abs", "sign", "sigmoid", "tanh", "relu", "square", "reciprocal"];
const SIZES = [0, 1, 3, 4, 5, 7, 8, 9, 16, 17, 31, 1000, 1003];

test("float32 unary ops are bit-exact with the cpu backend on every size, special values included", () => {
  for (const op of UNARY) {
    for (const n of SIZES) {
      const x = values(n, 0.3);
      const [wx, cx] = both(x);
      const used = countCalls(() => assertSameBits(wasm.read(wasm.unary(op, wx)), cpu.read(cpu.unary(op, cx)), `${op} n=${n}`, [x]));
      assert.equal(used.get("ew_unary_f32"), 1, `${op} ran in the wasm kernel`);
    }
    // every special value at every position of a SIMD vector and of the scalar tail
    const x = new Float32Array(SPECIALS.length * 5);
    for (let i = 0; i < x.length; i++) x[i] = SPECIALS[(i * 7) % SPECIALS.length];
    const [wx, cx] = both(x);
    assertSameBits(wasm.read(wasm.unary(op, wx)), cpu.read(cpu.unary(op, cx)), `${op} specials`, [x]);
  }
});

test("exp, log, tanh and sigmoid (f64x2 lanes with a near-tie check) are bit-exact over dense sweeps of their interesting ranges", () => {
  const ranges: [UnaryOp, number, number][] = [
    ["exp", -104, 89],
    ["exp", -1e-3, 1e-3],
    ["log", 0, 100],
    ["log", 1e-40, 1e-30],
    ["log", 0.999, 1.001],
    ["log", 1.41, 1.42],
    ["log", 0.7, 0.71],
    ["log", 3e38, 3.4028234663852886e38],
    ["tanh", -10, 10],
    ["tanh", -1e-3, 1e-3],
    ["sigmoid", -90, 20],
  ];
  for (const [op, lo, hi] of ranges) {
    const n = 100_003;
    const x = Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
    const [wx, cx] = both(x);
    assertSameBits(wasm.read(wasm.unary(op, wx)), cpu.read(cpu.unary(op, cx)), `${op} on [${lo}, ${hi}]`, [x]);
  }
});

test("every unary op is bit-exact on a million random float32 bit patterns (all exponents, NaNs, subnormals)", () => {
  const n = 1 << 20;
  const bits = Uint32Array.from({ length: n }, () => gen.nextUint32());
  const x = new Float32Array(bits.buffer);
  const [wx, cx] = both(x);
  for (const op of UNARY) assertSameBits(wasm.read(wasm.unary(op, wx)), cpu.read(cpu.unary(op, cx)), `${op} random bits`, [x]);
});

test("sigmoid stays finite and exact for large |x|, relu and sign keep the reference's NaN and -0 rules", () => {
  const x = new Float32Array([-1000, -100, -89, 89, 100, 1000, NaN, -0, 0, -Infinity, Infinity]);
  const [wx] = both(x);
  const s = wasm.read(wasm.unary("sigmoid", wx));
  assert.deepEqual(Array.from(s.slice(0, 6)).map((v) => v >= 0 && v <= 1), [true, true, true, true, true, true]);
  assert.deepEqual(Array.from(s.slice(9)), [0, 1]);
  const r = wasm.read(wasm.unary("relu", wx));
  assert.ok(Number.isNaN(r[6]), "relu passes NaN");
  assert.ok(Object.is(r[7], -0), "relu keeps -0 (x < 0 is false)");
  assert.deepEqual(Array.from(r.slice(0, 6)), [0, 0, 0, 89, 100, 1000]);
  const g = wasm.read(wasm.unary("sign", wx));
  assert.ok(Object.is(g[6], 0) && Object.is(g[7], 0), "sign(NaN) = sign(-0) = +0");
});

test("powScalar is bit-exact for special and general exponents", () => {
  const exponents = [2, 1, 0, -0, -1, 0.5, -0.5, 3, -2, 1.5, 1 / 3, 0.1, 4, 10, -3, NaN, Infinity, -Infinity, 1e-10, 2.5];
  for (const e of exponents) {
    for (const n of [1, 3, 4, 5, 17, 1000]) {
      const x = values(n, 0.3);
      const [wx, cx] = both(x);
      const used = countCalls(() => assertSameBits(wasm.read(wasm.powScalar(wx, e)), cpu.read(cpu.powScalar(cx, e)), `pow(x, ${e}) n=${n}`, [x]));
      assert.equal(used.get("ew_pow_scalar_f32"), 1);
    }
  }
});

test("leakyRelu is bit-exact for slopes that are and are not float32 numbers", () => {
  for (const slope of [0.01, 0.2, 0.25, 0, -0, 1, -1, 3, 1 / 3, 1e-30, 1e30, Infinity, NaN]) {
    for (const n of [1, 3, 4, 5, 17, 1000]) {
      const x = values(n, 0.3);
      const [wx, cx] = both(x);
      const used = countCalls(() => assertSameBits(wasm.read(wasm.leakyRelu(wx, slope)), cpu.read(cpu.leakyRelu(cx, slope)), `leakyRelu slope=${slope} n=${n}`, [x]));
      assert.equal(used.get("ew_leaky_relu_f32"), 1);
    }
  }
});

/** The float32 numbers next to v (below, nearest, above). */
function f32Neighbours(v: number): number[] {
  if (!Number.isFinite(v)) return [];
  const f = new Float32Array([v]);
  const i = new Int32Array(f.buffer);
  const out: number[] = [f[0]];
  const base = i[0];
  for (const d of [-2, -1, 1, 2]) {
    i[0] = base + d;
    out.push(f[0]);
  }
  return out;
}

test("clamp is bit-exact, bounds that are not float32 numbers and min > max included", () => {
  const bounds: [number, number][] = [
    [0, 1], [-1, 1], [0.1, 0.9], [-0.1, 0.30000000000000004], [-Infinity, 0], [0, Infinity], [-Infinity, Infinity],
    [1, 0], [0.7, 0.2], [NaN, 1], [0, NaN], [NaN, NaN], [1e300, 2e300], [-2e300, -1e300], [-1e300, 1e300],
    [-F32_MAX * (1 + 2 ** -30), F32_MAX * (1 + 2 ** -30)], [1e-46, 2e-45], [-0, 0], [0, -0], [F32_MAX, Infinity],
  ];
  for (const [lo, hi] of bounds) {
    for (const n of [1, 3, 4, 5, 17, 1000]) {
      const x = values(n, 0.3);
      // put the float32 numbers around each bound into the data
      const near = [...f32Neighbours(lo), ...f32Neighbours(hi)];
      for (let i = 0; i < Math.min(n, near.length); i++) x[gen.int(n)] = near[i];
      const [wx, cx] = both(x);
      const used = countCalls(() => assertSameBits(wasm.read(wasm.clamp(wx, lo, hi)), cpu.read(cpu.clamp(cx, lo, hi)), `clamp [${lo}, ${hi}] n=${n}`, [x]));
      assert.equal(used.get("ew_clamp_f32"), 1);
    }
    const near = Float32Array.from([...f32Neighbours(lo), ...f32Neighbours(hi), NaN, -0, 0, Infinity, -Infinity]);
    const [wx, cx] = both(near);
    assertSameBits(wasm.read(wasm.clamp(wx, lo, hi)), cpu.read(cpu.clamp(cx, lo, hi)), `clamp [${lo}, ${hi}] at its bounds`, [near]);
  }
});

// ---- binary ------------------------------------------------------------------------------------

const BINARY: BinaryOp[] = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "reluGrad"];

function runBinary(op: BinaryOp, a: Operand, b: Operand, out: number[], label: string): void {
  const [wa, ca] = both(a.data), [wb, cb] = both(b.data);
  const used = countCalls(() => {
    const got = wasm.read(wasm.binary(op, wa, a.view, wb, b.view, out, "float32"));
    const want = cpu.read(cpu.binary(op, ca, a.view, cb, b.view, out, "float32"));
    if (got.length > 0) {
      // avoid building the input listing unless it fails
      try {
        assertSameBits(got, want, label);
      } catch {
        assertSameBits(got, want, label, inputsAt([a, b], out));
      }
    }
  });
  if (prod(out) > 0) assert.equal(used.get("ew_binary_f32"), 1, `${label}: one wasm call for the whole op`);
}

test("float32 binary ops are bit-exact under every kind of broadcasting, in one kernel call each", () => {
  const pairs = shapePairs();
  for (const op of BINARY) {
    for (const [sa, sb] of pairs) {
      const out = broadcastShape(sa, sb);
      const a = operand(sa, out, false, (n) => values(n));
      const b = operand(sb, out, false, (n) => values(n));
      runBinary(op, a, b, out, `${op} ${a.label} ${b.label} -> [${out}]`);
    }
  }
});

test("float32 binary ops are bit-exact on scattered strided views (large, permuted strides and offsets)", () => {
  const pairs = shapePairs();
  for (const op of BINARY) {
    for (const [sa, sb] of pairs) {
      const out = broadcastShape(sa, sb);
      if (prod(out) > 20000) continue;
      for (const [sca, scb] of [[true, false], [false, true], [true, true]]) {
        const a = operand(sa, out, sca, (n) => values(n));
        const b = operand(sb, out, scb, (n) => values(n));
        runBinary(op, a, b, out, `${op} ${a.label} ${b.label} -> [${out}]`);
      }
    }
  }
});

test("binary ops on equal inputs, NaN against everything, and signed zeros follow the reference", () => {
  const specials = Float32Array.from(SPECIALS);
  const m = specials.length;
  // every special against every special, as an outer product [m, 1] x [1, m]
  for (const op of BINARY) {
    const a: Operand = { data: specials, view: broadcastView([m, 1], [m, m]), label: "[m,1]" };
    const b: Operand = { data: specials, view: broadcastView([1, m], [m, m]), label: "[1,m]" };
    runBinary(op, a, b, [m, m], `${op} specials x specials`);
    // and the same elementwise (contiguous vectors and their tails)
    const flatA: Float32Array = new Float32Array(m * m), flatB = new Float32Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) (flatA[i * m + j] = specials[i]), (flatB[i * m + j] = specials[j]);
    runBinary(op, { data: flatA, view: broadcastView([m * m], [m * m]), label: "a" }, { data: flatB, view: broadcastView([m * m], [m * m]), label: "b" }, [m * m], `${op} specials flat`);
  }
  const [w0] = both([0, -0, 0, -0]), [w1] = both([-0, 0, 0, -0]);
  const v = broadcastView([4], [4]);
  const mx = wasm.read(wasm.binary("maximum", w0, v, w1, v, [4], "float32"));
  assert.deepEqual(Array.from(mx, (z) => (Object.is(z, -0) ? "-0" : "+0")), ["-0", "+0", "+0", "-0"], "maximum on ±0 ties returns the second operand");
});

test("binary ops and where also walk reversed views (negative strides)", () => {
  for (const [rows, cols] of [[1, 17], [5, 1], [3, 9], [7, 1000]]) {
    const out = [rows, cols];
    const n = rows * cols;
    // a read back to front, b's rows in reverse order with its columns in order
    const a: Operand = { data: values(n), view: { shape: out, strides: [-cols, -1], offset: n - 1 }, label: "reversed" };
    const b: Operand = { data: values(n), view: { shape: out, strides: [-cols, 1], offset: (rows - 1) * cols }, label: "rows reversed" };
    for (const op of BINARY) runBinary(op, a, b, out, `${op} reversed [${out}]`);
    const cond = condValues(n, "float32");
    const [wc, cc] = both(cond), [wa, ca] = both(a.data), [wb, cb] = both(b.data);
    assertSameBits(wasm.read(wasm.where(wc, a.view, wa, b.view, wb, a.view, out)), cpu.read(cpu.where(cc, a.view, ca, b.view, cb, a.view, out)), `where reversed [${out}]`);
  }
});

test("pow with a tensor exponent is bit-exact, integer and fractional exponents, negative bases", () => {
  for (const n of [1, 3, 4, 5, 17, 1000]) {
    const base = values(n, 0.2, 0.3);
    const exps = Float32Array.from({ length: n }, () => (gen.uniform() < 0.5 ? gen.int(9) - 4 : gen.normal() * 3));
    const a: Operand = { data: base, view: broadcastView([n], [n]), label: "base" };
    const b: Operand = { data: exps, view: broadcastView([n], [n]), label: "exp" };
    runBinary("pow", a, b, [n], `pow n=${n}`);
  }
});

test("binary ops on float64 and int32 operands take the reference path and match it", () => {
  for (const dtype of ["float64", "int32"] as const) {
    for (const op of BINARY) {
      if (dtype === "int32" && (op === "div" || op === "pow")) continue;
      const out = [5, 6];
      const av = broadcastView([5, 1], out), bv = broadcastView([6], out);
      const ad = dtype === "int32" ? Int32Array.from({ length: 5 }, () => gen.int(9) - 4) : Float64Array.from(values(5));
      const bd = dtype === "int32" ? Int32Array.from({ length: 6 }, () => gen.int(9) - 4) : Float64Array.from(values(6));
      const [wa, ca] = both(ad, dtype), [wb, cb] = both(bd, dtype);
      const used = countCalls(() =>
        assertSameBits(wasm.read(wasm.binary(op, wa, av, wb, bv, out, dtype)), cpu.read(cpu.binary(op, ca, av, cb, bv, out, dtype)), `${op} ${dtype}`),
      );
      assert.equal(used.size, 0, `${op} ${dtype} does not reach the float32 kernels`);
    }
  }
});

// ---- where -------------------------------------------------------------------------------------

/** Conditions: 0, -0, NaN, ±1 and random values (as float32), or small ints (as int32). */
function condValues(n: number, dtype: "float32" | "int32"): Float32Array | Int32Array {
  if (dtype === "int32") return Int32Array.from({ length: n }, () => (gen.uniform() < 0.5 ? 0 : gen.int(5) - 2));
  const pool = [0, -0, NaN, 1, -1, 1e-45, Infinity];
  return Float32Array.from({ length: n }, () => (gen.uniform() < 0.7 ? pool[gen.int(pool.length)] : gen.normal()));
}

test("float32 where is bit-exact with float32 and int32 conditions under broadcasting and strided views", () => {
  const shapes = shapePairs();
  for (const condDtype of ["float32", "int32"] as const) {
    for (let t = 0; t < shapes.length; t++) {
      const [sa, sb] = shapes[t];
      const out = broadcastShape(sa, sb);
      // a condition shape that broadcasts to out: leading axes dropped, random axes of size 1
      const sc = out.slice(gen.int(out.length + 1)).map((d) => (gen.uniform() < 0.4 ? 1 : d));
      if (prod(out) > 50000) continue;
      for (const scattered of [false, true]) {
        const a = operand(sa, out, scattered && gen.uniform() < 0.7, (n) => values(n));
        const b = operand(sb, out, scattered && gen.uniform() < 0.7, (n) => values(n));
        const c = operand(sc, out, scattered && gen.uniform() < 0.7, (n) => new Float32Array(n));
        const cond = condValues(c.data.length, condDtype);
        const [wc, cc] = both(cond, condDtype), [wa, ca] = both(a.data), [wb, cb] = both(b.data);
        const label = `where(${condDtype} ${c.label}, ${a.label}, ${b.label}) -> [${out}]`;
        const used = countCalls(() =>
          assertSameBits(wasm.read(wasm.where(wc, c.view, wa, a.view, wb, b.view, out)), cpu.read(cpu.where(cc, c.view, ca, a.view, cb, b.view, out)), label),
        );
        if (prod(out) > 0) assert.equal(used.get("ew_where_f32"), 1, label);
      }
    }
  }
});

test("where with a scalar branch or two (the masks autograd builds) and float64 fallbacks", () => {
  for (const n of [1, 3, 4, 5, 17, 1000]) {
    const out = [n];
    const cond = condValues(n, "float32");
    const x = values(n);
    const [wc, cc] = both(cond), [wx, cx] = both(x), [wz, cz] = both([0]), [wo, co] = both([1]);
    const full = broadcastView([n], out), scalar = broadcastView([1], out);
    for (const [wa, ca, av, wb, cb, bv] of [
      [wz, cz, scalar, wx, cx, full],
      [wx, cx, full, wz, cz, scalar],
      [wo, co, scalar, wz, cz, scalar],
    ] as const) {
      assertSameBits(wasm.read(wasm.where(wc, full, wa, av, wb, bv, out)), cpu.read(cpu.where(cc, full, ca, av, cb, bv, out)), `where scalar branches n=${n}`);
    }
    const [wc64, cc64] = both(cond, "float64"), [wx64, cx64] = both(x, "float64"), [wz64, cz64] = both([0], "float64");
    const used = countCalls(() =>
      assertSameBits(wasm.read(wasm.where(wc64, full, wx64, full, wz64, scalar, out)), cpu.read(cpu.where(cc64, full, cx64, full, cz64, scalar, out)), `where float64 n=${n}`),
    );
    assert.equal(used.size, 0);
    // float64 condition choosing between float32 values: the reference path too
    const used2 = countCalls(() =>
      assertSameBits(wasm.read(wasm.where(wc64, full, wx, full, wz, scalar, out)), cpu.read(cpu.where(cc64, full, cx, full, cz, scalar, out)), `where float64 cond n=${n}`),
    );
    assert.equal(used2.size, 0);
  }
});

// ---- reductions --------------------------------------------------------------------------------

const REDUCE: ReduceOp[] = ["sum", "max", "min", "argmax", "argmin"];

function runReduce(op: ReduceOp, x: Float32Array, outer: number, size: number, inner: number, label: string): void {
  const [wx, cx] = both(x);
  const used = countCalls(() => assertSameBits(wasm.read(wasm.reduce(op, wx, outer, size, inner)), cpu.read(cpu.reduce(op, cx, outer, size, inner)), label));
  // One kernel call: whole (one row block), or by row ranges that threads may share.
  if (outer * inner > 0) assert.equal((used.get("ew_reduce_f32") ?? 0) + (used.get("ew_reduce_range_f32") ?? 0), 1, label);
}

test("float32 reductions are bit-exact on every [outer, size, inner] layout (sums in the reference's order)", () => {
  const dims = [1, 2, 3, 4, 5, 8, 15, 16, 17, 33];
  for (const op of REDUCE) {
    for (const outer of [1, 2, 3, 5]) {
      for (const size of [1, 2, 3, 17, 100]) {
        for (const inner of dims) {
          const n = outer * size * inner;
          runReduce(op, finiteValues(n), outer, size, inner, `${op} finite [${outer}, ${size}, ${inner}]`);
          runReduce(op, values(n, 0.05), outer, size, inner, `${op} specials [${outer}, ${size}, ${inner}]`);
        }
      }
    }
  }
});

test("reductions at LeNet sizes and long rows are bit-exact", () => {
  const layouts: [number, number, number][] = [
    [64, 10, 1], // softmax max / sum over classes, argmax for accuracy
    [1, 64, 10], // bias gradient of the last linear layer
    [1, 64, 120],
    [64, 6, 784], // a conv activation summed over channels
    [1, 64, 4704], // summed over the batch
    [384, 784, 1], // per-plane sums of [64, 6, 28, 28]
    [1, 100_000, 1], // one long row
    [3, 1000, 3],
  ];
  for (const op of REDUCE) {
    for (const [outer, size, inner] of layouts) {
      runReduce(op, finiteValues(outer * size * inner), outer, size, inner, `${op} [${outer}, ${size}, ${inner}]`);
    }
  }
});

test("argmax / argmin take the first index on ties and the first NaN; max / min keep the reference's ±0 and NaN", () => {
  // one column per case, reduced over 6 rows; inner = 9 so both the lanes and the scalar tail see them
  const cases = [
    [1, 3, 3, 2, 3, 0],
    [-0, 0, -0, 0, -1, -1],
    [0, -0, 0, -0, -1, -1],
    [1, NaN, 5, NaN, 7, 0],
    [NaN, 1, 2, 3, 4, 5],
    [1, 2, 3, 4, 5, NaN],
    [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
    [Infinity, 1, Infinity, -Infinity, -Infinity, 0],
    [2, 2, 2, 2, 2, 2],
  ];
  const size = 6, inner = cases.length;
  const x = new Float32Array(size * inner);
  for (let s = 0; s < size; s++) for (let i = 0; i < inner; i++) x[s * inner + i] = cases[i][s];
  const [wx] = both(x);
  assert.deepEqual(Array.from(wasm.read(wasm.reduce("argmax", wx, 1, size, inner))), [1, 0, 0, 1, 0, 5, 0, 0, 0]);
  assert.deepEqual(Array.from(wasm.read(wasm.reduce("argmin", wx, 1, size, inner))), [5, 4, 4, 1, 0, 5, 0, 3, 0]);
  const mx = wasm.read(wasm.reduce("max", wx, 1, size, inner));
  assert.ok(Object.is(mx[1], -0) && Object.is(mx[2], 0), "max keeps the first of equal zeros");
  assert.ok(Number.isNaN(mx[3]) && Number.isNaN(mx[4]) && Number.isNaN(mx[5]), "NaN wins max");
  for (const op of REDUCE) {
    runReduce(op, x, 1, size, inner, `${op} tie cases`);
    // the same cases with the reduced axis last (inner = 1): the scalar chains
    const t = Float32Array.from(cases.flat());
    runReduce(op, t, inner, size, 1, `${op} tie cases, inner = 1`);
  }
});

test("reductions along long contiguous rows (inner = 1) resolve ties, ±0 and NaN like the reference", () => {
  for (const size of [16, 17, 18, 19, 23, 32, 64, 101]) {
    const rows: number[][] = [];
    for (let t = 0; t < 60; t++) {
      const kind = t % 6;
      const row = Array.from({ length: size }, () => gen.int(5) - 2); // many ties among few values
      if (kind === 1) row.fill(0).forEach((_, i) => (row[i] = gen.uniform() < 0.5 ? 0 : -0));
      if (kind === 2) row[gen.int(size)] = NaN;
      if (kind === 3) (row[gen.int(size)] = NaN), (row[gen.int(size)] = NaN);
      if (kind === 4) row[size - 1 - gen.int(3)] = NaN; // in the sequential tail
      if (kind === 5) row.fill(-Infinity).forEach((_, i) => gen.uniform() < 0.2 && (row[i] = Infinity));
      rows.push(row);
    }
    const x = Float32Array.from(rows.flat());
    for (const op of REDUCE) runReduce(op, x, rows.length, size, 1, `${op} tie rows of ${size}`);
  }
});

test("reductions of float64 and int32, and over an empty axis, take the reference path", () => {
  for (const dtype of ["float64", "int32"] as const) {
    for (const op of REDUCE) {
      const n = 3 * 5 * 4;
      const data = dtype === "int32" ? Int32Array.from({ length: n }, () => gen.int(7) - 3) : Float64Array.from(values(n, 0.1));
      const [wx, cx] = both(data, dtype);
      const used = countCalls(() => assertSameBits(wasm.read(wasm.reduce(op, wx, 3, 5, 4)), cpu.read(cpu.reduce(op, cx, 3, 5, 4)), `${op} ${dtype}`));
      assert.equal(used.size, 0);
    }
  }
  const [we, ce] = both([]);
  assertSameBits(wasm.read(wasm.reduce("sum", we, 2, 0, 3)), cpu.read(cpu.reduce("sum", ce, 2, 0, 3)), "sum over an empty axis");
  assert.equal(wasm.read(wasm.reduce("max", we, 0, 4, 3)).length, 0);
});

test("unary-family ops on float64 and int32 take the reference path and match it", () => {
  const x = values(37, 0.3);
  for (const dtype of ["float64", "int32"] as const) {
    const data = dtype === "int32" ? Int32Array.from(x, (v) => (Number.isFinite(v) ? Math.trunc(v) % 1000 : 0)) : Float64Array.from(x);
    const [wx, cx] = both(data, dtype);
    const used = countCalls(() => {
      for (const op of UNARY) assertSameBits(wasm.read(wasm.unary(op, wx)), cpu.read(cpu.unary(op, cx)), `${op} ${dtype}`);
      assertSameBits(wasm.read(wasm.powScalar(wx, 3)), cpu.read(cpu.powScalar(cx, 3)), `pow ${dtype}`);
      assertSameBits(wasm.read(wasm.leakyRelu(wx, 0.1)), cpu.read(cpu.leakyRelu(cx, 0.1)), `leakyRelu ${dtype}`);
      assertSameBits(wasm.read(wasm.clamp(wx, -1.5, 2.5)), cpu.read(cpu.clamp(cx, -1.5, 2.5)), `clamp ${dtype}`);
    });
    assert.equal(used.size, 0);
  }
});

test("kernels read spilled inputs back and survive the memory growing between calls", () => {
  const w = new WasmBackend();
  const x = values(1000);
  const scope = w.memory!.beginScope();
  const a = w.fromArray(x.slice(0, 10), "float32"); // small: spilled to JavaScript at scope end
  w.memory!.endScope([], scope);
  const big = w.alloc("float32", 20_000_000); // grows the memory
  const v = broadcastView([10], [10]);
  const got = w.read(w.binary("mul", a, v, a, v, [10], "float32"));
  const want = cpu.read(cpu.binary("mul", cpu.fromArray(x.slice(0, 10), "float32"), v, cpu.fromArray(x.slice(0, 10), "float32"), v, [10], "float32"));
  assertSameBits(got, want, "after spill and growth");
  w.memory!.release(big);
});
