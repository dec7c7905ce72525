/**
 * The `tessera` command: help, flag validation (exit 2 before any work), a real short training run
 * with --json, and evaluate agreeing with the training summary.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { main } from "../../src/cli/main.js";
import { RECIPES } from "../../src/cli/recipes.js";

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs main() in-process with stdout / stderr captured (main is synchronous). */
function run(argv: string[]): Run {
  const stdout = process.stdout.write;
  const stderr = process.stderr.write;
  let out = "";
  let err = "";
  const text = (chunk: unknown): string => (typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
  process.stdout.write = ((chunk: unknown) => ((out += text(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => ((err += text(chunk)), true)) as typeof process.stderr.write;
  let code: number;
  try {
    code = main(argv);
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
  return { code, out, err };
}

function withTempDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "tessera-cli-"));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The help line of a flag (the line that starts with it after the indentation). */
function flagLine(help: string, flag: string): string {
  const line = help.split("\n").find((l) => new RegExp(`^\\s+(-\\w, )?${flag}(\\s|$)`).test(l));
  assert.ok(line, `help does not list ${flag}:\n${help}`);
  return line;
}

const BIN = fileURLToPath(new URL("../../src/cli/bin.js", import.meta.url));

test("tessera --help lists the commands; no command prints the same help", () => {
  const r = run(["--help"]);
  assert.equal(r.code, 0);
  assert.equal(r.err, "");
  assert.match(r.out, /^Usage: tessera <command> \[options\]/);
  assert.match(r.out, /\n {2}train {2,}train a model on MNIST/);
  assert.match(r.out, /\n {2}evaluate {2,}report a saved model's accuracy/);
  assert.equal(run([]).out, r.out);
  assert.equal(run(["help"]).out, r.out);
});

test("train --help lists every flag with its default, matching the recipes", () => {
  const r = run(["train", "--help"]);
  assert.equal(r.code, 0);
  assert.equal(r.err, "");
  const help = r.out;
  const { mlp, lenet5 } = RECIPES;
  const defaults: Record<string, string> = {
    "--model": "(default: lenet5)",
    "--epochs": `(default: mlp ${mlp.epochs}, lenet5 ${lenet5.epochs})`,
    "--batch-size": `(default: mlp ${mlp.batchSize}, lenet5 ${lenet5.batchSize})`,
    "--lr": `(default: mlp ${mlp.lr}, lenet5 ${lenet5.lr})`,
    "--momentum": `(default: mlp ${mlp.momentum}, lenet5 ${lenet5.momentum})`,
    "--schedule": `(default: mlp ${mlp.schedule}, lenet5 ${lenet5.schedule})`,
    "--seed": "(default: 1)",
    "--limit": "(default: all 60,000)",
    "--test-limit": "(default: all 10,000)",
    "--out": "(default: runs/<model>)",
    "--backend": "(default: $TESSERA_BACKEND, else wasm)",
    "--threads": "(default: $TESSERA_THREADS or 1)",
  };
  for (const [flag, text] of Object.entries(defaults)) assert.ok(flagLine(help, flag).includes(text), `${flag}: expected "${text}" in "${flagLine(help, flag)}"`);
  // The numbers themselves, so the test fails if a recipe and its help drift apart.
  assert.ok(flagLine(help, "--epochs").includes("(default: mlp 30, lenet5 5)"));
  assert.ok(flagLine(help, "--lr").includes("(default: mlp 3, lenet5 0.02)"));
  assert.ok(flagLine(help, "--momentum").includes("[0, 1)"));
  assert.ok(flagLine(help, "--lr").includes("> 0"));
  // Switches have no value and no default.
  for (const flag of ["--json", "--quiet", "--help"]) flagLine(help, flag);
  assert.ok(flagLine(help, "--help").startsWith("  -h, --help"));
  // Every option of the parser, and nothing else, appears as a flag.
  const listed = [...help.matchAll(/^[ \t]+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(listed, ["--backend", "--batch-size", "--epochs", "--help", "--json", "--limit", "--lr", "--model", "--momentum", "--out", "--quiet", "--schedule", "--seed", "--test-limit", "--threads"]);
});

test("evaluate --help lists its flags and defaults", () => {
  const r = run(["evaluate", "-h"]);
  assert.equal(r.code, 0);
  assert.ok(flagLine(r.out, "--split").includes("(default: test)"));
  assert.ok(flagLine(r.out, "--limit").includes("(default: all)"));
  flagLine(r.out, "--json");
});

test("an unknown command exits 2 with a message pointing at the general help", () => {
  const r = run(["fit", "--epochs", "3"]);
  assert.equal(r.code, 2);
  assert.equal(r.out, "");
  assert.equal(r.err, "tessera: unknown command 'fit'\nRun 'tessera --help' for usage.\n");
});

test("an unknown flag exits 2 naming the flag", () => {
  const r = run(["train", "--epoch", "3"]);
  assert.equal(r.code, 2);
  assert.ok(r.err.includes("'--epoch'"), r.err);
  assert.ok(r.err.endsWith("Run 'tessera train --help' for usage.\n"), r.err);
});

test("out-of-range flags exit 2 before training, naming the flag and its allowed range", () => {
  withTempDir((dir) => {
    const out = join(dir, "never");
    const cases: [string[], string][] = [
      [["--momentum", "1.5"], "--momentum must be in [0, 1), got '1.5'"],
      [["--momentum=-0.1"], "--momentum must be in [0, 1), got '-0.1'"],
      [["--lr=-1"], "--lr must be a number > 0, got '-1'"],
      [["--lr", "0"], "--lr must be a number > 0, got '0'"],
      [["--lr", "fast"], "--lr must be a number > 0, got 'fast'"],
      [["--lr="], "--lr must be a number > 0, got ''"],
      [["--epochs", "0"], "--epochs must be an integer >= 1, got '0'"],
      [["--epochs", "2.5"], "--epochs must be an integer >= 1, got '2.5'"],
      [["--batch-size", "0"], "--batch-size must be an integer >= 1, got '0'"],
      [["--schedule", "step"], "--schedule must be one of constant, cosine, got 'step'"],
      [["--limit", "0"], "--limit must be an integer >= 1, got '0'"],
      [["--test-limit=-5"], "--test-limit must be an integer >= 1, got '-5'"],
      [["--seed", "x"], "--seed must be an integer >= 0, got 'x'"],
      [["--model", "resnet"], "--model must be one of mlp, lenet5, got 'resnet'"],
      [["--backend", "gpu"], "--backend must be one of cpu, wasm, got 'gpu'"],
      [["--threads", "0"], "--threads must be an integer >= 1, got '0'"],
      [["--threads", "65"], "--threads must be an integer from 1 to 64, got '65'"],
    ];
    for (const [flags, message] of cases) {
      const started = performance.now();
      // Valid flags around the bad one, no --quiet: a started run would log "Training ..." on stderr.
      const r = run(["train", "--model", "mlp", "--limit", "10", "--out", out, ...flags]);
      const ms = performance.now() - started;
      assert.equal(r.code, 2, flags.join(" "));
      assert.equal(r.out, "");
      assert.equal(r.err, `tessera: ${message}\nRun 'tessera train --help' for usage.\n`);
      assert.ok(ms < 1000, `${flags.join(" ")} took ${ms} ms: validation must come before loading data`);
    }
    assert.equal(existsSync(out), false);
  });
});

test("a negative value after a space is ambiguous to the parser: exit 2 naming the flag and the '=' form", () => {
  const r = run(["train", "--lr", "-1"]);
  assert.equal(r.code, 2);
  assert.ok(r.err.startsWith("tessera: Option '--lr' argument is ambiguous."), r.err);
  assert.ok(r.err.includes("'--lr=-XYZ'"), r.err);
});

test("evaluate usage errors: no folder is exit 2, a folder without a model is exit 1 naming model.json", () => {
  const none = run(["evaluate"]);
  assert.equal(none.code, 2);
  assert.ok(none.err.startsWith("tessera: evaluate takes one model folder, got 0 arguments\n"), none.err);
  withTempDir((dir) => {
    const r = run(["evaluate", dir]);
    assert.equal(r.code, 1);
    assert.equal(r.err, `tessera: ${join(dir, "model.json")}: does not exist\n`);
    const split = run(["evaluate", dir, "--split", "val"]);
    assert.equal(split.code, 2);
    assert.ok(split.err.startsWith("tessera: --split must be one of test, train, got 'val'\n"), split.err);
  });
});

test("train --json trains, saves and reports; evaluate on the saved model gives the same accuracy", () => {
  withTempDir((dir) => {
    const out = join(dir, "mlp-run");
    const started = performance.now();
    const r = run(["train", "--model", "mlp", "--epochs", "1", "--limit", "2000", "--test-limit", "500", "--out", out, "--json", "--quiet"]);
    const seconds = (performance.now() - started) / 1000;
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, "", "--quiet prints nothing on stderr");
    const summary = JSON.parse(r.out);
    assert.equal(summary.model, "mlp");
    assert.equal(summary.epochs, 1);
    assert.equal(summary.batchSize, 10);
    assert.equal(summary.lr, 3);
    assert.equal(summary.seed, 1);
    assert.equal(summary.trainExamples, 2000);
    assert.equal(summary.out, out);
    assert.equal(summary.history.length, 1);
    const [h] = summary.history;
    assert.equal(h.epoch, 1);
    assert.equal(h.trainLoss, summary.finalTrainLoss);
    assert.equal(h.testAccuracy, summary.testAccuracy);
    // Quadratic cost of a 10-way sigmoid output: 0 <= C <= 5; after an epoch well below the ~1.5 of the start.
    assert.ok(Number.isFinite(summary.finalTrainLoss) && summary.finalTrainLoss > 0 && summary.finalTrainLoss < 0.8, `loss ${summary.finalTrainLoss}`);
    // 200 steps of Nielsen's network on 2,000 digits. Observed test accuracy on 500 digits:
    // 0.51 (seed 1, the default used here), 0.452 / 0.404 / 0.382 (seeds 2-4). Chance is 0.1;
    // a bar of 0.3 is far above it without depending on the lucky seed.
    assert.ok(summary.testAccuracy > 0.3, `test accuracy ${summary.testAccuracy}`);
    assert.ok(Number.isInteger(summary.testAccuracy * 500), "accuracy is a count over 500 digits");
    assert.ok(summary.imagesPerSecond > 0 && Number.isFinite(summary.imagesPerSecond));
    assert.ok(summary.seconds > 0 && summary.seconds <= seconds);
    assert.ok(Math.abs(summary.imagesPerSecond - 2000 / summary.seconds) < 1e-6 * summary.imagesPerSecond);

    assert.deepEqual(readdirSync(out).sort(), ["model.json", "weights.safetensors"]);
    const saved = JSON.parse(readFileSync(join(out, "model.json"), "utf8"));
    assert.equal(saved.format, "tessera-model");
    assert.deepEqual(saved.model, RECIPES.mlp.spec);
    assert.equal(saved.training.testAccuracy, summary.testAccuracy);

    const e = run(["evaluate", out, "--limit", "500", "--json"]);
    assert.equal(e.code, 0, e.err);
    const result = JSON.parse(e.out);
    assert.deepEqual(result, { model: "mlp", split: "test", accuracy: summary.testAccuracy, correct: Math.round(summary.testAccuracy * 500), examples: 500 });

    const text = run(["evaluate", out, "--limit", "500"]);
    assert.equal(text.code, 0);
    assert.equal(text.out, `mlp on MNIST test: accuracy ${(100 * summary.testAccuracy).toFixed(2)}% (${result.correct}/500)\n`);
  });
});

test("without --quiet, progress and the epoch report go to stderr and stdout stays empty", () => {
  withTempDir((dir) => {
    const r = run(["train", "--model", "mlp", "--epochs", "1", "--limit", "50", "--test-limit", "20", "--batch-size", "10", "--out", dir]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, "");
    const lines = r.err.trimEnd().split("\n");
    assert.match(lines[0], /^Training mlp \(23,860 parameters\) on 50 MNIST digits: 1 epoch\(s\), batch 10, lr 3 \(constant\), momentum 0, seed 1, backend (cpu|wasm \(1 thread\))$/);
    assert.match(lines[lines.length - 2], /^epoch 1\/1: train loss \d+\.\d{4}, test accuracy \d+\.\d{2}% \(\d+\/20\), \d+ img\/s, \d+\.\d s$/);
    assert.equal(lines[lines.length - 1], `saved to ${dir}`);
    // Not a terminal: plain progress lines, the last at 100%.
    assert.ok(lines.some((l) => /^epoch 1\/1 100% \(5\/5 batches\) loss \d+\.\d{4} \| \d+ img\/s$/.test(l)), r.err);
  });
});

test("the bin script sets the exit code: --version, unknown command, bad flag", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  const version = spawnSync(process.execPath, [BIN, "--version"], { encoding: "utf8" });
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout, `${pkg.version}\n`);
  const unknown = spawnSync(process.execPath, [BIN, "frobnicate"], { encoding: "utf8" });
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stdout, "");
  assert.equal(unknown.stderr, "tessera: unknown command 'frobnicate'\nRun 'tessera --help' for usage.\n");
  const bad = spawnSync(process.execPath, [BIN, "train", "--momentum", "1.5"], { encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, "tessera: --momentum must be in [0, 1), got '1.5'\nRun 'tessera train --help' for usage.\n");
});
