/** The `tessera` command: thin; it parses flags and calls the library. */
import { readFileSync } from "node:fs";
import { TesseraError } from "../errors.js";
import { UsageError } from "./options.js";
import { COMMANDS } from "./commands.js";

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}${command.summary}`);
  return `Usage: tessera <command> [options]

Commands:
${lines.join("\n")}

Run 'tessera <command> --help' for a command's options.
  -v, --version   print the version
`;
}

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
    const found = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (found) {
      found.run(rest);
      return 0;
    }
    switch (command) {
      case "-v":
      case "--version":
        process.stdout.write(version() + "\n");
        return 0;
      case undefined:
      case "-h":
      case "--help":
      case "help":
        process.stdout.write(help());
        return 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (usage) {
      const known = command !== undefined && Object.hasOwn(COMMANDS, command);
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

