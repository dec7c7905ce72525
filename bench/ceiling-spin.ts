/**
 * The loop that measures the WebAssembly SIMD ceiling: multiply-adds on ten independent f32x4
 * registers, with no memory traffic, so nothing but the engine's code and the core limit it.
 * Ten accumulators cover the multiply-add latency; V8 keeps more than about twelve live vectors
 * only by spilling them.
 */
export const PEAK_SOURCE = `
export function peak(iterations: i32, s: f32): f32 {
  const x = f32x4.splat(s), y = f32x4.splat(1.0000001);
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0), c4 = f32x4.splat(0);
  let c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0), c8 = f32x4.splat(0), c9 = f32x4.splat(0);
  for (let i = 0; i < iterations; i++) {
    c0 = MADD(x, y, c0); c1 = MADD(x, y, c1); c2 = MADD(x, y, c2); c3 = MADD(x, y, c3); c4 = MADD(x, y, c4);
    c5 = MADD(x, y, c5); c6 = MADD(x, y, c6); c7 = MADD(x, y, c7); c8 = MADD(x, y, c8); c9 = MADD(x, y, c9);
  }
  const t = f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(f32x4.add(c6, c7), f32x4.add(c8, c9))));
  return f32x4.extract_lane(t, 0);
}
@inline function MADD(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}
`;

/** Floating-point operations per loop iteration: ten f32x4 multiply-adds. */
const FLOPS_PER_ITERATION = 10 * 4 * 2;

type Peak = (iterations: number, s: number) => number;

/**
 * Instantiates the compiled loop and runs it until V8 has compiled it with TurboFan. Liftoff (V8's
 * first tier) runs this loop at a fifth of the speed, and how long the optimized code takes to
 * arrive depends on what else the background compiler has queued (a fixed 0.3 s was sometimes
 * not enough), so short calls continue until the rate stops rising: two 50 ms bursts in a row
 * within 5 % of each other, or 5 s.
 */
export function warmPeak(bytes: Uint8Array<ArrayBuffer>): Peak {
  const peak = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.peak as Peak;
  const start = performance.now();
  let last = 0;
  while (performance.now() - start < 5000) {
    const rate = burstRate(peak, 50, 10_000);
    if (rate > 5 * last) last = rate; // still in the first tier: no comparison yet
    else if (Math.abs(rate - last) <= 0.05 * last) return peak;
    else last = rate;
  }
  return peak;
}

/** GFLOP/s of calls of `iterations` repeated for about `ms` milliseconds. */
function burstRate(peak: Peak, ms: number, iterations: number): number {
  const begin = performance.now();
  let calls = 0;
  while (performance.now() - begin < ms) {
    peak(iterations, 1);
    calls++;
  }
  return (calls * iterations * FLOPS_PER_ITERATION) / ((performance.now() - begin) / 1000) / 1e9;
}

/**
 * GFLOP/s of the loop on this thread: the best of the 0.1 s bursts in about `seconds`. A ceiling
 * is what the core gives when nothing else takes it, so the best burst, not the mean (this VM
 * loses whole tens of milliseconds to its neighbours).
 */
export function spin(peak: Peak, seconds: number): number {
  const start = performance.now();
  let best = 0;
  while (performance.now() - start < seconds * 1000) best = Math.max(best, burstRate(peak, 100, 200_000));
  return best;
}
