/**
 * Observed values as the inventory would write them: turning a server's value into the YAML
 * value the service schema accepts (flags as true/false, numeric strings as numbers). Whether
 * a value differs from a plan's is the planner's own comparison (planner/normalize.ts), so an
 * import is exactly what the next plan sees as no change. Pure; knows no parameter by name.
 */
import type { ObservedValue } from "../../../model/index.js";
import { fitsSchema } from "./catalogue.js";

type Value = ObservedValue | undefined;

/** Nothing set: the server reports no value, so there is nothing to carry into git. */
export function isUnset(value: Value): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

/** The YAML value for a parameter written under `services:`. */
export type YamlValue = string | number | boolean | null | string[];

function candidates(value: ObservedValue): YamlValue[] {
  const out: YamlValue[] = [];
  // Flags first as booleans, the spelling the example inventory uses; a quota of 1 fails the
  // boolean and falls through to the number.
  if (value === 1 || value === "1" || value === "true" || value === true) out.push(true);
  if (value === 0 || value === "0" || value === "false" || value === false) out.push(false);
  if (value === null || typeof value === "number" || typeof value === "boolean") out.push(value);
  if (typeof value === "string") {
    out.push(value);
    const trimmed = value.trim();
    if (trimmed !== "" && Number.isFinite(Number(trimmed))) out.push(Number(trimmed));
  }
  if (Array.isArray(value) && value.every((item: ObservedValue) => typeof item === "string")) {
    out.push([...(value as readonly string[])]);
  }
  return out;
}

/** The first spelling of `value` the schema accepts for `service.param`, or null when none does. */
export function toYamlValue(service: string, param: string, value: ObservedValue): { value: YamlValue } | null {
  for (const candidate of candidates(value)) {
    if (fitsSchema(service, param, candidate)) return { value: candidate };
  }
  return null;
}
