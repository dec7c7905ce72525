/**
 * What the two `tessera train` paths (MNIST models in train.ts, the character model in
 * train-charrnn.ts) share: the optimizer and run flags, their checks, and the run folder layout.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CHECKPOINT_FILE } from "../train/checkpoint.js";
import { DEFAULT_WEIGHT_DECAY, OPTIMIZERS, SCHEDULES, type OptimizerName, type Schedule } from "./recipes.js";
import { choiceFlag, intFlag, numberFlag, UsageError } from "./options.js";
import { BACKEND_HELP, BACKEND_OPTIONS } from "./backend-flags.js";

/** Flags both paths take, in parseArgs form. */
export const RUN_OPTIONS = {
  epochs: { type: "string" },
  "batch-size": { type: "string" },
  optimizer: { type: "string" },
  lr: { type: "string" },
  momentum: { type: "string" },
  "weight-decay": { type: "string" },
  schedule: { type: "string" },
  "val-split": { type: "string" },
  "early-stopping": { type: "string" },
  "clip-grad": { type: "string" },
  seed: { type: "string" },
  limit: { type: "string" },
  out: { type: "string" },
  resume: { type: "string" },
  ...BACKEND_OPTIONS,
  json: { type: "boolean", default: false },
  quiet: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** The --help lines of the flags after --out, the same for both paths. */
export const RUN_TAIL_HELP = `  --resume DIR        continue the interrupted run saved in DIR (its --out) (default: off)
                        with its saved settings; only --backend, --threads, --json, --quiet may be given
${BACKEND_HELP}
  --json              print a machine-readable summary on stdout (progress stays on stderr)
  --quiet             no progress output
  -h, --help          show this help
`;

/** Flags that may accompany --resume (they do not change what is computed). */
export const RESUME_FLAGS = new Set(["resume", "backend", "threads", "json", "quiet", "help"]);

/** The checkpoint folder of a run folder (or the folder itself when it is one). */
export function checkpointDirOf(dir: string): string {
  return existsSync(join(dir, CHECKPOINT_FILE)) ? dir : join(dir, "checkpoint");
}

/** Refuses flags given with --resume that would change the resumed run. */
export function checkResumeFlags(values: Record<string, unknown>): void {
  const given = Object.entries(values).filter(([k, v]) => !RESUME_FLAGS.has(k) && v !== undefined).map(([k]) => `--${k}`);
  if (given.length > 0) throw new UsageError(`--resume continues a run with its saved settings; ${given.join(", ")} cannot be given with it`);
}

export interface OptimizerSettings {
  optimizer: OptimizerName;
  lr: number;
  /** SGD's and RMSprop's momentum; null for the optimizers without one. */
  momentum: number | null;
  weightDecay: number;
  schedule: Schedule;
}

/** The optimizer flags, checked, with the path's defaults for each optimizer. */
export function optimizerSettings(
  values: { optimizer?: string; lr?: string; momentum?: string; "weight-decay"?: string; schedule?: string },
  defaults: { optimizer: OptimizerName; lr(optimizer: OptimizerName): number; momentum(optimizer: OptimizerName): number; schedule: Schedule },
): OptimizerSettings {
  const optimizer = choiceFlag(values.optimizer, "optimizer", defaults.optimizer, OPTIMIZERS);
  const lr = numberFlag(values.lr, "lr", defaults.lr(optimizer), (n) => n > 0, "a number > 0");
  const hasMomentum = optimizer === "sgd" || optimizer === "rmsprop";
  if (!hasMomentum && values.momentum !== undefined) throw new UsageError(`--momentum applies to --optimizer sgd or rmsprop only, got --optimizer ${optimizer}`);
  const momentum = hasMomentum ? numberFlag(values.momentum, "momentum", defaults.momentum(optimizer), (n) => n >= 0 && n < 1, "in [0, 1)") : null;
  const weightDecay = numberFlag(values["weight-decay"], "weight-decay", DEFAULT_WEIGHT_DECAY(optimizer), (n) => n >= 0, "a number >= 0");
  const schedule = choiceFlag(values.schedule, "schedule", defaults.schedule, SCHEDULES);
  return { optimizer, lr, momentum, weightDecay, schedule };
}

/** --early-stopping N (null when absent). */
export function earlyStoppingFlag(value: string | undefined): number | null {
  return value === undefined ? null : intFlag(value, "early-stopping", 0, 1);
}
