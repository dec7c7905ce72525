/** `tessera evaluate`: accuracy of a saved model on an MNIST split. */
import { parseArgs } from "node:util";
import { loadModel } from "../io/files.js";
import { mnist } from "../data/mnist.js";
import { DataLoader } from "../data/dataloader.js";
import { evaluate } from "../train/loop.js";
import { EVAL_BATCH, RECIPES } from "./recipes.js";
import { choiceFlag, intFlag, UsageError } from "./options.js";
import { ValueError } from "../errors.js";
import { applyBackendFlags, BACKEND_HELP, BACKEND_OPTIONS } from "./backend-flags.js";

export const EVALUATE_HELP = `Usage: tessera evaluate DIR [options]

Loads a model saved by 'tessera train' (DIR holds model.json and weights.safetensors) and
reports its accuracy on MNIST.

Options:
  --split NAME        test | train                      (default: test)
  --limit N           only the first N examples          (default: all)
${BACKEND_HELP}
  --json              print the result as JSON
  -h, --help          show this help
`;

export function runEvaluate(argv: string[]): { accuracy: number; correct: number; examples: number } | null {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      split: { type: "string" },
      limit: { type: "string" },
      ...BACKEND_OPTIONS,
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(EVALUATE_HELP);
    return null;
  }
  if (positionals.length !== 1) throw new UsageError(`evaluate takes one model folder, got ${positionals.length} arguments`);
  const split = choiceFlag(values.split, "split", "test", ["test", "train"] as const);
  const limit = intFlag(values.limit, "limit", Number.MAX_SAFE_INTEGER, 1);
  applyBackendFlags(values);
  const { model, spec } = loadModel(positionals[0]);
  if (!(spec.name in RECIPES)) {
    throw new ValueError(`evaluate measures the MNIST models (${Object.keys(RECIPES).join(", ")}); ${positionals[0]} holds a '${spec.name}'`);
  }
  const recipe = RECIPES[spec.name as keyof typeof RECIPES];
  const set = mnist({ split, limit, normalize: recipe.normalize, flatten: recipe.flatten });
  const r = evaluate(model, new DataLoader(set, { batchSize: EVAL_BATCH }));
  const result = { model: spec.name, split, accuracy: r.accuracy, correct: r.correct, examples: r.examples };
  if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  else process.stdout.write(`${spec.name} on MNIST ${split}: accuracy ${(100 * r.accuracy).toFixed(2)}% (${r.correct}/${r.examples})\n`);
  return result;
}
