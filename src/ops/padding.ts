/**
 * F.pad with PyTorch's modes. "constant" fills with a value (shape.ts's pad); the others fill
 * from the input itself, one dim at a time, as an index gather along that dim (indexSelect), so
 * the gradient is the matching index-add: a border cell's gradient flows back to the cell it
 * copies. For a dim of size L padded by (a, b), output position i reads input j = i - a mapped
 * into [0, L):
 *   reflect    j < 0 → -j,  j >= L → 2(L-1) - j   (mirror, the edge not repeated; a, b < L)
 *   replicate  clamp(j, 0, L-1)                     (the edge repeated)
 *   circular   j mod L                              (wrap around; a, b <= L)
 */
import { ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { indexSelect } from "./indexing.js";
import { pad as padConstant } from "./shape.js";

export type PadMode = "constant" | "reflect" | "replicate" | "circular";

const MODES: readonly PadMode[] = ["constant", "reflect", "replicate", "circular"];

/** The source index of each of the L + before + after output positions. */
function sourceIndex(mode: Exclude<PadMode, "constant">, L: number, before: number, after: number): number[] {
  return Array.from({ length: L + before + after }, (_, i) => {
    const j = i - before;
    if (mode === "replicate") return Math.min(Math.max(j, 0), L - 1);
    if (mode === "circular") return ((j % L) + L) % L;
    return j < 0 ? -j : j >= L ? 2 * (L - 1) - j : j;
  });
}

/**
 * Pads the trailing `pairs.length` dims of x, pairs in the dims' natural order (for an image:
 * [[top, bottom], [left, right]]) with a non-constant mode. `where` names the caller in errors.
 */
export function padByMode(x: Tensor, pairs: readonly (readonly [number, number])[], mode: Exclude<PadMode, "constant">, where: string): Tensor {
  const first = x.ndim - pairs.length;
  let out = x;
  pairs.forEach(([before, after], k) => {
    const d = first + k;
    const L = x.shape[d];
    if (before === 0 && after === 0) return;
    if (L === 0) throw new ValueError(`${where}: ${mode} padding needs a non-empty dim, but dim ${d} of input [${x.shape}] is empty`);
    if (mode === "reflect" && (before >= L || after >= L)) {
      throw new ValueError(`${where}: reflect padding (${before}, ${after}) of dim ${d} of input [${x.shape}] must be less than the dim's size ${L}; rule: padding < input size`);
    }
    if (mode === "circular" && (before > L || after > L)) {
      throw new ValueError(`${where}: circular padding (${before}, ${after}) of dim ${d} of input [${x.shape}] would wrap around more than once; rule: padding <= input size ${L}`);
    }
    out = indexSelect(out, d, sourceIndex(mode, L, before, after));
  });
  return out;
}

/**
 * PyTorch's F.pad(input, pad, mode, value): `padding` lists (before, after) pairs from the LAST
 * dim backwards ([left, right, top, bottom, front, back]). The third argument may also be the
 * constant value itself (Tessera's older pad(x, padding, value)).
 *
 * @example pad(x, [1, 1, 2, 0], "reflect") // x [N, C, H, W]: 1 left and right, 2 on top
 */
export function pad(x: Tensor, padding: number[], mode: PadMode | number = "constant", value = 0): Tensor {
  if (typeof mode === "number") return padConstant(x, padding, mode);
  if (!MODES.includes(mode)) throw new ValueError(`pad: mode must be one of ${MODES.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(mode)}`);
  if (mode === "constant") return padConstant(x, padding, value);
  if (padding.length % 2 !== 0 || padding.length / 2 > x.ndim) {
    throw new ValueError(`pad: padding [${padding}] must hold (before, after) pairs for at most ${x.ndim} dims`);
  }
  if (padding.some((p) => !Number.isInteger(p) || p < 0)) throw new ValueError(`pad: padding [${padding}] must be non-negative integers`);
  const dims = padding.length / 2;
  const pairs = Array.from({ length: dims }, (_, k): [number, number] => [padding[2 * (dims - 1 - k)], padding[2 * (dims - 1 - k) + 1]]);
  return padByMode(x, pairs, mode, `pad (${mode})`);
}
