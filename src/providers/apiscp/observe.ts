/**
 * Reading ApisCP's `admin_collect` as the core's ObservedSites: which parameters to ask for
 * (the requested fields plus the identity fields, sorted and deduplicated, so one request
 * serves both the planner and matching), how a row becomes an ObservedSite, and the id order.
 * Pure: no calls, no errors of the wire. Tolerant of what a real server may send differently
 * (an alias list as one comma-separated string, an invoice as a number).
 */
import type { ObservedSite, ObservedValue } from "../../model/observed-site.js";
import type { CollectedSite } from "./results.js";
import type { SoapValue } from "./wire/value.js";

/** Fields every reading needs to match sites, whatever the inventory manages. */
export const IDENTITY_FIELDS: readonly string[] = [
  "aliases.aliases",
  "billing.invoice",
  "billing.parent_invoice",
  "siteinfo.admin_user",
  "siteinfo.plan",
];

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

/** Every row of a collect answer as an ObservedSite, in id order. */
export function observedSites(server: string, rows: Readonly<Record<string, CollectedSite>>, fields: readonly string[]): ObservedSite[] {
  return Object.keys(rows)
    .sort(byIdOrder)
    .map((id) => observedSite(server, id, rows[id] as CollectedSite, fields));
}

export function observedSite(server: string, id: string, row: CollectedSite, fields: readonly string[]): ObservedSite {
  const siteinfo = row.services.siteinfo ?? {};
  const billing = row.services.billing ?? {};
  return {
    server,
    id,
    domain: row.domain,
    adminUser: text(siteinfo.admin_user),
    aliases: aliasList(row.services.aliases?.aliases),
    invoice: text(billing.invoice),
    parentInvoice: text(billing.parent_invoice),
    plan: text(siteinfo.plan),
    active: row.active,
    services: pick(row.services, fields),
  };
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

/** Plain assignment would treat a `__proto__` key as the prototype; a server's keys are data. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function text(value: SoapValue | undefined): string | null {
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "number") return String(value);
  return null;
}

/** A list of names; null, absent or empty is `[]`; a string is read as a comma or space separated list. */
function aliasList(value: SoapValue | undefined): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string" && v !== "");
  if (typeof value === "string") return value.split(/[\s,]+/).filter((v) => v !== "");
  return [];
}
