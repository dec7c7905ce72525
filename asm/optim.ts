// Fused optimizer updates, float32, in place. The arithmetic matches the reference loop in
// src/backend/cpu/optim.ts operation for operation: JavaScript computes each step in f64 and
// rounds on store, so these loops do the same (f64 math, f32 storage) and results are
// bit-identical across backends. Four floats at a time go through two f64x2 halves with separate
// multiplies and adds (no fused multiply-add, which would round differently); the tail is scalar.

import { narrow, widenHi, widenLo } from "./f64-lanes";

// A parameter half after a step of `step` (f64x2): p - step · lr.
@inline function descend(pv: v128, step: v128, lr: v128): v128 {
  return f64x2.sub(pv, f64x2.mul(step, lr));
}

export function sgd_f32(p: usize, g: usize, buf: usize, n: i32, lr: f64, momentum: f64, dampening: f64, weightDecay: f64, nesterov: bool, firstStep: bool): void {
  const lrv = f64x2.splat(lr), mom = f64x2.splat(momentum), damp1 = f64x2.splat(1 - dampening), decay = f64x2.splat(weightDecay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const p4 = v128.load(p + o), g4 = v128.load(g + o);
    const pLo = widenLo(p4), pHi = widenHi(p4);
    let dLo = widenLo(g4), dHi = widenHi(g4);
    if (weightDecay != 0) {
      dLo = f64x2.add(dLo, f64x2.mul(pLo, decay));
      dHi = f64x2.add(dHi, f64x2.mul(pHi, decay));
    }
    if (buf == 0) {
      v128.store(p + o, narrow(descend(pLo, dLo, lrv), descend(pHi, dHi, lrv)));
      continue;
    }
    let bLo = dLo, bHi = dHi;
    if (!firstStep) {
      const b4 = v128.load(buf + o);
      bLo = f64x2.add(f64x2.mul(widenLo(b4), mom), f64x2.mul(dLo, damp1));
      bHi = f64x2.add(f64x2.mul(widenHi(b4), mom), f64x2.mul(dHi, damp1));
    }
    // The buffer is stored as f32 and read back rounded, as in the reference.
    const bf = narrow(bLo, bHi);
    v128.store(buf + o, bf);
    bLo = widenLo(bf);
    bHi = widenHi(bf);
    if (nesterov) {
      bLo = f64x2.add(dLo, f64x2.mul(bLo, mom));
      bHi = f64x2.add(dHi, f64x2.mul(bHi, mom));
    }
    v128.store(p + o, narrow(descend(pLo, bLo, lrv), descend(pHi, bHi, lrv)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pv = <f64>load<f32>(p + o);
    // Each intermediate is rounded to f32 where the reference stores to a Float32Array.
    let d = <f64>load<f32>(g + o);
    if (weightDecay != 0) d = d + pv * weightDecay;
    if (buf == 0) {
      store<f32>(p + o, <f32>(pv - d * lr));
      continue;
    }
    const b = firstStep ? d : <f64>load<f32>(buf + o) * momentum + d * (1 - dampening);
    const bf = <f32>b;
    store<f32>(buf + o, bf);
    store<f32>(p + o, <f32>(pv - (nesterov ? d + <f64>bf * momentum : <f64>bf) * lr));
  }
}
