import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

/**
 * Layers applied one after another. Children are named "0", "1", ... as in PyTorch, or by the
 * keys of an object: `new Sequential({ conv1: ..., relu1: ... })`.
 */
export class Sequential extends Module {
  private readonly _layers: [string, Module][];

  constructor(...layers: Module[] | [Record<string, Module>]) {
    super();
    const first = layers[0];
    if (layers.length === 1 && !(first instanceof Module)) this._layers = Object.entries(first as Record<string, Module>);
    else this._layers = (layers as Module[]).map((m, i) => [String(i), m]);
  }

  override namedChildren(): [string, Module][] {
    return [...this._layers];
  }

  get length(): number {
    return this._layers.length;
  }

  /** The i-th layer (negative counts from the end). */
  at(i: number): Module {
    return this._layers[i < 0 ? i + this._layers.length : i][1];
  }

  append(layer: Module): this {
    this._layers.push([String(this._layers.length), layer]);
    return this;
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const [, layer] of this._layers) y = layer.forward(y);
    return y;
  }

  /** Used by `setSubmodule`: the new layer takes the old one's name and place. */
  protected override replaceChild(name: string, module: Module): void {
    const entry = this._layers.find(([n]) => n === name);
    if (entry) entry[1] = module;
    else super.replaceChild(name, module);
  }
}

/** Flattens dims startDim..endDim into one (default: everything but the batch dim). */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
}

/** Passes its input through unchanged (a placeholder, e.g. for a removed head). */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
