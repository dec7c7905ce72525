export { contiguousStrides } from "../layout.js";

/**
 * Merges neighbouring axes that every view walks as one (stride[i] = stride[i+1] * shape[i+1]),
 * and drops size-1 axes, so the loops below run over as few, as long, rows as possible.
 * Returns the merged shape and, per view, its merged strides.
 */
export function collapse(shape: readonly number[], stridesList: (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = stridesList.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    const mergeable =
      last >= 0 && stridesList.every((st, v) => outStrides[v][last] === st[d] * shape[d]);
    if (mergeable) {
      outShape[last] *= shape[d];
      stridesList.forEach((st, v) => (outStrides[v][last] = st[d]));
    } else {
      outShape.push(shape[d]);
      stridesList.forEach((st, v) => outStrides[v].push(st[d]));
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    stridesList.forEach((_, v) => outStrides[v].push(0));
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Walks all but the last axis of `shape`, calling `row(offsets, n)` once per innermost row with
 * each view's starting offset. The caller's loop runs along the row with the views' last strides:
 * one call per row, never one per element.
 */
export function forEachRow(
  shape: readonly number[],
  views: { strides: readonly number[]; offset: number }[],
  row: (offsets: number[]) => void,
): void {
  const rank = shape.length;
  const nViews = views.length;
  const offsets = views.map((v) => v.offset);
  if (rank <= 1) {
    row(offsets);
    return;
  }
  const counter = new Array<number>(rank - 1).fill(0);
  for (;;) {
    row(offsets);
    let d = rank - 2;
    for (; d >= 0; d--) {
      counter[d]++;
      for (let v = 0; v < nViews; v++) offsets[v] += views[v].strides[d];
      if (counter[d] < shape[d]) break;
      for (let v = 0; v < nViews; v++) offsets[v] -= views[v].strides[d] * shape[d];
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}
