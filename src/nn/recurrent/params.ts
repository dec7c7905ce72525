/** Parameter creation shared by the recurrent cells and layers. */
import type { DType } from "../../backend/types.js";
import { zeros } from "../../tensor/create.js";
import { ValueError } from "../../errors.js";
import { Parameter } from "../parameter.js";
import { uniform_ } from "../init.js";

/**
 * A parameter initialised as PyTorch's recurrent layers do: every weight and bias
 * U(−1/√hidden, +1/√hidden), drawn from the seeded default generator.
 */
export function recurrentParam(shape: number[], hidden: number, dtype: DType): Parameter {
  const p = new Parameter(zeros(shape, { dtype }));
  const bound = 1 / Math.sqrt(hidden);
  uniform_(p, -bound, bound);
  return p;
}

export function checkSize(layer: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${layer}: ${name} must be a positive integer, got ${v}`);
}
