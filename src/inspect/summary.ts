/**
 * summary(model, inputShape): a table of a model's layers, computed by a shape-only pass.
 *
 * The model's own forward() runs on the meta backend (trace.ts, meta-backend.ts): every op
 * computes its output shape as it always does and allocates nothing, so any model summarises,
 * custom forwards included (ResNet's residual add, Inception's concatenation, DenseNet's growing
 * concatenation, Xception's skips), in milliseconds: VGG-19 at 3x224x224 needs no 2 GB of
 * activations. The shapes are the real ones by construction, and an input the model cannot take
 * fails with the same error as a real forward, naming the layer.
 *
 * Conventions (those of PyTorch's counters thop / ptflops / fvcore for convolution and linear):
 * - MACs are multiply-accumulates, one per multiply-add, for a batch of `batchSize` (default 1).
 *   A convolution of C → O channels, kernel kH·kW, groups g, output Hout·Wout costs
 *   O·Hout·Wout·(C/g)·kH·kW (1-D and 3-D alike; a transposed convolution the same as the
 *   convolution it transposes, i.e. Cin·Hin·Win·(Cout/g)·kH·kW). A Linear of in → out costs
 *   in·out per row; recurrent layers their gate products. Bias adds, normalization, activations,
 *   pooling, residual additions and concatenations count 0 (ptflops would add a little for
 *   some of these; the convolutions and products dominate every zoo model). FLOPs ≈ 2·MACs.
 * - Parameters of a row are those of the module and its submodules; trainable ones have
 *   requiresGrad. Buffers (BatchNorm running statistics) are not parameters, as in PyTorch;
 *   the totals list them apart.
 * - Activation memory of a row is the bytes of what the module returned (4 per float32
 *   element), summed over its calls; the total sums the rows listed (leaf layers by default),
 *   as torchsummary's "forward pass size" does. It is what a forward keeps for the backward,
 *   roughly; temporaries inside a layer are not counted.
 * - Rows follow the module tree (state-dict order), one per module: a module called several
 *   times (ResNet's shared ReLU) has one row with its call count, the shape of its first call,
 *   and MACs and memory summed over its calls. A module the forward never calls has no shape.
 */
import type { Module } from "../nn/module.js";
import type { Parameter } from "../nn/parameter.js";
import type { DType } from "../backend/types.js";
import { ValueError } from "../errors.js";
import { metaTensor, traceMeta, type ModuleRecord } from "./trace.js";

export interface SummaryOptions {
  /** Batch size of the pass (default 1): shapes, MACs and activations scale with it. */
  batchSize?: number;
  /** dtype of the input (default float32; int32 for index inputs such as an Embedding's). */
  dtype?: DType;
  /** Also list containers (Sequential, blocks), with the totals of their subtrees. */
  containers?: boolean;
}

export interface SummaryRow {
  /** Dotted path, as in the state dict ("features.0", "layer1.0.conv1"). */
  name: string;
  /** Class name ("Conv2d"). */
  type: string;
  /** Nesting depth below the model (1 for its children; 0 for a model that is one layer, named "(model)"). */
  depth: number;
  /** True for a module without submodules. */
  leaf: boolean;
  /** Times the forward called it. */
  calls: number;
  /** Output shape, batch first (null if the forward never called it). */
  outputShape: number[] | null;
  params: number;
  trainable: number;
  nonTrainable: number;
  macs: number;
  /** Bytes of its outputs. */
  activationBytes: number;
}

export interface SummaryTotals {
  params: number;
  trainable: number;
  nonTrainable: number;
  /** Elements of buffers (running statistics): state, but not parameters. */
  buffers: number;
  macs: number;
  /** Sum of the listed rows' activation bytes. */
  activationBytes: number;
  inputBytes: number;
  paramBytes: number;
  bufferBytes: number;
  /** input + activations + parameters + buffers. */
  totalBytes: number;
}

export interface Summary {
  /** The model's class name. */
  model: string;
  /** Input shape, batch first. */
  inputShape: number[];
  outputShape: number[];
  rows: SummaryRow[];
  totals: SummaryTotals;
}

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4 };

function checkShape(inputShape: readonly number[], batchSize: number): void {
  if (!Array.isArray(inputShape) || inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ValueError(`summary: inputShape must be a non-empty list of positive integers without the batch dim (e.g. [3, 224, 224]), got [${inputShape}]`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`summary: batchSize must be a positive integer, got ${batchSize}`);
}

function row(m: Module, name: string, depth: number, leaf: boolean, rec: ModuleRecord | undefined, params: Parameter[]): SummaryRow {
  const trainable = params.filter((p) => p.requiresGrad).reduce((n, p) => n + p.numel, 0);
  const total = params.reduce((n, p) => n + p.numel, 0);
  return {
    name,
    type: m.constructor.name,
    depth,
    leaf,
    calls: rec?.calls ?? 0,
    outputShape: rec?.outputShape ?? null,
    params: total,
    trainable,
    nonTrainable: total - trainable,
    macs: rec?.macs ?? 0,
    activationBytes: rec ? rec.outputElements * BYTES[rec.outputDtype ?? "float32"] : 0,
  };
}

/**
 * A summary of `model` for one input of `inputShape` (without the batch dim): rows for the leaf
 * layers (and the containers with `containers: true`), totals, and the output shape. Nothing is
 * allocated and the model is unchanged (see the file comment for the conventions).
 *
 * ```ts
 * const s = inspect.summary(new models.VGG({ config: "E" }), [3, 224, 224]);
 * console.log(inspect.formatSummary(s)); // 19.6 GMACs, 143,667,240 params
 * ```
 */
export function summary(model: Module, inputShape: readonly number[], options: SummaryOptions = {}): Summary {
  const batchSize = options.batchSize ?? 1;
  checkShape(inputShape, batchSize);
  const dtype = options.dtype ?? "float32";
  const shape = [batchSize, ...inputShape];
  const trace = traceMeta(model, [metaTensor(shape, dtype)]);

  // Each parameter belongs to the module its name's prefix names (listed once, if shared).
  const named = model.namedParameters();
  const owned = new Map<string, Parameter[]>();
  for (const [key, p] of named) {
    const owner = key.includes(".") ? key.slice(0, key.lastIndexOf(".")) : "";
    owned.set(owner, [...(owned.get(owner) ?? []), p]);
  }
  const rows: SummaryRow[] = [];
  const visited = new Set<Module>([model]);
  /** Lists m's subtree in tree order (a module before its children); returns its parameters. */
  const walk = (m: Module, path: string, depth: number): Parameter[] => {
    const own = owned.get(path) ?? [];
    const children = m.namedChildren();
    const leaf = children.length === 0;
    // The model itself is listed only when it is a single layer (no submodules).
    const full = leaf || (depth > 0 && options.containers === true);
    // A module that holds parameters itself (not through a submodule) is listed with those and
    // its own MACs even when containers are not, so the rows always add up to the totals.
    const self = !full && own.length > 0;
    const at = rows.length;
    if (full || self) rows.push(row(m, path || "(model)", depth, leaf, undefined, []));
    const subtree = [...own];
    let childMacs = 0;
    for (const [name, child] of children) {
      if (visited.has(child)) continue;
      visited.add(child);
      subtree.push(...walk(child, path ? `${path}.${name}` : name, depth + 1));
      childMacs += trace.records.get(child)?.macs ?? 0;
    }
    const rec = trace.records.get(m);
    if (full) rows[at] = row(m, path || "(model)", depth, leaf, rec, subtree);
    else if (self) rows[at] = { ...row(m, path || "(model)", depth, leaf, rec, own), macs: Math.max(0, (rec?.macs ?? 0) - childMacs) };
    return subtree;
  };
  walk(model, "", 0);

  const params = named.map(([, p]) => p);
  const trainable = params.filter((p) => p.requiresGrad).reduce((n, p) => n + p.numel, 0);
  const total = params.reduce((n, p) => n + p.numel, 0);
  const buffers = [...new Set(model.namedBuffers().map(([, b]) => b))];
  const paramBytes = params.reduce((n, p) => n + p.numel * BYTES[p.dtype], 0);
  const bufferBytes = buffers.reduce((n, b) => n + b.numel * BYTES[b.dtype], 0);
  const activationBytes = rows.filter((r) => r.leaf || !options.containers).reduce((n, r) => n + r.activationBytes, 0);
  const inputBytes = shape.reduce((a, b) => a * b, 1) * BYTES[dtype];
  return {
    model: model.constructor.name,
    inputShape: shape,
    outputShape: trace.outputShape,
    rows,
    totals: {
      params: total,
      trainable,
      nonTrainable: total - trainable,
      buffers: buffers.reduce((n, b) => n + b.numel, 0),
      macs: trace.macs,
      activationBytes,
      inputBytes,
      paramBytes,
      bufferBytes,
      totalBytes: inputBytes + activationBytes + paramBytes + bufferBytes,
    },
  };
}
