/**
 * Desired and observed state for planner tests, without YAML or a server: `desired()` builds a
 * DesiredSite the way resolve.ts does (repository plan's services, then the group's, then the
 * site's, plus the identity fields in their provider names), `observedOf()` builds the
 * ObservedSite a server would report for a site that already matches it, and `plan()` runs the
 * planner with fixed options. build.test.ts checks that `desired()` agrees with the loader.
 */
import { buildPlan, type BuildOptions } from "../../../src/planner/index.js";
import type {
  DesiredSite,
  Inventory,
  LifecycleState,
  ObservedServer,
  ObservedSite,
  ObservedValue,
  Op,
  OpAction,
  ParamValue,
  Plan,
  PlanDiagnostic,
  Policy,
  RepoPlan,
  ServerConfig,
  SourceRef,
} from "../../../src/model/index.js";

/** Today for every test: 2025-08-01. */
export const NOW = "2025-08-01T06:00:00.000Z";
export const TODAY = NOW.slice(0, 10);

const at = (file: string, line = 1): SourceRef => ({ file, line, column: 1, path: "" });

/** The repository plans every test inventory has. */
export const PLANS: readonly RepoPlan[] = [
  {
    name: "basic",
    apiscpPlan: "basic",
    description: null,
    services: { diskquota: { quota: 5, units: "GB" }, ssh: { enabled: false } },
    origins: {},
    source: at("plans/basic.yaml"),
  },
  {
    name: "business",
    apiscpPlan: "business",
    description: null,
    services: { diskquota: { quota: 25, units: "GB" }, mysql: { dbasenum: 20 }, ssh: { enabled: true } },
    origins: {},
    source: at("plans/business.yaml"),
  },
];

export interface SiteSpec {
  domain: string;
  adminUser?: string;
  server?: string;
  /** As written: one address or a list. Default `owner@DOMAIN`. */
  email?: string | string[];
  /** Repository plan name (basic, business). */
  plan?: string;
  /** A standalone site's own invoice. */
  invoice?: string;
  /** An invoice group: the group's invoice and this site's place in it. */
  group?: { invoice: string; role: "parent" | "child" };
  /** null (the default): aliases are left alone. */
  aliases?: string[] | null;
  state?: LifecycleState;
  cancelledOn?: string;
  suspendReason?: string;
  protect?: boolean;
  id?: string;
  services?: Record<string, Record<string, ParamValue>>;
  file?: string;
}

/** A DesiredSite as resolve.ts builds it. */
export function desired(spec: SiteSpec): DesiredSite {
  const planName = spec.plan ?? "basic";
  const plan = PLANS.find((p) => p.name === planName);
  if (plan === undefined) throw new Error(`test plan ${planName} does not exist`);
  const services: Record<string, Record<string, ParamValue>> = {};
  const set = (service: string, param: string, value: ParamValue): void => {
    (services[service] ??= {})[param] = Array.isArray(value) ? [...(value as string[])] : value;
  };
  for (const layer of [plan.services, spec.services ?? {}]) {
    for (const [service, params] of Object.entries(layer)) for (const [param, value] of Object.entries(params)) set(service, param, value);
  }
  const adminUser = spec.adminUser ?? spec.domain.split(".")[0]?.replace(/[^a-z0-9]/g, "") ?? "user";
  const emailWritten = spec.email ?? `owner@${spec.domain}`;
  const email = typeof emailWritten === "string" ? [emailWritten] : emailWritten;
  const aliases = spec.aliases ?? null;
  let invoice: string | null = null;
  let parentInvoice: string | null = null;
  let billing = false;
  if (spec.group !== undefined) {
    billing = true;
    if (spec.group.role === "parent") invoice = spec.group.invoice;
    else parentInvoice = spec.group.invoice;
  } else if (spec.invoice !== undefined) {
    billing = true;
    invoice = spec.invoice;
  }
  set("siteinfo", "domain", spec.domain);
  set("siteinfo", "admin_user", adminUser);
  set("siteinfo", "email", emailWritten);
  set("siteinfo", "plan", plan.apiscpPlan);
  if (aliases !== null) set("aliases", "aliases", aliases);
  if (billing) {
    set("billing", "invoice", invoice);
    set("billing", "parent_invoice", parentInvoice);
  }
  const state = spec.state ?? "active";
  const file = spec.file ?? `sites/${spec.domain}.yaml`;
  return {
    key: file,
    server: spec.server ?? "fra1",
    domain: spec.domain,
    adminUser,
    email,
    plan: plan.name,
    apiscpPlan: plan.apiscpPlan,
    role: spec.group === undefined ? "standalone" : spec.group.role,
    invoice,
    parentInvoice,
    aliases,
    state,
    cancelledOn: state === "cancelled" ? (spec.cancelledOn ?? "2025-06-01") : null,
    suspendReason: state === "suspended" ? (spec.suspendReason ?? null) : null,
    protect: spec.protect ?? false,
    pinnedId: spec.id ?? null,
    services,
    origins: {},
    source: at(file),
  };
}

/** A value as ApisCP answers it: flags as 1/0. */
function served(value: ParamValue): ObservedValue {
  if (typeof value === "boolean") return value ? 1 : 0;
  return value as ObservedValue;
}

/**
 * The observed site a server reports for a site that already is as desired: every managed
 * field collected with the desired value, identity fields lifted. `patch` then changes the
 * lifted values or whole services (`services: {diskquota: {quota: 20}}` merges per service).
 */
export function observedOf(
  d: DesiredSite,
  id: string,
  patch: Partial<Omit<ObservedSite, "services">> & { services?: Record<string, Record<string, ObservedValue>> } = {},
): ObservedSite {
  const services: Record<string, Record<string, ObservedValue>> = {};
  for (const [service, params] of Object.entries(d.services)) {
    for (const [param, value] of Object.entries(params)) (services[service] ??= {})[param] = served(value);
  }
  for (const [service, params] of Object.entries(patch.services ?? {})) services[service] = { ...services[service], ...params };
  const { services: _ignored, ...lifted } = patch;
  return {
    server: d.server,
    id,
    domain: d.domain,
    adminUser: d.adminUser,
    aliases: d.aliases ?? [],
    invoice: d.invoice,
    parentInvoice: d.parentInvoice,
    plan: d.apiscpPlan,
    active: d.state === "active",
    services,
    ...lifted,
  };
}

/** A site nobody in the inventory names. */
export function stranger(id: string, domain: string, patch: Partial<ObservedSite> = {}): ObservedSite {
  return {
    server: "fra1",
    id,
    domain,
    adminUser: domain.split(".")[0] ?? null,
    aliases: [],
    invoice: null,
    parentInvoice: null,
    plan: "basic",
    active: true,
    services: {},
    ...patch,
  };
}

export function server(name: string, prune = false): ServerConfig {
  return {
    name,
    provider: "apiscp",
    url: `https://${name}.example.net:2083/soap`,
    keyEnv: `${name.toUpperCase()}_KEY`,
    caFile: null,
    insecureTls: false,
    concurrency: 4,
    timeoutSeconds: 60,
    prune,
    description: null,
    source: at("siteform.yaml"),
  };
}

export const POLICY: Policy = { maxDeletes: 3, deletionGraceDays: 30, ignore: [] };

export interface InventorySpec {
  /** Server names; a name ending in `!` has `prune: true`. Default fra1 and ams1. */
  servers?: string[];
  policy?: Partial<Policy>;
}

export function inventory(sites: DesiredSite[], spec: InventorySpec = {}): Inventory {
  const names = spec.servers ?? ["fra1", "ams1"];
  return {
    dir: "/inventory",
    files: [],
    digests: {},
    servers: names.map((n) => server(n.replace(/!$/, ""), n.endsWith("!"))).sort((a, b) => (a.name < b.name ? -1 : 1)),
    policy: { ...POLICY, ...spec.policy },
    plans: PLANS,
    groups: [],
    sites,
  };
}

/** Every field the sites manage, as a collect reports them. */
export function collected(sites: readonly ObservedSite[], fields?: readonly string[]): string[] {
  if (fields !== undefined) return [...fields];
  const out = new Set<string>();
  for (const s of sites) for (const [service, params] of Object.entries(s.services)) for (const param of Object.keys(params)) out.add(`${service}.${param}`);
  return [...out].sort();
}

export function observedServer(name: string, sites: ObservedSite[], plans: string[] = ["basic", "business"]): ObservedServer {
  return { server: name, ok: true, sites: sites.map((s) => ({ ...s, server: name })), plans, fields: collected(sites) };
}

export function plan(inv: Inventory, observed: ObservedServer[], options: Partial<BuildOptions> = {}): Plan {
  return buildPlan(inv, observed, {
    now: NOW,
    commit: { commit: "0123456789abcdef0123456789abcdef01234567", dirty: false },
    allowDeletes: null,
    servers: observed.map((o) => o.server),
    resetPlanDefaults: false,
    ...options,
  });
}

/** Plans one server (fra1 unless the sites say otherwise) from desired sites and observed sites. */
export function planOne(sites: DesiredSite[], observed: ObservedSite[], spec: InventorySpec & Partial<BuildOptions> & { plans?: string[] } = {}): Plan {
  const name = sites[0]?.server ?? observed[0]?.server ?? "fra1";
  const { servers, policy, plans, ...options } = spec;
  return plan(inventory(sites, { ...(servers ? { servers } : {}), ...(policy ? { policy } : {}) }), [observedServer(name, observed, plans)], options);
}

export function ids(p: Plan): string[] {
  return p.ops.map((o) => o.id);
}

export function opById(p: Plan, id: string): Op {
  const found = p.ops.find((o) => o.id === id);
  if (found === undefined) throw new Error(`no op ${id} in ${JSON.stringify(ids(p))}`);
  return found;
}

export function actions(p: Plan): Array<[OpAction, string]> {
  return p.ops.map((o) => [o.action, o.target.domain]);
}

export function errors(p: Plan): PlanDiagnostic[] {
  return p.diagnostics.filter((d) => d.severity === "error");
}

export function codes(p: Plan): string[] {
  return errors(p).map((d) => d.code);
}

export function fields(op: Op): string[] {
  return op.changes.map((c) => c.field);
}

/** Every op comes after the ops it depends on, and every dependency is in the plan. */
export function respectsDependsOn(p: Plan): boolean {
  const seen = new Set<string>();
  for (const op of p.ops) {
    if (!op.dependsOn.every((d) => seen.has(d))) return false;
    seen.add(op.id);
  }
  return true;
}
