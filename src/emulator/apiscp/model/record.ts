/**
 * Reading one site record: its `siteN` name, identity fields, and any parameter as a call
 * would see it (derived ones computed, missing ones null). The only place that knows where
 * in a SiteRecord each fact lives, so the layout can change without touching the commands.
 */
import type { SoapValue } from "../../../providers/apiscp/wire/value.js";
import type { SiteRecord } from "../api.js";

const SITE_NAME = /^site([1-9][0-9]*)$/;

export function siteName(id: number): string {
  return `site${id}`;
}

/** The id in a `siteN` name, or null when the text is not one (`site012` is not). */
export function parseSiteName(text: string): number | null {
  const match = SITE_NAME.exec(text);
  return match ? Number(match[1]) : null;
}

/** A parameter as stored; `siteinfo.enabled` is derived from the suspension state. */
export function readParam(site: SiteRecord, service: string, param: string): SoapValue {
  if (service === "siteinfo" && param === "enabled") return site.active ? 1 : 0;
  return site.services[service]?.[param] ?? null;
}

export function writeParam(site: SiteRecord, service: string, param: string, value: SoapValue): void {
  (site.services[service] ??= {})[param] = value;
}

function readString(site: SiteRecord, service: string, param: string): string | null {
  const value = readParam(site, service, param);
  return typeof value === "string" ? value : null;
}

export function siteDomain(site: SiteRecord): string {
  return readString(site, "siteinfo", "domain") ?? "";
}

export function siteAdminUser(site: SiteRecord): string {
  return readString(site, "siteinfo", "admin_user") ?? "";
}

export function sitePlan(site: SiteRecord): string | null {
  return readString(site, "siteinfo", "plan");
}

export function siteAliases(site: SiteRecord): string[] {
  const value = readParam(site, "aliases", "aliases");
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

export function siteInvoice(site: SiteRecord): string | null {
  return readString(site, "billing", "invoice");
}

export function siteParentInvoice(site: SiteRecord): string | null {
  return readString(site, "billing", "parent_invoice");
}

/** ApisCP derives database prefixes from the account; the emulator uses the admin user. */
export function defaultDbPrefix(adminUser: string): string {
  return `${adminUser.slice(0, 15)}_`;
}
