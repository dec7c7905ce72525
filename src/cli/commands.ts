/**
 * The table of `tessera` subcommands. Each command lives in its own file and is listed here once,
 * so adding a command is one import and one entry; main.ts derives its help text and dispatch
 * from this table.
 */
import { runTrain } from "./train.js";
import { runEvaluate } from "./evaluate.js";
import { runSample } from "./sample.js";
import { runSummary } from "./summary.js";
import { runExplain } from "./explain.js";

export interface Command {
  /** One line for `tessera --help`. */
  summary: string;
  /** Runs the command on its own arguments (after the command name). */
  run(argv: string[]): unknown;
}

export const COMMANDS: Record<string, Command> = {
  train: { summary: "train a model on MNIST (mlp: Nielsen's network; lenet5: LeNet-5) or a character model (charrnn)", run: runTrain },
  evaluate: { summary: "report a saved model's accuracy", run: runEvaluate },
  sample: { summary: "write text with a character model trained by 'train --model charrnn'", run: runSample },
  summary: { summary: "print a zoo model's layers: shapes, parameters, MACs, memory", run: runSummary },
  explain: { summary: "walk through conv / pool output-size arithmetic (tessera explain conv --help)", run: runExplain },
};
