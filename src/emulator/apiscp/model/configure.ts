/**
 * One site's configuration: the services a new site starts with, applying a plan without
 * disturbing what the site overrode, applying options (which become overrides), and the
 * checks ApisCP's validators make across parameters of the finished configuration.
 */
import type { ServiceConfig, SiteRecord } from "../api.js";
import { ApiFault } from "../api.js";
import { allParams, fieldKey, paramSpec } from "./catalog.js";
import type { Options } from "./opts.js";
import type { Plans } from "./plans.js";
import { planDefaults } from "./plans.js";
import { readParam, siteAliases, siteInvoice, siteParentInvoice, writeParam } from "./record.js";
import { copyValue, quote } from "./values.js";

/** Plan defaults plus every per-site parameter at its initial value. */
export function newServices(plans: Plans, plan: string): ServiceConfig {
  const services = planDefaults(plans, plan);
  for (const { service, param, spec } of allParams()) {
    if (spec.scope === "site") (services[service] ??= {})[param] = copyValue(spec.initial);
  }
  return services;
}

/**
 * Puts the site on `plan`. Without `reset`, only parameters the site never set explicitly
 * take the plan's values; with it, every plan-controlled parameter does and the overrides
 * on them are forgotten. Per-site parameters (passwords, the alias list, invoices, identity)
 * are not plan-controlled, so neither form touches them.
 */
export function applyPlan(site: SiteRecord, plans: Plans, plan: string, reset: boolean): void {
  const overridden = new Set(site.overrides);
  for (const [service, params] of Object.entries(planDefaults(plans, plan))) {
    for (const [param, value] of Object.entries(params)) {
      if (reset || !overridden.has(fieldKey(service, param))) writeParam(site, service, param, value);
    }
  }
  if (reset) site.overrides = site.overrides.filter((key) => scopeOfKey(key) !== "plan");
  writeParam(site, "siteinfo", "plan", plan);
}

/** Sets each option and records it as explicitly chosen, so later plan changes keep it. */
export function applyOptions(site: SiteRecord, options: Options): void {
  for (const [key, { service, param, value }] of options) {
    writeParam(site, service, param, copyValue(value));
    if (!site.overrides.includes(key)) site.overrides.push(key);
  }
}

function scopeOfKey(key: string): string {
  const dot = key.indexOf(".");
  return paramSpec(key.slice(0, dot), key.slice(dot + 1)).scope;
}

/** Rules spanning parameters, checked on the configuration a call would leave behind. */
export function checkConsistency(site: SiteRecord): void {
  const aliases = siteAliases(site);
  if (aliases.length > 0 && readParam(site, "aliases", "enabled") === 0) {
    throw new ApiFault(`${quote("aliases.aliases")}: aliases are disabled on this site (aliases.enabled is 0)`);
  }
  const max = readParam(site, "aliases", "max");
  if (typeof max === "number" && aliases.length > max) {
    throw new ApiFault(`${quote("aliases.aliases")}: ${aliases.length} aliases exceed aliases.max ${max}`);
  }
  const ips = readParam(site, "ipinfo", "ipaddrs");
  if (readParam(site, "ipinfo", "namebased") === 0 && (!Array.isArray(ips) || ips.length === 0)) {
    throw new ApiFault(`${quote("ipinfo.ipaddrs")}: a site that is not name-based needs at least one address`);
  }
  const invoice = siteInvoice(site);
  if (invoice !== null && invoice === siteParentInvoice(site)) {
    throw new ApiFault(`${quote("billing.parent_invoice")}: ${quote(invoice)} is the site's own billing.invoice`);
  }
}
