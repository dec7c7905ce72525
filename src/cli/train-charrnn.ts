/**
 * `tessera train --model charrnn`: a character-level language model (CharRNN) trained on a text
 * (--text FILE) or on the bundled English first names. Reports the validation loss in nats per
 * character before and after training, saves the model (with its vocabulary) for `tessera sample`.
 */
import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { defaultGenerator, Generator, manualSeed } from "../random.js";
import { DataLoader } from "../data/dataloader.js";
import { Subset, type Dataset } from "../data/dataset.js";
import { textDataset, type Vocabulary } from "../data/text.js";
import { firstNames, readTextFile, FIRST_NAME_PACKAGES } from "../data/text-files.js";
import { createModel } from "../models/registry.js";
import { CHARRNN_CELLS, type CharRNNCell, type CharRNNOptions } from "../models/charrnn.js";
import { charLoss, natsPerChar } from "../models/charrnn-loss.js";
import { saveModel } from "../io/files.js";
import { DataFormatError } from "../errors.js";
import { Trainer } from "../train/trainer.js";
import { trainValSplit, deriveSeed } from "../train/split.js";
import { CHECKPOINT_FILE, readCheckpoint, type CheckpointData } from "../train/checkpoint.js";
import type { Callback, EpochLog } from "../train/callback.js";
import { ProgressLogger } from "../train/callbacks/progress-logger.js";
import { MetricsLog } from "../train/callbacks/metrics-log.js";
import { EarlyStopping } from "../train/callbacks/early-stopping.js";
import { Checkpoint } from "../train/callbacks/checkpoint.js";
import { createProgress } from "../train/progress.js";
import { DEFAULT_LR, OPTIMIZERS, SCHEDULES, type OptimizerName, type Schedule } from "./recipes.js";
import { makeOptimizer, makeSchedule } from "./setup.js";
import { choiceFlag, intFlag, numberFlag, UsageError } from "./options.js";
import { applyBackendFlags } from "./backend-flags.js";
import { checkpointDirOf, earlyStoppingFlag, optimizerSettings, RUN_TAIL_HELP, RESUME_FLAGS, RUN_OPTIONS } from "./run-flags.js";

/**
 * The default recipe, chosen by measuring on the 8,422 names (wasm, one thread): 65 s of CPU,
 * validation loss 3.99 → 1.92 nats per character (docs/charrnn.md). Longer runs or a constant
 * rate gain little (10 epochs: 1.907) and the validation loss rises after ~8 epochs at 3e-3.
 */
export const CHARRNN_RECIPE = {
  cell: "lstm" as CharRNNCell,
  hiddenSize: 256,
  numLayers: 1,
  dropout: 0,
  input: "embedding" as const,
  embeddingDim: 32,
  epochs: 8,
  batchSize: 64,
  optimizer: "adam" as OptimizerName,
  lr: 5e-3,
  schedule: "cosine" as Schedule,
  clipGrad: 5,
  valSplit: 0.1,
  seqLength: 100,
};
const R = CHARRNN_RECIPE;
/** Lines per evaluation batch. */
const EVAL_BATCH = 256;

export const CHARRNN_TRAIN_HELP = `Usage: tessera train --model charrnn [options]

Trains a character-level language model (embedding or one-hot input, an LSTM/GRU/RNN, a linear
head over the vocabulary) to predict each next character. Without --text it trains on the
bundled English first names (${FIRST_NAME_PACKAGES.join(", ")}: each name once, one per line).
Prints the validation loss in nats per character before and after training, and saves the model
with its vocabulary to --out (model.json + weights.safetensors, checkpoint/, metrics.jsonl), ready
for 'tessera sample --checkpoint DIR'.

Options:
  --text FILE         a UTF-8 text file to learn             (default: the bundled first names)
  --mode NAME         lines | chunks: one sequence per line (names, words) between start/end
                        markers, or running text cut into --seq-length chunks
                                                             (default: lines for the names, chunks for --text)
  --seq-length N      characters per chunk (chunks mode), >= 1 (default: ${R.seqLength})
  --cell NAME         ${CHARRNN_CELLS.join(" | ")}                          (default: ${R.cell})
  --hidden-size N     recurrent state features, >= 1         (default: ${R.hiddenSize})
  --num-layers N      stacked recurrent layers, >= 1          (default: ${R.numLayers})
  --dropout P         dropout after every recurrent layer in training, in [0, 1) (default: ${R.dropout})
  --input NAME        embedding | onehot                      (default: ${R.input})
  --embedding-dim N   embedding width, >= 1                   (default: ${R.embeddingDim})
  --epochs N          passes over the training sequences      (default: ${R.epochs})
  --batch-size B      sequences per step                      (default: ${R.batchSize})
  --optimizer NAME    ${OPTIMIZERS.join(" | ")} (default: ${R.optimizer})
  --lr X              learning rate, > 0                      (default: adam ${R.lr}; others PyTorch's default)
  --momentum M        momentum of sgd or rmsprop, in [0, 1)   (default: 0)
  --weight-decay W    L2 penalty, >= 0 (adamw: decoupled)     (default: 0; adamw 0.01)
  --schedule NAME     ${SCHEDULES.join(" | ")} (default: ${R.schedule})
  --val-split F       fraction held out for validation, in (0, 1) (default: ${R.valSplit})
  --early-stopping P  stop after P epochs without a lower validation loss (default: off)
  --clip-grad NORM    clip the gradients' joint 2-norm, > 0   (default: ${R.clipGrad})
  --seed S            integer seed for init, shuffling and split (default: 1)
  --limit N           use only the first N sequences (lines or chunks) (default: all)
  --out DIR           where to save the run                   (default: runs/charrnn)
${RUN_TAIL_HELP}`;

/** Everything that defines a run: saved in its checkpoints, read back by --resume. */
export interface CharRNNTrainSettings {
  model: "charrnn";
  /** The text file, or null for the bundled names. */
  text: string | null;
  mode: "lines" | "chunks";
  seqLength: number;
  cell: CharRNNCell;
  hiddenSize: number;
  numLayers: number;
  dropout: number;
  input: "embedding" | "onehot";
  embeddingDim: number;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  lr: number;
  momentum: number | null;
  weightDecay: number;
  schedule: Schedule;
  valSplit: number;
  earlyStopping: number | null;
  clipGrad: number | null;
  seed: number;
  limit: number | null;
  out: string;
}

export interface CharRNNTrainSummary extends CharRNNTrainSettings {
  backend: string;
  threads: number;
  vocabSize: number;
  parameters: number;
  trainSequences: number;
  valSequences: number;
  valChars: number;
  /** Validation nats per character of the untrained model (ln V for uniform guesses). */
  valLossBefore: number;
  /** …and after the last epoch. */
  valLossAfter: number;
  seconds: number;
  resumedFrom: number;
  stopReason: string | null;
  history: { epoch: number; trainLoss: number; valLoss: number; seconds: number; lr: number }[];
}

const OPTIONS = {
  model: { type: "string" },
  text: { type: "string" },
  mode: { type: "string" },
  "seq-length": { type: "string" },
  cell: { type: "string" },
  "hidden-size": { type: "string" },
  "num-layers": { type: "string" },
  dropout: { type: "string" },
  input: { type: "string" },
  "embedding-dim": { type: "string" },
  ...RUN_OPTIONS,
} as const;

type Values = ReturnType<typeof parse>["values"];
const parse = (argv: string[]) => parseArgs({ args: argv, options: OPTIONS, strict: true });

/**
 * Whether `tessera train` arguments ask for a charrnn run: `--model charrnn`, or `--resume DIR`
 * of a charrnn run (its checkpoint's settings say so). train.ts hands such runs to runTrainCharRNN.
 */
export function isCharRNNRun(argv: string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--model=charrnn" || (argv[i] === "--model" && argv[i + 1] === "charrnn")) return true;
    const resume = argv[i] === "--resume" ? argv[i + 1] : argv[i].startsWith("--resume=") ? argv[i].slice(9) : undefined;
    if (resume !== undefined && existsSync(join(checkpointDirOf(resume), CHECKPOINT_FILE))) {
      try {
        return (readCheckpoint(checkpointDirOf(resume)).extra.settings as { model?: string } | undefined)?.model === "charrnn";
      } catch {
        return false; // train.ts reports the damaged checkpoint
      }
    }
  }
  return false;
}

function settingsFromFlags(values: Values): CharRNNTrainSettings {
  const text = values.text ?? null;
  const mode = choiceFlag(values.mode, "mode", text === null ? "lines" : "chunks", ["lines", "chunks"] as const);
  const seqLength = intFlag(values["seq-length"], "seq-length", R.seqLength, 1);
  const cell = choiceFlag(values.cell, "cell", R.cell, CHARRNN_CELLS);
  const hiddenSize = intFlag(values["hidden-size"], "hidden-size", R.hiddenSize, 1);
  const numLayers = intFlag(values["num-layers"], "num-layers", R.numLayers, 1);
  const dropout = numberFlag(values.dropout, "dropout", R.dropout, (n) => n >= 0 && n < 1, "in [0, 1)");
  const input = choiceFlag(values.input, "input", R.input, ["embedding", "onehot"] as const);
  const embeddingDim = intFlag(values["embedding-dim"], "embedding-dim", R.embeddingDim, 1);
  const epochs = intFlag(values.epochs, "epochs", R.epochs, 1);
  const batchSize = intFlag(values["batch-size"], "batch-size", R.batchSize, 1);
  const { optimizer, lr, momentum, weightDecay, schedule } = optimizerSettings(values, {
    optimizer: R.optimizer,
    lr: (o) => (o === "adam" ? R.lr : o === "sgd" ? 1.0 : DEFAULT_LR[o]),
    momentum: () => 0,
    schedule: R.schedule,
  });
  const valSplit = numberFlag(values["val-split"], "val-split", R.valSplit, (n) => n > 0 && n < 1, "in (0, 1)");
  const earlyStopping = earlyStoppingFlag(values["early-stopping"]);
  const clipGrad = numberFlag(values["clip-grad"], "clip-grad", R.clipGrad, (n) => n > 0, "a number > 0");
  const seed = intFlag(values.seed, "seed", 1, 0);
  const limit = values.limit === undefined ? null : intFlag(values.limit, "limit", 0, 2);
  return {
    model: "charrnn", text, mode, seqLength, cell, hiddenSize, numLayers, dropout, input, embeddingDim, epochs, batchSize, optimizer, lr, momentum,
    weightDecay, schedule, valSplit, earlyStopping, clipGrad, seed, limit, out: values.out ?? join("runs", "charrnn"),
  };
}

/** The run's dataset and vocabulary, rebuilt the same way from the same text on --resume. */
function loadText(s: CharRNNTrainSettings): { dataset: Dataset; vocabulary: Vocabulary; source: string } {
  const text = s.text === null ? firstNames().join("\n") : readTextFile(s.text);
  const source = s.text === null ? "the bundled English first names" : s.text;
  const { dataset, vocabulary } = textDataset(text, { mode: s.mode, seqLength: s.seqLength });
  if (dataset.length < 2) throw new UsageError(`${source} gives ${dataset.length} ${s.mode === "lines" ? "line" : "chunk"}; a validation split needs at least 2 (use a smaller --seq-length or a longer text)`);
  const n = s.limit === null ? dataset.length : Math.min(s.limit, dataset.length);
  const limited = n < dataset.length ? new Subset(dataset, Int32Array.from({ length: n }, (_, i) => i)) : dataset;
  return { dataset: limited, vocabulary, source };
}

/** Writes the validation nats per character into each epoch's log as valLoss (before the logger prints it). */
class CharValidation implements Callback {
  constructor(private readonly val: Dataset) {}
  onEpochEnd(trainer: Trainer, log: EpochLog): void {
    log.valLoss = natsPerChar(trainer.model, this.val, EVAL_BATCH).natsPerChar;
  }
}

export function runTrainCharRNN(argv: string[]): CharRNNTrainSummary | null {
  const { values } = parse(argv);
  if (values.help) {
    process.stdout.write(CHARRNN_TRAIN_HELP);
    return null;
  }
  let settings: CharRNNTrainSettings | null = null;
  if (values.resume === undefined) settings = settingsFromFlags(values);
  else {
    const given = Object.entries(values).filter(([k, v]) => !RESUME_FLAGS.has(k) && v !== undefined && !(k === "model" && v === "charrnn")).map(([k]) => `--${k}`);
    if (given.length > 0) throw new UsageError(`--resume continues a run with its saved settings; ${given.join(", ")} cannot be given with it`);
  }
  const { backend, threads } = applyBackendFlags(values);
  const progress = createProgress(process.stderr, values.quiet);

  let resumeFrom: CheckpointData | null = null;
  if (values.resume !== undefined) {
    const dir = checkpointDirOf(values.resume);
    resumeFrom = readCheckpoint(dir);
    const saved = resumeFrom.extra.settings as CharRNNTrainSettings | undefined;
    if (!saved || typeof saved !== "object" || saved.model !== "charrnn") {
      throw new DataFormatError(join(dir, CHECKPOINT_FILE), "holds no 'tessera train --model charrnn' settings");
    }
    settings = { ...saved, out: dir === values.resume ? dirname(dir) : values.resume };
  }
  const s = settings!;

  manualSeed(s.seed);
  const { dataset, vocabulary, source } = loadText(s);
  const [trainSet, valSet] = trainValSplit(dataset, s.valSplit, new Generator(deriveSeed(s.seed, "split")));
  const options: CharRNNOptions = {
    vocab: [...vocabulary.chars], marker: vocabulary.marker, cell: s.cell, hiddenSize: s.hiddenSize, numLayers: s.numLayers,
    dropout: s.dropout, input: s.input, embeddingDim: s.embeddingDim,
  };
  const spec = { name: "charrnn" as const, options };
  if (resumeFrom) {
    const savedVocab = (resumeFrom.extra.spec as { options?: CharRNNOptions } | undefined)?.options?.vocab;
    if (JSON.stringify(savedVocab) !== JSON.stringify(options.vocab)) throw new DataFormatError(s.text ?? "the bundled names", "has changed since the run started (its vocabulary differs from the checkpoint's)");
  }
  const model = createModel(spec);
  const optimizer = makeOptimizer(model, { optimizer: s.optimizer, lr: s.lr, momentum: s.momentum ?? 0, weightDecay: s.weightDecay });
  const loader = new DataLoader(trainSet, { batchSize: s.batchSize, shuffle: true });

  const before = natsPerChar(model, valSet, EVAL_BATCH);
  const lnV = Math.log(vocabulary.size);
  const params = model.numParameters().toLocaleString("en-US");
  const unit = s.mode === "lines" ? "lines" : `chunks of ${s.seqLength}`;
  progress.log(`Training charrnn (${s.cell}, hidden ${s.hiddenSize}${s.numLayers > 1 ? `, ${s.numLayers} layers` : ""}, ${s.input}; ${params} parameters) on ${source}: ${trainSet.length} ${unit} (validation ${valSet.length}), vocabulary ${vocabulary.size}, ${s.epochs} epoch(s), batch ${s.batchSize}, ${s.optimizer} lr ${s.lr} (${s.schedule}), clip grad ${s.clipGrad}, seed ${s.seed}, backend ${backend}`);
  progress.log(`validation loss before training: ${before.natsPerChar.toFixed(4)} nats/char (uniform guessing: ln ${vocabulary.size} = ${lnV.toFixed(4)}) over ${before.chars} characters`);

  const callbacks: Callback[] = [
    new CharValidation(valSet),
    new ProgressLogger({ progress, format: (log, epochs) => `epoch ${log.epoch}/${epochs}: train loss ${log.trainLoss.toFixed(4)}, val loss ${log.valLoss.toFixed(4)} nats/char, lr ${Number(log.lr.toPrecision(4))}, ${log.trainSeconds.toFixed(1)} s` }),
  ];
  const schedule = makeSchedule(optimizer, s.schedule, s.epochs, loader.length, s.lr, { name: "valLoss", mode: "min" });
  if (schedule) callbacks.push(schedule);
  if (s.earlyStopping !== null) callbacks.push(new EarlyStopping({ monitor: "valLoss", patience: s.earlyStopping }));
  callbacks.push(new MetricsLog(join(s.out, "metrics.jsonl")));
  callbacks.push(new Checkpoint(join(s.out, "checkpoint"), { extra: { settings: s, spec } }));
  const trainer = new Trainer({ model, optimizer, loss: (out, y) => charLoss(out, y), callbacks, clipGradNorm: s.clipGrad ?? undefined, generators: { global: defaultGenerator } });
  if (resumeFrom) trainer.loadCheckpoint(resumeFrom);
  const resumedFrom = trainer.epoch;
  const history = trainer.fit(loader, { epochs: s.epochs });

  const after = natsPerChar(model, valSet, EVAL_BATCH);
  progress.log(`validation loss after training: ${after.natsPerChar.toFixed(4)} nats/char (${(after.natsPerChar / Math.LN2).toFixed(3)} bits/char, perplexity ${Math.exp(after.natsPerChar).toFixed(2)})`);
  const summary: CharRNNTrainSummary = {
    ...s,
    backend,
    threads,
    vocabSize: vocabulary.size,
    parameters: model.numParameters(),
    trainSequences: trainSet.length,
    valSequences: valSet.length,
    valChars: after.chars,
    valLossBefore: before.natsPerChar,
    valLossAfter: after.natsPerChar,
    seconds: history.reduce((a, h) => a + h.seconds, 0),
    resumedFrom,
    stopReason: trainer.stopReason,
    history: history.map((h) => ({ epoch: h.epoch, trainLoss: h.trainLoss, valLoss: h.valLoss, seconds: h.seconds, lr: h.lr })),
  };
  saveModel(s.out, model, spec, { training: summary });
  progress.log(`saved to ${s.out}; write with: tessera sample --checkpoint ${s.out}`);
  if (values.json) process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
  return summary;
}
