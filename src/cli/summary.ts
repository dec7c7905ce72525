/** `tessera summary MODEL`: the layer table of a zoo model, from a shape-only pass. */
import { parseArgs } from "node:util";
import { createModel, MODEL_NAMES, type AnyModelSpec, type ModelName } from "../models/registry.js";
import { DEEP_MLP_TABLE } from "../models/mlp-deep.js";
import { onMeta } from "../inspect/trace.js";
import { summary } from "../inspect/summary.js";
import { formatSummary } from "../inspect/format.js";
import { intFlag, UsageError } from "./options.js";
import { textDataset } from "../data/text.js";
import { firstNames } from "../data/text-files.js";

/** Characters per sequence in a character model's default summary (names are about 6 long, plus markers). */
const CHARRNN_LENGTH = 16;

/** The input each model is drawn for (its paper's, or MNIST's for the MNIST models), no batch dim. */
export const DEFAULT_INPUTS: Record<ModelName, number[]> = Object.fromEntries(
  MODEL_NAMES.map((name) => [
    name,
    name === "mlp" || name === "lenet5" || name === "mlp-deep" ? [1, 28, 28]
      : name === "autoencoder-8-3-8" ? [8]
        : name === "charrnn" ? [CHARRNN_LENGTH]
        : name === "alexnet-two-tower" ? [3, 227, 227]
          : name === "xception" ? [3, 299, 299]
            : [3, 224, 224],
  ]),
) as Record<ModelName, number[]>;

export const SUMMARY_HELP = `Usage: tessera summary MODEL [options]

Prints MODEL's layers: output shapes, parameters, multiply-accumulates (MACs) and activation
memory, computed by a shape-only pass (no weights or activations are allocated).

Models: ${MODEL_NAMES.join(", ")}

Options:
  --input SHAPE       input without the batch dim, dims joined by x: CxHxW for images
                      (default: 1x28x28 for mlp, mlp-deep and lenet5, 8 for autoencoder-8-3-8,
                      ${CHARRNN_LENGTH} characters for charrnn, 3x227x227 for alexnet-two-tower,
                      3x299x299 for xception, else 3x224x224); its first dim sets the model's
                      input channels
  --num-classes N     classes of the model's head (default: the model's own, 10 or 1000; for
                      charrnn the characters of the bundled first names)
  --batch N           batch size of the pass (default: 1)
  --containers        also list containers (Sequential, residual blocks...) with their totals
  --json              print the rows and totals as JSON
  -h, --help          show this help
`;

/** "3x224x224" → [3, 224, 224]. */
export function parseDims(value: string, flag: string, example: string): number[] {
  const parts = value.trim().split(/x/i);
  const dims = parts.map(Number);
  if (value.trim() === "" || dims.some((d, i) => !Number.isInteger(d) || d < 1 || parts[i].trim() === "")) {
    throw new UsageError(`--${flag} must be positive integers joined by 'x', e.g. ${example}, got '${value}'`);
  }
  return dims;
}

/** The zoo spec `tessera summary` builds for a model drawn at `input` (no batch dim). */
export function summarySpec(name: ModelName, input: number[], numClasses?: number): AnyModelSpec {
  const features = input.reduce((a, b) => a * b, 1);
  switch (name) {
    case "mlp":
      return { name, options: { sizes: [features, 30, numClasses ?? 10] } };
    case "mlp-deep": {
      const widths = DEEP_MLP_TABLE[0].split("-").map(Number);
      if (numClasses !== undefined) widths[widths.length - 1] = numClasses;
      return { name, options: { inputSize: features, layers: widths } };
    }
    case "charrnn": {
      if (input.length !== 1) throw new UsageError(`--input for charrnn is the sequence length (e.g. ${CHARRNN_LENGTH}), got ${input.join("x")}`);
      // The vocabulary of 'tessera train --model charrnn' by default, or N stand-in characters.
      if (numClasses !== undefined) return { name, options: { vocab: Array.from({ length: numClasses }, (_, i) => String.fromCodePoint(0x4e00 + i)) } };
      const { vocabulary } = textDataset(firstNames().join("\n"), { mode: "lines" });
      return { name, options: { vocab: [...vocabulary.chars], marker: vocabulary.marker } };
    }
    case "autoencoder-8-3-8":
      if (numClasses !== undefined) throw new UsageError("--num-classes does not apply to autoencoder-8-3-8 (its output is as wide as its input)");
      return { name, options: { inputSize: features } };
    default:
      if (input.length !== 3) throw new UsageError(`--input for ${name} must be CxHxW (e.g. ${DEFAULT_INPUTS[name].join("x")}), got ${input.join("x")}`);
      return { name, options: { inChannels: input[0], ...(numClasses !== undefined ? { numClasses } : {}) } } as AnyModelSpec;
  }
}

export function runSummary(argv: string[]): unknown {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      input: { type: "string" },
      "num-classes": { type: "string" },
      batch: { type: "string" },
      containers: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(SUMMARY_HELP);
    return null;
  }
  if (positionals.length !== 1) throw new UsageError(`summary takes one model name (${MODEL_NAMES.join(", ")}), got ${positionals.length}`);
  const name = positionals[0];
  if (!(MODEL_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown model '${name}'; available: ${MODEL_NAMES.join(", ")}`);
  const model = name as ModelName;
  const input = values.input === undefined ? DEFAULT_INPUTS[model] : parseDims(values.input, "input", DEFAULT_INPUTS[model].join("x"));
  const numClasses = values["num-classes"] === undefined ? undefined : intFlag(values["num-classes"], "num-classes", 0, 1);
  const batchSize = intFlag(values.batch, "batch", 1, 1);
  const spec = summarySpec(model, input, numClasses);
  // Built on the meta backend: the weights have shapes and no memory, and none are drawn.
  const net = onMeta(() => createModel(spec));
  const result = summary(net, input, { batchSize, containers: values.containers, dtype: model === "charrnn" ? "int32" : "float32" });
  if (values.json) process.stdout.write(JSON.stringify({ name: model, options: spec.options ?? {}, ...result }, null, 2) + "\n");
  else process.stdout.write(`${model}\n${formatSummary(result)}`);
  return result;
}
