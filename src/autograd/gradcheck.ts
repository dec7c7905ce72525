/**
 * Gradient checking, the lectures' safeguard for a hand-written backward: compare the analytic
 * Jacobian from backward() with central differences (f(x+eps) - f(x-eps)) / 2eps, in float64.
 */
import { AutogradError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { tensor } from "../tensor/create.js";

export interface GradcheckOptions {
  /** Finite-difference step. */
  eps?: number;
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance. */
  rtol?: number;
}

export class GradcheckError extends AutogradError {}

/**
 * Checks d fn(inputs) / d input for every input that requires grad, element by element. Inputs
 * must be float64 (float32 differences are too coarse). Returns true or throws a
 * `GradcheckError` naming the input, the element and both values — like PyTorch's gradcheck.
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): true {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  inputs.forEach((t, i) => {
    if (t.requiresGrad && t.dtype !== "float64") throw new GradcheckError(`gradcheck: input ${i} is ${t.dtype}; use float64 inputs (tensor(..., { dtype: "float64" }))`);
  });
  const values = inputs.map((t) => Float64Array.from(t.data()));
  const rebuild = (k: number, data: Float64Array) =>
    inputs.map((t, i) => (i === k ? tensor(data, { shape: t.shape, dtype: t.dtype, requiresGrad: t.requiresGrad }) : leafCopy(t)));

  const out0 = fn(...inputs.map(leafCopy));
  const nOut = out0.numel;

  // Analytic Jacobian, one row per output element: backward with a one-hot gradient.
  const analytic = inputs.map((t) => (t.requiresGrad ? new Float64Array(nOut * t.numel) : null));
  for (let o = 0; o < nOut; o++) {
    const leaves = inputs.map(leafCopy);
    const out = fn(...leaves);
    if (!out.requiresGrad) throw new GradcheckError("gradcheck: the function's output does not require grad; no input reaches it");
    const onehot = new Float64Array(nOut);
    onehot[o] = 1;
    out.backward(tensor(onehot, { shape: out.shape, dtype: out.dtype }));
    leaves.forEach((leaf, i) => {
      const row = analytic[i];
      if (!row) return;
      const g = leaf.grad ? leaf.grad.data() : new Float64Array(leaf.numel);
      for (let j = 0; j < leaf.numel; j++) row[j * nOut + o] = g[j];
    });
  }

  // Numerical Jacobian, one column per input element, and the comparison.
  inputs.forEach((t, i) => {
    const row = analytic[i];
    if (!row) return;
    for (let j = 0; j < t.numel; j++) {
      const data = values[i].slice();
      data[j] = values[i][j] + eps;
      const plus = fn(...rebuild(i, data)).data();
      data[j] = values[i][j] - eps;
      const minus = fn(...rebuild(i, data)).data();
      for (let o = 0; o < nOut; o++) {
        const numeric = (plus[o] - minus[o]) / (2 * eps);
        const exact = row[j * nOut + o];
        if (!(Math.abs(numeric - exact) <= atol + rtol * Math.abs(numeric))) {
          throw new GradcheckError(
            `gradcheck: d output[${o}] / d input ${i}[${j}] (input shape [${t.shape}]): analytic ${exact}, numerical ${numeric} (atol ${atol}, rtol ${rtol})`,
          );
        }
      }
    }
  });
  return true;
}

/** A fresh leaf with the same data and requiresGrad, so each trial has its own graph. */
function leafCopy(t: Tensor): Tensor {
  const c = t.detach();
  c.requiresGrad = t.requiresGrad;
  return c;
}
