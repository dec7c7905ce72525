/**
 * Models by name, so a saved model can be rebuilt from a small JSON spec ({ name, options })
 * kept apart from its weights.
 */
import type { Module } from "../nn/module.js";
import { ValueError } from "../errors.js";
import { MLP, type MLPOptions } from "./mlp.js";
import { LeNet5, type LeNet5Options } from "./lenet.js";

export const MODEL_NAMES = ["mlp", "lenet5"] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export type ModelSpec = { name: "mlp"; options?: MLPOptions } | { name: "lenet5"; options?: LeNet5Options };

export function createModel(spec: ModelSpec): Module {
  switch (spec.name) {
    case "mlp":
      return new MLP(spec.options);
    case "lenet5":
      return new LeNet5(spec.options);
    default:
      throw new ValueError(`createModel: unknown model '${(spec as { name: string }).name}' (known: ${MODEL_NAMES.join(", ")})`);
  }
}
