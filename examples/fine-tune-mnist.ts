/**
 * Transfer learning on MNIST: the lectures' "NN as feature vector" and fine-tuning slides.
 *
 * 1. Pretrain a LeNet-5 (`models.LeNet5`, 5 outputs) for one epoch on the digits 0–4 only.
 * 2. New task: the digits 5–9, with only a few labelled images per class (10 or 50). Three
 *    models get the same images, in the same order, with the same optimiser (Adam, lr 0.01) and
 *    the same number of steps (40 epochs of batch 10):
 *    - conv: freeze the pretrained `features` (conv–pool–conv–pool, 400 values per image) and
 *      replace the whole classifier by a fresh Flatten + Linear(400, 5): only 2,005 parameters
 *      are trained;
 *    - f6: freeze the whole pretrained network and replace only its last layer (`classifier.5`)
 *      by a fresh Linear(84, 5): a linear classifier on the 84 F6 activations (425 parameters);
 *    - scratch: a fresh LeNet-5 (61,281 parameters) trained on the same few images.
 * 3. Report test accuracy on every test image of 5–9 (chance 20%), and check that the frozen
 *    weights are bit-identical after fine-tuning.
 *
 * Features never trained on a 5–9 digit still describe them: with 10 labelled images per digit
 * a linear head on the frozen conv features beats the whole network trained from scratch. The
 * layer you cut at matters: F6, the penultimate layer, has specialised to telling 0–4 apart and
 * transfers worse than the conv features below it; with 50 images per digit training from
 * scratch catches up.
 *
 * Measured (`node build/examples/fine-tune-mnist.js`, seed 1, wasm backend; the cpu backend
 * gives the same accuracies but for the model from scratch with 50 images per digit, 93.2%):
 *
 *   pretrained LeNet-5 on 15331 images of digits 0-4: test accuracy 99.0% (4.5 s)
 *   new task: digits 5-9, tested on 4861 images (chance 20%)
 *
 *   | labelled images per digit | model | trained parameters | test accuracy | frozen weights unchanged | time |
 *   | --: | --- | --: | --: | --- | --: |
 *   | 10 | linear head on frozen conv features (400) | 2,005 | 81.9% | yes (bit-identical) | 0.3 s |
 *   | 10 | linear head on frozen F6 features (84) | 425 | 65.7% | yes (bit-identical) | 0.2 s |
 *   | 10 | LeNet-5 from scratch | 61,281 | 73.4% | — | 0.7 s |
 *   | 50 | linear head on frozen conv features (400) | 2,005 | 94.1% | yes (bit-identical) | 1.2 s |
 *   | 50 | linear head on frozen F6 features (84) | 425 | 85.8% | yes (bit-identical) | 0.7 s |
 *   | 50 | LeNet-5 from scratch | 61,281 | 92.8% | — | 3.3 s |
 */
import { fileURLToPath } from "node:url";
import { Generator, manualSeed } from "../src/random.js";
import { mnist, MNIST_MEAN, MNIST_STD } from "../src/data/mnist.js";
import { ByteImageDataset } from "../src/data/byte-images.js";
import { DataLoader } from "../src/data/dataloader.js";
import { LeNet5 } from "../src/models/lenet.js";
import { Linear } from "../src/nn/linear.js";
import { Sequential, Flatten } from "../src/nn/container.js";
import type { Module } from "../src/nn/module.js";
import { crossEntropy } from "../src/nn/losses.js";
import { Adam } from "../src/optim/adam.js";
import { evaluate, trainEpoch } from "../src/train/loop.js";

/**
 * The images of the given digits, labelled by their position in `digits` (so 5–9 become 0–4),
 * normalised as usual; at most `perClass` of each digit (the first ones) when given.
 */
export function digitSubset(split: "train" | "test", digits: number[], perClass = Infinity, limit?: number): ByteImageDataset {
  const all = mnist({ split, limit });
  const pixelsPerImage = 28 * 28;
  const picked: number[] = [];
  const seen = new Map<number, number>();
  for (let i = 0; i < all.length; i++) {
    const d = all.labels[i];
    if (!digits.includes(d) || (seen.get(d) ?? 0) >= perClass) continue;
    seen.set(d, (seen.get(d) ?? 0) + 1);
    picked.push(i);
  }
  const pixels = new Uint8Array(picked.length * pixelsPerImage);
  const labels = new Int32Array(picked.length);
  picked.forEach((i, k) => {
    pixels.set(all.pixels.subarray(i * pixelsPerImage, (i + 1) * pixelsPerImage), k * pixelsPerImage);
    labels[k] = digits.indexOf(all.labels[i]);
  });
  return new ByteImageDataset(pixels, labels, { shape: [1, 28, 28], shift: MNIST_MEAN, scale: 1 / MNIST_STD });
}

export interface FineTuneOptions {
  /** Seeds weights and shuffling (default 1). */
  seed?: number;
  /** Pretraining images of digits 0–4 taken from the first `pretrainLimit` training images (default 30000 → 15,312 images). */
  pretrainLimit?: number;
  /** Pretraining epochs (default 1). */
  pretrainEpochs?: number;
  /** Labelled training images per digit 5–9 for the new task, one run each (default [10, 50]). */
  shots?: number[];
  /** Epochs over those few images, the same for every model (default 40). */
  fineTuneEpochs?: number;
  /** Test images of 5–9 from the first `testLimit` test images (default all 10,000 → 4,861). */
  testLimit?: number;
  /** Which models to fine-tune (default all three, in this order). */
  variants?: Variant[];
}

/** How the new model is made from the pretrained one. */
export type Variant = "conv" | "f6" | "scratch";

export const VARIANTS: Record<Variant, string> = {
  conv: "linear head on frozen conv features (400)",
  f6: "linear head on frozen F6 features (84)",
  scratch: "LeNet-5 from scratch",
};

export interface FineTuneRow {
  variant: Variant;
  shotsPerClass: number;
  /** Test accuracy on the digits 5–9 (chance 0.2). */
  accuracy: number;
  /** Parameters the fine-tuning trained. */
  trainable: number;
  /** Transfer variants: every frozen parameter is bit-identical after fine-tuning (scratch: true). */
  frozenUnchanged: boolean;
  seconds: number;
}

export interface FineTuneResult {
  /** Test accuracy of the pretrained network on digits 0–4. */
  pretrainAccuracy: number;
  pretrainImages: number;
  pretrainSeconds: number;
  testImages: number;
  rows: FineTuneRow[];
}

type T = import("../src/tensor/tensor.js").Tensor;
const lossFn = (out: T, y: T): T => crossEntropy(out, y);

/**
 * The model for one variant: "conv" freezes the pretrained network's `features` (conv, pool,
 * conv, pool: 16·5·5 = 400 values per image) and replaces the whole classifier by Flatten +
 * Linear(400, 5); "f6" freezes the whole network and replaces only its last layer
 * (`classifier.5`) by Linear(84, 5); "scratch" is a fresh LeNet-5.
 */
export function buildVariant(variant: Variant, pretrained: Map<string, T>, classes: number): Module {
  const model = new LeNet5({ numClasses: classes });
  if (variant === "scratch") return model;
  model.loadStateDict(pretrained);
  if (variant === "conv") {
    model.getSubmodule("features").freeze();
    model.setSubmodule("classifier", new Sequential(new Flatten(), new Linear(16 * 5 * 5, classes)));
  } else {
    model.freeze();
    model.setSubmodule("classifier.5", new Linear(84, classes));
  }
  return model;
}

export function runFineTune(options: FineTuneOptions = {}): FineTuneResult {
  const seed = options.seed ?? 1;
  const oldDigits = [0, 1, 2, 3, 4];
  const newDigits = [5, 6, 7, 8, 9];
  const loader = (ds: ByteImageDataset, batchSize: number, gen?: Generator) => new DataLoader(ds, { batchSize, shuffle: !!gen, generator: gen });
  const epochs = options.fineTuneEpochs ?? 40;

  // 1. Pretrain on 0–4.
  manualSeed(seed);
  const net = new LeNet5({ numClasses: oldDigits.length });
  const oldTrain = digitSubset("train", oldDigits, Infinity, options.pretrainLimit ?? 30000);
  let start = performance.now();
  const pretrainOptimizer = new Adam(net.parameters(), { lr: 1e-3 });
  for (let e = 0; e < (options.pretrainEpochs ?? 1); e++) trainEpoch(net, loader(oldTrain, 32, new Generator(seed)), pretrainOptimizer, lossFn);
  const pretrainSeconds = (performance.now() - start) / 1000;
  const pretrainAccuracy = evaluate(net, loader(digitSubset("test", oldDigits, Infinity, options.testLimit), 1000)).accuracy;
  const pretrained = net.stateDict();

  // 2. The new task: a few labelled 5–9 digits; every variant gets the same images, order and steps.
  const newTest = digitSubset("test", newDigits, Infinity, options.testLimit);
  const rows: FineTuneRow[] = [];
  for (const shots of options.shots ?? [10, 50]) {
    const few = digitSubset("train", newDigits, shots);
    for (const variant of options.variants ?? (["conv", "f6", "scratch"] as Variant[])) {
      manualSeed(seed + 1); // the same fresh head / network initialisation for every variant
      const model = buildVariant(variant, pretrained, newDigits.length);
      const frozen = model.parameters().filter((p) => !p.requiresGrad);
      const before = frozen.map((p) => Float32Array.from(p.data()));
      start = performance.now();
      const optimizer = new Adam(model.trainableParameters(), { lr: 1e-2 });
      for (let e = 0; e < epochs; e++) trainEpoch(model, loader(few, 10, new Generator(seed + 2 + e)), optimizer, lossFn);
      const seconds = (performance.now() - start) / 1000;
      rows.push({
        variant,
        shotsPerClass: shots,
        accuracy: evaluate(model, loader(newTest, 1000)).accuracy,
        trainable: model.numParameters({ trainableOnly: true }),
        frozenUnchanged: frozen.every((p, i) => p.data().every((v, j) => Object.is(v, before[i][j]))),
        seconds,
      });
    }
  }
  return { pretrainAccuracy, pretrainImages: oldTrain.length, pretrainSeconds, testImages: newTest.length, rows };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = (name: string): number | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const r = runFineTune({ seed: flag("seed"), fineTuneEpochs: flag("epochs"), pretrainLimit: flag("pretrain-limit") });
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  console.log(`pretrained LeNet-5 on ${r.pretrainImages} images of digits 0-4: test accuracy ${pct(r.pretrainAccuracy)} (${r.pretrainSeconds.toFixed(1)} s)`);
  console.log(`new task: digits 5-9, tested on ${r.testImages} images (chance 20%)\n`);
  console.log("| labelled images per digit | model | trained parameters | test accuracy | frozen weights unchanged | time |");
  console.log("| --: | --- | --: | --: | --- | --: |");
  for (const row of r.rows) {
    console.log(`| ${row.shotsPerClass} | ${VARIANTS[row.variant]} | ${row.trainable.toLocaleString("en-US")} | ${pct(row.accuracy)} | ${row.variant === "scratch" ? "—" : row.frozenUnchanged ? "yes (bit-identical)" : "NO"} | ${row.seconds.toFixed(1)} s |`);
  }
}
