/** The `tessera` command: thin; it parses flags and calls the library. */
import { readFileSync } from "node:fs";
import { TesseraError } from "../errors.js";
import { runTrain } from "./train.js";
import { runEvaluate } from "./evaluate.js";
import { UsageError } from "./options.js";

const HELP = `Usage: tessera <command> [options]

Commands:
  train       train a model on MNIST (mlp: Nielsen's network; lenet5: LeNet-5)
  evaluate    report a saved model's accuracy

Run 'tessera <command> --help' for a command's options.
  -v, --version   print the version
`;

function version(): string {
  // dist/cli/main.js sits two levels below package.json, build/src/cli/main.js three.
  for (const rel of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as { name?: string; version: string };
      if (pkg.name === "tessera") return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  throw new TesseraError("cannot find Tessera's package.json to read the version");
}

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "train":
        runTrain(rest);
        return 0;
      case "evaluate":
        runEvaluate(rest);
        return 0;
      case "-v":
      case "--version":
        process.stdout.write(version() + "\n");
        return 0;
      case undefined:
      case "-h":
      case "--help":
      case "help":
        process.stdout.write(HELP);
        return 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (usage) {
      const known = command === "train" || command === "evaluate";
      process.stderr.write(`tessera: ${(e as Error).message}\nRun 'tessera ${known ? command + " " : ""}--help' for usage.\n`);
      return 2;
    }
    if (e instanceof TesseraError) {
      process.stderr.write(`tessera: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

