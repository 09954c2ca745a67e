/**
 * Reading ApisCP's `admin_collect` as the core's ObservedResources: which parameters to ask for
 * (the requested fields plus the site kind's identity fields, sorted and deduplicated, so one
 * request serves both the planner and matching), how a row becomes an ObservedResource, and the
 * id order. Pure: no calls, no errors of the wire. The domain comes with every row (the row's
 * own `domain`), so it is always among the fields.
 */
import { KindModel } from "../../kinds/catalogue.js";
import type { ObservedResource, ObservedValue } from "../../model/resource.js";
import { SITE, SITE_KIND } from "./kinds.js";
import type { CollectedSite } from "./results.js";
import { setOwn } from "./wire/own-key.js";
import type { SoapValue } from "./wire/value.js";

const DOMAIN_FIELD = "siteinfo.domain";

/** Fields every reading needs to match sites, whatever the inventory manages: the kind's keys, relations and template. */
export const IDENTITY_FIELDS: readonly string[] = new KindModel(SITE).identityFields().filter((f) => f !== DOMAIN_FIELD);

/** The requested fields, sorted and deduplicated: what ObservedServer.fields reports. */
export function requestedFields(fields: readonly string[]): string[] {
  return [...new Set(fields)].sort();
}

/** The `params` argument of admin_collect: the requested fields plus the identity fields. */
export function collectParams(fields: readonly string[]): string[] {
  return requestedFields([...fields, ...IDENTITY_FIELDS]);
}

/** `siteN` → N, for ordering; ids of another form sort after every `siteN`. */
function siteNumber(id: string): number {
  const match = /^site(\d+)$/.exec(id);
  return match?.[1] === undefined ? Number.POSITIVE_INFINITY : Number(match[1]);
}

/** Site ids in the panel's id order: site2 before site10. */
export function byIdOrder(a: string, b: string): number {
  const diff = siteNumber(a) - siteNumber(b);
  if (diff !== 0 && !Number.isNaN(diff)) return diff;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every row of a collect answer as an ObservedResource, in id order. */
export function observedSites(server: string, rows: Readonly<Record<string, CollectedSite>>, fields: readonly string[]): ObservedResource[] {
  return Object.keys(rows)
    .sort(byIdOrder)
    .map((id) => observedSite(server, id, rows[id] as CollectedSite, fields));
}

/** A row as a resource: the requested fields as the server reported them, the domain from the row itself. */
export function observedSite(server: string, id: string, row: CollectedSite, fields: readonly string[]): ObservedResource {
  const picked = pick(row.services, fields);
  const siteinfo = Object.hasOwn(picked, "siteinfo") ? (picked.siteinfo as Record<string, ObservedValue>) : {};
  setOwn(picked, "siteinfo", siteinfo);
  setOwn(siteinfo, DOMAIN_FIELD.slice("siteinfo.".length), row.domain);
  return { server, kind: SITE_KIND, id, name: row.domain, state: row.active ? "active" : "suspended", fields: picked };
}

/** Exactly the requested fields the row holds: an absent one stays absent, never becomes null. */
function pick(services: CollectedSite["services"], fields: readonly string[]): Record<string, Record<string, ObservedValue>> {
  const out: Record<string, Record<string, ObservedValue>> = {};
  const put = (service: string, param: string, value: SoapValue): void => {
    let target = Object.hasOwn(out, service) ? out[service] : undefined;
    if (target === undefined) {
      target = {};
      setOwn(out, service, target);
    }
    setOwn(target, param, value);
  };
  for (const field of fields) {
    const dot = field.indexOf(".");
    const service = dot < 0 ? field : field.slice(0, dot);
    const params = Object.hasOwn(services, service) ? services[service] : undefined;
    if (params === undefined) continue;
    // A bare service asks for all of its parameters.
    const wanted = dot < 0 ? Object.keys(params) : [field.slice(dot + 1)];
    for (const param of wanted) if (Object.hasOwn(params, param)) put(service, param, params[param] as SoapValue);
  }
  return out;
}
