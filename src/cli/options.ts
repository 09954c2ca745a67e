/**
 * Flag parsers and shared flag shapes used by more than one command.
 */
import { InvalidArgumentError } from "commander";

export type ReportFormat = "text" | "markdown" | "json";

export function parseFormat(value: string): ReportFormat {
  if (value === "text" || value === "markdown" || value === "json") return value;
  throw new InvalidArgumentError("must be text, markdown or json");
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("must be a whole number (0 or more)");
  return Number(value);
}

/** For repeatable flags: `--server a --server b` and `--server a b` both give [a, b]. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A wait as `--lock-timeout` takes it: seconds (`90`, `90s`) or minutes (`10m`); returns milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+)(s|m)?$/.exec(value.trim());
  if (match === null) throw new InvalidArgumentError("must be a number of seconds (90, 90s) or minutes (10m); 0 means do not wait");
  return Number(match[1]) * (match[2] === "m" ? 60_000 : 1_000);
}
