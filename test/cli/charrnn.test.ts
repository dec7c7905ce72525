/**
 * `tessera train --model charrnn` and `tessera sample`: help, a tiny training run on the names
 * (validation loss reported before and after, model + checkpoint saved), sampling from the run
 * folder and from its checkpoint (seeded, top-k 1 greedy), a run on a --text file in chunks,
 * --resume, and the flag and file errors (usage: exit 2; files: exit 1, naming the file).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { run } from "../helpers/cli.js";
import { saveModel } from "../../src/io/files.js";
import { createModel } from "../../src/models/registry.js";


const dir = mkdtempSync(join(tmpdir(), "tessera-charrnn-cli-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const out = join(dir, "names");
const TINY = ["--limit", "800", "--epochs", "1", "--hidden-size", "16", "--embedding-dim", "8", "--batch-size", "16", "--lr", "0.02"];

test("help: train lists charrnn, train --model charrnn has its own options, sample is a command", () => {
  assert.match(run(["--help"]).out, /\n {2}sample {2,}write text with a character model/);
  assert.match(run(["train", "--help"]).out, /--model NAME +mlp \| lenet5 \| charrnn/);
  const h = run(["train", "--model", "charrnn", "--help"]);
  assert.equal(h.code, 0);
  assert.match(h.out, /^Usage: tessera train --model charrnn/);
  for (const flag of ["--text FILE", "--mode NAME", "--seq-length N", "--cell NAME", "--hidden-size N", "--num-layers N", "--dropout P", "--input NAME", "--resume DIR"]) assert.ok(h.out.includes(flag), flag);
  const s = run(["sample", "--help"]);
  assert.match(s.out, /^Usage: tessera sample --checkpoint DIR/);
  for (const flag of ["--prefix TEXT", "--length N", "--temperature T", "--top-k K", "--count N", "--seed S"]) assert.ok(s.out.includes(flag), flag);
});

test("train --model charrnn on the names: reports nats/char before and after, saves model and checkpoint", () => {
  const r = run(["train", "--model", "charrnn", ...TINY, "--out", out, "--json"]);
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(r.out);
  assert.equal(summary.model, "charrnn");
  assert.equal(summary.vocabSize, 54);
  assert.equal(summary.trainSequences + summary.valSequences, 800);
  assert.ok(Math.abs(summary.valLossBefore - Math.log(54)) < 0.1, `before: ${summary.valLossBefore}`);
  assert.ok(summary.valLossAfter < summary.valLossBefore - 0.3, `after: ${summary.valLossAfter}`);
  assert.match(r.err, /validation loss before training: \d\.\d{4} nats\/char \(uniform guessing: ln 54 = 3\.9890\)/);
  assert.match(r.err, new RegExp(`validation loss after training: ${summary.valLossAfter.toFixed(4)} nats/char`));
  for (const f of ["model.json", "weights.safetensors", "metrics.jsonl", join("checkpoint", "checkpoint.json")]) assert.ok(existsSync(join(out, f)), f);
  const saved = JSON.parse(readFileSync(join(out, "model.json"), "utf8"));
  assert.equal(saved.model.name, "charrnn");
  assert.equal(saved.model.options.vocab.length, 54);
  assert.equal(saved.model.options.marker, 0);
});

test("sample: seeded names, one per line; top-k 1 is greedy; the checkpoint folder samples the same", () => {
  const a = run(["sample", "--checkpoint", out, "--count", "6", "--seed", "3"]);
  assert.equal(a.code, 0, a.err);
  const names = a.out.split("\n").slice(0, -1);
  assert.equal(names.length, 6);
  for (const n of names) assert.ok(/^[A-Za-z-]*$/.test(n) && n.length <= 40, JSON.stringify(n));
  assert.equal(run(["sample", "--checkpoint", out, "--count", "6", "--seed", "3"]).out, a.out);
  assert.notEqual(run(["sample", "--checkpoint", out, "--count", "6", "--seed", "4"]).out, a.out);
  assert.equal(run(["sample", "--checkpoint", join(out, "checkpoint"), "--count", "6", "--seed", "3"]).out, a.out);
  const greedy = run(["sample", "--checkpoint", out, "--top-k", "1", "--count", "3", "--prefix", "Ma", "--json"]);
  const g = JSON.parse(greedy.out);
  assert.equal(g.samples.length, 3);
  assert.ok(g.samples.every((s: string) => s === g.samples[0] && s.startsWith("Ma")));
  assert.equal(g.topK, 1);
});

test("sample: bad flags exit 2 with the allowed range, before reading the model", () => {
  const cases: [string[], string][] = [
    [["--temperature", "0"], "--temperature must be a number > 0, got '0'"],
    [["--temperature", "warm"], "--temperature must be a number > 0, got 'warm'"],
    [["--top-k", "0"], "--top-k must be an integer >= 1, got '0'"],
    [["--length", "0"], "--length must be an integer >= 1, got '0'"],
    [["--count", "1.5"], "--count must be an integer >= 1, got '1.5'"],
    [["--seed=-1"], "--seed must be an integer >= 0, got '-1'"],
  ];
  for (const [flags, message] of cases) {
    const r = run(["sample", "--checkpoint", join(dir, "nowhere"), ...flags]);
    assert.equal(r.code, 2, flags.join(" "));
    assert.equal(r.err, `tessera: ${message}\nRun 'tessera sample --help' for usage.\n`);
  }
  const none = run(["sample"]);
  assert.equal(none.code, 2);
  assert.match(none.err, /^tessera: --checkpoint DIR is required/);
  assert.equal(run(["sample", "--checkpoint", out, "--foo"]).code, 2);
});

test("sample: a folder without a model, or with an MNIST model, is exit 1 naming it", () => {
  const empty = join(dir, "empty");
  const r = run(["sample", "--checkpoint", empty]);
  assert.equal(r.code, 1);
  assert.match(r.err, new RegExp(`^tessera: ${empty.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: holds neither a saved model \\(model.json\\) nor a checkpoint`));
  const mlp = join(dir, "mlp");
  const spec = { name: "mlp" as const, options: { sizes: [4, 3, 2] } };
  saveModel(mlp, createModel(spec), spec);
  const m = run(["sample", "--checkpoint", mlp]);
  assert.equal(m.code, 1);
  assert.match(m.err, /sample writes with character models \(charrnn\); .* holds a MLP/);
  const bad = run(["sample", "--checkpoint", out, "--prefix", "M§"]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /the prefix's character "§" at position 1 is not in the model's vocabulary/);
});

test("train --model charrnn --text FILE learns running text in chunks; sample writes --length characters", () => {
  const file = join(dir, "text.txt");
  writeFileSync(file, "the cat sat on the mat. ".repeat(60));
  const textOut = join(dir, "text");
  const r = run(["train", "--model", "charrnn", "--text", file, "--seq-length", "24", "--epochs", "2", "--hidden-size", "16", "--batch-size", "8", "--lr", "0.02", "--out", textOut, "--quiet", "--json"]);
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(r.out);
  assert.equal(summary.mode, "chunks");
  assert.equal(summary.vocabSize, 11); // " ", ".", a, c, e, h, m, n, o, s, t
  assert.equal(summary.trainSequences + summary.valSequences, Math.floor((24 * 60 - 1) / 24));
  assert.ok(summary.valLossAfter < summary.valLossBefore - 0.5, `${summary.valLossBefore} → ${summary.valLossAfter}`);
  const s = run(["sample", "--checkpoint", textOut, "--prefix", "the ", "--length", "30"]);
  assert.equal(s.code, 0, s.err);
  assert.equal(s.out.length, 4 + 30 + 1);
  assert.ok(s.out.startsWith("the "));
});

test("train --model charrnn: bad flags exit 2, a bad --text exit 1 naming the file", () => {
  const cases: [string[], string][] = [
    [["--cell", "tcn"], "--cell must be one of lstm, gru, rnn, got 'tcn'"],
    [["--val-split", "0"], "--val-split must be in (0, 1), got '0'"],
    [["--dropout", "1"], "--dropout must be in [0, 1), got '1'"],
    [["--mode", "words"], "--mode must be one of lines, chunks, got 'words'"],
    [["--input", "bytes"], "--input must be one of embedding, onehot, got 'bytes'"],
    [["--hidden-size", "0"], "--hidden-size must be an integer >= 1, got '0'"],
  ];
  for (const [flags, message] of cases) {
    const r = run(["train", "--model", "charrnn", ...flags, "--out", join(dir, "bad")]);
    assert.equal(r.code, 2, flags.join(" "));
    assert.equal(r.err, `tessera: ${message}\nRun 'tessera train --help' for usage.\n`);
  }
  const empty = join(dir, "empty.txt");
  writeFileSync(empty, "");
  const r = run(["train", "--model", "charrnn", "--text", empty, "--out", join(dir, "bad")]);
  assert.equal(r.code, 1);
  assert.equal(r.err, `tessera: ${empty}: is empty: a text dataset needs some text\n`);
  const missing = run(["train", "--model", "charrnn", "--text", join(dir, "missing.txt"), "--out", join(dir, "bad")]);
  assert.equal(missing.err, `tessera: ${join(dir, "missing.txt")}: does not exist\n`);
});

test("train --resume continues a charrnn run from its checkpoint with its saved settings", () => {
  const r = run(["train", "--resume", out, "--quiet", "--json"]);
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(r.out);
  assert.equal(summary.model, "charrnn");
  assert.equal(summary.resumedFrom, 1);
  assert.equal(summary.history.length, 1);
  const given = run(["train", "--resume", out, "--epochs", "3"]);
  assert.equal(given.code, 2);
  assert.match(given.err, /--resume continues a run with its saved settings; --epochs cannot be given with it/);
});
