/**
 * Checking and drawing the parameters of random transforms. The conventions are torchvision's:
 * a single number d stands for the range [−d, d] and must be ≥ 0; a pair is [min, max].
 */
import { ValueError } from "../../errors.js";
import type { Generator } from "../../random.js";

export type Range = readonly [number, number];

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.join(", ")}]` : String(v));

/** `d` → [−d, d] (d ≥ 0), `[a, b]` → [a, b] (a ≤ b); finite numbers only. */
export function symmetricRange(name: string, option: string, value: number | readonly number[]): Range {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      throw new ValueError(`${name}: ${option} given as one number d means the range [-d, d], so it must be a finite number >= 0, got ${value}`);
    }
    return [-value, value];
  }
  return orderedPair(name, option, value);
}

/** A finite pair [a, b] with a ≤ b. */
export function orderedPair(name: string, option: string, value: readonly number[]): Range {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw new ValueError(`${name}: ${option} must be a number or a pair [min, max] of finite numbers, got ${show(value)}`);
  }
  if (value[0] > value[1]) throw new ValueError(`${name}: ${option} range ${show(value)} must have min <= max`);
  return [value[0], value[1]];
}

/** A probability in [0, 1]. */
export function probability(name: string, p: number): number {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new ValueError(`${name}: p is a probability and must lie in [0, 1], got ${p}`);
  return p;
}

/** A positive range [a, b], 0 < a ≤ b (scale factors: sampled log-uniformly). */
export function positiveRange(name: string, option: string, value: readonly number[]): Range {
  const [a, b] = orderedPair(name, option, value);
  if (!(a > 0)) throw new ValueError(`${name}: ${option} range ${show(value)} holds scale factors, which must be > 0`);
  return [a, b];
}

/** A stretch factor s ≥ 1 → [1/s, s]; or an explicit positive range. */
export function stretchRange(name: string, value: number | readonly number[]): Range {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 1) {
      throw new ValueError(`${name}: stretch given as one factor s means the range [1/s, s], so it must be a finite number >= 1, got ${value}`);
    }
    return [1 / value, value];
  }
  return positiveRange(name, "stretch", value);
}

/** Checks that a shear angle range lies strictly inside (−90°, 90°), where tan is finite. */
export function shearAngles(name: string, range: Range): Range {
  if (!(range[0] > -90 && range[1] < 90)) throw new ValueError(`${name}: shear angles must lie strictly between -90 and 90 degrees, got [${range.join(", ")}]`);
  return range;
}

/** Uniform in [lo, hi]. */
export function uniformIn(gen: Generator, [lo, hi]: Range): number {
  return lo + (hi - lo) * gen.uniform();
}

/**
 * Log-uniform in [lo, hi] (0 < lo ≤ hi): exp(U(log lo, log hi)). For scale factors this is the
 * right prior — shrinking by 1/s is as likely as growing by s — which is why the lectures sample
 * rescaling and stretching "log-uniform" (lecture 002, "Data Augmentation").
 */
export function logUniformIn(gen: Generator, [lo, hi]: Range): number {
  const u = gen.uniform();
  // (exp(log s) need not give s back exactly; a fixed factor should.)
  return lo === hi ? lo : Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * u);
}
