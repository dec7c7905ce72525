/**
 * The padding of a convolution, in every form a user may write it, resolved to (before, after)
 * amounts per spatial dim. The forms, for a convolution over `dims` spatial dims:
 *
 * - `p` (a number): p zeros before and after every spatial dim (PyTorch's int).
 * - `[pH, pW]` (one number per dim): pH above and below, pW left and right (PyTorch's tuple).
 * - `[[top, bottom], [left, right]]` (one entry per dim, each a number or a [before, after] pair):
 *   asymmetric padding side by side; entries may mix, e.g. `[1, [0, 2]]`. A Conv1d also takes a
 *   bare `[left, right]`. The order is the spatial dims' (depth, height, width), NOT F.pad's
 *   last-dim-first order.
 * - `{ total: p }` or `{ total: [pH, pW] }`: the lectures' total padding p of a dim (their
 *   o = ⌊(l + p - k)/s⌋ + 1), split as they do: ⌊p/2⌋ before and ⌈p/2⌉ after.
 * - `"valid"`: none.
 * - `"same"`: an output of ⌈l/s⌉ (= l at stride 1). The total is p = max(s(o - 1) + d(k - 1) + 1 - l, 0),
 *   ⌊p/2⌋ before and the odd pixel after. At stride 1 this is PyTorch's rule (p = d(k - 1)); for
 *   stride > 1 it is TensorFlow's, which needs the input size and so resolves at the forward.
 *   Like TensorFlow, "same" with stride > 1 AND dilation > 1 is refused.
 * - `"full"`: d(k - 1) on both sides, so every partial overlap of kernel and input is an output
 *   (o = l + d(k - 1) at stride 1).
 */
import { ValueError } from "../errors.js";

/** One spatial dim's padding: the same on both sides, or [before, after]. */
export type SidePadding = number | readonly [number, number];

export type ConvPadding = number | readonly SidePadding[] | { readonly total: number | readonly number[] } | "valid" | "same" | "full";

/** How a convolution fills its padding (PyTorch's padding_mode). */
export type PaddingMode = "zeros" | "reflect" | "replicate" | "circular";

export const PADDING_MODES: readonly PaddingMode[] = ["zeros", "reflect", "replicate", "circular"];

/** The window facts padding depends on, one entry per spatial dim. */
export interface ConvGeometry {
  kernel: readonly number[];
  stride: readonly number[];
  dilation: readonly number[];
}

const show = (v: unknown) => JSON.stringify(v);

/** One integer per spatial dim from a number or a list of `n` numbers. */
export function ntuple(v: number | readonly number[], n: number, name: string, where: string): number[] {
  const t = typeof v === "number" ? new Array<number>(n).fill(v) : [...v];
  if (!Array.isArray(t) || t.length !== n || t.some((x) => !Number.isInteger(x))) {
    throw new ValueError(`${where}: ${name} must be an integer or a list of ${n} integers, got ${show(v)}`);
  }
  return t;
}

/** As ntuple, every entry >= 1 (strides, dilations, kernel sizes). */
export function positiveNtuple(v: number | readonly number[], n: number, name: string, where: string): number[] {
  const t = ntuple(v, n, name, where);
  if (t.some((x) => x < 1)) throw new ValueError(`${where}: ${name} must be >= 1, got ${show(v)}`);
  return t;
}

export function checkPaddingMode(mode: string, where: string): PaddingMode {
  if (!(PADDING_MODES as readonly string[]).includes(mode)) {
    throw new ValueError(`${where}: paddingMode must be one of ${PADDING_MODES.map((m) => `"${m}"`).join(", ")}, got ${show(mode)}`);
  }
  return mode as PaddingMode;
}

/** Padding from explicit numbers: a number, one entry per dim, or (1-D) a bare [left, right]. */
function explicit(padding: number | readonly SidePadding[], dims: number, where: string): [number, number][] {
  const bad = () => new ValueError(`${where}: padding must be a number, one entry per spatial dim (${dims}) each a number or a [before, after] pair, "valid", "same", "full" or { total }, got ${show(padding)}`);
  let entries: readonly SidePadding[];
  if (typeof padding === "number") entries = new Array<number>(dims).fill(padding);
  else if (!Array.isArray(padding)) throw bad();
  else if (dims === 1 && padding.length === 2 && padding.every((p) => typeof p === "number")) entries = [padding as unknown as [number, number]];
  else entries = padding;
  if (entries.length !== dims) throw bad();
  const pairs = entries.map((e): [number, number] => {
    if (typeof e === "number") return [e, e];
    if (Array.isArray(e) && e.length === 2) return [e[0], e[1]];
    throw bad();
  });
  if (pairs.some(([a, b]) => !Number.isInteger(a) || !Number.isInteger(b))) throw bad();
  if (pairs.some(([a, b]) => a < 0 || b < 0)) throw new ValueError(`${where}: padding must be >= 0, got ${show(padding)}`);
  return pairs;
}

/**
 * (before, after) per spatial dim. Returns null only for "same" with a stride > 1 when `input`
 * (the spatial input sizes) is not given yet: that form needs it. Call with `input` null at
 * construction to validate the form, with the input sizes at the forward.
 */
export function resolvePadding(padding: ConvPadding, g: ConvGeometry, input: readonly number[] | null, where: string): [number, number][] | null {
  const dims = g.kernel.length;
  const span = (i: number) => g.dilation[i] * (g.kernel[i] - 1) + 1;
  if (padding === "valid") return g.kernel.map((): [number, number] => [0, 0]);
  if (padding === "full") return g.kernel.map((_, i): [number, number] => [span(i) - 1, span(i) - 1]);
  if (padding === "same") {
    const strided = g.stride.some((s) => s > 1);
    if (strided && g.dilation.some((d) => d > 1)) {
      throw new ValueError(
        `${where}: padding "same" with stride [${g.stride}] follows TensorFlow's rule, which (as in TensorFlow) is not defined with dilation [${g.dilation}]; rule: "same" needs stride 1 or dilation 1 (give explicit padding instead)`,
      );
    }
    if (strided && !input) return null;
    return g.kernel.map((_, i): [number, number] => {
      // At stride 1, o = l and p = d(k-1) whatever l is.
      const total = input ? Math.max(g.stride[i] * (Math.ceil(input[i] / g.stride[i]) - 1) + span(i) - input[i], 0) : span(i) - 1;
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
  }
  if (typeof padding === "string") throw new ValueError(`${where}: padding must be a number, a list, "valid", "same", "full" or { total }, got ${show(padding)}`);
  if (typeof padding === "object" && !Array.isArray(padding)) {
    const total = (padding as { total?: unknown }).total;
    if (total === undefined) throw new ValueError(`${where}: a padding object must be { total: p } or { total: [p per dim] }, got ${show(padding)}`);
    const t = ntuple(total as number | number[], dims, "padding total", where);
    if (t.some((p) => p < 0)) throw new ValueError(`${where}: padding must be >= 0, got ${show(padding)}`);
    return t.map((p): [number, number] => [Math.floor(p / 2), Math.ceil(p / 2)]);
  }
  return explicit(padding as number | readonly SidePadding[], dims, where);
}
