/**
 * Turns decoded SOAP values into the typed results of the client's methods. Defensive on
 * purpose: PHP sends an empty array as an empty list and a 0..n-1 keyed array as a list, so
 * wherever a map is expected, `[]`, `null` and index-keyed lists are accepted as maps too.
 * Anything that has no sensible reading raises ResultShapeError, which the client reports as
 * a ProtocolError naming the method.
 */
import type { SoapMap, SoapValue } from "./wire/value.js";
import { isSoapMap } from "./wire/value.js";
import { setOwn } from "./wire/own-key.js";

export class ResultShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResultShapeError";
  }
}

export interface CollectedSite {
  /** Service → parameter → value, everything the row held besides `active` and `domain`. */
  services: Record<string, Record<string, SoapValue>>;
  active: boolean;
  domain: string;
}

export interface StorageUsage {
  /** Kilobytes used. */
  qused: number;
  /** Kilobyte quota; 0 means none. */
  qhard: number;
}

export interface BandwidthUsage {
  /** Bytes transferred this period. */
  sum: number;
  /** Bytes allowed; 0 means none. */
  threshold: number;
}

function kindOf(value: SoapValue | undefined): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return typeof value === "object" ? "a map" : `a ${typeof value}`;
}

/** A map, reading null and lists (PHP arrays keyed 0..n-1) as maps too. */
export function asMap(value: SoapValue | undefined, what: string): SoapMap {
  if (isSoapMap(value)) return value;
  if (value === null) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((item, i) => [String(i), item]));
  throw new ResultShapeError(`expected ${what} to be a map, got ${kindOf(value)}`);
}

export function asList(value: SoapValue | undefined, what: string): SoapValue[] {
  if (Array.isArray(value)) return value;
  if (value === null) return [];
  // A PHP list with holes travels as an int-keyed map.
  if (isSoapMap(value)) return Object.values(value);
  throw new ResultShapeError(`expected ${what} to be a list, got ${kindOf(value)}`);
}

export function asString(value: SoapValue | undefined, what: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  throw new ResultShapeError(`expected ${what} to be a string, got ${kindOf(value)}`);
}

function asNumber(value: SoapValue | undefined, what: string): number {
  if (typeof value === "number") return value;
  if (value === null) return 0;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  throw new ResultShapeError(`expected ${what} to be a number, got ${kindOf(value)}`);
}

function asBoolean(value: SoapValue | undefined, what: string): boolean {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === "1" || value === "true") return true;
  if (value === 0 || value === "0" || value === "false" || value === "") return false;
  throw new ResultShapeError(`expected ${what} to be a boolean, got ${kindOf(value)}`);
}

/** Service → param → value, as in `admin_get_plan` and each `admin_collect` row. */
export function readServices(value: SoapValue | undefined, what: string): Record<string, Record<string, SoapValue>> {
  const out: Record<string, Record<string, SoapValue>> = {};
  const services = asMap(value, what);
  for (const service in services) setOwn(out, service, asMap(services[service], `${what}.${service}`));
  return out;
}

/** `admin_collect`: `{siteN: {service: {…}, active, domain}}`, with active/domain split out. */
export function readCollect(value: SoapValue): Record<string, CollectedSite> {
  const out: Record<string, CollectedSite> = {};
  const rows = asMap(value, "the result");
  for (const site in rows) {
    const fields = asMap(rows[site], site);
    const { active, domain } = fields;
    const services: Record<string, Record<string, SoapValue>> = {};
    for (const service in fields) if (service !== "active" && service !== "domain") setOwn(services, service, asMap(fields[service], `${site}.${service}`));
    if (active === undefined) throw new ResultShapeError(`${site} has no "active" field`);
    const fallbackDomain = services.siteinfo?.domain;
    const row: CollectedSite = {
      services,
      active: asBoolean(active, `${site}.active`),
      domain: asString(domain ?? fallbackDomain, `${site}.domain`),
    };
    setOwn(out, site, row);
  }
  return out;
}

/** `siteN`, `N` or a number → N. */
function siteNumber(key: string | number, what: string): number {
  const match = /^(?:site)?(\d+)$/.exec(String(key).trim());
  if (match?.[1] === undefined) throw new ResultShapeError(`expected ${what} to be a site id, got ${JSON.stringify(String(key).slice(0, 40))}`);
  return Number(match[1]);
}

/** `admin_get_domains`: id → domain. A map keyed 0..n-1 arrives as a list, whose index is the id. */
export function readDomains(value: SoapValue): Map<number, string> {
  const out = new Map<number, string>();
  for (const [key, domain] of Object.entries(asMap(value, "the result"))) {
    out.set(siteNumber(key, "a key"), asString(domain, `the domain of site ${key}`));
  }
  return out;
}

/** `admin_get_site_id_from_domain`: an int, or null (some servers say false) when unknown. */
export function readSiteId(value: SoapValue): number | null {
  if (value === null || value === false) return null;
  if (typeof value === "number" || typeof value === "string") return siteNumber(value, "the result");
  throw new ResultShapeError(`expected a site id or null, got ${kindOf(value)}`);
}

// A limit the row leaves out is no limit (0), as a null one is; an amount used must be there.
export function readStorageUsage(value: SoapValue): Record<string, StorageUsage> {
  return readUsage(value, (row, site) => ({ qused: asNumber(row.qused, `${site}.qused`), qhard: asNumber(row.qhard ?? null, `${site}.qhard`) }));
}

export function readBandwidthUsage(value: SoapValue): Record<string, BandwidthUsage> {
  return readUsage(value, (row, site) => ({ sum: asNumber(row.sum, `${site}.sum`), threshold: asNumber(row.threshold ?? null, `${site}.threshold`) }));
}

function readUsage<T>(value: SoapValue, read: (row: SoapMap, site: string) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [site, row] of Object.entries(asMap(value, "the result"))) {
    setOwn(out, site, read(asMap(row, site), site));
  }
  return out;
}

export function readStringList(value: SoapValue, what: string): string[] {
  return asList(value, what).map((item, i) => asString(item, `${what}[${i}]`));
}
