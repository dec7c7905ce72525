/**
 * Transfer learning helpers: a trained network used as a feature extractor (the lectures' "NN as
 * feature vector": the activations of the last hidden layer describe an image well enough that
 * nearby vectors are similar images, and a new small classifier can be trained on them).
 *
 * Freezing and head replacement are Module methods (`freeze`, `unfreeze`, `trainableParameters`,
 * `getSubmodule`, `setSubmodule`); see docs/transfer.md for the whole fine-tuning recipe.
 */
import type { Tensor } from "../tensor/tensor.js";
import { TesseraError } from "../errors.js";
import { Module } from "./module.js";

export interface FeatureExtractorOptions {
  /** Flatten the features to [batch, features] (default false: the layer's own output shape). */
  flatten?: boolean;
}

/** Thrown inside the model's forward once the wanted layer has produced its output. */
class StopForward {
  constructor(readonly output: Tensor) {}
}

/**
 * A model cut after one of its layers: `forward(x)` runs the model and returns the output of the
 * submodule at `layerPath` (its first call, if the model calls it more than once), without
 * running the layers after it. It shares the model's modules and parameters — nothing is copied
 * — and its `parameters()` / `stateDict()` are the model's, under the same keys, so freezing or
 * loading weights through either acts on both.
 *
 * Any model works, whatever its forward does: the layer's `forward` is wrapped for the duration
 * of the call, and the rest of the model's forward is skipped once the layer has answered.
 *
 * @example
 * // LeNet-5's 84 F6 activations (after the ReLU) as a feature vector per image:
 * const features = nn.featureExtractor(lenet, "classifier.4");
 * features.forward(images); // [batch, 84]
 */
export class FeatureExtractor extends Module {
  private readonly _model: Module;
  private readonly _layer: Module;

  constructor(
    model: Module,
    readonly layerPath: string,
    readonly options: FeatureExtractorOptions = {},
  ) {
    super();
    if (layerPath === "") throw new TesseraError(`featureExtractor: the layer path is empty; name a submodule of ${model.constructor.name} (children: ${model.namedChildren().map(([n]) => n).join(", ") || "none"})`);
    this._model = model;
    this._layer = model.getSubmodule(layerPath); // throws naming the path and the children available
  }

  /** The model's own children, so parameters and state-dict keys are exactly the model's. */
  override namedChildren(): [string, Module][] {
    return this._model.namedChildren();
  }

  override train(mode = true): this {
    this._model.train(mode);
    this.training = mode;
    return this;
  }

  forward(...inputs: Tensor[]): Tensor {
    const layer = this._layer;
    const own = Object.prototype.hasOwnProperty.call(layer, "forward");
    const previous = layer.forward;
    layer.forward = (...args: Tensor[]): Tensor => {
      throw new StopForward(previous.apply(layer, args));
    };
    let out: Tensor;
    try {
      this._model.forward(...inputs);
      throw new TesseraError(`featureExtractor: ${this._model.constructor.name}.forward never called '${this.layerPath}' (${layer.constructor.name}), so it has no output to return`);
    } catch (e) {
      if (!(e instanceof StopForward)) throw e;
      out = e.output;
    } finally {
      if (own) layer.forward = previous;
      else delete (layer as { forward?: unknown }).forward;
    }
    return this.options.flatten ? out.flatten(1) : out;
  }

  override extraRepr(): string {
    return `'${this.layerPath}'${this.options.flatten ? ", flatten=true" : ""}`;
  }
}

/** The model cut after the layer at `layerPath`; see FeatureExtractor. */
export function featureExtractor(model: Module, layerPath: string, options: FeatureExtractorOptions = {}): FeatureExtractor {
  return new FeatureExtractor(model, layerPath, options);
}
