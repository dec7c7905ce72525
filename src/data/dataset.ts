/** Datasets: indexable collections of (input, target) examples. */
import type { Tensor } from "../tensor/tensor.js";
import { tensor } from "../tensor/create.js";
import { ShapeError, ValueError } from "../errors.js";

/** An example: an input and its target. */
export type Example = [Tensor, Tensor];

/**
 * A map-style dataset, as in PyTorch: a length and random access by index. A dataset that can
 * fetch a whole batch faster than example by example also implements `getBatch`.
 */
export interface Dataset {
  readonly length: number;
  get(index: number): Example;
  getBatch?(indices: Int32Array): Example;
}

/** Examples stored as two tensors whose first dim indexes the examples. */
export class TensorDataset implements Dataset {
  constructor(
    readonly inputs: Tensor,
    readonly targets: Tensor,
  ) {
    if (inputs.ndim === 0 || targets.ndim === 0 || inputs.shape[0] !== targets.shape[0]) {
      throw new ShapeError(`TensorDataset: inputs [${inputs.shape}] and targets [${targets.shape}] must have the same first dim (one row per example)`);
    }
  }

  get length(): number {
    return this.inputs.shape[0];
  }

  get(index: number): Example {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) throw new ValueError(`TensorDataset: index ${index} is outside 0..${this.length - 1}`);
    return [this.inputs.narrow(0, index, 1).squeeze(0), this.targets.narrow(0, index, 1).squeeze(0)];
  }

  getBatch(indices: Int32Array): Example {
    const idx = tensor(indices, { dtype: "int32" });
    return [this.inputs.indexSelect(0, idx), this.targets.indexSelect(0, idx)];
  }
}

/** A contiguous or listed selection of another dataset's examples (e.g. a validation split). */
export class Subset implements Dataset {
  constructor(
    readonly dataset: Dataset,
    readonly indices: Int32Array,
  ) {}

  get length(): number {
    return this.indices.length;
  }

  get(index: number): Example {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) throw new ValueError(`Subset: index ${index} is outside 0..${this.length - 1}`);
    return this.dataset.get(this.indices[index]);
  }

  getBatch(indices: Int32Array): Example {
    for (const i of indices) if (i < 0 || i >= this.length) throw new ValueError(`Subset: index ${i} is outside 0..${this.length - 1}`);
    // (Int32Array.map would silently turn an out-of-range lookup, undefined, into example 0.)
    const mapped = indices.map((i) => this.indices[i]);
    if (this.dataset.getBatch) return this.dataset.getBatch(mapped);
    return collate(Array.from(mapped, (i) => this.dataset.get(i)));
  }
}

/** Stacks examples into a batch: inputs [B, ...], targets [B, ...]. */
export function collate(examples: Example[]): Example {
  if (examples.length === 0) throw new ValueError("collate: empty batch");
  const stackAll = (parts: Tensor[]) => {
    const first = parts[0];
    const size = first.numel;
    const data = new (first.data().constructor as Float32ArrayConstructor)(size * parts.length);
    parts.forEach((p, i) => {
      if (p.numel !== size) throw new ShapeError(`collate: example ${i} has shape [${p.shape}] but example 0 has [${first.shape}]`);
      data.set(p.data(), i * size);
    });
    return tensor(data, { shape: [parts.length, ...first.shape], dtype: first.dtype });
  };
  return [stackAll(examples.map((e) => e[0])), stackAll(examples.map((e) => e[1]))];
}
