/** Timing helpers: warm up, then repeat until a time budget is spent, and report the rate. */

export interface Rate {
  /** Work units (images, FLOPs) per second. */
  perSecond: number;
  /** The same over the fastest single step: what the code gives when the VM leaves it alone. */
  bestPerSecond: number;
  iterations: number;
  seconds: number;
}

/** Runs `step` (which does `unitsPerStep` units of work) for about `budgetSeconds`. */
export function measure(step: () => void, unitsPerStep: number, budgetSeconds = 3, warmup = 3): Rate {
  for (let i = 0; i < warmup; i++) step();
  const start = performance.now();
  let iterations = 0;
  let fastest = Infinity;
  while (performance.now() - start < budgetSeconds * 1000) {
    const begin = performance.now();
    step();
    fastest = Math.min(fastest, performance.now() - begin);
    iterations++;
  }
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: (iterations * unitsPerStep) / seconds, bestPerSecond: unitsPerStep / (fastest / 1000), iterations, seconds };
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
