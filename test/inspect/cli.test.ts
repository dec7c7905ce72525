/**
 * `tessera summary` and `tessera explain`: output, --json, defaults per model, and exit codes
 * (0 done, 1 a model that cannot take the input, 2 bad usage before any work).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

import { run } from "../helpers/cli.js";


interface JsonSummary {
  name: string;
  options: Record<string, unknown>;
  inputShape: number[];
  outputShape: number[];
  rows: { name: string; type: string; outputShape: number[]; params: number; macs: number; activationBytes: number }[];
  totals: { params: number; trainable: number; macs: number; activationBytes: number; paramBytes: number };
}

test("tessera --help lists summary and explain", () => {
  const r = run(["--help"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /^\s+summary\s+print a zoo model's layers/m);
  assert.match(r.out, /^\s+explain\s+walk through conv \/ pool/m);
});

test("tessera summary vgg19: the table and totals at 3x224x224, without building real weights", () => {
  const t0 = performance.now();
  const r = run(["summary", "vgg19"]);
  const ms = performance.now() - t0;
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^vgg19\nVGG: input \[1, 3, 224, 224\] -> output \[1, 1000\]/);
  assert.match(r.out, /^features\.0\s+Conv2d\s+\[1, 64, 224, 224\]\s+1\.79K\s+86\.7M\s+12\.25 MB$/m);
  assert.match(r.out, /Total params:\s+143,667,240 \(144M\)/);
  assert.match(r.out, /MACs:\s+19,632,062,464 \(19\.6 GMACs\)/);
  assert.ok(ms < 2000, `tessera summary vgg19 took ${ms.toFixed(0)} ms`);
});

test("tessera summary --json: rows and totals for scripts", () => {
  const r = run(["summary", "resnet18", "--json"]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as JsonSummary;
  assert.equal(j.name, "resnet18");
  assert.deepEqual(j.inputShape, [1, 3, 224, 224]);
  assert.deepEqual(j.outputShape, [1, 1000]);
  assert.equal(j.totals.params, 11_689_512);
  assert.equal(j.totals.macs, 1_814_073_344);
  assert.equal(j.rows.reduce((n, row) => n + row.params, 0), j.totals.params);
  assert.deepEqual(j.rows[0], { name: "conv1", type: "Conv2d", depth: 1, leaf: true, calls: 1, outputShape: [1, 64, 112, 112], params: 9408, trainable: 9408, nonTrainable: 0, macs: 118_013_952, activationBytes: 64 * 112 * 112 * 4 });
});

test("tessera summary: per-model defaults, --input sets the channels, --num-classes the head, --batch, --containers", () => {
  const json = (argv: string[]): JsonSummary => {
    const r = run([...argv, "--json"]);
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out) as JsonSummary;
  };
  assert.deepEqual(json(["summary", "lenet5"]).inputShape, [1, 1, 28, 28]);
  assert.deepEqual(json(["summary", "mlp"]).totals.params, 23_860);
  assert.deepEqual(json(["summary", "alexnet-two-tower"]).inputShape, [1, 3, 227, 227]);
  assert.deepEqual(json(["summary", "autoencoder-8-3-8"]).outputShape, [1, 8]);
  assert.deepEqual(json(["summary", "mlp-deep"]).totals.params, 11_972_510);
  const r = json(["summary", "resnet18", "--input", "1x64x64", "--num-classes", "10", "--batch", "4"]);
  assert.deepEqual([r.inputShape, r.outputShape, r.options], [[4, 1, 64, 64], [4, 10], { inChannels: 1, numClasses: 10 }]);
  assert.equal(r.rows[0].params, 64 * 49);
  const lenet = json(["summary", "lenet5", "--num-classes", "7"]);
  assert.deepEqual(lenet.outputShape, [1, 7]);
  const mlp = json(["summary", "mlp", "--input", "1x29x29"]);
  assert.equal(mlp.rows[0].params, 841 * 30 + 30);
  const nested = run(["summary", "resnet18", "--containers"]);
  assert.match(nested.out, /^layer1\s+Sequential\s+\[1, 64, 56, 56\]/m);
  assert.match(nested.out, /^ {2}layer1\.0\s+BasicBlock/m);
  assert.match(nested.out, /^ {4}layer1\.0\.conv1\s+Conv2d/m);
});

test("tessera summary: bad usage exits 2 before any work, saying what was expected", () => {
  const unknown = run(["summary", "resnet19"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown model 'resnet19'; available: mlp, lenet5, alexnet, .*resnet18, .*xception/);
  const shape = run(["summary", "vgg16", "--input", "3x224xabc"]);
  assert.equal(shape.code, 2);
  assert.match(shape.err, /--input must be positive integers joined by 'x', e.g. 3x224x224, got '3x224xabc'/);
  const dims = run(["summary", "vgg16", "--input", "224x224"]);
  assert.equal(dims.code, 2);
  assert.match(dims.err, /--input for vgg16 must be CxHxW \(e\.g\. 3x224x224\)/);
  assert.equal(run(["summary"]).code, 2);
  assert.equal(run(["summary", "vgg16", "--num-classes", "0"]).code, 2);
  assert.equal(run(["summary", "autoencoder-8-3-8", "--num-classes", "3"]).code, 2);
  assert.equal(run(["summary", "vgg16", "--frobnicate"]).code, 2);
  const help = run(["summary", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.out, /--input SHAPE/);
});

test("tessera summary: an input the model cannot take exits 1 with the layer's message", () => {
  const r = run(["summary", "lenet5", "--input", "1x8x8"]);
  assert.equal(r.code, 1);
  assert.match(r.err, /^tessera: .*features\.\d \((Conv2d|MaxPool2d)\)/);
  const tower = run(["summary", "alexnet-two-tower", "--input", "3x224x224"]);
  assert.equal(tower.code, 1);
  assert.match(tower.err, /9216/);
});

test("tessera explain conv / pool: the lectures' AlexNet numbers, text and --json", () => {
  const conv = run(["explain", "conv", "--input", "227x227x3", "--kernel", "11", "--stride", "4", "--padding", "0", "--filters", "96"]);
  assert.equal(conv.code, 0, conv.err);
  assert.match(conv.out, /W2 = H2 = \(W - F \+ 2P\)\/S \+ 1\n\s+= \(227 - 11 \+ 2\*0\)\/4 \+ 1\n\s+= 216\/4 \+ 1\n\s+= 54 \+ 1 = 55/);
  assert.match(conv.out, /Output volume: 55x55x96/);
  assert.match(conv.out, /Weights: \(11\*11\*3\)\*96 = 363\*96 = 34,848, plus 96 biases = 34,944 parameters/);
  assert.match(conv.out, /Neurons: 55x55x96 = 290,400/);
  assert.match(conv.out, /MACs: 290,400 neurons x 363 = 105,415,200/);
  assert.match(conv.out, /TensorFlow "same"\s+57x57\s+ceil\(W\/S\) = ceil\(227\/4\); pads 8 = 4 before \+ 4 after/);
  const pool = run(["explain", "pool", "--input", "55x55x96", "--kernel", "3", "--stride", "2", "--json"]);
  assert.equal(pool.code, 0, pool.err);
  const j = JSON.parse(pool.out) as { outputSize: number[]; outputDepth: number; params: number; neurons: number };
  assert.deepEqual([j.outputSize, j.outputDepth, j.params, j.neurons], [[27, 27], 96, 0, 69_984]);
  const uneven = run(["explain", "pool", "--input", "7x7", "--kernel", "3", "--stride", "3"]);
  assert.match(uneven.out, /= 2\.33: the stride cannot cover perfectly/);
  assert.match(uneven.out, /PyTorch \(ceilMode true\)\s+3x3/);
  const rect = run(["explain", "conv", "--input", "224x224", "--kernel", "5x1", "--padding", "1", "--stride", "2", "--filters", "1", "--json"]);
  assert.deepEqual((JSON.parse(rect.out) as { outputSize: number[] }).outputSize, [111, 113]);
});

test("tessera explain: bad usage exits 2, impossible arithmetic exits 1", () => {
  for (const argv of [
    ["explain"],
    ["explain", "dense"],
    ["explain", "conv", "--kernel", "3", "--filters", "2"],
    ["explain", "conv", "--input", "32x32x3", "--filters", "2"],
    ["explain", "conv", "--input", "32x32x3", "--kernel", "3"],
    ["explain", "conv", "--input", "32x32x3x1", "--kernel", "3", "--filters", "2"],
    ["explain", "conv", "--input", "32x32x3", "--kernel", "3", "--filters", "2", "--stride", "0"],
    ["explain", "conv", "--input", "32x32x3", "--kernel", "3x3x3", "--filters", "2"],
    ["explain", "pool", "--input", "32x32x3", "--kernel", "2", "--filters", "2"],
  ]) {
    const r = run(argv);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
    assert.match(r.err, /Run 'tessera explain --help' for usage/);
  }
  const big = run(["explain", "conv", "--input", "5x5x3", "--kernel", "7", "--filters", "1"]);
  assert.equal(big.code, 1);
  assert.match(big.err, /the filter spans 7 cells but the padded input has only 5/);
});

test("the installed command: exit codes of a real process", () => {
  const bin = fileURLToPath(new URL("../../src/cli/bin.js", import.meta.url));
  const ok = spawnSync(process.execPath, [bin, "explain", "pool", "--input", "55x55x96", "--kernel", "3", "--stride", "2"], { encoding: "utf8" });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /Output volume: 27x27x96/);
  const bad = spawnSync(process.execPath, [bin, "summary", "vgg16", "--input", "three"], { encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--input must be positive integers joined by 'x'/);
});
