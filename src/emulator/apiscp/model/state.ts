/**
 * Loading a state file (`siteform emulator --state FILE`): checks parsed JSON against the
 * same rules the API enforces (catalogue values, the plan graph, server-wide uniqueness) and
 * returns a normalised copy, or throws an Error naming the path of the first bad field.
 * Optional site bookkeeping (overrides, usage, createdAt) may be left out of hand-written
 * files and takes its default; everything else must be present and right.
 */
import type { SoapValue } from "../../../providers/apiscp/wire/value.js";
import type { EmulatorState, PlanDefinition, ServiceConfig, SiteRecord } from "../api.js";
import { ApiFault } from "../api.js";
import { normaliseParam, paramSpec, serviceParams } from "./catalog.js";
import { checkConsistency, newServices } from "./configure.js";
import type { Plans } from "./plans.js";
import { defaultPlanName, planExists } from "./plans.js";
import { defaultDbPrefix, siteAdminUser, writeParam } from "./record.js";
import { isPlanName } from "./syntax.js";
import { NameIndex } from "./uniqueness.js";
import { soapEqual } from "./values.js";

type Json = Record<string, unknown>;

function fail(path: string, message: string): never {
  throw new Error(`${path}: ${message}`);
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function record(value: unknown, path: string): Json {
  return isRecord(value) ? value : fail(path, `expected an object, got ${show(value)}`);
}

function allowKeys(value: Json, path: string, allowed: readonly string[]): void {
  const extra = Object.keys(value).find((key) => !allowed.includes(key));
  if (extra !== undefined) fail(`${path}.${extra}`, "unknown field");
}

/** Model rules fault with ApiFault; in a state file the same problem is reported at its path. */
function at<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ApiFault) fail(path, error.message);
    throw error;
  }
}

function soapValue(value: unknown, path: string): SoapValue {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : fail(path, "expected a finite number");
  if (Array.isArray(value)) return value.map((item, i) => soapValue(item, `${path}[${i}]`));
  const map = record(value, path);
  return Object.fromEntries(Object.entries(map).map(([key, inner]) => [key, soapValue(inner, `${path}.${key}`)]));
}

function integer(value: unknown, path: string, min: number): number {
  return typeof value === "number" && Number.isInteger(value) && value >= min
    ? value
    : fail(path, `expected an integer of at least ${min}, got ${show(value)}`);
}

export function validateEmulatorState(value: unknown): EmulatorState {
  const raw = record(value, "state");
  allowKeys(raw, "state", ["version", "nextSiteId", "plans", "sites"]);
  if (raw.version !== 1) fail("state.version", `expected 1, got ${show(raw.version)}`);
  const plans = readPlans(raw.plans);
  const sites = readSites(raw.sites, plans);
  const nextSiteId = integer(raw.nextSiteId, "state.nextSiteId", 1);
  const highest = Math.max(0, ...sites.map((site) => site.id));
  if (nextSiteId <= highest) fail("state.nextSiteId", `must be greater than the highest site id ${highest}`);
  return { version: 1, nextSiteId, plans, sites };
}

function readPlans(value: unknown): Record<string, PlanDefinition> {
  const raw = record(value, "state.plans");
  const plans: Record<string, PlanDefinition> = {};
  for (const [name, plan] of Object.entries(raw)) {
    const path = `state.plans.${name}`;
    if (!isPlanName(name)) fail(path, "invalid plan name");
    const def = record(plan, path);
    allowKeys(def, path, ["inherits", "services"]);
    const inherits = def.inherits ?? null;
    if (inherits !== null && typeof inherits !== "string") fail(`${path}.inherits`, "expected a plan name or null");
    plans[name] = { inherits, services: readPlanServices(def.services ?? {}, `${path}.services`) };
  }
  checkPlanGraph(plans);
  return plans;
}

function readPlanServices(value: unknown, path: string): ServiceConfig {
  const services: ServiceConfig = {};
  for (const [service, params] of Object.entries(record(value, path))) {
    at(`${path}.${service}`, () => serviceParams(service));
    for (const [param, raw] of Object.entries(record(params, `${path}.${service}`))) {
      const where = `${path}.${service}.${param}`;
      const spec = at(where, () => paramSpec(service, param));
      if (spec.scope !== "plan") fail(where, "not a plan parameter (it belongs to each site)");
      (services[service] ??= {})[param] = at(where, () => normaliseParam(service, param, soapValue(raw, where)));
    }
  }
  return services;
}

function checkPlanGraph(plans: Plans): void {
  const roots = Object.keys(plans).filter((name) => plans[name]?.inherits === null);
  if (roots.length !== 1) fail("state.plans", `expected exactly one base plan (inherits: null), found ${roots.length}`);
  for (const name of Object.keys(plans)) {
    const seen = new Set<string>();
    for (let current: string | null = name; current !== null; current = plans[current]?.inherits ?? null) {
      if (!planExists(plans, current)) fail(`state.plans.${name}.inherits`, `unknown plan ${show(current)}`);
      if (seen.has(current)) fail(`state.plans.${name}.inherits`, "inheritance cycle");
      seen.add(current);
    }
  }
}

function readSites(value: unknown, plans: Plans): SiteRecord[] {
  if (!Array.isArray(value)) fail("state.sites", `expected a list, got ${show(value)}`);
  const sites: SiteRecord[] = [];
  value.forEach((raw, i) => {
    const site = readSite(raw, `state.sites[${i}]`, plans);
    if (sites.some((other) => other.id === site.id)) fail(`state.sites[${i}].id`, `duplicate id ${site.id}`);
    sites.push(site);
  });
  at("state.sites", () => new NameIndex().assertUnique(sites, new Set()));
  return sites.sort((a, b) => a.id - b.id);
}

const SITE_FIELDS = ["id", "services", "active", "suspendedAt", "suspendReason", "createdAt", "overrides", "usage"];

function readSite(value: unknown, path: string, plans: Plans): SiteRecord {
  const raw = record(value, path);
  allowKeys(raw, path, SITE_FIELDS);
  if (typeof raw.active !== "boolean") fail(`${path}.active`, `expected a boolean, got ${show(raw.active)}`);
  const site: SiteRecord = {
    id: integer(raw.id, `${path}.id`, 1),
    services: readSiteServices(raw.services, `${path}.services`, plans),
    active: raw.active,
    ...readSuspension(raw, path),
    createdAt: raw.createdAt === undefined ? 0 : integer(raw.createdAt, `${path}.createdAt`, 0),
    overrides: readOverrides(raw.overrides, `${path}.overrides`),
    usage: readUsage(raw.usage, `${path}.usage`),
  };
  for (const db of ["mysql", "pgsql"]) {
    // As admin_add_site derives it, for hand-written files that leave it out.
    if (site.services[db]?.dbaseprefix === null) {
      writeParam(site, db, "dbaseprefix", defaultDbPrefix(siteAdminUser(site)));
    }
  }
  at(path, () => checkConsistency(site));
  return site;
}

/** Starts from the site's plan and lays the file's values over it, each validated. */
function readSiteServices(value: unknown, path: string, plans: Plans): ServiceConfig {
  const raw = record(value, path);
  const plan = record(raw.siteinfo ?? {}, `${path}.siteinfo`).plan ?? defaultPlanName(plans);
  if (typeof plan !== "string" || !planExists(plans, plan)) fail(`${path}.siteinfo.plan`, `unknown plan ${show(plan)}`);
  const services = newServices(plans, plan);
  for (const [service, params] of Object.entries(raw)) {
    at(`${path}.${service}`, () => serviceParams(service));
    for (const [param, given] of Object.entries(record(params, `${path}.${service}`))) {
      const where = `${path}.${service}.${param}`;
      const spec = at(where, () => paramSpec(service, param));
      if (spec.scope === "derived") fail(where, "derived from the site's state; not stored");
      const value = soapValue(given, where);
      const normal = soapEqual(value, spec.initial) ? value : at(where, () => normaliseParam(service, param, value));
      (services[service] ??= {})[param] = normal;
    }
  }
  (services.siteinfo ??= {}).plan = plan;
  for (const param of ["domain", "admin_user"]) {
    if (services.siteinfo[param] === null) fail(`${path}.siteinfo.${param}`, "required");
  }
  return services;
}

function readSuspension(raw: Json, path: string): Pick<SiteRecord, "suspendedAt" | "suspendReason"> {
  const suspendedAt = raw.suspendedAt ?? null;
  const suspendReason = raw.suspendReason ?? null;
  if (raw.active === true) {
    if (suspendedAt !== null) fail(`${path}.suspendedAt`, "must be null for an active site");
    if (suspendReason !== null) fail(`${path}.suspendReason`, "must be null for an active site");
    return { suspendedAt: null, suspendReason: null };
  }
  if (suspendReason !== null && typeof suspendReason !== "string") {
    fail(`${path}.suspendReason`, "expected a string or null");
  }
  return { suspendedAt: integer(suspendedAt, `${path}.suspendedAt`, 0), suspendReason };
}

function readOverrides(value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(path, `expected a list, got ${show(value)}`);
  const keys = value.map((key, i) => {
    const where = `${path}[${i}]`;
    if (typeof key !== "string" || !key.includes(".")) fail(where, `expected "service.param", got ${show(key)}`);
    const dot = key.indexOf(".");
    at(where, () => paramSpec(key.slice(0, dot), key.slice(dot + 1)));
    return key;
  });
  return [...new Set(keys)];
}

function readUsage(value: unknown, path: string): SiteRecord["usage"] {
  if (value === undefined) return { storageKb: 0, bandwidthBytes: 0 };
  const raw = record(value, path);
  allowKeys(raw, path, ["storageKb", "bandwidthBytes"]);
  return {
    storageKb: integer(raw.storageKb ?? 0, `${path}.storageKb`, 0),
    bandwidthBytes: integer(raw.bandwidthBytes ?? 0, `${path}.bandwidthBytes`, 0),
  };
}
