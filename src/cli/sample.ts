/** `tessera sample`: text written by a character model saved by `tessera train --model charrnn`. */
import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Generator } from "../random.js";
import { loadModel, MODEL_FILE } from "../io/files.js";
import { createModel, type AnyModelSpec } from "../models/registry.js";
import { CharRNN } from "../models/charrnn.js";
import { sampleText } from "../models/charrnn-sample.js";
import { CHECKPOINT_FILE, readCheckpoint } from "../train/checkpoint.js";
import { DataFormatError, ValueError } from "../errors.js";
import { intFlag, numberFlag, UsageError } from "./options.js";
import { applyBackendFlags, BACKEND_HELP, BACKEND_OPTIONS } from "./backend-flags.js";

export const SAMPLE_HELP = `Usage: tessera sample --checkpoint DIR [options]

Writes text with a character model trained by 'tessera train --model charrnn', one character at
a time, each drawn from the model's distribution softmax(logits / T) over the --top-k likeliest
characters. A model trained on lines (names) writes one line per sample and stops at the end of
the line; a model trained on running text writes --length characters.

Options:
  --checkpoint DIR    the run's folder (its --out: model.json + weights.safetensors), or its
                        checkpoint/ folder (the last completed epoch of a run)   (required)
  --prefix TEXT       start every sample with this text       (default: none)
  --length N          most characters to write after the prefix, >= 1 (default: lines 40, text 200)
  --temperature T     > 0: below 1 safer, above 1 wilder; near 0 always the likeliest (default: 1)
  --top-k K           draw among the K likeliest characters only, >= 1 (default: all)
  --count N           how many samples, >= 1                 (default: lines 10, text 1)
  --seed S            integer seed of the draws, >= 0        (default: 1)
${BACKEND_HELP}
  --json              print the samples as JSON
  -h, --help          show this help
`;

export interface SampleResult {
  samples: string[];
  temperature: number;
  topK: number | null;
  seed: number;
}

/** The CharRNN in a run folder (model.json) or a checkpoint folder (checkpoint.json). */
export function loadCharRNN(dir: string): CharRNN {
  let model;
  if (existsSync(join(dir, MODEL_FILE))) model = loadModel(dir).model;
  else {
    const ckpt = existsSync(join(dir, CHECKPOINT_FILE)) ? dir : existsSync(join(dir, "checkpoint", CHECKPOINT_FILE)) ? join(dir, "checkpoint") : null;
    if (!ckpt) throw new DataFormatError(dir, `holds neither a saved model (${MODEL_FILE}) nor a checkpoint (${CHECKPOINT_FILE}); give the --out folder of 'tessera train --model charrnn'`);
    const data = readCheckpoint(ckpt);
    const spec = data.extra.spec as AnyModelSpec | undefined;
    if (!spec || typeof spec !== "object") throw new DataFormatError(join(ckpt, CHECKPOINT_FILE), "holds no model spec (it was not written by 'tessera train --model charrnn')");
    model = createModel(spec);
    model.loadStateDict(data.model);
  }
  if (!(model instanceof CharRNN)) throw new ValueError(`sample writes with character models (charrnn); ${dir} holds a ${model.constructor.name}`);
  return model;
}

export function runSample(argv: string[]): SampleResult | null {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      checkpoint: { type: "string" },
      prefix: { type: "string" },
      length: { type: "string" },
      temperature: { type: "string" },
      "top-k": { type: "string" },
      count: { type: "string" },
      seed: { type: "string" },
      ...BACKEND_OPTIONS,
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(SAMPLE_HELP);
    return null;
  }
  if (positionals.length > 0) throw new UsageError(`sample takes no positional arguments, got '${positionals[0]}'`);
  if (values.checkpoint === undefined) throw new UsageError("--checkpoint DIR is required: the --out folder of 'tessera train --model charrnn'");
  // Every flag is checked before the model is read.
  const length = values.length === undefined ? undefined : intFlag(values.length, "length", 0, 1);
  const temperature = numberFlag(values.temperature, "temperature", 1, (n) => n > 0, "a number > 0");
  const topK = values["top-k"] === undefined ? null : intFlag(values["top-k"], "top-k", 0, 1);
  const count = values.count === undefined ? undefined : intFlag(values.count, "count", 0, 1);
  const seed = intFlag(values.seed, "seed", 1, 0);
  applyBackendFlags(values);

  const model = loadCharRNN(values.checkpoint);
  const lines = model.marker !== null;
  const samples = sampleText(model, {
    prefix: values.prefix ?? "",
    length: length ?? (lines ? 40 : 200),
    temperature,
    topK: topK ?? 0,
    count: count ?? (lines ? 10 : 1),
    generator: new Generator(seed),
  });
  const result: SampleResult = { samples, temperature, topK, seed };
  if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  else process.stdout.write(samples.join(lines ? "\n" : "\n\n") + "\n"); // texts apart by a blank line
  return result;
}
