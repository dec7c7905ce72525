// Elementwise and reduction kernels (float32, SIMD). See src/backend/wasm/elementwise.ts.
//
// Every kernel reproduces the cpu reference kernels (src/backend/cpu/elementwise.ts, reduce.ts)
// bit for bit: those compute in JavaScript doubles and store to a Float32Array, so
//  - +, -, *, /, sqrt and comparisons are done in f32 SIMD: rounding the exact result once to f64
//    and then to f32 gives the same f32 as rounding once (53 >= 2*24 + 2),
//  - selections (relu, maximum, clamp, max, ...) mirror the reference's comparisons lane by lane
//    with bitselect (never f32x4.min/max, which differ on ±0 and NaN),
//  - transcendental functions (exp, log, tanh, sigmoid, pow) and products with a double constant
//    (leakyRelu's slope) are computed in f64 and rounded to f32 once: pow with AssemblyScript's
//    scalar Math, exp, log, tanh and sigmoid in f64x2 lanes checked for near-ties (see "exp, log,
//    tanh and sigmoid" below); those four match the reference on all 2^32 inputs,
//  - sums accumulate in f64 in the reference's order (f64x2 lanes run over independent outputs).
// Pointers are byte offsets into the shared memory; strides and sizes count elements. Nothing
// here allocates. Op codes must match UNARY_OPS / BINARY_OPS / REDUCE_OPS in the JavaScript side.

import { narrow, widenHi, widenLo } from "./f64-lanes";

// ---- op codes ------------------------------------------------------------------------------------

const U_NEG: i32 = 0;
const U_EXP: i32 = 1;
const U_LOG: i32 = 2;
const U_SQRT: i32 = 3;
const U_ABS: i32 = 4;
const U_SIGN: i32 = 5;
const U_SIGMOID: i32 = 6;
const U_TANH: i32 = 7;
const U_RELU: i32 = 8;
const U_SQUARE: i32 = 9;
const U_RECIPROCAL: i32 = 10;

const B_ADD: i32 = 0;
const B_SUB: i32 = 1;
const B_MUL: i32 = 2;
const B_DIV: i32 = 3;
const B_POW: i32 = 4;
const B_MAXIMUM: i32 = 5;
const B_MINIMUM: i32 = 6;
const B_EQ: i32 = 7;
const B_NE: i32 = 8;
const B_LT: i32 = 9;
const B_LE: i32 = 10;
const B_GT: i32 = 11;
const B_GE: i32 = 12;
const B_RELU_GRAD: i32 = 13;

const R_SUM: i32 = 0;
const R_MAX: i32 = 1;
const R_MIN: i32 = 2;
const R_ARGMAX: i32 = 3;
const R_ARGMIN: i32 = 4;

/** Largest collapsed rank the strided kernels accept (the caller falls back above it). */
export const EW_MAX_RANK: i32 = 32;
/** Int32 slots a parameter block for ew_binary_f32 / ew_where_f32 needs. */
export const EW_PARAM_INTS: i32 = 5 * EW_MAX_RANK;

// ---- unary ---------------------------------------------------------------------------------------

@inline function unaryVec(op: i32, v: v128): v128 {
  const zero = f32x4.splat(0);
  if (op == U_NEG) return f32x4.neg(v);
  if (op == U_SQRT) return f32x4.sqrt(v);
  if (op == U_ABS) return f32x4.abs(v);
  if (op == U_SIGN) {
    // x > 0 ? 1 : x < 0 ? -1 : 0 (NaN and ±0 give +0)
    return v128.or(v128.and(f32x4.gt(v, zero), f32x4.splat(1)), v128.and(f32x4.lt(v, zero), f32x4.splat(-1)));
  }
  if (op == U_RELU) return v128.bitselect(zero, v, f32x4.lt(v, zero)); // -0 and NaN pass, as x < 0 ? 0 : x
  if (op == U_SQUARE) return f32x4.mul(v, v);
  // U_RECIPROCAL
  return f32x4.div(f32x4.splat(1), v);
}

@inline function unaryScalar(op: i32, x: f32): f32 {
  if (op == U_NEG) return -x;
  if (op == U_SQRT) return sqrt<f32>(x);
  if (op == U_ABS) return abs<f32>(x);
  if (op == U_SIGN) return x > 0 ? 1 : x < 0 ? -1 : 0;
  if (op == U_RELU) return x < 0 ? 0 : x;
  if (op == U_SQUARE) return x * x;
  if (op == U_RECIPROCAL) return 1 / x;
  // transcendental: in f64, rounded once
  const v = <f64>x;
  if (op == U_EXP) return <f32>Math.exp(v);
  if (op == U_LOG) return <f32>Math.log(v);
  if (op == U_TANH) return <f32>Math.tanh(v);
  // U_SIGMOID: two branches keep exp() from overflowing for large |x| (NaN takes the second)
  if (v >= 0) return <f32>(1 / (1 + Math.exp(-v)));
  const e = Math.exp(v);
  return <f32>(e / (1 + e));
}

// ---- exp, log, tanh and sigmoid in f64x2 lanes, rounded exactly as the scalar reference ----------
//
// The reference rounds a double (from V8's fdlibm ports) to f32. Lanes here compute the function in
// f64 to within ~2^-50 relative error with a short polynomial, then round to f32. That rounding is
// the reference's unless the double lies close to a tie between two f32s: when its 29 bits below
// f32 precision are within 2^16 f64 ulps (2^-36 relative, far more than both errors) of the tie
// pattern, or the input is outside the lanes' domain (overflow, f32 subnormal results, NaN), the
// lane is recomputed with the scalar AssemblyScript function (which matches V8 on all 2^32 inputs).
// So results do not depend on the polynomial's last bits, nor on fused multiply-adds.

const LN2_HI = reinterpret<f64>(0x3FE62E42FEE00000); // ln 2 with 21 trailing zero bits: k * LN2_HI is exact
const LN2_LO = reinterpret<f64>(0x3DEA39EF35793C76);
const INV_LN2: f64 = 1.4426950408889634;

@inline function fma64(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

/** e^r - 1 for |r| <= ln2/2: r + r^2 (1/2! + r/3! + ... + r^10/12!), truncation error < 2^-50 relative. */
@inline function expm1Poly(r: v128): v128 {
  let q = f64x2.splat(1.0 / 479001600.0);
  q = fma64(q, r, f64x2.splat(1.0 / 39916800.0));
  q = fma64(q, r, f64x2.splat(1.0 / 3628800.0));
  q = fma64(q, r, f64x2.splat(1.0 / 362880.0));
  q = fma64(q, r, f64x2.splat(1.0 / 40320.0));
  q = fma64(q, r, f64x2.splat(1.0 / 5040.0));
  q = fma64(q, r, f64x2.splat(1.0 / 720.0));
  q = fma64(q, r, f64x2.splat(1.0 / 120.0));
  q = fma64(q, r, f64x2.splat(1.0 / 24.0));
  q = fma64(q, r, f64x2.splat(1.0 / 6.0));
  q = fma64(q, r, f64x2.splat(0.5));
  return fma64(f64x2.mul(r, r), q, r);
}

/** 1.5 * 2^52: adding it rounds a double of magnitude < 2^51 to an integer, left in the low mantissa bits. */
const ROUND_MAGIC: f64 = 6755399441055744.0;

/** y - k ln 2 (Cody–Waite, k * LN2_HI is exact), |result| <= ln2/2 + tiny. */
@inline function expR(y: v128, k: v128): v128 {
  return f64x2.sub(f64x2.sub(y, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
}

/** e^y for y in [-1022 ln2, 1023 ln2]: 2^k (1 + expm1(r)), k = nearest(y / ln2). */
@inline function expVec(y: v128): v128 {
  const t = fma64(y, f64x2.splat(INV_LN2), f64x2.splat(ROUND_MAGIC));
  const k = f64x2.sub(t, f64x2.splat(ROUND_MAGIC));
  const s = i64x2.add(i64x2.shl(t, 52), i64x2.splat(<i64>1023 << 52)); // 2^k from k's low bits in t
  return f64x2.mul(s, f64x2.add(f64x2.splat(1), expm1Poly(expR(y, k))));
}

/** e^y - 1, accurate relative to the result also for small |y| (y <= 1023 ln2). */
@inline function expm1Vec(y: v128): v128 {
  const t = fma64(y, f64x2.splat(INV_LN2), f64x2.splat(ROUND_MAGIC));
  const k = f64x2.sub(t, f64x2.splat(ROUND_MAGIC));
  const s = i64x2.add(i64x2.shl(t, 52), i64x2.splat(<i64>1023 << 52));
  return fma64(s, expm1Poly(expR(y, k)), f64x2.sub(s, f64x2.splat(1))); // s - 1 is exact for |k| <= 52
}

/**
 * For the f64 results lo (lanes 0, 1) and hi (lanes 2, 3): an i32x4 mask of the lanes whose f32
 * rounding is within 2^16 f64 ulps of a tie (the 29 bits below f32 precision near 0x10000000).
 */
@inline function nearTie(lo: v128, hi: v128): v128 {
  const low = v128.and(i32x4.shuffle(lo, hi, 0, 2, 4, 6), i32x4.splat(0x1FFFFFFF));
  return i32x4.lt_s(i32x4.abs(i32x4.sub(low, i32x4.splat(0x10000000))), i32x4.splat(1 << 16));
}

/** The function of one f64x2 of inputs (the f64 result, before rounding). */
@inline function transVec(op: i32, v: v128): v128 {
  if (op == U_EXP) return expVec(v);
  if (op == U_TANH) {
    // tanh|x| = expm1(2|x|) / (expm1(2|x|) + 2), sign from x; |x| >= 9.5 rounds to 1 in f32 anyway
    const a = f64x2.min(f64x2.abs(v), f64x2.splat(9.5));
    const m = expm1Vec(f64x2.add(a, a));
    const t = f64x2.div(m, f64x2.add(m, f64x2.splat(2)));
    return v128.or(t, v128.and(v, i64x2.splat(0x8000000000000000)));
  }
  // U_SIGMOID: e = exp(-|v|); 1 / (1 + e) for v >= 0, e / (1 + e) below. v >= 30 rounds to 1 in
  // f32, so it is clamped there (Infinity included); v < -87 takes the scalar path.
  const pos = f64x2.ge(v, f64x2.splat(0));
  const y = f64x2.max(f64x2.neg(f64x2.abs(v)), v128.bitselect(f64x2.splat(-30), f64x2.splat(-Infinity), pos));
  const e = expVec(y);
  const d = f64x2.add(f64x2.splat(1), e);
  return v128.bitselect(f64x2.div(f64x2.splat(1), d), f64x2.div(e, d), pos);
}

/**
 * log of an f64x2 m in [sqrt(2)/2, sqrt(2)] times 2^k: with s = (m - 1) / (m + 1), log m = 2 atanh s
 * = 2s (1 + s^2/3 + ... + s^16/17) (truncation < 2^-50 relative, |s| < 0.172), plus k ln 2.
 */
@inline function logHalf(m: v128, k: v128): v128 {
  const f = f64x2.sub(m, f64x2.splat(1)); // exact: m has 24 significant bits
  const s = f64x2.div(f, f64x2.add(f, f64x2.splat(2)));
  const z = f64x2.mul(s, s);
  let p = f64x2.splat(1.0 / 17.0);
  p = fma64(p, z, f64x2.splat(1.0 / 15.0));
  p = fma64(p, z, f64x2.splat(1.0 / 13.0));
  p = fma64(p, z, f64x2.splat(1.0 / 11.0));
  p = fma64(p, z, f64x2.splat(1.0 / 9.0));
  p = fma64(p, z, f64x2.splat(1.0 / 7.0));
  p = fma64(p, z, f64x2.splat(1.0 / 5.0));
  p = fma64(p, z, f64x2.splat(1.0 / 3.0));
  const twoS = f64x2.add(s, s);
  const logM = fma64(f64x2.mul(twoS, z), p, twoS);
  return f64x2.add(f64x2.mul(k, f64x2.splat(LN2_HI)), fma64(k, f64x2.splat(LN2_LO), logM));
}

/** Lanes of x (f32x4) the f64x2 path does not serve: NaN, and results that overflow or are f32-subnormal. */
@inline function transOutside(op: i32, x: v128): v128 {
  // log: positive normal finite x only (0, negatives, subnormals, Infinity and NaN go scalar)
  if (op == U_LOG) return v128.not(v128.and(f32x4.ge(x, f32x4.splat(1.1754943508222875e-38)), f32x4.le(x, f32x4.splat(F32.MAX_VALUE))));
  if (op == U_EXP) return v128.not(v128.and(f32x4.ge(x, f32x4.splat(-87)), f32x4.le(x, f32x4.splat(88.5))));
  if (op == U_TANH) return v128.or(f32x4.ne(x, x), f32x4.lt(f32x4.abs(x), f32x4.splat(0.0001220703125))); // |x| < 2^-13
  return v128.not(f32x4.ge(x, f32x4.splat(-87))); // U_SIGMOID
}

/** Computes 4 outputs at byte offset o; returns the lanes (bits 0-3) the scalar path must redo. */
@inline function transQuad(op: i32, x: usize, out: usize, o: usize): i32 {
  const v = v128.load(x + o);
  let lo: v128, hi: v128;
  if (op == U_LOG) {
    // x = m 2^k with m in [sqrt(2)/2, sqrt(2)], taken apart in the f32 bits (exact)
    let m = v128.or(v128.and(v, i32x4.splat(0x7FFFFF)), f32x4.splat(1));
    const big = f32x4.gt(m, f32x4.splat(1.4142135));
    m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big);
    const k = i32x4.sub(i32x4.sub(i32x4.shr_u(v, 23), i32x4.splat(127)), big); // big lanes are -1: k + 1
    lo = logHalf(f64x2.promote_low_f32x4(m), f64x2.convert_low_i32x4_s(k));
    hi = logHalf(f64x2.promote_low_f32x4(f32x4.shuffle(m, m, 2, 3, 2, 3)), f64x2.convert_low_i32x4_s(i32x4.shuffle(k, k, 2, 3, 2, 3)));
  } else {
    lo = transVec(op, f64x2.promote_low_f32x4(v));
    hi = transVec(op, f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 2, 3)));
  }
  v128.store(out + o, f32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  return i32x4.bitmask(v128.or(transOutside(op, v), nearTie(lo, hi)));
}

@inline function transLoop(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  // two quads per step: four independent polynomial chains in flight
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const lanes = transQuad(op, x, out, o) | (transQuad(op, x, out, o + 16) << 4);
    if (lanes) {
      for (let j = 0; j < 8; j++) {
        if (lanes & (1 << j)) {
          const p = o + (<usize>j << 2);
          store<f32>(out + p, unaryScalar(op, load<f32>(x + p)));
        }
      }
    }
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const lanes = transQuad(op, x, out, o);
    if (lanes) {
      for (let j = 0; j < 4; j++) {
        if (lanes & (1 << j)) {
          const p = o + (<usize>j << 2);
          store<f32>(out + p, unaryScalar(op, load<f32>(x + p)));
        }
      }
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, unaryScalar(op, load<f32>(x + o)));
  }
}

@inline function unaryLoop(op: i32, x: usize, out: usize, n: i32): void {
  if (op == U_EXP || op == U_LOG || op == U_TANH || op == U_SIGMOID) {
    transLoop(op, x, out, n);
    return;
  }
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const a = v128.load(x + o), b = v128.load(x + o, 16);
    v128.store(out + o, unaryVec(op, a));
    v128.store(out + o, unaryVec(op, b), 16);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, unaryVec(op, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, unaryScalar(op, load<f32>(x + o)));
  }
}

export function ew_unary_f32(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case U_NEG: unaryLoop(U_NEG, x, out, n); break;
    case U_EXP: unaryLoop(U_EXP, x, out, n); break;
    case U_LOG: unaryLoop(U_LOG, x, out, n); break;
    case U_SQRT: unaryLoop(U_SQRT, x, out, n); break;
    case U_ABS: unaryLoop(U_ABS, x, out, n); break;
    case U_SIGN: unaryLoop(U_SIGN, x, out, n); break;
    case U_SIGMOID: unaryLoop(U_SIGMOID, x, out, n); break;
    case U_TANH: unaryLoop(U_TANH, x, out, n); break;
    case U_RELU: unaryLoop(U_RELU, x, out, n); break;
    case U_SQUARE: unaryLoop(U_SQUARE, x, out, n); break;
    case U_RECIPROCAL: unaryLoop(U_RECIPROCAL, x, out, n); break;
    default: unreachable();
  }
}

// ---- unary with a double parameter -----------------------------------------------------------------

/** f32 lanes of v, times the double c, rounded back to f32 (the product is taken in f64). */
@inline function mulF64(v: v128, c: v128): v128 {
  const lo = f64x2.mul(f64x2.promote_low_f32x4(v), c);
  const hi = f64x2.mul(f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 2, 3)), c);
  return f32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** x^e for a constant e: Math.pow in f64, with the exactly-rounded special cases done in SIMD. */
export function ew_pow_scalar_f32(x: usize, out: usize, n: i32, e: f64): void {
  let i = 0;
  if (e == 2) {
    // the reference multiplies x * x
    unaryLoop(U_SQUARE, x, out, n);
    return;
  }
  if (e == 1) {
    memory.copy(out, x, <usize>n << 2);
    return;
  }
  if (e == 0) {
    // pow(x, ±0) is 1 for every x, NaN included
    const one = f32x4.splat(1);
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), one);
    for (; i < n; i++) store<f32>(out + (<usize>i << 2), 1);
    return;
  }
  if (e == -1) {
    unaryLoop(U_RECIPROCAL, x, out, n);
    return;
  }
  if (e == 0.5) {
    // sqrt, except pow(-0, 0.5) = +0 and pow(-Infinity, 0.5) = +Infinity
    const ninf = f32x4.splat(-Infinity), inf = f32x4.splat(Infinity);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(x + o);
      const r = f32x4.add(f32x4.sqrt(v), f32x4.splat(0)); // -0 + 0 = +0
      v128.store(out + o, v128.bitselect(inf, r, f32x4.eq(v, ninf)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(out + o, <f32>Math.pow(<f64>load<f32>(x + o), 0.5));
    }
    return;
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, <f32>Math.pow(<f64>load<f32>(x + o), e));
  }
}

/** x > 0 ? x : slope * x, the product in f64 (in f32 when the slope is an f32: then it is the same). */
export function ew_leaky_relu_f32(x: usize, out: usize, n: i32, slope: f64): void {
  const zero = f32x4.splat(0);
  let i = 0;
  if (<f64><f32>slope == slope) {
    const s = f32x4.splat(<f32>slope);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(x + o);
      v128.store(out + o, v128.bitselect(v, f32x4.mul(v, s), f32x4.gt(v, zero)));
    }
  } else {
    const s = f64x2.splat(slope);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(x + o);
      v128.store(out + o, v128.bitselect(v, mulF64(v, s), f32x4.gt(v, zero)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, v > 0 ? v : <f32>(slope * <f64>v));
  }
}

/** The smallest f32 >= v (v a double; NaN stays NaN). */
@inline function ceilF32(v: f64): f32 {
  let f = <f32>v;
  if (<f64>f < v) f = f == -Infinity ? -F32.MAX_VALUE : reinterpret<f32>(f >= 0 ? reinterpret<i32>(f) + 1 : reinterpret<i32>(f) - 1);
  return f;
}

/** The largest f32 <= v. */
@inline function floorF32(v: f64): f32 {
  return -ceilF32(-v);
}

/**
 * The reference does, in doubles: v = x < lo ? lo : x; out = v > hi ? hi : v. For an f32 x that
 * is: x < lo ? (lo > hi ? f32(hi) : f32(lo)) : x > hi ? f32(hi) : x, and x < lo (x > hi) is an
 * f32 comparison with lo rounded up (hi rounded down) to an f32.
 */
export function ew_clamp_f32(x: usize, out: usize, n: i32, lo: f64, hi: f64): void {
  const below: f32 = lo > hi ? <f32>hi : <f32>lo;
  const above: f32 = <f32>hi;
  const lo32 = ceilF32(lo), hi32 = floorF32(hi);
  const vBelow = f32x4.splat(below), vAbove = f32x4.splat(above), vLo = f32x4.splat(lo32), vHi = f32x4.splat(hi32);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    v128.store(out + o, v128.bitselect(vBelow, v128.bitselect(vAbove, v, f32x4.gt(v, vHi)), f32x4.lt(v, vLo)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, v < lo32 ? below : v > hi32 ? above : v);
  }
}

// ---- binary --------------------------------------------------------------------------------------

@inline function binaryVec(op: i32, x: v128, y: v128): v128 {
  const one = f32x4.splat(1);
  if (op == B_ADD) return f32x4.add(x, y);
  if (op == B_SUB) return f32x4.sub(x, y);
  if (op == B_MUL) return f32x4.mul(x, y);
  if (op == B_DIV) return f32x4.div(x, y);
  // x > y || x !== x ? x : y: NaN propagates; on ±0 ties the second operand wins
  if (op == B_MAXIMUM) return v128.bitselect(x, y, v128.or(f32x4.gt(x, y), f32x4.ne(x, x)));
  if (op == B_MINIMUM) return v128.bitselect(x, y, v128.or(f32x4.lt(x, y), f32x4.ne(x, x)));
  if (op == B_EQ) return v128.and(f32x4.eq(x, y), one);
  if (op == B_NE) return v128.and(f32x4.ne(x, y), one);
  if (op == B_LT) return v128.and(f32x4.lt(x, y), one);
  if (op == B_LE) return v128.and(f32x4.le(x, y), one);
  if (op == B_GT) return v128.and(f32x4.gt(x, y), one);
  if (op == B_RELU_GRAD) return v128.and(x, f32x4.gt(y, f32x4.splat(0)));
  // B_GE
  return v128.and(f32x4.ge(x, y), one);
}

@inline function binaryScalar(op: i32, x: f32, y: f32): f32 {
  if (op == B_ADD) return x + y;
  if (op == B_SUB) return x - y;
  if (op == B_MUL) return x * y;
  if (op == B_DIV) return x / y;
  if (op == B_POW) return <f32>Math.pow(<f64>x, <f64>y);
  if (op == B_MAXIMUM) return x > y || x != x ? x : y;
  if (op == B_MINIMUM) return x < y || x != x ? x : y;
  if (op == B_EQ) return x == y ? 1 : 0;
  if (op == B_NE) return x != y ? 1 : 0;
  if (op == B_LT) return x < y ? 1 : 0;
  if (op == B_LE) return x <= y ? 1 : 0;
  if (op == B_GT) return x > y ? 1 : 0;
  if (op == B_RELU_GRAD) return y > 0 ? x : 0;
  return x >= y ? 1 : 0;
}

/**
 * One row of n outputs. aMode / bMode (constants after inlining): 1 = contiguous, 0 = one value
 * repeated, -1 = any stride (sa / sb, in elements).
 */
@inline function binaryRow(op: i32, aMode: i32, bMode: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if (op != B_POW && aMode >= 0 && bMode >= 0) {
    const as = f32x4.splat(load<f32>(a)), bs = f32x4.splat(load<f32>(b));
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const x0 = aMode == 1 ? v128.load(a + o) : as, x1 = aMode == 1 ? v128.load(a + o, 16) : as;
      const y0 = bMode == 1 ? v128.load(b + o) : bs, y1 = bMode == 1 ? v128.load(b + o, 16) : bs;
      v128.store(out + o, binaryVec(op, x0, y0));
      v128.store(out + o, binaryVec(op, x1, y1), 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, binaryVec(op, aMode == 1 ? v128.load(a + o) : as, bMode == 1 ? v128.load(b + o) : bs));
    }
  }
  const stepA = <usize>(aMode == 1 ? 4 : aMode == 0 ? 0 : sa << 2);
  const stepB = <usize>(bMode == 1 ? 4 : bMode == 0 ? 0 : sb << 2);
  let pa = a + <usize>i * stepA, pb = b + <usize>i * stepB;
  for (; i < n; i++, pa += stepA, pb += stepB) {
    store<f32>(out + (<usize>i << 2), binaryScalar(op, load<f32>(pa), load<f32>(pb)));
  }
}

@inline function binaryRows(op: i32, a: usize, b: usize, out: usize, rank: i32, params: usize): void {
  const shape = params;
  const stA = params + (<usize>EW_MAX_RANK << 2);
  const stB = params + (<usize>(2 * EW_MAX_RANK) << 2);
  const count = params + (<usize>(4 * EW_MAX_RANK) << 2);
  const last = <usize>(rank - 1) << 2;
  const n = load<i32>(shape + last);
  const sa = load<i32>(stA + last), sb = load<i32>(stB + last);
  const aMode = sa == 1 ? 1 : sa == 0 ? 0 : -1;
  const bMode = sb == 1 ? 1 : sb == 0 ? 0 : -1;
  for (let d = 0; d < rank - 1; d++) store<i32>(count + (<usize>d << 2), 0);
  const rowBytes = <usize>n << 2;
  for (;;) {
    if (aMode == 1 && bMode == 1) binaryRow(op, 1, 1, a, 1, b, 1, out, n);
    else if (aMode == 1 && bMode == 0) binaryRow(op, 1, 0, a, 1, b, 0, out, n);
    else if (aMode == 0 && bMode == 1) binaryRow(op, 0, 1, a, 0, b, 1, out, n);
    else binaryRow(op, -1, -1, a, sa, b, sb, out, n);
    out += rowBytes;
    // next row: odometer over the leading axes
    let d = rank - 2;
    for (; d >= 0; d--) {
      const dd = <usize>d << 2;
      const c = load<i32>(count + dd) + 1;
      const s = load<i32>(shape + dd);
      const da = load<i32>(stA + dd), db = load<i32>(stB + dd);
      if (c < s) {
        store<i32>(count + dd, c);
        a += <usize>(da << 2);
        b += <usize>(db << 2);
        break;
      }
      store<i32>(count + dd, 0);
      a -= <usize>((da * (s - 1)) << 2);
      b -= <usize>((db * (s - 1)) << 2);
    }
    if (d < 0) return;
  }
}

/**
 * out = a op b over a collapsed shape of `rank` axes (out contiguous). `params` holds int32s:
 * shape at [0, rank), a's strides at [MAX, MAX + rank), b's at [2*MAX, ...), and [4*MAX, ...) is
 * scratch for the row counter (MAX = EW_MAX_RANK). a and b point at the views' first elements.
 */
export function ew_binary_f32(op: i32, a: usize, b: usize, out: usize, rank: i32, params: usize): void {
  switch (op) {
    case B_ADD: binaryRows(B_ADD, a, b, out, rank, params); break;
    case B_SUB: binaryRows(B_SUB, a, b, out, rank, params); break;
    case B_MUL: binaryRows(B_MUL, a, b, out, rank, params); break;
    case B_DIV: binaryRows(B_DIV, a, b, out, rank, params); break;
    case B_POW: binaryRows(B_POW, a, b, out, rank, params); break;
    case B_MAXIMUM: binaryRows(B_MAXIMUM, a, b, out, rank, params); break;
    case B_MINIMUM: binaryRows(B_MINIMUM, a, b, out, rank, params); break;
    case B_EQ: binaryRows(B_EQ, a, b, out, rank, params); break;
    case B_NE: binaryRows(B_NE, a, b, out, rank, params); break;
    case B_LT: binaryRows(B_LT, a, b, out, rank, params); break;
    case B_LE: binaryRows(B_LE, a, b, out, rank, params); break;
    case B_GT: binaryRows(B_GT, a, b, out, rank, params); break;
    case B_GE: binaryRows(B_GE, a, b, out, rank, params); break;
    case B_RELU_GRAD: binaryRows(B_RELU_GRAD, a, b, out, rank, params); break;
    default: unreachable();
  }
}

// ---- where ---------------------------------------------------------------------------------------

/** cond != 0 as a lane mask; cond is float32 (NaN counts as true, -0 as false) or int32. */
@inline function condMask(condInt: bool, c: v128): v128 {
  return condInt ? i32x4.ne(c, i32x4.splat(0)) : f32x4.ne(c, f32x4.splat(0));
}

@inline function condScalar(condInt: bool, p: usize): bool {
  return condInt ? load<i32>(p) != 0 : load<f32>(p) != 0;
}

@inline function whereRow(condInt: bool, cMode: i32, aMode: i32, bMode: i32, c: usize, sc: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if (cMode >= 0 && aMode >= 0 && bMode >= 0) {
    const cs = v128.load32_splat(c), as = v128.load32_splat(a), bs = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const m = condMask(condInt, cMode == 1 ? v128.load(c + o) : cs);
      v128.store(out + o, v128.bitselect(aMode == 1 ? v128.load(a + o) : as, bMode == 1 ? v128.load(b + o) : bs, m));
    }
  }
  const stepC = <usize>(cMode == 1 ? 4 : cMode == 0 ? 0 : sc << 2);
  const stepA = <usize>(aMode == 1 ? 4 : aMode == 0 ? 0 : sa << 2);
  const stepB = <usize>(bMode == 1 ? 4 : bMode == 0 ? 0 : sb << 2);
  let pc = c + <usize>i * stepC, pa = a + <usize>i * stepA, pb = b + <usize>i * stepB;
  for (; i < n; i++, pc += stepC, pa += stepA, pb += stepB) {
    store<f32>(out + (<usize>i << 2), condScalar(condInt, pc) ? load<f32>(pa) : load<f32>(pb));
  }
}

@inline function whereRows(condInt: bool, c: usize, a: usize, b: usize, out: usize, rank: i32, params: usize): void {
  const shape = params;
  const stC = params + (<usize>EW_MAX_RANK << 2);
  const stA = params + (<usize>(2 * EW_MAX_RANK) << 2);
  const stB = params + (<usize>(3 * EW_MAX_RANK) << 2);
  const count = params + (<usize>(4 * EW_MAX_RANK) << 2);
  const last = <usize>(rank - 1) << 2;
  const n = load<i32>(shape + last);
  const sc = load<i32>(stC + last), sa = load<i32>(stA + last), sb = load<i32>(stB + last);
  // the common layouts get SIMD loops; the rest take the strided scalar loop
  const allContig = sc == 1 && sa == 1 && sb == 1;
  const scalarA = sc == 1 && sa == 0 && sb == 1;
  const scalarB = sc == 1 && sa == 1 && sb == 0;
  const scalarAB = sc == 1 && sa == 0 && sb == 0;
  for (let d = 0; d < rank - 1; d++) store<i32>(count + (<usize>d << 2), 0);
  const rowBytes = <usize>n << 2;
  for (;;) {
    if (allContig) whereRow(condInt, 1, 1, 1, c, 1, a, 1, b, 1, out, n);
    else if (scalarA) whereRow(condInt, 1, 0, 1, c, 1, a, 0, b, 1, out, n);
    else if (scalarB) whereRow(condInt, 1, 1, 0, c, 1, a, 1, b, 0, out, n);
    else if (scalarAB) whereRow(condInt, 1, 0, 0, c, 1, a, 0, b, 0, out, n);
    else whereRow(condInt, -1, -1, -1, c, sc, a, sa, b, sb, out, n);
    out += rowBytes;
    let d = rank - 2;
    for (; d >= 0; d--) {
      const dd = <usize>d << 2;
      const k = load<i32>(count + dd) + 1;
      const s = load<i32>(shape + dd);
      const dc = load<i32>(stC + dd), da = load<i32>(stA + dd), db = load<i32>(stB + dd);
      if (k < s) {
        store<i32>(count + dd, k);
        c += <usize>(dc << 2);
        a += <usize>(da << 2);
        b += <usize>(db << 2);
        break;
      }
      store<i32>(count + dd, 0);
      c -= <usize>((dc * (s - 1)) << 2);
      a -= <usize>((da * (s - 1)) << 2);
      b -= <usize>((db * (s - 1)) << 2);
    }
    if (d < 0) return;
  }
}

/**
 * out = cond != 0 ? a : b over a collapsed shape; params as for ew_binary_f32 with cond's strides
 * at [MAX, ...), a's at [2*MAX, ...), b's at [3*MAX, ...). cond is int32 when condInt, else float32.
 */
export function ew_where_f32(cond: usize, condInt: i32, a: usize, b: usize, out: usize, rank: i32, params: usize): void {
  if (condInt) whereRows(true, cond, a, b, out, rank, params);
  else whereRows(false, cond, a, b, out, rank, params);
}

// ---- reductions ----------------------------------------------------------------------------------

/** Byte offset of output q's first element in [outer, size, inner] (no division when inner is 1). */
@inline function firstOf(x: usize, q: i32, size: i32, inner: i32): usize {
  return x + (<usize>(inner == 1 ? q * size : (q / inner) * size * inner + q % inner) << 2);
}

/** Sums `size` elements `step` bytes apart into out, in f64 and in order. */
@inline function sumOne(p: usize, step: usize, size: i32): f32 {
  let acc: f64 = 0;
  for (let s = 0; s < size; s++, p += step) acc += <f64>load<f32>(p);
  return <f32>acc;
}

// [outer, size, inner] sum; each output is accumulated in f64 from s = 0 up, like the reference.
function sumRows(x: usize, out: usize, outer: i32, size: i32, inner: i32): void {
  const step = <usize>inner << 2;
  if (inner < 4) {
    // outputs too narrow for lanes: four independent scalar chains hide the add latency
    const total = outer * inner;
    let q = 0;
    for (; q + 4 <= total; q += 4) {
      const p0 = firstOf(x, q, size, inner), p1 = firstOf(x, q + 1, size, inner);
      const p2 = firstOf(x, q + 2, size, inner), p3 = firstOf(x, q + 3, size, inner);
      let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0;
      let off: usize = 0;
      for (let s = 0; s < size; s++, off += step) {
        a0 += <f64>load<f32>(p0 + off);
        a1 += <f64>load<f32>(p1 + off);
        a2 += <f64>load<f32>(p2 + off);
        a3 += <f64>load<f32>(p3 + off);
      }
      const o = out + (<usize>q << 2);
      store<f32>(o, <f32>a0);
      store<f32>(o, <f32>a1, 4);
      store<f32>(o, <f32>a2, 8);
      store<f32>(o, <f32>a3, 12);
    }
    for (; q < total; q++) {
      store<f32>(out + (<usize>q << 2), sumOne(firstOf(x, q, size, inner), step, size));
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * <usize>size * step;
    const ob = out + <usize>o * step;
    let i = 0;
    for (; i + 16 <= inner; i += 16) {
      let p = base + (<usize>i << 2);
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
      let s4 = f64x2.splat(0), s5 = f64x2.splat(0), s6 = f64x2.splat(0), s7 = f64x2.splat(0);
      for (let s = 0; s < size; s++, p += step) {
        const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
        s0 = f64x2.add(s0, widenLo(v0)); s1 = f64x2.add(s1, widenHi(v0));
        s2 = f64x2.add(s2, widenLo(v1)); s3 = f64x2.add(s3, widenHi(v1));
        s4 = f64x2.add(s4, widenLo(v2)); s5 = f64x2.add(s5, widenHi(v2));
        s6 = f64x2.add(s6, widenLo(v3)); s7 = f64x2.add(s7, widenHi(v3));
      }
      const op = ob + (<usize>i << 2);
      v128.store(op, narrow(s0, s1));
      v128.store(op, narrow(s2, s3), 16);
      v128.store(op, narrow(s4, s5), 32);
      v128.store(op, narrow(s6, s7), 48);
    }
    for (; i + 4 <= inner; i += 4) {
      let p = base + (<usize>i << 2);
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
      for (let s = 0; s < size; s++, p += step) {
        const v = v128.load(p);
        s0 = f64x2.add(s0, widenLo(v));
        s1 = f64x2.add(s1, widenHi(v));
      }
      v128.store(ob + (<usize>i << 2), narrow(s0, s1));
    }
    for (; i < inner; i++) store<f32>(ob + (<usize>i << 2), sumOne(base + (<usize>i << 2), step, size));
  }
}

/** The reference's running max / min: v replaces acc when v > acc (v < acc) or v is NaN. */
@inline function pickVec(isMax: bool, v: v128, acc: v128): v128 {
  return v128.bitselect(v, acc, v128.or(isMax ? f32x4.gt(v, acc) : f32x4.lt(v, acc), f32x4.ne(v, v)));
}

@inline function pickOne(isMax: bool, p: usize, step: usize, size: i32): f32 {
  let acc = load<f32>(p);
  p += step;
  for (let s = 1; s < size; s++, p += step) {
    const v = load<f32>(p);
    if ((isMax ? v > acc : v < acc) || v != v) acc = v;
  }
  return acc;
}

/** Lanes where candidate (a, ia) comes first in the reference's scan over candidate (c, ic): a NaN, else a better value, else an equal one at a smaller index. */
@inline function beats(isMax: bool, a: v128, ia: v128, c: v128, ic: v128): v128 {
  const nanA = f32x4.ne(a, a), nanC = f32x4.ne(c, c);
  const earlier = i32x4.lt_s(ia, ic);
  const better = v128.or(isMax ? f32x4.gt(a, c) : f32x4.lt(a, c), v128.and(f32x4.eq(a, c), earlier));
  return v128.or(v128.and(nanA, v128.or(v128.not(nanC), earlier)), v128.andnot(v128.andnot(better, nanA), nanC));
}

/**
 * The reference's argmax / argmin of one contiguous row of size >= 4, in 4 lanes: lane j follows
 * the reference's rule over elements j, j+4, ..., so it holds the first NaN or the first best of
 * its share; the row's answer is the first NaN among the lanes, else the lanes' best with the
 * smallest index; the tail continues sequentially.
 */
function argRow(isMax: bool, p: usize, size: i32): i32 {
  let best = v128.load(p);
  let idx = i32x4(0, 1, 2, 3);
  const four = i32x4.splat(4);
  let k = idx;
  let s = 4;
  for (; s + 4 <= size; s += 4) {
    k = i32x4.add(k, four);
    const v = v128.load(p + (<usize>s << 2));
    const take = v128.and(v128.or(isMax ? f32x4.gt(v, best) : f32x4.lt(v, best), f32x4.ne(v, v)), f32x4.eq(best, best));
    best = v128.bitselect(v, best, take);
    idx = v128.bitselect(k, idx, take);
  }
  // combine the lanes: halves, then neighbours; lane 0 ends with the winner
  for (let round = 0; round < 2; round++) {
    const ob = round == 0 ? i32x4.shuffle(best, best, 2, 3, 0, 1) : i32x4.shuffle(best, best, 1, 0, 3, 2);
    const oi = round == 0 ? i32x4.shuffle(idx, idx, 2, 3, 0, 1) : i32x4.shuffle(idx, idx, 1, 0, 3, 2);
    const take = beats(isMax, ob, oi, best, idx);
    best = v128.bitselect(ob, best, take);
    idx = v128.bitselect(oi, idx, take);
  }
  let b = f32x4.extract_lane(best, 0);
  let bi = i32x4.extract_lane(idx, 0);
  // the tail, in order
  for (; s < size; s++) {
    if (b != b) break;
    const v = load<f32>(p + (<usize>s << 2));
    if ((isMax ? v > b : v < b) || v != v) {
      b = v;
      bi = s;
    }
  }
  return bi;
}

/**
 * The reference's max / min of one contiguous row of size >= 4: the value at the argmax (the
 * first of equal values, so ±0 come out as the reference has them), or the last NaN if any.
 */
function extremeRow(isMax: bool, p: usize, size: i32): f32 {
  const v = load<f32>(p + (<usize>argRow(isMax, p, size) << 2));
  if (v == v) return v;
  let s = size - 1;
  while (load<f32>(p + (<usize>s << 2)) == load<f32>(p + (<usize>s << 2))) s--;
  return load<f32>(p + (<usize>s << 2));
}

@inline function extremeRows(isMax: bool, x: usize, out: usize, outer: i32, size: i32, inner: i32): void {
  const step = <usize>inner << 2;
  if (inner < 4) {
    const total = outer * inner;
    for (let q = 0; q < total; q++) {
      const p = firstOf(x, q, size, inner);
      // a long contiguous row: lanes find the reference's winner, whose bits are the result
      store<f32>(out + (<usize>q << 2), inner == 1 && size >= 16 ? extremeRow(isMax, p, size) : pickOne(isMax, p, step, size));
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * <usize>size * step;
    const ob = out + <usize>o * step;
    let i = 0;
    for (; i + 16 <= inner; i += 16) {
      let p = base + (<usize>i << 2);
      let m0 = v128.load(p), m1 = v128.load(p, 16), m2 = v128.load(p, 32), m3 = v128.load(p, 48);
      p += step;
      for (let s = 1; s < size; s++, p += step) {
        m0 = pickVec(isMax, v128.load(p), m0);
        m1 = pickVec(isMax, v128.load(p, 16), m1);
        m2 = pickVec(isMax, v128.load(p, 32), m2);
        m3 = pickVec(isMax, v128.load(p, 48), m3);
      }
      const op = ob + (<usize>i << 2);
      v128.store(op, m0);
      v128.store(op, m1, 16);
      v128.store(op, m2, 32);
      v128.store(op, m3, 48);
    }
    for (; i + 4 <= inner; i += 4) {
      let p = base + (<usize>i << 2);
      let m = v128.load(p);
      p += step;
      for (let s = 1; s < size; s++, p += step) m = pickVec(isMax, v128.load(p), m);
      v128.store(ob + (<usize>i << 2), m);
    }
    for (; i < inner; i++) store<f32>(ob + (<usize>i << 2), pickOne(isMax, base + (<usize>i << 2), step, size));
  }
}

/** The reference's argmax / argmin: the first index wins ties, and a NaN wins and stays. */
@inline function argOne(isMax: bool, p: usize, step: usize, size: i32): i32 {
  let best = load<f32>(p);
  let bestIdx = 0;
  p += step;
  for (let s = 1; s < size; s++, p += step) {
    if (best != best) break;
    const v = load<f32>(p);
    if ((isMax ? v > best : v < best) || v != v) {
      best = v;
      bestIdx = s;
    }
  }
  return bestIdx;
}

@inline function argRows(isMax: bool, x: usize, out: usize, outer: i32, size: i32, inner: i32): void {
  const step = <usize>inner << 2;
  if (inner < 4) {
    const total = outer * inner;
    for (let q = 0; q < total; q++) {
      const p = firstOf(x, q, size, inner);
      store<i32>(out + (<usize>q << 2), inner == 1 && size >= 16 ? argRow(isMax, p, size) : argOne(isMax, p, step, size));
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * <usize>size * step;
    const ob = out + <usize>o * step;
    let i = 0;
    for (; i + 8 <= inner; i += 8) {
      let p = base + (<usize>i << 2);
      let b0 = v128.load(p), b1 = v128.load(p, 16);
      let i0 = i32x4.splat(0), i1 = i32x4.splat(0);
      p += step;
      for (let s = 1; s < size; s++, p += step) {
        const v0 = v128.load(p), v1 = v128.load(p, 16);
        const k = i32x4.splat(s);
        // take v where (v beats best or v is NaN) and best is not NaN
        const t0 = v128.and(v128.or(isMax ? f32x4.gt(v0, b0) : f32x4.lt(v0, b0), f32x4.ne(v0, v0)), f32x4.eq(b0, b0));
        const t1 = v128.and(v128.or(isMax ? f32x4.gt(v1, b1) : f32x4.lt(v1, b1), f32x4.ne(v1, v1)), f32x4.eq(b1, b1));
        b0 = v128.bitselect(v0, b0, t0);
        b1 = v128.bitselect(v1, b1, t1);
        i0 = v128.bitselect(k, i0, t0);
        i1 = v128.bitselect(k, i1, t1);
      }
      const op = ob + (<usize>i << 2);
      v128.store(op, i0);
      v128.store(op, i1, 16);
    }
    for (; i + 4 <= inner; i += 4) {
      let p = base + (<usize>i << 2);
      let b0 = v128.load(p);
      let i0 = i32x4.splat(0);
      p += step;
      for (let s = 1; s < size; s++, p += step) {
        const v0 = v128.load(p);
        const t0 = v128.and(v128.or(isMax ? f32x4.gt(v0, b0) : f32x4.lt(v0, b0), f32x4.ne(v0, v0)), f32x4.eq(b0, b0));
        b0 = v128.bitselect(v0, b0, t0);
        i0 = v128.bitselect(i32x4.splat(s), i0, t0);
      }
      v128.store(ob + (<usize>i << 2), i0);
    }
    for (; i < inner; i++) store<i32>(ob + (<usize>i << 2), argOne(isMax, base + (<usize>i << 2), step, size));
  }
}

/**
 * Reduces x (float32) seen as [outer, size, inner] over the middle axis into out [outer, inner]:
 * float32 for sum / max / min, int32 indices for argmax / argmin. size must be >= 1.
 */
export function ew_reduce_f32(op: i32, x: usize, out: usize, outer: i32, size: i32, inner: i32): void {
  switch (op) {
    case R_SUM: sumRows(x, out, outer, size, inner); break;
    case R_MAX: extremeRows(true, x, out, outer, size, inner); break;
    case R_MIN: extremeRows(false, x, out, outer, size, inner); break;
    case R_ARGMAX: argRows(true, x, out, outer, size, inner); break;
    case R_ARGMIN: argRows(false, x, out, outer, size, inner); break;
    default: unreachable();
  }
}

// ---- ranges, for threads ---------------------------------------------------------------------------

/** ew_unary_f32 on elements begin..end only: threads share a large call by ranges. */
export function ew_unary_range_f32(op: i32, x: usize, out: usize, begin: i32, end: i32): void {
  ew_unary_f32(op, x + (<usize>begin << 2), out + (<usize>begin << 2), end - begin);
}

/**
 * out = a op b on elements begin..end of three contiguous arrays of the same length: threads share
 * a large same-shape call (a ReLU gradient, a sum of gradients) by ranges.
 */
export function ew_binary_range_f32(op: i32, a: usize, b: usize, out: usize, begin: i32, end: i32): void {
  const o = <usize>begin << 2;
  a += o;
  b += o;
  out += o;
  const n = end - begin;
  switch (op) {
    case B_ADD: binaryRow(B_ADD, 1, 1, a, 1, b, 1, out, n); break;
    case B_SUB: binaryRow(B_SUB, 1, 1, a, 1, b, 1, out, n); break;
    case B_MUL: binaryRow(B_MUL, 1, 1, a, 1, b, 1, out, n); break;
    case B_DIV: binaryRow(B_DIV, 1, 1, a, 1, b, 1, out, n); break;
    case B_POW: binaryRow(B_POW, 1, 1, a, 1, b, 1, out, n); break;
    case B_MAXIMUM: binaryRow(B_MAXIMUM, 1, 1, a, 1, b, 1, out, n); break;
    case B_MINIMUM: binaryRow(B_MINIMUM, 1, 1, a, 1, b, 1, out, n); break;
    case B_EQ: binaryRow(B_EQ, 1, 1, a, 1, b, 1, out, n); break;
    case B_NE: binaryRow(B_NE, 1, 1, a, 1, b, 1, out, n); break;
    case B_LT: binaryRow(B_LT, 1, 1, a, 1, b, 1, out, n); break;
    case B_LE: binaryRow(B_LE, 1, 1, a, 1, b, 1, out, n); break;
    case B_GT: binaryRow(B_GT, 1, 1, a, 1, b, 1, out, n); break;
    case B_GE: binaryRow(B_GE, 1, 1, a, 1, b, 1, out, n); break;
    case B_RELU_GRAD: binaryRow(B_RELU_GRAD, 1, 1, a, 1, b, 1, out, n); break;
    default: unreachable();
  }
}

/** ew_reduce_f32 on outer rows begin..end only: threads share a large reduction by rows. */
export function ew_reduce_range_f32(op: i32, x: usize, out: usize, size: i32, inner: i32, begin: i32, end: i32): void {
  ew_reduce_f32(op, x + (<usize>(begin * size * inner) << 2), out + (<usize>(begin * inner) << 2), end - begin, size, inner);
}
