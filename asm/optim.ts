// Fused optimizer updates, float32, in place. The arithmetic matches the reference loop in
// src/backend/cpu/optim.ts operation for operation: JavaScript computes each step in f64 and
// rounds on store, so the scalar loop here does the same (f64 math, f32 storage) and results are
// bit-identical across backends.

export function sgd_f32(p: usize, g: usize, buf: usize, n: i32, lr: f64, momentum: f64, dampening: f64, weightDecay: f64, nesterov: bool, firstStep: bool): void {
  for (let i = 0; i < n; i++) {
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
