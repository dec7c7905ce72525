/**
 * The output-size arithmetic of sliding windows, exactly as the lectures give it and PyTorch
 * computes it: out = floor((in + padBefore + padAfter - dilation*(kernel-1) - 1) / stride) + 1.
 * Every impossible geometry is refused here with the rule that failed.
 */
import { ValueError, ShapeError } from "../errors.js";

export type Pair = number | [number, number];

export function pair(v: Pair, name: string, op: string): [number, number] {
  const p: [number, number] = typeof v === "number" ? [v, v] : [v[0], v[1]];
  if (p.length !== 2 || p.some((x) => !Number.isInteger(x))) throw new ValueError(`${op}: ${name} must be an integer or a pair of integers, got ${JSON.stringify(v)}`);
  return p;
}

export function positivePair(v: Pair, name: string, op: string): [number, number] {
  const p = pair(v, name, op);
  if (p[0] < 1 || p[1] < 1) throw new ValueError(`${op}: ${name} must be >= 1, got ${JSON.stringify(v)}`);
  return p;
}

/** Output length of a window sweep; throws when the window does not fit even once. */
export function convOutputSize(inSize: number, kernel: number, stride: number, padBefore: number, padAfter: number, dilation: number, where: string): number {
  const span = dilation * (kernel - 1) + 1;
  const padded = inSize + padBefore + padAfter;
  if (span > padded) {
    throw new ShapeError(`${where}: the kernel spans ${span} (kernel ${kernel}, dilation ${dilation}) but the padded input is only ${padded} (input ${inSize} + padding ${padBefore}+${padAfter}); rule: dilation*(kernel-1)+1 <= input + padding`);
  }
  return Math.floor((padded - span) / stride) + 1;
}

/**
 * Pooling output length with PyTorch's ceilMode rule: rounding up may add one window, but never
 * one that would start in the right padding.
 */
export function poolOutputSize(inSize: number, kernel: number, stride: number, pad: number, dilation: number, ceilMode: boolean, where: string): number {
  if (pad > Math.floor(kernel / 2)) {
    throw new ValueError(`${where}: padding ${pad} exceeds half the kernel size ${kernel}; rule: padding <= kernel/2`);
  }
  const span = dilation * (kernel - 1) + 1;
  const numer = inSize + 2 * pad - span;
  if (numer < 0) {
    throw new ShapeError(`${where}: the window spans ${span} but the padded input is only ${inSize + 2 * pad}; rule: dilation*(kernel-1)+1 <= input + 2*padding`);
  }
  let out = (ceilMode ? Math.ceil(numer / stride) : Math.floor(numer / stride)) + 1;
  if (ceilMode && (out - 1) * stride >= inSize + pad) out--;
  return out;
}
