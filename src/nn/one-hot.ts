import { Tensor } from "../tensor/tensor.js";
import { ValueError } from "../errors.js";
import { getBackend } from "../backend/registry.js";
import type { DType } from "../backend/types.js";

/**
 * Integer labels [...] → one-hot [..., numClasses] (float32 by default, since it is usually a
 * regression target, e.g. for Nielsen's quadratic cost).
 */
export function oneHot(labels: Tensor, numClasses: number, dtype: DType = "float32"): Tensor {
  if (labels.dtype !== "int32") throw new ValueError(`oneHot: labels must be int32, got ${labels.dtype}`);
  const src = labels.data();
  const out = new Float64Array(src.length * numClasses);
  for (let i = 0; i < src.length; i++) {
    if (src[i] < 0 || src[i] >= numClasses) throw new ValueError(`oneHot: label ${src[i]} at position ${i} is outside 0..${numClasses - 1}`);
    out[i * numClasses + src[i]] = 1;
  }
  return new Tensor(getBackend().fromArray(out, dtype), [...labels.shape, numClasses]);
}
