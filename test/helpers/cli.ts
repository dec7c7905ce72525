/** Running the `tessera` command in-process, for the CLI tests. */
import { main } from "../../src/cli/main.js";

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs main() in-process with stdout / stderr captured (main is synchronous). */
export function run(argv: string[]): Run {
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
