/**
 * Observed values as the inventory would write them: comparing a server's value with a plan's
 * the way the planner does (`1`/`true`, `"5000"`/`5000`, lists as sets), and turning a
 * server's value into the YAML value the service schema accepts (flags as true/false,
 * numeric strings as numbers). Pure; knows no parameter by name.
 */
import type { ObservedValue } from "../model/index.js";
import { fitsSchema } from "./catalogue.js";

type Value = ObservedValue | undefined;

function scalarKey(value: Value): string {
  if (value === undefined) return "u";
  if (value === null) return "n";
  if (typeof value === "boolean") return `#${value ? 1 : 0}`;
  if (typeof value === "number") return `#${value}`;
  if (typeof value === "string") {
    if (value === "true") return "#1";
    if (value === "false") return "#0";
    const trimmed = value.trim();
    if (trimmed !== "" && Number.isFinite(Number(trimmed))) return `#${Number(trimmed)}`;
    return `s${value}`;
  }
  return `o${JSON.stringify(value)}`;
}

/** A canonical form: equal forms mean the planner would see no difference. */
export function canonical(value: Value): string {
  if (Array.isArray(value)) return `[${value.map((item: ObservedValue) => canonical(item)).sort().join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return scalarKey(value);
}

export function sameValue(a: Value, b: Value): boolean {
  return canonical(a) === canonical(b);
}

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
