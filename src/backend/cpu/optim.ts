import type { SgdStep, TypedArray } from "../types.js";

/** One SGD step in place (the formula is on Backend.sgdUpdate); same arithmetic order as the tensor form. */
export function sgdUpdateInto(p: TypedArray, g: TypedArray, buf: TypedArray | null, o: SgdStep): void {
  const { lr, momentum, dampening, weightDecay, nesterov, firstStep } = o;
  const n = p.length;
  if (!buf) {
    for (let i = 0; i < n; i++) p[i] = p[i] - (weightDecay !== 0 ? g[i] + p[i] * weightDecay : g[i]) * lr;
    return;
  }
  for (let i = 0; i < n; i++) {
    const d = weightDecay !== 0 ? g[i] + p[i] * weightDecay : g[i];
    buf[i] = firstStep ? d : buf[i] * momentum + d * (1 - dampening);
    // Read the buffer back: in float32 that is the rounded value, as every backend uses.
    p[i] = p[i] - (nesterov ? d + buf[i] * momentum : buf[i]) * lr;
  }
}
