/** `tessera explain conv|pool`: the lectures' output-size arithmetic, step by step. */
import { parseArgs } from "node:util";
import { explainConv, explainPool, type Pair } from "../inspect/arithmetic.js";
import { intFlag, UsageError } from "./options.js";
import { parseDims } from "./summary.js";

export const EXPLAIN_HELP = `Usage: tessera explain conv|pool [options]

Walks through W2 = (W - F + 2P)/S + 1 with your numbers: output volume, weights (F*F*D)*K
plus biases, neurons and MACs; says when the stride cannot cover the input perfectly and what
PyTorch (floor, or ceilMode for pooling) and TensorFlow "valid" / "same" give.

  tessera explain conv --input 227x227x3 --kernel 11 --stride 4 --padding 0 --filters 96
  tessera explain pool --input 55x55x96 --kernel 3 --stride 2

Options:
  --input HxWxD       input height x width x depth (the lectures' W1xH1xD1); HxW or L for depth 1
  --kernel F          filter size F, or FhxFw                         (required)
  --stride S          stride, or SvxSh        (default: 1 for conv, the kernel for pool)
  --padding P         zero padding on each side, or PvxPh              (default: 0)
  --dilation d        dilation, or dvxdh                               (default: 1)
  --filters K         number of filters (conv only, required)
  --groups g          groups (conv only; default: 1)
  --no-bias           do not count biases (conv only)
  --json              print the numbers as JSON
  -h, --help          show this help
`;

/** "3" → 3, "5x1" → [5, 1]. */
function pairFlag(value: string | undefined, flag: string, min: number): Pair | undefined {
  if (value === undefined) return undefined;
  const parts = value.trim().split(/x/i).map(Number);
  if (value.trim() === "" || parts.length > 2 || parts.some((d) => !Number.isInteger(d) || d < min)) {
    throw new UsageError(`--${flag} must be an integer >= ${min} or two joined by 'x' (e.g. 5x1), got '${value}'`);
  }
  return parts.length === 1 ? parts[0] : [parts[0], parts[1]];
}

export function runExplain(argv: string[]): unknown {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      input: { type: "string" },
      kernel: { type: "string" },
      stride: { type: "string" },
      padding: { type: "string" },
      dilation: { type: "string" },
      filters: { type: "string" },
      groups: { type: "string" },
      "no-bias": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(EXPLAIN_HELP);
    return null;
  }
  const kind = positionals[0];
  if (positionals.length !== 1 || (kind !== "conv" && kind !== "pool")) throw new UsageError(`explain takes 'conv' or 'pool', got '${positionals.join(" ")}'`);
  if (values.input === undefined) throw new UsageError("--input is required, e.g. --input 227x227x3 (height x width x depth)");
  const input = parseDims(values.input, "input", "227x227x3 (height x width x depth)");
  if (input.length > 3) throw new UsageError(`--input must be HxWxD, HxW or L, e.g. 227x227x3, got '${values.input}'`);
  const kernel = pairFlag(values.kernel, "kernel", 1);
  if (kernel === undefined) throw new UsageError("--kernel is required, e.g. --kernel 11");
  const common = { input, kernel, stride: pairFlag(values.stride, "stride", 1), padding: pairFlag(values.padding, "padding", 0), dilation: pairFlag(values.dilation, "dilation", 1) };
  let result;
  if (kind === "conv") {
    if (values.filters === undefined) throw new UsageError("explain conv needs --filters K, e.g. --filters 96");
    const filters = intFlag(values.filters, "filters", 1, 1);
    const groups = intFlag(values.groups, "groups", 1, 1);
    result = explainConv({ ...common, filters, groups, bias: !values["no-bias"] });
  } else {
    for (const flag of ["filters", "groups"] as const) if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to conv only (pooling keeps the depth)`);
    if (values["no-bias"]) throw new UsageError("--no-bias applies to conv only (pooling has no parameters)");
    result = explainPool(common);
  }
  if (values.json) {
    const { lines: _lines, ...numbers } = result;
    process.stdout.write(JSON.stringify(numbers, null, 2) + "\n");
  } else process.stdout.write(result.lines.join("\n") + "\n");
  return result;
}
