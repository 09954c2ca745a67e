/**
 * A site's `services:` overrides: the parameters whose server value differs from what the
 * site would get without them (the server plan's defaults, then the repository plan's
 * settings). Secrets and parameters a site field sets are never written; parameters outside
 * the schema, values the schema refuses and `policy.ignore` fields are left out and named in
 * a note (never with their value, which could be anything). Pure.
 */
import type { FieldValues, ObservedValue } from "../../../model/index.js";
import { sameValue } from "../../../planner/normalize.js";
import { paramKind } from "./catalogue.js";
import { SITE_MODEL, type SiteView } from "./site-view.js";
import { isUnset, toYamlValue, type YamlValue } from "./values.js";

/** service → param → value, as a server plan's defaults come back. */
export type ServiceMap = FieldValues<ObservedValue>;

export interface Overrides {
  services: Record<string, Record<string, YamlValue>>;
  /** How many parameters are written: the measure for choosing between repository plans. */
  count: number;
  /** One line each, for a YAML comment above the site. */
  notes: string[];
}

export interface OverrideBasis {
  /** The server plan's defaults (service → param → value). */
  serverDefaults: ServiceMap;
  /** The repository plan's own settings, which the site inherits. */
  repoPlan: FieldValues;
  /** `policy.ignore` entries: `service` or `service.param`. */
  ignore: readonly string[];
}

function ignored(ignore: readonly string[], service: string, param: string): boolean {
  return ignore.includes(service) || ignore.includes(`${service}.${param}`);
}

function inherited(basis: OverrideBasis, service: string, param: string): ObservedValue | undefined {
  const fromPlan = basis.repoPlan[service]?.[param];
  if (fromPlan !== undefined) return fromPlan as ObservedValue;
  return basis.serverDefaults[service]?.[param];
}

export function overridesFor(site: SiteView, basis: OverrideBasis): Overrides {
  const services: Record<string, Record<string, YamlValue>> = {};
  const outside: string[] = [];
  const refused: string[] = [];
  const skippedIgnored: string[] = [];
  let count = 0;
  for (const [service, params] of Object.entries(site.fields)) {
    for (const [param, value] of Object.entries(params)) {
      const field = `${service}.${param}`;
      const kind = paramKind(service, param).kind;
      if (kind === "secret" || kind === "set-elsewhere") continue;
      const base = inherited(basis, service, param);
      if ((base === undefined && isUnset(value)) || sameValue(SITE_MODEL, field, value, base)) continue;
      if (kind === "unknown") outside.push(field);
      else if (ignored(basis.ignore, service, param)) skippedIgnored.push(field);
      else {
        const written = toYamlValue(service, param, value);
        if (written === null) refused.push(field);
        else {
          (services[service] ??= {})[param] = written.value;
          count += 1;
        }
      }
    }
  }
  const notes: string[] = [];
  if (outside.length > 0) notes.push(`not written, not in the service schema: ${outside.join(", ")}`);
  if (refused.length > 0) notes.push(`not written, the server's value does not fit the schema: ${refused.join(", ")}`);
  if (skippedIgnored.length > 0) notes.push(`not written, listed in policy.ignore: ${skippedIgnored.join(", ")}`);
  const unreported = unreportedPlanFields(site, basis);
  if (unreported.length > 0) notes.push(`the server did not report ${unreported.join(", ")}, which the plan sets: check them in the panel`);
  return { services, count, notes };
}

/**
 * Whether the site could write its own value of `service.param` under `services:` (the server
 * reported one and the schema takes it), should its plan set the parameter to something else.
 */
export function carries(site: SiteView, service: string, param: string): boolean {
  const value = site.fields[service]?.[param];
  return value !== undefined && !isUnset(value) && paramKind(service, param).kind === "writable" && toYamlValue(service, param, value) !== null;
}

/** Fields the repository plan manages that the server gave no value for: the import cannot vouch for them. */
function unreportedPlanFields(site: SiteView, basis: OverrideBasis): string[] {
  const out: string[] = [];
  for (const [service, params] of Object.entries(basis.repoPlan)) {
    for (const param of Object.keys(params)) {
      if (site.fields[service]?.[param] === undefined && !ignored(basis.ignore, service, param)) out.push(`${service}.${param}`);
    }
  }
  return out;
}
