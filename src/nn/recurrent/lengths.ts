/**
 * Variable-length batches by masking: for lengths ℓ_b, step t of sequence b is valid when
 * t < ℓ_b. A sequence layer advances a state only on valid steps (h ← h + m⊙(h' − h)) and writes
 * m⊙h' as output, so padded steps leave the states untouched, outputs there are zero, the final
 * state is the one at each sequence's last valid step, and the reverse direction (which walks
 * t = T−1 … 0) starts from the initial state at each sequence's own last step — the results of
 * PyTorch's pack_padded_sequence, with the padding values never read into anything.
 */
import type { Tensor } from "../../tensor/tensor.js";
import { tensor } from "../../tensor/create.js";
import { ShapeError, ValueError } from "../../errors.js";

/** One [batch, 1] 0/1 mask per time step in x's dtype, or null when every step is valid. */
export function stepMasks(layer: string, lengths: Tensor | number[] | undefined, T: number, B: number, like: Tensor): Tensor[] | null {
  if (lengths === undefined) return null;
  const values = Array.isArray(lengths) ? lengths : Array.from(lengths.data());
  if (!Array.isArray(lengths) && lengths.ndim !== 1) throw new ShapeError(`${layer}: lengths must be 1-D [batch], got [${lengths.shape}]`);
  if (values.length !== B) throw new ShapeError(`${layer}: lengths has ${values.length} entries but the batch holds ${B} sequences`);
  for (const v of values) {
    if (!Number.isInteger(v) || v < 1 || v > T) throw new ValueError(`${layer}: every length must be an integer in [1, ${T}] (the padded sequence length), got ${v}`);
  }
  if (values.every((v) => v === T)) return null;
  const masks: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const m = like.dtype === "float64" ? new Float64Array(B) : new Float32Array(B);
    for (let b = 0; b < B; b++) m[b] = t < values[b] ? 1 : 0;
    masks.push(tensor(m, { shape: [B, 1], dtype: like.dtype }));
  }
  return masks;
}
