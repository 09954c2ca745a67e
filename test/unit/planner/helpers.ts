/**
 * Desired and observed state for planner tests, without YAML or a server: `desired()` builds an
 * ApisCP site's DesiredResource the way resolve.ts does (repository plan's fields, then the
 * entry's services, plus the fields its entry fields set: domain, admin user, e-mail, plan,
 * aliases, the invoice group's), `observedOf()` builds the ObservedResource a server would
 * report for a site that already matches it, and `plan()` runs the planner with fixed options
 * and the shipped catalogue. build.test.ts checks that `desired()` agrees with the loader.
 */
import type { Catalogue } from "../../../src/kinds/catalogue.js";
import { buildPlan, type BuildOptions } from "../../../src/planner/index.js";
import type {
  DesiredResource,
  Inventory,
  LifecycleState,
  ObservedResource,
  ObservedServer,
  ObservedValue,
  Op,
  OpAction,
  ParamValue,
  Plan,
  PlanDiagnostic,
  Policy,
  RepoPlan,
  ResourceState,
  ServerConfig,
  SourceRef,
} from "../../../src/model/index.js";
import { SITE_KIND } from "../../../src/providers/apiscp/kinds.js";
import { catalogueOf } from "../../../src/providers/registry.js";

export { SITE_KIND };

/** The shipped kinds: what `siteform` plans with. */
export const CATALOGUE: Catalogue = catalogueOf();

/** Today for every test: 2025-08-01. */
export const NOW = "2025-08-01T06:00:00.000Z";
export const TODAY = NOW.slice(0, 10);

const at = (file: string, line = 1): SourceRef => ({ file, line, column: 1, path: "" });

/** The repository plans every test inventory has. */
export const PLANS: readonly RepoPlan[] = [
  {
    name: "basic",
    kind: SITE_KIND,
    template: "basic",
    description: null,
    fields: { diskquota: { quota: 5, units: "GB" }, ssh: { enabled: false } },
    source: at("plans/basic.yaml"),
  },
  {
    name: "business",
    kind: SITE_KIND,
    template: "business",
    description: null,
    fields: { diskquota: { quota: 25, units: "GB" }, mysql: { dbasenum: 20 }, ssh: { enabled: true } },
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

/** An ApisCP site's DesiredResource as resolve.ts builds it. */
export function desired(spec: SiteSpec): DesiredResource {
  const planName = spec.plan ?? "basic";
  const plan = PLANS.find((p) => p.name === planName);
  if (plan === undefined) throw new Error(`test plan ${planName} does not exist`);
  const fields: Record<string, Record<string, ParamValue>> = {};
  const set = (group: string, field: string, value: ParamValue): void => {
    (fields[group] ??= {})[field] = Array.isArray(value) ? [...(value as string[])] : value;
  };
  for (const layer of [plan.fields, spec.services ?? {}]) {
    for (const [group, values] of Object.entries(layer)) for (const [field, value] of Object.entries(values)) set(group, field, value);
  }
  const adminUser = spec.adminUser ?? spec.domain.split(".")[0]?.replace(/[^a-z0-9]/g, "") ?? "user";
  set("siteinfo", "domain", spec.domain);
  set("siteinfo", "admin_user", adminUser);
  set("siteinfo", "email", spec.email ?? `owner@${spec.domain}`);
  set("siteinfo", "plan", plan.template);
  if (spec.group !== undefined) {
    set("billing", "invoice", spec.group.role === "parent" ? spec.group.invoice : null);
    set("billing", "parent_invoice", spec.group.role === "child" ? spec.group.invoice : null);
  } else if (spec.invoice !== undefined) {
    set("billing", "invoice", spec.invoice);
    set("billing", "parent_invoice", null);
  }
  if (spec.aliases != null) set("aliases", "aliases", spec.aliases);
  const state = spec.state ?? "active";
  const file = spec.file ?? `sites/${spec.domain}.yaml`;
  return {
    key: file,
    kind: SITE_KIND,
    server: spec.server ?? "fra1",
    name: spec.domain,
    plan: { name: plan.name, template: plan.template },
    state,
    cancelledOn: state === "cancelled" ? (spec.cancelledOn ?? "2025-06-01") : null,
    suspendReason: state === "suspended" ? (spec.suspendReason ?? null) : null,
    protect: spec.protect ?? false,
    pinnedId: spec.id ?? null,
    fields,
    source: at(file),
  };
}

/** A value as ApisCP answers it: flags as 1/0. */
function served(value: ParamValue): ObservedValue {
  if (typeof value === "boolean") return value ? 1 : 0;
  return value as ObservedValue;
}

/**
 * What a test changes of an observed resource: its state, and fields merged per group over the
 * others (an identity value is a field: `{siteinfo: {domain: "old.example"}}` is a site the
 * server still knows by its old domain; undefined drops a field).
 */
export interface ObservedPatch {
  server?: string;
  state?: ResourceState;
  suspension?: ObservedResource["suspension"];
  fields?: Record<string, Record<string, ObservedValue | undefined>>;
}

function observed(server: string, id: string, base: Record<string, Record<string, ObservedValue>>, state: ResourceState, patch: ObservedPatch): ObservedResource {
  const fields: Record<string, Record<string, ObservedValue>> = {};
  for (const [group, values] of Object.entries(base)) fields[group] = { ...values };
  for (const [group, values] of Object.entries(patch.fields ?? {})) {
    const target = (fields[group] ??= {});
    for (const [field, value] of Object.entries(values)) {
      if (value === undefined) delete target[field];
      else target[field] = value;
    }
  }
  const name = fields.siteinfo?.domain;
  if (typeof name !== "string") throw new Error(`observed ${id} has no siteinfo.domain`);
  return {
    server: patch.server ?? server,
    kind: SITE_KIND,
    id,
    name,
    state: patch.state ?? state,
    ...(patch.suspension === undefined ? {} : { suspension: patch.suspension }),
    fields,
  };
}

/**
 * The observed site a server reports for a site that already is as desired: every managed
 * field collected with the desired value (identity fields included), active unless the
 * inventory has it otherwise. `patch` then changes the state or fields.
 */
export function observedOf(d: DesiredResource, id: string, patch: ObservedPatch = {}): ObservedResource {
  const fields: Record<string, Record<string, ObservedValue>> = {};
  for (const [group, values] of Object.entries(d.fields)) {
    for (const [field, value] of Object.entries(values)) (fields[group] ??= {})[field] = served(value);
  }
  return observed(d.server, id, fields, d.state === "active" ? "active" : "suspended", patch);
}

/** An observed resource with `patch` applied (fields merged per group, the name following `siteinfo.domain`). */
export function patchObserved(o: ObservedResource, patch: ObservedPatch): ObservedResource {
  const base = o.fields as Record<string, Record<string, ObservedValue>>;
  return observed(o.server, o.id, base, o.state, { ...(o.suspension === undefined ? {} : { suspension: o.suspension }), ...patch });
}

/** A site nobody in the inventory names: its domain, an admin user named after it, the basic plan. */
export function stranger(id: string, domain: string, patch: ObservedPatch = {}): ObservedResource {
  return observed("fra1", id, { siteinfo: { domain, admin_user: domain.split(".")[0] ?? "", plan: "basic" } }, "active", patch);
}

export function server(name: string, prune = false): ServerConfig {
  return {
    name,
    provider: "apiscp",
    url: `https://${name}.example.net:2083/soap`,
    keyEnv: `${name.toUpperCase()}_KEY`,
    userEnv: null,
    caFile: null,
    insecureTls: false,
    concurrency: 4,
    timeoutSeconds: 60,
    prune,
    retired: false,
    description: null,
    source: at("siteform.yaml"),
  };
}

export const POLICY: Policy = { maxDeletes: 3, deletionGraceDays: 30, maxPaidOps: 0, ignore: [] };

export interface InventorySpec {
  /** Server names; a name ending in `!` has `prune: true`. Default fra1 and ams1. */
  servers?: string[];
  policy?: Partial<Policy>;
  /** Default: the shipped kinds. */
  catalogue?: Catalogue;
}

export function inventory(resources: DesiredResource[], spec: InventorySpec = {}): Inventory {
  const names = spec.servers ?? ["fra1", "ams1"];
  return {
    dir: "/inventory",
    files: [],
    digests: {},
    servers: names.map((n) => server(n.replace(/!$/, ""), n.endsWith("!"))).sort((a, b) => (a.name < b.name ? -1 : 1)),
    policy: { ...POLICY, ...spec.policy },
    plans: PLANS,
    catalogue: spec.catalogue ?? CATALOGUE,
    resources,
  };
}

/** Every field the resources hold, as a collect reports them. */
export function collected(resources: readonly ObservedResource[], fields?: readonly string[]): string[] {
  if (fields !== undefined) return [...fields];
  const out = new Set<string>();
  for (const r of resources) for (const [group, values] of Object.entries(r.fields)) for (const field of Object.keys(values)) out.add(`${group}.${field}`);
  return [...out].sort();
}

/** A server's answer: its sites, the server plans (templates) it has, the fields collected. */
export function observedServer(name: string, resources: ObservedResource[], templates: string[] = ["basic", "business"]): ObservedServer {
  return {
    server: name,
    ok: true,
    resources: resources.map((r) => ({ ...r, server: name })),
    templates: { [SITE_KIND]: templates },
    fields: { [SITE_KIND]: collected(resources) },
  };
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

/** Plans one server (fra1 unless the resources say otherwise) from desired and observed sites. */
export function planOne(resources: DesiredResource[], observed: ObservedResource[], spec: InventorySpec & Partial<BuildOptions> & { plans?: string[] } = {}): Plan {
  const name = resources[0]?.server ?? observed[0]?.server ?? "fra1";
  const { servers, policy, plans, catalogue, ...options } = spec;
  return plan(
    inventory(resources, { ...(servers ? { servers } : {}), ...(policy ? { policy } : {}), ...(catalogue ? { catalogue } : {}) }),
    [observedServer(name, observed, plans)],
    options,
  );
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
  return p.ops.map((o) => [o.action, o.target.name]);
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
