/** Flag values checked before any work starts, each error naming the flag and its allowed range. */
import { ValueError } from "../errors.js";

export class UsageError extends ValueError {}

export function intFlag(value: string | undefined, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} must be an integer >= ${min}, got '${value}'`);
  return n;
}

export function numberFlag(value: string | undefined, flag: string, fallback: number, check: (n: number) => boolean, range: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${flag} must be ${range}, got '${value}'`);
  return n;
}

export function choiceFlag<T extends string>(value: string | undefined, flag: string, fallback: T, choices: readonly T[]): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${choices.join(", ")}, got '${value}'`);
  return value as T;
}
