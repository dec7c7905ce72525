/**
 * The Trainer, its callbacks and checkpoints: repeatable runs (same seed, same loss curve bit for
 * bit), exact resume after a crash, atomic and verified checkpoints, early stopping, the best
 * model, the metrics log, LR scheduling, gradient clipping and the validation split.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { manualSeed, Generator, defaultGenerator } from "../../src/random.js";
import { mnist } from "../../src/data/mnist.js";
import { DataLoader } from "../../src/data/dataloader.js";
import { TensorDataset } from "../../src/data/dataset.js";
import { randn, randint } from "../../src/tensor/create.js";
import { Sequential } from "../../src/nn/container.js";
import { Linear } from "../../src/nn/linear.js";
import { ReLU } from "../../src/nn/activation.js";
import { Dropout } from "../../src/nn/dropout.js";
import { crossEntropy } from "../../src/nn/losses.js";
import { SGD } from "../../src/optim/sgd.js";
import { Adam } from "../../src/optim/adam.js";
import { CosineAnnealingLR } from "../../src/optim/schedulers/cosine.js";
import { StepLR } from "../../src/optim/schedulers/step.js";
import { ReduceLROnPlateau } from "../../src/optim/schedulers/plateau.js";
import { RandomAffine } from "../../src/data/transforms/affine.js";
import { loadModel, loadSafetensors } from "../../src/io/files.js";
import { DataFormatError, ValueError } from "../../src/errors.js";
import type { Module } from "../../src/nn/module.js";
import {
  BestModel, Checkpoint, EarlyStopping, LRScheduling, MetricsLog, ProgressLogger, Trainer, fit, readCheckpoint, randomSplit, trainValSplit,
  type Callback, type EpochLog, type FitOptions,
} from "../../src/train/index.js";
import { createProgress } from "../../src/train/progress.js";
import { createModel, type ModelSpec } from "../../src/models/registry.js";
import { withTempDir } from "../helpers/temp-dir.js";

/** A small MLP with dropout (so the run draws from the global generator while training). */
const smallNet = (): Module => new Sequential(new Linear(784, 24), new ReLU(), new Dropout(0.2), new Linear(24, 10));

/** Every parameter's bytes, in order: equal means bit for bit. */
const weightsOf = (m: Module): Buffer[] => m.parameters().map((p) => Buffer.from((p.data() as Float32Array).slice().buffer));

/** History without the timings (which differ between runs). */
const numbersOf = (h: EpochLog[]): Record<string, number>[] => h.map(({ seconds: _s, trainSeconds: _t, ...rest }) => rest);

/** Records every batch loss: the loss curve. */
class LossCurve implements Callback {
  losses: number[] = [];
  onBatchEnd(_t: Trainer, _e: number, r: { loss: number }): void {
    this.losses.push(r.loss);
  }
}

/** Throws in the middle of epoch `epoch`: a crash after the previous epoch's checkpoint. */
class Crash implements Callback {
  constructor(private readonly epoch: number) {}
  onBatchEnd(_t: Trainer, epoch: number, r: { batch: number }): void {
    if (epoch === this.epoch && r.batch === 2) throw new Error("simulated crash");
  }
}

/**
 * A seeded run on 192 MNIST digits with everything that draws random numbers or keeps state:
 * init, dropout and shuffling (global generator), an augmentation with its own generator, a
 * validation split, Adam, a per-batch cosine schedule, early stopping, gradient clipping.
 */
function seededRun(seed: number, extra: Partial<FitOptions> = {}): { model: Module; result: ReturnType<typeof fit>; curve: LossCurve } {
  manualSeed(seed);
  const augment = new Generator(seed + 1);
  const trainSet = mnist({ split: "train", limit: 192, normalize: true, flatten: true, transform: new RandomAffine(10, { translate: [2 / 28, 2 / 28], generator: augment }) });
  const model = smallNet();
  const optimizer = new Adam(model.parameters(), { lr: 3e-3 });
  const epochs = 4;
  const batchSize = 32;
  const batches = Math.ceil((192 - 19) / batchSize);
  const curve = new LossCurve();
  const result = fit(model, trainSet, {
    loss: crossEntropy, optimizer, epochs, batchSize, valSplit: 0.1, splitSeed: seed,
    scheduler: new CosineAnnealingLR(optimizer, epochs * batches), schedulerInterval: "batch",
    earlyStopping: 10, clipGradNorm: 5, progress: false, generators: { augment }, ...extra,
    callbacks: [curve, ...(extra.callbacks ?? [])],
  });
  return { model, result, curve };
}

test("same seed, same loss curve and weights bit for bit; another seed differs", () => {
  const a = seededRun(7);
  const b = seededRun(7);
  assert.equal(a.curve.losses.length, 4 * 6);
  assert.deepEqual(b.curve.losses, a.curve.losses);
  assert.deepEqual(numbersOf(b.result.history), numbersOf(a.result.history));
  assert.deepEqual(weightsOf(b.model), weightsOf(a.model));
  const c = seededRun(8);
  assert.notDeepEqual(c.curve.losses, a.curve.losses);
  // It learns: the training loss falls from the first epoch to the last.
  const h = a.result.history;
  assert.ok(h[3].trainLoss < h[0].trainLoss, `train loss ${h.map((e) => e.trainLoss)}`);
});

test("a run crashed in epoch 3 and resumed from its checkpoint ends with the same weights as an uninterrupted run", () => {
  withTempDir((dir) => {
    const full = seededRun(3, { dir: join(dir, "full") });
    assert.throws(() => seededRun(3, { dir: join(dir, "crashed"), callbacks: [new Crash(3)] }), /simulated crash/);
    assert.equal(readCheckpoint(join(dir, "crashed", "checkpoint")).epoch, 2);
    // A fresh start (new model, optimizer, scheduler, generators, seeded again) resumes from the checkpoint.
    const resumed = seededRun(3, { dir: join(dir, "crashed"), resume: true });
    assert.equal(resumed.result.trainer.epoch, 4);
    assert.equal(resumed.curve.losses.length, 2 * 6, "only epochs 3 and 4 are trained again");
    assert.deepEqual(resumed.curve.losses, full.curve.losses.slice(2 * 6));
    assert.deepEqual(weightsOf(resumed.model), weightsOf(full.model));
    assert.deepEqual(numbersOf(resumed.result.history), numbersOf(full.result.history));
    // The metrics log holds each epoch once, as the uninterrupted run's.
    const lines = (run: string) => readFileSync(join(dir, run, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as EpochLog);
    assert.deepEqual(numbersOf(lines("crashed")), numbersOf(lines("full")));
    assert.deepEqual(lines("full").map((l) => l.epoch), [1, 2, 3, 4]);
    // Resuming a finished run trains nothing and changes nothing.
    const again = seededRun(3, { dir: join(dir, "full"), resume: true });
    assert.equal(again.curve.losses.length, 0);
    assert.deepEqual(weightsOf(again.model), weightsOf(full.model));
  });
});

test("the checkpoint holds model, optimizer, scheduler, RNG states, epoch, history and callback states", () => {
  withTempDir((dir) => {
    const { model, result } = seededRun(5, { dir, epochs: 2 });
    const c = readCheckpoint(join(dir, "checkpoint"));
    assert.equal(c.epoch, 2);
    assert.equal(c.history.length, 2);
    assert.deepEqual([...c.model.keys()], [...model.stateDict().keys()]);
    assert.deepEqual(Buffer.from((c.model.get("3.weight")!.data() as Float32Array).buffer), weightsOf(model)[2]);
    // Adam's moments for each of the 4 parameters, and its step count.
    assert.deepEqual(Object.keys(c.optimizer.state).map(Number), [0, 1, 2, 3]);
    assert.equal(c.optimizer.state[0].step, 2 * 6);
    assert.deepEqual(c.rng.global, defaultGenerator.getState());
    assert.ok(c.rng.augment, "the augmentation's own generator");
    assert.deepEqual(Object.keys(c.callbacks).sort(), ["bestModel", "earlyStopping", "scheduler"]);
    assert.equal(c.callbacks.scheduler.lastEpoch, 12);
    assert.equal(c.callbacks.earlyStopping.wait, result.trainer.callbacks.find((x): x is EarlyStopping => x instanceof EarlyStopping)!.wait);
    // One checkpoint folder: the older one is removed once the pointer moves on.
    assert.deepEqual(readdirSync(join(dir, "checkpoint")).filter((f) => f.startsWith("epoch-")).length, 1);
  });
});

test("a truncated, altered or missing checkpoint file is a DataFormatError naming the file", () => {
  withTempDir((dir) => {
    seededRun(2, { dir, epochs: 1 });
    const ckpt = join(dir, "checkpoint");
    const folder = readdirSync(ckpt).find((f) => f.startsWith("epoch-"))!;
    const weights = join(ckpt, folder, "weights.safetensors");
    const bytes = readFileSync(weights);
    const expectError = (pattern: RegExp) =>
      assert.throws(() => readCheckpoint(ckpt), (e: unknown) => e instanceof DataFormatError && pattern.test((e as Error).message));

    writeFileSync(weights, bytes.subarray(0, bytes.length - 100));
    expectError(new RegExp(`^${escape(weights)}: is truncated: ${bytes.length - 100} bytes, the checkpoint recorded ${bytes.length}$`));
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1] ^= 1;
    writeFileSync(weights, flipped);
    expectError(new RegExp(`^${escape(weights)}: is corrupt: its SHA-256 differs`));
    rmSync(weights);
    expectError(new RegExp(`^${escape(weights)}: does not exist$`));
    writeFileSync(join(ckpt, "checkpoint.json"), '{"format": "tessera-checkpoint", ');
    expectError(new RegExp(`^${escape(join(ckpt, "checkpoint.json"))}: is not valid JSON`));
    rmSync(ckpt, { recursive: true });
    expectError(new RegExp(`^${escape(join(ckpt, "checkpoint.json"))}: does not exist$`));
  });
});

test("a save interrupted before its pointer is written leaves the previous checkpoint readable, and the next save cleans up", () => {
  withTempDir((dir) => {
    seededRun(2, { dir, epochs: 1 });
    const ckpt = join(dir, "checkpoint");
    const before = readFileSync(join(ckpt, "checkpoint.json"), "utf8");
    // What a crash in the middle of saving epoch 2 leaves: a new folder with a half-written file.
    mkdirSync(join(ckpt, "epoch-0002-crashed"));
    writeFileSync(join(ckpt, "epoch-0002-crashed", "weights.safetensors"), "half");
    writeFileSync(join(ckpt, "checkpoint.json.tmp-1-2"), "{ half");
    assert.equal(readCheckpoint(ckpt).epoch, 1);
    assert.equal(readFileSync(join(ckpt, "checkpoint.json"), "utf8"), before);
    const resumed = seededRun(2, { dir, epochs: 2, resume: true });
    assert.equal(resumed.result.trainer.epoch, 2);
    assert.equal(readCheckpoint(ckpt).epoch, 2);
    assert.equal(existsSync(join(ckpt, "epoch-0002-crashed")), false);
  });
});

/** Feeds an epoch-log sequence of one metric to a callback, as a trainer would. */
function feed(cb: Callback, values: number[], key = "valLoss"): Trainer {
  const trainer = new Trainer({ model: smallNet(), optimizer: new SGD(smallNet().parameters(), { lr: 0.1 }), loss: crossEntropy });
  values.forEach((v, i) => {
    if (trainer.stopReason === null) cb.onEpochEnd?.(trainer, { epoch: i + 1, trainLoss: 1, lr: 0.1, seconds: 0, trainSeconds: 0, examples: 1, [key]: v });
  });
  return trainer;
}

test("EarlyStopping stops after `patience` epochs without an improvement larger than minDelta, in min and max mode", () => {
  const es = new EarlyStopping({ patience: 2 });
  const t = feed(es, [1.0, 0.8, 0.85, 0.9, 0.5]);
  assert.equal(es.best, 0.8);
  assert.equal(es.bestEpoch, 2);
  assert.equal(es.wait, 2);
  assert.equal(t.stopReason, "early stopping: valLoss has not improved for 2 epoch(s); best 0.8 after epoch 2");

  const delta = new EarlyStopping({ patience: 2, minDelta: 0.05 });
  feed(delta, [1.0, 0.97, 0.96, 0.9]);
  assert.equal(delta.best, 1.0, "steps of 0.03 and 0.01 are not improvements with minDelta 0.05");
  assert.equal(delta.wait, 2);

  const acc = new EarlyStopping({ monitor: "valAccuracy", patience: 1 });
  assert.equal(acc.monitor.mode, "max");
  const ta = feed(acc, [0.5, 0.6, 0.6, 0.7], "valAccuracy");
  assert.equal(acc.best, 0.6);
  assert.ok(ta.stopReason?.startsWith("early stopping: valAccuracy"));

  // The state round-trips (±Infinity as null).
  const fresh = new EarlyStopping({ patience: 2 });
  assert.deepEqual(fresh.stateDict(), { monitor: "valLoss", best: null, bestEpoch: 0, wait: 0 });
  fresh.loadStateDict(es.stateDict());
  assert.deepEqual(fresh.stateDict(), es.stateDict());
  assert.throws(() => new EarlyStopping({ monitor: "valAccuracy", patience: 2 }).loadStateDict(es.stateDict()), /monitors "valLoss", this one "valAccuracy"/);
  assert.throws(() => new EarlyStopping({ patience: 0 }), (e: unknown) => e instanceof ValueError && /patience must be an integer >= 1, got 0/.test((e as Error).message));
  assert.throws(() => new EarlyStopping({ patience: 1, minDelta: -1 }), /minDelta must be a number >= 0/);
  assert.throws(() => feed(new EarlyStopping({ patience: 1 }), [1], "trainLoss"), /monitors "valLoss" but the epoch log has only epoch, trainLoss/);
});

test("fit stops early, and best/ holds the best epoch's model, loadable with its spec", () => {
  withTempDir((dir) => {
    manualSeed(0);
    const n = 64;
    // Random labels: validation loss gets worse quickly, so early stopping ends the run.
    const x = randn([n, 784]);
    const y = randint(0, 10, [n]);
    const model = smallNet();
    const snapshots: Buffer[][] = [];
    const result = fit(model, new TensorDataset(x, y), {
      loss: crossEntropy, optimizer: new Adam(model.parameters(), { lr: 1e-2 }), epochs: 30, batchSize: 16, valSplit: 0.25,
      earlyStopping: 2, dir, progress: false, callbacks: [{ onEpochEnd: (t) => void snapshots.push(weightsOf(t.model)) }],
    });
    const h = result.history;
    assert.ok(h.length < 30, `stopped after ${h.length} epochs`);
    const losses = h.map((e) => e.valLoss);
    const bestEpoch = losses.indexOf(Math.min(...losses)) + 1;
    assert.equal(h.length, bestEpoch + 2, `val losses ${losses}`);
    assert.ok(result.trainer.stopReason?.includes(`after epoch ${bestEpoch}`));
    const best = JSON.parse(readFileSync(join(dir, "best", "best.json"), "utf8"));
    assert.deepEqual(best, { epoch: bestEpoch, monitor: "valLoss", value: losses[bestEpoch - 1] });
    const saved = readCheckpoint(join(dir, "checkpoint"));
    assert.equal(saved.stopReason, result.trainer.stopReason);
    // The checkpoint holds the last epoch's weights, the best folder those of the best epoch.
    const loaded = smallNet();
    loaded.loadStateDict(saved.model);
    assert.deepEqual(weightsOf(loaded), snapshots[h.length - 1]);
    loaded.loadStateDict(loadSafetensors(join(dir, "best", "weights.safetensors")));
    assert.deepEqual(weightsOf(loaded), snapshots[bestEpoch - 1]);
    assert.notDeepEqual(snapshots[bestEpoch - 1], snapshots[h.length - 1]);
  });
  withTempDir((dir) => {
    // With a zoo spec the folder is a saved model (model.json + weights).
    const { model } = seededRunMlp(dir);
    const { model: best, info } = loadModel(join(dir, "best"));
    assert.equal(best.parameters().length, model.parameters().length);
    assert.equal((info.best as { monitor: string }).monitor, "valAccuracy");
  });
});

/** One epoch of Nielsen's MLP from the zoo with a BestModel callback given its spec. */
function seededRunMlp(dir: string): { model: Module } {
  manualSeed(1);
  const spec: ModelSpec = { name: "mlp", options: { sizes: [784, 30, 10] } };
  const model = createModel(spec);
  const trainSet = mnist({ split: "train", limit: 100, normalize: true, flatten: true });
  const best = new BestModel(join(dir, "best"), { monitor: "valAccuracy", spec });
  fit(model, trainSet, { loss: crossEntropy, optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 1, valSplit: 0.2, progress: false, callbacks: [best] });
  return { model };
}

test("MetricsLog writes one JSON line per epoch with the epoch's numbers", () => {
  withTempDir((dir) => {
    const { result } = seededRun(4, { epochs: 2, callbacks: [new MetricsLog(join(dir, "m.jsonl"))] });
    const lines = readFileSync(join(dir, "m.jsonl"), "utf8").split("\n");
    assert.equal(lines.length, 3);
    assert.equal(lines[2], "");
    const first = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(first), ["epoch", "trainLoss", "lr", "seconds", "trainSeconds", "examples", "valLoss", "valAccuracy"]);
    assert.deepEqual(first, result.history[0]);
    assert.equal(first.lr, 3e-3);
    assert.equal(first.examples, 192 - 19);
  });
});

test("LRScheduling: per-batch closed-form cosine, per-epoch StepLR, ReduceLROnPlateau fed the monitored metric", () => {
  const model = smallNet();
  const opt = new SGD(model.parameters(), { lr: 0.02 });
  const total = 5000;
  const cos = new LRScheduling(new CosineAnnealingLR(opt, total), { interval: "batch", closedForm: true });
  for (let k = 1; k <= total; k++) {
    cos.onBatchEnd(undefined as unknown as Trainer, 1, { batch: k, batches: total, loss: 0, examples: 0 });
    // Exactly lr·(1 + cos(πk/T))/2, the formula the CLI used before schedulers existed.
    assert.equal(opt.lr, (0.02 * (1 + Math.cos((Math.PI * k) / total))) / 2);
  }
  const opt2 = new SGD(smallNet().parameters(), { lr: 1 });
  const step = new LRScheduling(new StepLR(opt2, 2));
  const lrs: number[] = [];
  feed({ onEpochEnd: (t, log) => (step.onEpochEnd(t, log), lrs.push(opt2.lr)) }, [1, 1, 1, 1, 1]);
  assert.deepEqual(lrs.map((v) => Number(v.toPrecision(12))), [1, 0.1, 0.1, 0.01, 0.01]);

  const opt3 = new SGD(smallNet().parameters(), { lr: 1 });
  const plateau = new LRScheduling(new ReduceLROnPlateau(opt3, { mode: "max", patience: 1 }), { monitor: "valAccuracy" });
  const lr3: number[] = [];
  feed({ onEpochEnd: (t, log) => (plateau.onEpochEnd(t, log), lr3.push(opt3.lr)) }, [0.5, 0.6, 0.6, 0.6, 0.7], "valAccuracy");
  assert.deepEqual(lr3, [1, 1, 1, 0.1, 0.1]);
  assert.throws(() => new LRScheduling(new ReduceLROnPlateau(opt3), { interval: "batch" }), /ReduceLROnPlateau steps once per epoch/);
});

test("clipGradNorm bounds every step: plain SGD moves the weights by at most lr·maxNorm per step", () => {
  manualSeed(0);
  const x = randn([40, 784]).mul(50);
  const y = randint(0, 10, [40]);
  const model = new Sequential(new Linear(784, 10));
  const before = model.parameters().map((p) => Float32Array.from(p.data() as Float32Array));
  const trainer = new Trainer({ model, optimizer: new SGD(model.parameters(), { lr: 0.5 }), loss: crossEntropy, clipGradNorm: 0.01 });
  trainer.fit(new DataLoader(new TensorDataset(x, y), { batchSize: 10 }), { epochs: 1 });
  let sq = 0;
  model.parameters().forEach((p, i) => (p.data() as Float32Array).forEach((v, j) => (sq += (v - before[i][j]) ** 2)));
  const moved = Math.sqrt(sq);
  assert.ok(moved > 0 && moved <= 4 * 0.5 * 0.01 * (1 + 1e-4), `moved ${moved}`);
  assert.throws(() => new Trainer({ model, optimizer: new SGD(model.parameters(), { lr: 1 }), loss: crossEntropy, clipGradNorm: 0 }), /clipGradNorm must be a number > 0, got 0/);
});

test("trainValSplit and randomSplit: seeded, disjoint, covering, PyTorch's fraction rule", () => {
  const ds = new TensorDataset(randn([103, 2]), randint(0, 2, [103]));
  const [train, val] = trainValSplit(ds, 0.1, new Generator(5));
  assert.equal(val.length, 10);
  assert.equal(train.length, 93);
  assert.deepEqual([...train.indices, ...val.indices].sort((a, b) => a - b), Array.from({ length: 103 }, (_, i) => i));
  const [train2] = trainValSplit(ds, 0.1, new Generator(5));
  assert.deepEqual(train2.indices, train.indices);
  assert.notDeepEqual(trainValSplit(ds, 0.1, new Generator(6))[0].indices, train.indices);
  assert.deepEqual(randomSplit(ds, [0.5, 0.3, 0.2], new Generator(0)).map((s) => s.length), [52, 31, 20]);
  assert.deepEqual(randomSplit(ds, [100, 3], new Generator(0)).map((s) => s.length), [100, 3]);
  assert.throws(() => randomSplit(ds, [100, 4]), /must be counts summing to the dataset's length 103 or fractions summing to 1/);
  assert.throws(() => trainValSplit(ds, 1, new Generator(0)), /valFraction must be in \(0, 1\), got 1/);
  assert.throws(() => fit(smallNet(), ds, { loss: crossEntropy, optimizer: new SGD(smallNet().parameters(), { lr: 1 }), epochs: 1, valSplit: -0.1 }), /valSplit must be in \[0, 1\), got -0.1/);
});

test("ProgressLogger: one plain line per tenth of an epoch and a summary line per epoch when not a terminal", () => {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => (lines.push(s), true) } as unknown as NodeJS.WriteStream;
  const model = smallNet();
  manualSeed(0);
  const ds = new TensorDataset(randn([50, 784]), randint(0, 10, [50]));
  const trainer = new Trainer({ model, optimizer: new SGD(model.parameters(), { lr: 0.01 }), loss: crossEntropy, callbacks: [new ProgressLogger({ progress: createProgress(stream) })] });
  trainer.fit(new DataLoader(ds, { batchSize: 10 }), { epochs: 2, evalLoaders: { test: new DataLoader(ds, { batchSize: 25 }) } });
  const text = lines.join("");
  assert.match(text, /^epoch 1\/2 20% \(1\/5 batches\) loss \d+\.\d{4} \| \d+ img\/s\n/);
  assert.match(text, /\nepoch 1\/2: train loss \d+\.\d{4}, test loss \d+\.\d{4}, test accuracy \d+\.\d\d%, lr 0\.01, \d+\.\d s\n/);
  assert.equal(text.split("\n").filter((l) => /^epoch \d\/2:/.test(l)).length, 2);
});

test("Trainer refuses two stateful callbacks with one key, and a checkpoint without a generator it needs", () => {
  const model = smallNet();
  const opt = new SGD(model.parameters(), { lr: 0.1 });
  assert.throws(() => new Trainer({ model, optimizer: opt, loss: crossEntropy, callbacks: [new EarlyStopping({ patience: 1 }), new EarlyStopping({ patience: 2 })] }), /two callbacks have the key "earlyStopping"/);
  withTempDir((dir) => {
    const t = new Trainer({ model, optimizer: opt, loss: crossEntropy, callbacks: [new Checkpoint(dir)] });
    t.saveCheckpoint(dir);
    const t2 = new Trainer({ model, optimizer: opt, loss: crossEntropy, generators: { global: defaultGenerator, augment: new Generator(1) } });
    assert.throws(() => t2.loadCheckpoint(dir), new RegExp(`checkpoint in ${escape(dir)} has no state for generator "augment" \\(it has global\\)`));
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
