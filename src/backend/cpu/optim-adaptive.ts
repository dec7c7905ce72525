/**
 * The adaptive optimizer updates (Backend.optimUpdate) in place, one loop per rule. Each loop
 * does PyTorch 1.13's single-tensor operations in the same order (`a.mul_(β).add_(g, alpha=1−β)`
 * is `a·β + (1−β)·g`, `addcmul_(x, y, value=c)` is `+ c·x·y`, `addcdiv_(x, y, value=c)` is
 * `+ c·x / y`), so float64 results agree with PyTorch to rounding. In float32 the intermediates
 * are doubles and only the stored values are rounded, on every backend alike.
 */
import type { AdadeltaRule, AdagradRule, AdamaxRule, AdamRule, NadamRule, OptimRule, RmspropRule, TypedArray } from "../types.js";
import { ValueError } from "../../errors.js";

export function optimUpdateInto(p: TypedArray, g: TypedArray, state: Record<string, TypedArray>, rule: OptimRule): void {
  switch (rule.kind) {
    case "adagrad":
      return adagrad(p, g, need(state, "sum", p), rule);
    case "adadelta":
      return adadelta(p, g, need(state, "squareAvg", p), need(state, "accDelta", p), rule);
    case "rmsprop":
      return rmsprop(p, g, need(state, "squareAvg", p), rule.centered ? need(state, "gradAvg", p) : null, rule.momentum > 0 ? need(state, "momentumBuffer", p) : null, rule);
    case "adam":
      return adam(p, g, need(state, "expAvg", p), need(state, "expAvgSq", p), rule.amsgrad ? need(state, "maxExpAvgSq", p) : null, rule);
    case "adamax":
      return adamax(p, g, need(state, "expAvg", p), need(state, "expInf", p), rule);
    case "nadam":
      return nadam(p, g, need(state, "expAvg", p), need(state, "expAvgSq", p), rule);
  }
}

/** A state buffer the rule needs, with the parameter's size (a missing one is a library bug). */
function need(state: Record<string, TypedArray>, name: string, p: TypedArray): TypedArray {
  const b = state[name];
  if (!b || b.length !== p.length) throw new ValueError(`optimUpdate: state buffer ${name} is ${b ? `of size ${b.length}` : "missing"}, the parameter has ${p.length} elements`);
  return b;
}

function adagrad(p: TypedArray, grad: TypedArray, sum: TypedArray, o: AdagradRule): void {
  const { clr, eps, weightDecay } = o;
  for (let i = 0; i < p.length; i++) {
    const g = weightDecay !== 0 ? grad[i] + weightDecay * p[i] : grad[i];
    sum[i] = sum[i] + g * g;
    p[i] = p[i] + (-clr * g) / (Math.sqrt(sum[i]) + eps);
  }
}

function adadelta(p: TypedArray, grad: TypedArray, v: TypedArray, u: TypedArray, o: AdadeltaRule): void {
  const { lr, rho, eps, weightDecay } = o;
  for (let i = 0; i < p.length; i++) {
    const g = weightDecay !== 0 ? grad[i] + weightDecay * p[i] : grad[i];
    v[i] = v[i] * rho + (1 - rho) * g * g;
    const delta = (Math.sqrt(u[i] + eps) / Math.sqrt(v[i] + eps)) * g;
    u[i] = u[i] * rho + (1 - rho) * delta * delta;
    p[i] = p[i] + -lr * delta;
  }
}

function rmsprop(p: TypedArray, grad: TypedArray, v: TypedArray, a: TypedArray | null, b: TypedArray | null, o: RmspropRule): void {
  const { lr, alpha, eps, weightDecay, momentum } = o;
  for (let i = 0; i < p.length; i++) {
    const g = weightDecay !== 0 ? grad[i] + weightDecay * p[i] : grad[i];
    v[i] = v[i] * alpha + (1 - alpha) * g * g;
    let d: number;
    if (a) {
      a[i] = a[i] * alpha + (1 - alpha) * g;
      d = Math.sqrt(v[i] + -1 * a[i] * a[i]) + eps;
    } else {
      d = Math.sqrt(v[i]) + eps;
    }
    if (b) {
      b[i] = b[i] * momentum + g / d;
      p[i] = p[i] + -lr * b[i];
    } else {
      p[i] = p[i] + (-lr * g) / d;
    }
  }
}

function adam(p: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, vMax: TypedArray | null, o: AdamRule): void {
  const { beta1, beta2, eps, weightDecay, decay, stepSize, bc2Sqrt } = o;
  for (let i = 0; i < p.length; i++) {
    if (decay !== 1) p[i] = p[i] * decay;
    const g = weightDecay !== 0 ? grad[i] + weightDecay * p[i] : grad[i];
    m[i] = m[i] * beta1 + (1 - beta1) * g;
    v[i] = v[i] * beta2 + (1 - beta2) * g * g;
    let second = v[i];
    if (vMax) {
      // NaN propagates, as torch.maximum does.
      vMax[i] = Math.max(vMax[i], v[i]);
      second = vMax[i];
    }
    p[i] = p[i] + (-stepSize * m[i]) / (Math.sqrt(second) / bc2Sqrt + eps);
  }
}

function adamax(p: TypedArray, grad: TypedArray, m: TypedArray, u: TypedArray, o: AdamaxRule): void {
  const { beta1, beta2, eps, weightDecay, clr } = o;
  for (let i = 0; i < p.length; i++) {
    const g = weightDecay !== 0 ? grad[i] + weightDecay * p[i] : grad[i];
    m[i] = m[i] * beta1 + (1 - beta1) * g;
    u[i] = Math.max(u[i] * beta2, Math.abs(g) + eps);
    p[i] = p[i] + (-clr * m[i]) / u[i];
  }
}

function nadam(p: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, o: NadamRule): void {
  const { beta1, beta2, eps, weightDecay, bc2, gradCoef, avgCoef } = o;
  for (let i = 0; i < p.length; i++) {
    const g = weightDecay !== 0 ? grad[i] + weightDecay * p[i] : grad[i];
    m[i] = m[i] * beta1 + (1 - beta1) * g;
    v[i] = v[i] * beta2 + (1 - beta2) * g * g;
    const d = Math.sqrt(v[i] / bc2) + eps;
    p[i] = p[i] + (gradCoef * g) / d;
    p[i] = p[i] + (avgCoef * m[i]) / d;
  }
}
