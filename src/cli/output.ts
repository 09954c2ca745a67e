/**
 * How siteform writes for the person or program reading it, decided once per run from the
 * global flags and the environment: colour (`--no-color`, the NO_COLOR and FORCE_COLOR
 * conventions, else only on a terminal) and what stderr carries (`--log-format text`: human
 * progress lines; `json`: one JSON object per event, nothing else). Each event is written once,
 * in one of the two forms, never both.
 */
import { InvalidArgumentError } from "commander";
import type { CliIO } from "./io.js";

export type LogFormat = "text" | "json";

export function parseLogFormat(value: string): LogFormat {
  if (value === "text" || value === "json") return value;
  throw new InvalidArgumentError("must be text (progress lines for people) or json (one JSON object per event)");
}

/**
 * Whether to colour output. `--no-color` and a non-empty NO_COLOR (no-color.org) turn it off;
 * FORCE_COLOR turns it on even without a terminal (`0` or `false` turn it off); otherwise only a
 * terminal gets colour. NO_COLOR wins over FORCE_COLOR: the safer of the two.
 */
export function colorWanted(noColorFlag: boolean, env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (noColorFlag) return false;
  if ((env.NO_COLOR ?? "") !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !/^(0|false)$/i.test(force.trim());
  return isTTY;
}

/** The run's colour decision (main sets it from the flags; without them, from the environment alone). */
export function useColor(io: CliIO): boolean {
  return io.color ?? colorWanted(false, io.env, io.isTTY);
}

export function logFormatOf(io: CliIO): LogFormat {
  return io.logFormat ?? "text";
}
