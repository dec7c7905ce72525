import type { Tensor } from "../tensor/tensor.js";
import { convTranspose1d, convTranspose2d, convTransposeGeometry, type ConvTransposeOptions } from "../ops/conv-transpose.js";
import { positiveNtuple, type SidePadding } from "../ops/conv-padding.js";
import { ValueError } from "../errors.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { zeros } from "../tensor/create.js";
import { pytorchDefault_ } from "./init.js";
import { checkChannels, checkConvInput, fmt, fmtPadding } from "./conv.js";

/** Options of ConvTranspose1d / ConvTranspose2d; `T` is a number or one number per spatial dim. */
export interface ConvTransposeLayerOptions<T> {
  stride?: T;
  /** Cropped from both ends of the full output: a number, one per dim, or per side. */
  padding?: number | readonly SidePadding[];
  /** Added at the end of each dim; must be < stride or < dilation (PyTorch's rule). */
  outputPadding?: T;
  groups?: number;
  bias?: boolean;
  dilation?: T;
  /** Only "zeros", as in PyTorch. */
  paddingMode?: "zeros";
}

export type ConvTranspose1dOptions = ConvTransposeLayerOptions<number | [number]>;
export type ConvTranspose2dOptions = ConvTransposeLayerOptions<number | [number, number]>;

/**
 * The shared body of the transposed convolutions: weight [in, out/groups, ...kernel] (PyTorch's
 * layout, so state dicts move across), bias [out], PyTorch's default initialisation (fan-in
 * taken from the weight's dim 1, as PyTorch does).
 */
abstract class ConvTransposeNd<T extends number[]> extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: T;
  readonly stride: T;
  readonly padding: number | readonly SidePadding[];
  readonly outputPadding: T;
  readonly dilation: T;
  readonly groups: number;

  constructor(
    private readonly dims: number,
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvTransposeLayerOptions<number | readonly number[]>,
  ) {
    super();
    const name = new.target.name;
    this.groups = options.groups ?? 1;
    checkChannels(name, inChannels, outChannels, this.groups);
    if ((options.paddingMode ?? "zeros") !== "zeros") {
      throw new ValueError(`${name}: only paddingMode "zeros" is supported for a transposed convolution (as in PyTorch), got ${JSON.stringify(options.paddingMode)}`);
    }
    this.kernelSize = positiveNtuple(kernelSize, dims, "kernelSize", name) as T;
    const g = convTransposeGeometry(dims, this.kernelSize, options, name);
    this.stride = g.stride as T;
    this.dilation = g.dilation as T;
    this.outputPadding = g.outputPadding as T;
    this.padding = options.padding ?? 0;
    this.weight = new Parameter(zeros([inChannels, outChannels / this.groups, ...this.kernelSize]));
    this.bias = options.bias === false ? null : new Parameter(zeros([outChannels]));
    pytorchDefault_(this.weight, this.bias);
  }

  /**
   * The outputPadding that gives `outputSize` (PyTorch's forward(input, output_size)): a strided
   * convolution maps several input sizes to one output size; this picks which one to invert to.
   * `outputSize` lists the spatial sizes (or the whole shape).
   */
  protected outputPaddingFor(x: Tensor, outputSize: readonly number[] | undefined): number[] {
    if (!outputSize) return this.outputPadding;
    const size = outputSize.length === this.dims + 2 ? outputSize.slice(2) : [...outputSize];
    if (size.length !== this.dims) throw new ValueError(`${this.describe()}: outputSize must list ${this.dims} spatial sizes (or the full shape), got [${outputSize}]`);
    const pads = sides(this.padding, this.dims);
    const spatialIn = x.shape.slice(x.ndim - this.dims);
    return size.map((want, i) => {
      const [before, after] = pads[i];
      const min = (spatialIn[i] - 1) * this.stride[i] - before - after + this.dilation[i] * (this.kernelSize[i] - 1) + 1;
      const max = min + Math.max(this.stride[i], this.dilation[i]) - 1;
      if (want < min || want > max) {
        throw new ValueError(`${this.describe()}: requested output size [${size}] is not reachable from input [${x.shape}]; rule: each size must lie in [${min}, ${max}] for dim ${i}`);
      }
      return want - min;
    });
  }

  protected options(outputPadding: number[]): ConvTransposeOptions {
    return { stride: this.stride, padding: this.padding, outputPadding, groups: this.groups, dilation: this.dilation, name: this.describe() };
  }

  protected checkInput(x: Tensor): void {
    checkConvInput(this.describe(), this.dims, this.inChannels, x);
  }

  override extraRepr(): string {
    const parts = [`${this.inChannels}, ${this.outChannels}, kernelSize=${fmt(this.kernelSize)}`];
    if (this.stride.some((s) => s !== 1)) parts.push(`stride=${fmt(this.stride)}`);
    if (this.padding !== 0) parts.push(`padding=${fmtPadding(this.padding)}`);
    if (this.outputPadding.some((p) => p !== 0)) parts.push(`outputPadding=${fmt(this.outputPadding)}`);
    if (this.dilation.some((d) => d !== 1)) parts.push(`dilation=${fmt(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push("bias=false");
    return parts.join(", ");
  }
}

/** (before, after) per dim of a numeric padding (number, per dim, per side, or a 1-D [left, right]). */
function sides(padding: number | readonly SidePadding[], dims: number): [number, number][] {
  if (typeof padding === "number") return new Array(dims).fill([padding, padding]);
  if (dims === 1 && padding.length === 2 && padding.every((p) => typeof p === "number")) return [[padding[0] as number, padding[1] as number]];
  return padding.map((p): [number, number] => (typeof p === "number" ? [p, p] : [p[0], p[1]]));
}

/**
 * Transposed 2-D convolution: the adjoint (gradient) of a Conv2d, which upsamples by the stride
 * (GAN generators, segmentation decoders).
 *
 * Shape: [N, inChannels, H, W] → [N, outChannels, outH, outW] with
 * outH = (H-1)·stride - 2·padding + dilation·(kH-1) + outputPadding + 1.
 * Weight [inChannels, outChannels/groups, kH, kW], bias [outChannels].
 *
 * @example new ConvTranspose2d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1 }) // 14x14 → 28x28
 */
export class ConvTranspose2d extends ConvTransposeNd<[number, number]> {
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], options: ConvTranspose2dOptions = {}) {
    super(2, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    return this.forwardToSize(x);
  }

  /** The forward with PyTorch's output_size: picks the output size among those the stride allows. */
  forwardToSize(x: Tensor, outputSize?: readonly number[]): Tensor {
    this.checkInput(x);
    return convTranspose2d(x, this.weight, this.bias, this.options(this.outputPaddingFor(x, outputSize)) as ConvTransposeOptions<[number, number]>);
  }
}

/**
 * Transposed 1-D convolution over [N, C, L].
 *
 * Shape: [N, inChannels, L] → [N, outChannels, (L-1)·stride - 2·padding + dilation·(k-1) + outputPadding + 1],
 * weight [inChannels, outChannels/groups, k].
 */
export class ConvTranspose1d extends ConvTransposeNd<[number]> {
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number], options: ConvTranspose1dOptions = {}) {
    super(1, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    return this.forwardToSize(x);
  }

  /** The forward with PyTorch's output_size: picks the output size among those the stride allows. */
  forwardToSize(x: Tensor, outputSize?: readonly number[]): Tensor {
    this.checkInput(x);
    return convTranspose1d(x, this.weight, this.bias, this.options(this.outputPaddingFor(x, outputSize)) as ConvTransposeOptions<[number]>);
  }
}
