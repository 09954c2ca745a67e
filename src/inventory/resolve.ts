/**
 * Turns checked records into the desired state the planner consumes: servers and policy with
 * their defaults (taken from the schema, so the documented default is the applied one), and
 * each site's effective configuration, layered repository plan → invoice group → site, plus
 * its identity and billing fields written into the provider fields the catalogue marks for
 * them. Runs only on an inventory without errors, so a missing required value here is a bug.
 * Pure.
 */
import { isAbsolute, join } from "node:path";
import type {
  DesiredGroup,
  DesiredSite,
  Inventory,
  ParamValue,
  Policy,
  RepoPlan,
  ServerConfig,
  SourceRef,
} from "../model/index.js";
import { identityParams, type IdentityField } from "./catalogue.js";
import { isRecord } from "./field-path.js";
import {
  effectiveState,
  flag,
  mapping,
  ref,
  siteServer,
  state,
  text,
  texts,
  type ConfigRecord,
  type Entity,
  type GroupRecord,
  type InventoryRecords,
  type PlanRecord,
  type SiteRecord,
} from "./records.js";
import { SCHEMAS } from "./schema.js";

export interface ResolveContext {
  /** The inventory directory: relative `ca_file` paths are joined to it. */
  dir: string;
  files: readonly string[];
  digests: Readonly<Record<string, string>>;
}

export function resolveInventory(records: InventoryRecords, context: ResolveContext): Inventory {
  const config = required(records.config, "siteform.yaml");
  const plans = records.plans.map(resolvePlan).sort((a, b) => (a.name < b.name ? -1 : 1));
  const shared: Shared = {
    plans: new Map(plans.map((p) => [p.name, p])),
    groups: new Map(records.groups.map((g) => [g, { layers: new Layers().add(g), invoiceAt: ref(g, "invoice"), at: ref(g) }])),
  };
  const sites = records.sites.map((site) => resolveSite(site, shared));
  return {
    dir: context.dir,
    files: context.files,
    digests: context.digests,
    servers: config.servers.map((s) => resolveServer(s, context.dir)).sort((a, b) => (a.name < b.name ? -1 : 1)),
    policy: resolvePolicy(config),
    plans,
    groups: records.groups.map((g) => resolveGroup(g)),
    sites,
  };
}

/** A value the checks guarantee; its absence is siteform's bug, not the inventory's. */
function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`internal: ${what} missing after validation`);
  return value;
}

const SERVER = SCHEMAS.config.$defs.server.properties;
const POLICY = SCHEMAS.config.properties.policy.properties;

function resolveServer(server: Entity & { name: string }, dir: string): ServerConfig {
  const caFile = text(server, "ca_file");
  const number = (field: string, fallback: number): number => {
    const value = server.data[field];
    return typeof value === "number" ? value : fallback;
  };
  return {
    name: server.name,
    // The schema admits only the providers the registry knows; absent means the first one.
    provider: (text(server, "provider") ?? "apiscp") as ServerConfig["provider"],
    url: required(text(server, "url"), "server url"),
    keyEnv: required(text(server, "key_env"), "server key_env"),
    caFile: caFile === undefined ? null : isAbsolute(caFile) ? caFile : join(dir, caFile),
    insecureTls: flag(server, "insecure_tls") ?? SERVER.insecure_tls.default,
    concurrency: number("concurrency", SERVER.concurrency.default),
    timeoutSeconds: number("timeout_seconds", SERVER.timeout_seconds.default),
    prune: flag(server, "prune") ?? SERVER.prune.default,
    description: text(server, "description") ?? null,
    source: ref(server, undefined, "key"),
  };
}

function resolvePolicy(config: ConfigRecord): Policy {
  const policy = config.policy;
  const number = (field: string, fallback: number): number => {
    const value = policy?.data[field];
    return typeof value === "number" ? value : fallback;
  };
  return {
    maxDeletes: number("max_deletes", POLICY.max_deletes.default),
    deletionGraceDays: number("deletion_grace_days", POLICY.deletion_grace_days.default),
    ignore: policy === null ? [...POLICY.ignore.default] : texts(policy, "ignore").map((i) => i.value),
  };
}

/** Service values layered over each other, remembering where each one was written. */
class Layers {
  readonly values: Record<string, Record<string, ParamValue>> = {};
  readonly origins: Record<string, SourceRef> = {};

  /** Values already resolved elsewhere (a plan's), with their origins. */
  addResolved(values: Readonly<Record<string, Readonly<Record<string, ParamValue>>>>, origins: Readonly<Record<string, SourceRef>>, fallback: SourceRef): this {
    for (const [service, params] of Object.entries(values)) {
      for (const [param, value] of Object.entries(params)) {
        this.set(service, param, value, origins[`${service}.${param}`] ?? fallback);
      }
    }
    return this;
  }

  add(entity: Entity): this {
    const services = mapping(entity, "services");
    if (services === undefined) return this;
    for (const [service, params] of Object.entries(services)) {
      if (!isRecord(params)) continue;
      for (const [param, value] of Object.entries(params)) {
        this.set(service, param, value as ParamValue, entity.source.ref([...entity.path, "services", service, param]));
      }
    }
    return this;
  }

  set(service: string, param: string, value: ParamValue, at: SourceRef): void {
    (this.values[service] ??= {})[param] = Array.isArray(value) ? [...(value as string[])] : value;
    this.origins[`${service}.${param}`] = at;
  }
}

function resolvePlan(plan: PlanRecord): RepoPlan {
  const layers = new Layers().add(plan);
  return {
    name: plan.name,
    apiscpPlan: required(text(plan, "apiscp_plan"), "apiscp_plan"),
    description: text(plan, "description") ?? null,
    services: layers.values,
    origins: layers.origins,
    source: ref(plan),
  };
}

/** What a site's resolution reads from others, worked out once: a group's settings serve all its sites. */
interface Shared {
  plans: ReadonlyMap<string, RepoPlan>;
  groups: ReadonlyMap<GroupRecord, { layers: Layers; invoiceAt: SourceRef; at: SourceRef }>;
}

interface Billing {
  invoice: string | null;
  parentInvoice: string | null;
  /** Where the billing fields come from; null: billing is left alone (a standalone site without invoice). */
  at: SourceRef | null;
}

function billingOf(site: SiteRecord, shared: Shared): Billing {
  if (site.group !== null) {
    const invoice = required(text(site.group, "invoice"), "group invoice");
    const at = required(shared.groups.get(site.group), "group").invoiceAt;
    return site.role === "parent" ? { invoice, parentInvoice: null, at } : { invoice: null, parentInvoice: invoice, at };
  }
  const invoice = text(site, "invoice");
  return invoice === undefined ? { invoice: null, parentInvoice: null, at: null } : { invoice, parentInvoice: null, at: ref(site, "invoice") };
}

function resolveSite(site: SiteRecord, shared: Shared): DesiredSite {
  const planName = required(text(site, "plan"), "site plan");
  const plan = required(shared.plans.get(planName), `plan ${planName}`);
  const layers = new Layers().addResolved(plan.services, plan.origins, plan.source);
  const group = site.group === null ? undefined : shared.groups.get(site.group);
  if (group !== undefined) layers.addResolved(group.layers.values, group.layers.origins, group.at);
  layers.add(site);
  const identity = identityOf(site, plan, billingOf(site, shared));
  for (const { field, service, param } of identityParams()) {
    const entry = identity.fields[field];
    if (entry !== null) layers.set(service, param, entry.value, entry.at);
  }
  return {
    key: site.key,
    server: required(siteServer(site), "server").name,
    ...identity.site,
    plan: plan.name,
    apiscpPlan: plan.apiscpPlan,
    role: site.role,
    ...lifecycleOf(site),
    protect: flag(site, "protect") ?? false,
    pinnedId: text(site, "id") ?? null,
    services: layers.values,
    origins: layers.origins,
    source: ref(site),
  };
}

type IdentityFacts = Pick<DesiredSite, "domain" | "adminUser" | "email" | "aliases" | "invoice" | "parentInvoice">;

/** The site's identity as DesiredSite fields, and as the values (with origins) of the provider fields they set. */
function identityOf(
  site: SiteRecord,
  plan: RepoPlan,
  billing: Billing,
): { site: IdentityFacts; fields: Record<IdentityField, { value: ParamValue; at: SourceRef } | null> } {
  const domain = required(text(site, "domain"), "domain");
  const adminUser = required(text(site, "admin_user"), "admin_user");
  const written: unknown = site.data.email;
  const email = typeof written === "string" ? [written] : texts(site, "email").map((e) => e.value);
  const aliases = Array.isArray(site.data.aliases) ? texts(site, "aliases").map((a) => a.value) : null;
  return {
    site: { domain, adminUser, email, aliases, invoice: billing.invoice, parentInvoice: billing.parentInvoice },
    fields: {
      domain: { value: domain, at: ref(site, "domain") },
      admin_user: { value: adminUser, at: ref(site, "admin_user") },
      // The shape that was written (one address or a list) is the shape the server gets.
      email: { value: typeof written === "string" ? written : email, at: ref(site, "email") },
      plan: { value: plan.apiscpPlan, at: ref(site, "plan") },
      aliases: aliases === null ? null : { value: aliases, at: ref(site, "aliases") },
      invoice: billing.at === null ? null : { value: billing.invoice, at: billing.at },
      parent_invoice: billing.at === null ? null : { value: billing.parentInvoice, at: billing.at },
    },
  };
}

function lifecycleOf(site: SiteRecord): Pick<DesiredSite, "state" | "cancelledOn" | "suspendReason"> {
  const effective = effectiveState(site);
  // The level whose state decided: the site's own when it is as strict as the group's.
  const decider: Entity = state(site) === effective || site.group === null ? site : site.group;
  return {
    state: effective,
    cancelledOn: effective === "cancelled" ? required(text(decider, "cancelled_on"), "cancelled_on") : null,
    suspendReason: effective === "suspended" ? (text(decider, "suspend_reason") ?? null) : null,
  };
}

function resolveGroup(group: GroupRecord): DesiredGroup {
  const [parent, ...children] = group.members;
  const first = required(parent, "group parent");
  const own = state(group) ?? "active";
  return {
    invoice: required(text(group, "invoice"), "group invoice"),
    server: text(group, "server") ?? required(siteServer(first), "group server").name,
    state: own,
    cancelledOn: own === "cancelled" ? required(text(group, "cancelled_on"), "group cancelled_on") : null,
    suspendReason: own === "suspended" ? (text(group, "suspend_reason") ?? null) : null,
    parent: first.key,
    children: children.map((c) => c.key),
    source: ref(group),
  };
}
