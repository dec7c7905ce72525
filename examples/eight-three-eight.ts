/**
 * Learning hidden layer representations: the 8-3-8 task of the lectures (Mitchell, Machine
 * Learning, 1997, §4.6.4). The target function is the identity on the eight one-hot vectors
 * 10000000 … 00000001; the network (`models.Autoencoder`: Linear 8→3, sigmoid, Linear 3→8,
 * sigmoid) has to squeeze them through three sigmoid hidden units. Nobody tells it how, yet
 * trained by backpropagation on the squared error it invents a code: the three hidden values of
 * each input end up near 0 or 1, close to a 3-bit binary encoding of the eight patterns
 * (log2 8 = 3 is exactly enough).
 *
 * Training: all eight patterns in one batch, squared error ½·Σ(y − t)² summed over the outputs
 * and averaged over the patterns, SGD with momentum; stop once every pattern decodes
 * (argmax of the output = the hot input) and, for the near-binary code, keep going until the
 * largest output error is below `targetError`.
 *
 * The lectures' table (Mitchell's run):
 *
 *   Input      Hidden values    Output
 *   10000000 → .89 .04 .08 → 10000000
 *   01000000 → .01 .11 .88 → 01000000
 *   00100000 → .01 .97 .27 → 00100000
 *   00010000 → .99 .97 .71 → 00010000
 *   00001000 → .03 .05 .02 → 00001000
 *   00000100 → .22 .99 .99 → 00000100
 *   00000010 → .80 .01 .98 → 00000010
 *   00000001 → .60 .94 .01 → 00000001
 *
 * This example's run (`node build/examples/eight-three-eight.js`; SGD lr 2, momentum 0.9; the
 * same step counts on the cpu and wasm backends):
 *
 *   Input       Hidden values     code   Output
 *   10000000 → .99 .45 .00  (100) → 10000000
 *   01000000 → .00 .96 .99  (011) → 01000000
 *   00100000 → .64 .99 .01  (110) → 00100000
 *   00010000 → .99 .94 .99  (111) → 00010000
 *   00001000 → .05 .00 .99  (001) → 00001000
 *   00000100 → .96 .00 .59  (101) → 00000100
 *   00000010 → .01 .63 .09  (010) → 00000010
 *   00000001 → .28 .01 .02  (000) → 00000001
 *
 *   seed 3: all 8 decoded after 1641 steps; 2102 steps to max output error 0.100 (loss 4.45e-3)
 *
 *   | seed | steps to 8/8 | steps to error < 0.1 | decoded | distinct rounded codes | min hidden distance | time |
 *   | --: | --: | --: | --: | --: | --: | --: |
 *   | 0 | 8609 | 9598 | 8/8 | 7 | 0.564 | 3.3 s |
 *   | 1 | 2635 | 2938 | 8/8 | 7 | 0.586 | 1.5 s |
 *   | 2 | 985 | 1549 | 8/8 | 6 | 0.635 | 0.8 s |
 *   | 3 | 1641 | 2102 | 8/8 | 8 | 0.648 | 1.7 s |
 *   | 4 | 3425 | 3932 | 8/8 | 8 | 0.639 | 2.1 s |
 *   | 5 | 3797 | 4205 | 8/8 | 8 | 0.697 | 2.2 s |
 *   | 6 | 3226 | 4412 | 8/8 | 7 | 0.542 | 2.0 s |
 *   | 7 | 2064 | 3086 | 8/8 | 7 | 0.560 | 1.8 s |
 *
 * Seed 3 is the default because it is the first of seeds 0–7 whose rounded code is eight
 * distinct 3-bit words. Every seed decodes 8/8 and every code has a few middle values (as the
 * lectures' .60, .71 and .27); in five of the eight seeds two patterns even round to the same
 * word, yet their hidden vectors stay at least 0.54 apart and the decoder separates them — a
 * middle level is a third symbol the output layer reads as well as 0 or 1.
 */
import { fileURLToPath } from "node:url";
import { manualSeed } from "../src/random.js";
import { eye } from "../src/tensor/create.js";
import type { Tensor } from "../src/tensor/tensor.js";
import { scope } from "../src/tensor/scope.js";
import { noGrad } from "../src/autograd/engine.js";
import { mseLoss } from "../src/nn/losses.js";
import { SGD } from "../src/optim/sgd.js";
import { Autoencoder } from "../src/models/autoencoder.js";

export interface EightThreeEightOptions {
  /** Seeds the initial weights (default 3; see the doc comment above for other seeds). */
  seed?: number;
  /** SGD learning rate (default 2) and momentum (default 0.9). */
  lr?: number;
  momentum?: number;
  /** Give up after this many full-batch steps (default 20000). */
  maxEpochs?: number;
  /** Keep training after 8/8 until every output is within this of its target (default 0.1; 1 = stop at 8/8). */
  targetError?: number;
}

export interface EightThreeEightResult {
  /** Full-batch steps until all eight patterns first decoded correctly (-1: never). */
  epochsToDecode: number;
  /** Total steps taken (up to the target error, or maxEpochs). */
  epochs: number;
  /** Patterns whose output argmax is the hot input, at the end (of 8). */
  correct: number;
  /** Largest |output − target| over all 64 outputs, at the end. */
  maxError: number;
  /** Final loss ½·Σ(y − t)², averaged over the eight patterns. */
  loss: number;
  /** Hidden values [8][3], row i for input pattern i. */
  hidden: number[][];
  /** Each hidden row rounded to 0/1, as a 3-character string ("101"). */
  codes: string[];
  /** Output values [8][8]. */
  outputs: number[][];
  seconds: number;
}

const rows = (t: Tensor): number[][] => {
  const [n, m] = t.shape;
  const d = t.data();
  return Array.from({ length: n }, (_, i) => Array.from(d.subarray(i * m, (i + 1) * m)));
};

const argmax = (row: number[]): number => row.reduce((best, v, j) => (v > row[best] ? j : best), 0);

/** Smallest Euclidean distance between two patterns' hidden vectors (how well the code separates them). */
export function minHiddenDistance(hidden: number[][]): number {
  let best = Infinity;
  for (let i = 0; i < hidden.length; i++) {
    for (let j = i + 1; j < hidden.length; j++) best = Math.min(best, Math.hypot(...hidden[i].map((v, k) => v - hidden[j][k])));
  }
  return best;
}

/** Trains the 8-3-8 autoencoder and returns its hidden code. */
export function runEightThreeEight(options: EightThreeEightOptions = {}): EightThreeEightResult {
  const start = performance.now();
  manualSeed(options.seed ?? 3);
  const model = new Autoencoder();
  const x = eye(8); // the eight one-hot patterns, which are also the targets
  const optimizer = new SGD(model.parameters(), { lr: options.lr ?? 2, momentum: options.momentum ?? 0.9 });
  const maxEpochs = options.maxEpochs ?? 20000;
  const targetError = options.targetError ?? 0.1;
  let epochsToDecode = -1;
  let epoch = 0;
  const check = (): { correct: number; maxError: number; outputs: number[][] } =>
    noGrad(() =>
      scope(() => {
        const outputs = rows(model.forward(x));
        const correct = outputs.filter((row, i) => argmax(row) === i).length;
        const maxError = Math.max(...outputs.flatMap((row, i) => row.map((v, j) => Math.abs(v - (i === j ? 1 : 0)))));
        return { correct, maxError, outputs };
      }),
    );
  let state = check();
  while (epoch < maxEpochs) {
    if (state.correct === 8 && epochsToDecode < 0) epochsToDecode = epoch;
    if (state.correct === 8 && state.maxError < targetError) break;
    scope(() => {
      optimizer.zeroGrad();
      mseLoss(model.forward(x), x, { reduction: "batchmean", half: true }).backward();
      optimizer.step();
    });
    epoch++;
    state = check();
  }
  if (state.correct === 8 && epochsToDecode < 0) epochsToDecode = epoch;
  const { hidden, loss } = noGrad(() =>
    scope(() => ({ hidden: rows(model.encode(x)), loss: mseLoss(model.forward(x), x, { reduction: "batchmean", half: true }).item() })),
  );
  return {
    epochsToDecode,
    epochs: epoch,
    correct: state.correct,
    maxError: state.maxError,
    loss,
    hidden,
    codes: hidden.map((h) => h.map((v) => (v >= 0.5 ? "1" : "0")).join("")),
    outputs: state.outputs,
    seconds: (performance.now() - start) / 1000,
  };
}

/** The lectures' table: input → hidden values (rounded code) → decoded output. */
export function formatTable(r: EightThreeEightResult): string {
  const pattern = (i: number) => Array.from({ length: 8 }, (_, j) => (i === j ? "1" : "0")).join("");
  const two = (v: number) => v.toFixed(2).replace(/^0/, "");
  const lines = ["Input       Hidden values     code   Output"];
  r.hidden.forEach((h, i) => lines.push(`${pattern(i)} → ${h.map(two).join(" ")}  (${r.codes[i]}) → ${pattern(argmax(r.outputs[i]))}`));
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const summary = (seed: number, r: EightThreeEightResult) =>
    `| ${seed} | ${r.epochsToDecode} | ${r.epochs} | ${r.correct}/8 | ${new Set(r.codes).size} | ${minHiddenDistance(r.hidden).toFixed(3)} | ${r.seconds.toFixed(1)} s |`;
  const r = runEightThreeEight();
  console.log(formatTable(r));
  console.log(`\nseed 3: all 8 decoded after ${r.epochsToDecode} steps; ${r.epochs} steps to max output error ${r.maxError.toFixed(3)} (loss ${r.loss.toExponential(2)})\n`);
  console.log("| seed | steps to 8/8 | steps to error < 0.1 | decoded | distinct rounded codes | min hidden distance | time |");
  console.log("| --: | --: | --: | --: | --: | --: | --: |");
  for (let seed = 0; seed < 8; seed++) console.log(summary(seed, seed === 3 ? r : runEightThreeEight({ seed })));
}
