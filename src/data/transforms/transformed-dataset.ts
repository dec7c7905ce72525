/**
 * TransformedDataset: a dataset whose input images pass through a transform each time they are
 * read — so a DataLoader over it applies the transform per sample while it draws each batch,
 * with fresh random parameters every epoch (PyTorch's `transform=` argument of a dataset).
 */
import type { Tensor } from "../../tensor/tensor.js";
import { ValueError } from "../../errors.js";
import { collate, type Dataset, type Example } from "../dataset.js";
import { Transform } from "./transform.js";

export class TransformedDataset implements Dataset {
  /**
   * @param dataset examples whose inputs are float32 images [C, H, W]
   * @param transform applied to each input image; targets pass through unchanged
   */
  constructor(
    readonly dataset: Dataset,
    readonly transform: Transform,
  ) {
    if (!(transform instanceof Transform)) throw new ValueError(`TransformedDataset: transform must be a Transform (e.g. a Compose), got ${String(transform)}`);
  }

  get length(): number {
    return this.dataset.length;
  }

  get(index: number): Example {
    const [x, y] = this.dataset.get(index);
    return [this.transform.forward(x), y];
  }

  getBatch(indices: Int32Array): Example {
    const [x, y]: [Tensor, Tensor] = this.dataset.getBatch ? this.dataset.getBatch(indices) : collate(Array.from(indices, (i) => this.dataset.get(i)));
    return [this.transform.forward(x), y];
  }
}
