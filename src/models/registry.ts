/**
 * Models by name, so a saved model can be rebuilt from a small JSON spec ({ name, options })
 * kept apart from its weights.
 */
import type { Module } from "../nn/module.js";
import { ValueError } from "../errors.js";
import { MLP, type MLPOptions } from "./mlp.js";
import { LeNet5, type LeNet5Options } from "./lenet.js";
import { AlexNet, AlexNetTwoTower, type AlexNetOptions, type ZooOptions } from "./alexnet.js";
import { VGG, type VGGConfig, type VGGOptions } from "./vgg.js";
import { ResNet, type ResNetDepth, type ResNetOptions } from "./resnet.js";
import { DenseNet, type DenseNetOptions } from "./densenet.js";
import { GoogLeNet, type GoogLeNetOptions } from "./googlenet.js";
import { MobileNetV1 } from "./mobilenet.js";
import { Xception } from "./xception.js";
import { ZFNet } from "./zfnet.js";
import { Autoencoder, type AutoencoderOptions } from "./autoencoder.js";
import { deepMLP, type DeepMLPOptions } from "./mlp-deep.js";
import { CharRNN, type CharRNNOptions } from "./charrnn.js";

/** Zoo models whose options are the architecture's own (the variant is in the name). */
const ZOO: Record<string, (options: object) => Module> = {
  alexnet: (o) => new AlexNet(o as AlexNetOptions),
  "alexnet-two-tower": (o) => new AlexNetTwoTower(o as AlexNetOptions),
  zfnet: (o) => new ZFNet(o as AlexNetOptions),
  densenet121: (o) => new DenseNet({ ...(o as ZooOptions), growthRate: 32, blockConfig: [6, 12, 24, 16], numInitFeatures: 64, bnSize: 4 }),
  googlenet: (o) => new GoogLeNet(o as GoogLeNetOptions),
  "mobilenet-v1": (o) => new MobileNetV1(o as ZooOptions),
  xception: (o) => new Xception(o as ZooOptions),
  "mlp-deep": (o) => deepMLP(o as DeepMLPOptions),
  "autoencoder-8-3-8": (o) => new Autoencoder(o as AutoencoderOptions),
  charrnn: (o) => new CharRNN(o as CharRNNOptions),
};
const VGG_NAMES: Record<string, VGGConfig> = { vgg11: "A", vgg13: "B", vgg16: "D", vgg19: "E" };
for (const [name, config] of Object.entries(VGG_NAMES)) {
  ZOO[name] = (o) => new VGG({ ...(o as VGGOptions), config, batchNorm: false });
  ZOO[`${name}-bn`] = (o) => new VGG({ ...(o as VGGOptions), config, batchNorm: true });
}
for (const depth of [18, 34, 50, 101, 152] as const) {
  ZOO[`resnet${depth}`] = (o) => new ResNet({ ...(o as ResNetOptions), depth: depth as ResNetDepth });
}

export const MODEL_NAMES = [
  "mlp", "lenet5", "alexnet", "alexnet-two-tower",
  "vgg11", "vgg11-bn", "vgg13", "vgg13-bn", "vgg16", "vgg16-bn", "vgg19", "vgg19-bn",
  "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
  "zfnet", "densenet121", "googlenet", "mobilenet-v1", "xception", "mlp-deep", "autoencoder-8-3-8",
  "charrnn",
] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

type ZooName = Exclude<ModelName, "mlp" | "lenet5">;
type ZooOptionsOf<N extends ZooName> = N extends "alexnet" | "alexnet-two-tower" | "zfnet"
  ? AlexNetOptions
  : N extends `vgg${string}`
    ? Omit<VGGOptions, "config" | "batchNorm">
    : N extends `resnet${string}`
      ? Omit<ResNetOptions, "depth">
      : N extends "densenet121"
        ? Omit<DenseNetOptions, "growthRate" | "blockConfig" | "numInitFeatures" | "bnSize">
        : N extends "googlenet"
          ? GoogLeNetOptions
          : N extends "mlp-deep"
            ? DeepMLPOptions
            : N extends "autoencoder-8-3-8"
              ? AutoencoderOptions
              : N extends "charrnn"
                ? CharRNNOptions
                : ZooOptions;

/** The models the CLI trains on MNIST (its recipes are keyed by these names). */
export type ModelSpec = { name: "mlp"; options?: MLPOptions } | { name: "lenet5"; options?: LeNet5Options };

/** A zoo model by name, e.g. { name: "resnet18", options: { numClasses: 10, inChannels: 1 } }. */
export type ZooSpec = { [N in ZooName]: { name: N; options?: ZooOptionsOf<N> } }[ZooName];

/** Any model createModel rebuilds, and so any model io's saveModel/loadModel store. */
export type AnyModelSpec = ModelSpec | ZooSpec;

export function createModel(spec: AnyModelSpec): Module {
  switch (spec.name) {
    case "mlp":
      return new MLP(spec.options);
    case "lenet5":
      return new LeNet5(spec.options);
    default: {
      const make = Object.hasOwn(ZOO, spec.name) ? ZOO[spec.name] : undefined;
      if (!make) throw new ValueError(`createModel: unknown model '${(spec as { name: string }).name}' (known: ${MODEL_NAMES.join(", ")})`);
      return make(spec.options ?? {});
    }
  }
}
