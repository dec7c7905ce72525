import type { Tensor } from "../tensor/tensor.js";
import { fold, unfold, type FoldOptions } from "../ops/fold.js";
import { pair, positivePair, type Pair } from "../ops/window.js";
import { ValueError } from "../errors.js";
import { Module } from "./module.js";

export type UnfoldOptions = Omit<FoldOptions, "name">;

/** Checks the geometry at construction, so a bad layer fails where it is built. */
function checkGeometry(kernelSize: Pair, o: UnfoldOptions, where: string): void {
  positivePair(kernelSize, "kernelSize", where);
  positivePair(o.dilation ?? 1, "dilation", where);
  positivePair(o.stride ?? 1, "stride", where);
  const p = pair(o.padding ?? 0, "padding", where);
  if (p[0] < 0 || p[1] < 0) throw new ValueError(`${where}: padding must be >= 0, got ${JSON.stringify(o.padding)}`);
}

function describeGeometry(kernel: Pair, o: UnfoldOptions): string {
  const parts = [`kernelSize=${JSON.stringify(kernel)}`];
  if (o.dilation !== undefined) parts.push(`dilation=${JSON.stringify(o.dilation)}`);
  if (o.padding !== undefined) parts.push(`padding=${JSON.stringify(o.padding)}`);
  if (o.stride !== undefined) parts.push(`stride=${JSON.stringify(o.stride)}`);
  return parts.join(", ");
}

/** F.unfold as a layer (im2col): [N, C, H, W] → [N, C·kH·kW, L]. */
export class Unfold extends Module {
  constructor(
    readonly kernelSize: Pair,
    readonly options: UnfoldOptions = {},
  ) {
    super();
    checkGeometry(kernelSize, options, "Unfold");
  }
  forward(x: Tensor): Tensor {
    return unfold(x, this.kernelSize, { ...this.options, name: this.describe() });
  }
  override extraRepr(): string {
    return describeGeometry(this.kernelSize, this.options);
  }
}

/** F.fold as a layer (col2im): [N, C·kH·kW, L] → [N, C, outputSize...], overlaps summed. */
export class Fold extends Module {
  constructor(
    readonly outputSize: Pair,
    readonly kernelSize: Pair,
    readonly options: UnfoldOptions = {},
  ) {
    super();
    checkGeometry(kernelSize, options, "Fold");
    positivePair(outputSize, "outputSize", "Fold");
  }
  forward(x: Tensor): Tensor {
    return fold(x, this.outputSize, this.kernelSize, { ...this.options, name: this.describe() });
  }
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}, ${describeGeometry(this.kernelSize, this.options)}`;
  }
}
