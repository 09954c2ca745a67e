/**
 * admin_collect: which parameters to report (`params`), which sites (`query` and `sites`),
 * and the answer's shape, `{siteN: {service: {param: value}, active, domain}}`.
 * `params` null means every service with every parameter except secrets; `[]` the default
 * set; an entry is `service.param` or a bare `service`. A secret named explicitly (or by
 * its bare service) is answered as null: the key is there, the value never is.
 */
import type { SoapMap, SoapValue } from "../../../providers/apiscp/wire/value.js";
import type { SiteRecord } from "../api.js";
import { ApiFault } from "../api.js";
import { allParams, fieldKey, paramSpec, serviceParams } from "./catalog.js";
import type { Condition } from "./query.js";
import { matchesQuery } from "./query.js";
import { readParam, siteDomain, siteName } from "./record.js";
import { copyValue, describeValue } from "./values.js";

export const DEFAULT_FIELDS: readonly string[] = [
  "siteinfo.email",
  "siteinfo.admin_user",
  "aliases.aliases",
  "billing.invoice",
  "billing.parent_invoice",
];

export interface Field {
  service: string;
  param: string;
  secret: boolean;
}

/** Reads `params`; an absent argument is taken as `[]` (ApisCP's PHP default), not null. */
export function readFields(params: SoapValue | undefined): Field[] {
  if (params === null) {
    return allParams()
      .filter((p) => !p.spec.secret)
      .map(({ service, param }) => ({ service, param, secret: false }));
  }
  const entries = params === undefined || (Array.isArray(params) && params.length === 0) ? DEFAULT_FIELDS : params;
  if (!Array.isArray(entries)) {
    throw new ApiFault("argument params must be a list of service.param or service names, or null");
  }
  const fields = new Map<string, Field>();
  for (const entry of entries) {
    if (typeof entry !== "string") throw new ApiFault(`params entry ${describeValue(entry)} must be a string`);
    for (const field of expand(entry)) fields.set(fieldKey(field.service, field.param), field);
  }
  return [...fields.values()];
}

function expand(entry: string): Field[] {
  const dot = entry.indexOf(".");
  if (dot >= 0) {
    const service = entry.slice(0, dot);
    const param = entry.slice(dot + 1);
    return [{ service, param, secret: paramSpec(service, param).secret }];
  }
  return Object.entries(serviceParams(entry)).map(([param, spec]) => ({ service: entry, param, secret: spec.secret }));
}

/** The answer for the sites in `pool` that satisfy every condition, keyed `siteN` in id order. */
export function collectSites(
  pool: readonly SiteRecord[],
  fields: readonly Field[],
  conditions: readonly Condition[],
): SoapMap {
  const out: SoapMap = {};
  const ordered = [...pool].sort((a, b) => a.id - b.id);
  for (const site of ordered) {
    if (matchesQuery(site, conditions)) out[siteName(site.id)] = describeSite(site, fields);
  }
  return out;
}

function describeSite(site: SiteRecord, fields: readonly Field[]): SoapMap {
  const services: Record<string, SoapMap> = {};
  for (const { service, param, secret } of fields) {
    (services[service] ??= {})[param] = secret ? null : copyValue(readParam(site, service, param));
  }
  return { ...services, active: site.active, domain: siteDomain(site) };
}
