// Four f32 lanes as two f64x2 halves and back: the kernels that must reproduce the reference's
// f64 arithmetic bit for bit (reductions, optimizer updates) widen, compute in f64, and round
// once on the way back, as JavaScript does when it stores to a Float32Array.

/** Lanes 0 and 1 of v, as f64. */
@inline export function widenLo(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2 and 3 of v, as f64. */
@inline export function widenHi(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 2, 3));
}

/** Two f64x2 halves rounded to f32, back into one f32x4. */
@inline export function narrow(lo: v128, hi: v128): v128 {
  return f32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}
