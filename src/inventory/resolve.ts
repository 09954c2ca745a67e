/**
 * Turns checked records into the desired state the planner consumes: servers and policy with
 * their defaults (taken from the schema, so the documented default is the applied one), and
 * each entry's effective fields, layered repository plan → group → entry, plus the fields its
 * entry fields set (the kind's `x-siteform-field` marks: an ApisCP site's domain, admin user,
 * e-mail, aliases, invoice), its template and its group's relation. Runs only on an inventory
 * without errors, so a missing required value here is a bug. Pure.
 */
import { isAbsolute, join } from "node:path";
import type { Catalogue } from "../kinds/catalogue.js";
import { addDays } from "../kinds/values.js";
import type { DesiredResource, Inventory, ParamValue, Policy, RepoPlan, ServerConfig } from "../model/index.js";
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
import { CONFIG_SCHEMA } from "./schema.js";

export interface ResolveContext {
  /** The inventory directory: relative `ca_file` paths are joined to it. */
  dir: string;
  files: readonly string[];
  digests: Readonly<Record<string, string>>;
  catalogue: Catalogue;
  /** `YYYY-MM-DD`: the day days-ahead fields count from. */
  today: string;
}

export function resolveInventory(records: InventoryRecords, context: ResolveContext): Inventory {
  const config = required(records.config, "siteform.yaml");
  const plans = records.plans.map(resolvePlan).sort((a, b) => (a.name < b.name ? -1 : 1));
  const shared: Shared = {
    plans: new Map(plans.map((p) => [p.name, p])),
    groups: new Map(records.groups.map((g) => [g, { layers: new Layers().add(g) }])),
    servers: new Map(config.servers.map((s) => [s.name, s])),
  };
  const sites = records.sites.map((site) => resolveSite(site, shared, context.today));
  return {
    dir: context.dir,
    files: context.files,
    digests: context.digests,
    servers: config.servers.map((s) => resolveServer(s, context.dir)).sort((a, b) => (a.name < b.name ? -1 : 1)),
    policy: resolvePolicy(config),
    plans,
    catalogue: context.catalogue,
    resources: sites,
  };
}

/** A value the checks guarantee; its absence is siteform's bug, not the inventory's. */
function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`internal: ${what} missing after validation`);
  return value;
}

const SERVER = CONFIG_SCHEMA.$defs.server.properties;
const POLICY = CONFIG_SCHEMA.properties.policy.properties;

function resolveServer(server: Entity & { name: string }, dir: string): ServerConfig {
  const caFile = text(server, "ca_file");
  const number = (field: string, fallback: number): number => {
    const value = server.data[field];
    return typeof value === "number" ? value : fallback;
  };
  return {
    name: server.name,
    // references.ts admits only the providers the catalogue knows; absent is the schema's default.
    provider: text(server, "provider") ?? SERVER.provider.default,
    url: required(text(server, "url"), "server url"),
    keyEnv: required(text(server, "key_env"), "server key_env"),
    userEnv: text(server, "user_env") ?? null,
    caFile: caFile === undefined ? null : isAbsolute(caFile) ? caFile : join(dir, caFile),
    insecureTls: flag(server, "insecure_tls") ?? SERVER.insecure_tls.default,
    concurrency: number("concurrency", SERVER.concurrency.default),
    timeoutSeconds: number("timeout_seconds", SERVER.timeout_seconds.default),
    prune: flag(server, "prune") ?? SERVER.prune.default,
    retired: flag(server, "retired") ?? SERVER.retired.default,
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
    maxPaidOps: number("max_paid_ops", POLICY.max_paid_ops.default),
    deletionGraceDays: number("deletion_grace_days", POLICY.deletion_grace_days.default),
    ignore: policy === null ? [...POLICY.ignore.default] : texts(policy, "ignore").map((i) => i.value),
  };
}

/**
 * Service values layered over each other (plan, group, entry). Where each value was written is
 * not kept per field: nothing after loading needs it, and at 100,000 sites those positions
 * were most of the inventory's memory. Diagnostics that need a field's line get it while the
 * file is checked; a resource keeps its entry's position (`source`).
 */
class Layers {
  readonly values: Record<string, Record<string, ParamValue>> = {};

  /** Values already resolved elsewhere (a plan's or a group's). */
  addResolved(values: Readonly<Record<string, Readonly<Record<string, ParamValue>>>>): this {
    for (const service in values) {
      const params = values[service] as Readonly<Record<string, ParamValue>>;
      for (const param in params) this.set(service, param, params[param] as ParamValue);
    }
    return this;
  }

  add(entity: Entity): this {
    const services = mapping(entity, "services");
    if (services === undefined) return this;
    for (const [service, params] of Object.entries(services)) {
      if (!isRecord(params)) continue;
      for (const [param, value] of Object.entries(params)) this.set(service, param, value as ParamValue);
    }
    return this;
  }

  set(service: string, param: string, value: ParamValue): void {
    (this.values[service] ??= {})[param] = Array.isArray(value) ? [...(value as string[])] : value;
  }
}

function resolvePlan(plan: PlanRecord): RepoPlan {
  const layers = new Layers().add(plan);
  const template = plan.kind.declaration.template;
  return {
    name: plan.name,
    kind: plan.kind.id,
    template: template === null ? null : required(text(plan, template.entry), template.entry),
    description: text(plan, "description") ?? null,
    fields: layers.values,
    source: ref(plan),
  };
}

/** What an entry's resolution reads from others, worked out once: a group's settings serve all its entries. */
interface Shared {
  plans: ReadonlyMap<string, RepoPlan>;
  /** Per group: its settings. */
  groups: ReadonlyMap<GroupRecord, { layers: Layers }>;
  /** siteform.yaml's servers by name, for values an entry takes from the server it names. */
  servers: ReadonlyMap<string, Entity>;
}

function resolveSite(site: SiteRecord, shared: Shared, today: string): DesiredResource {
  const kind = site.kind;
  const planName = text(site, "plan");
  const plan = planName === undefined ? undefined : required(shared.plans.get(planName), `plan ${planName}`);
  const layers = new Layers();
  if (plan !== undefined) layers.addResolved(plan.fields);
  const group = site.group === null ? undefined : shared.groups.get(site.group);
  if (group !== undefined) layers.addResolved(group.layers.values);
  layers.add(site);
  const nameKey = kind.nameKey();
  const template = kind.declaration.template;
  for (const { entry, field } of kind.entryFields()) {
    // A field the lifecycle drives (a panel's enabled flag) is the op's business, not a value.
    if (entry === "state") continue;
    const dot = field.indexOf(".");
    const [groupName, param] = [field.slice(0, dot), field.slice(dot + 1)];
    if (template !== null && field === template.field) {
      if (plan !== undefined && plan.template !== null) layers.set(groupName, param, plan.template);
      continue;
    }
    const written = groupWritten(site, field);
    if (written !== undefined) {
      if (written !== null) layers.set(groupName, param, written.value);
      continue;
    }
    const value: unknown = site.data[entry];
    const fromServer = kind.fieldMarks(field)?.fromServer ?? null;
    if (value === undefined && fromServer !== null) {
      // The entry names a server instead (`on_server: fra1`): the value is that server's (its IP).
      const named = text(site, fromServer.entry);
      const server = named === undefined ? undefined : shared.servers.get(named);
      const taken = server === undefined ? undefined : text(server, fromServer.field);
      if (taken !== undefined) layers.set(groupName, param, taken);
      continue;
    }
    if (value === undefined) continue;
    if (kind.fieldMarks(field)?.daysAhead === true && typeof value === "number") {
      layers.set(groupName, param, addDays(today, value));
      continue;
    }
    // The shape that was written (one address or a list) is the shape the server gets.
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") layers.set(groupName, param, value);
    else if (Array.isArray(value)) layers.set(groupName, param, texts(site, entry).map((t) => t.value));
  }
  return {
    key: site.key,
    kind: kind.id,
    server: required(siteServer(site), "server").name,
    name: required(text(site, nameKey.name), nameKey.name),
    plan: plan === undefined ? null : { name: plan.name, template: plan.template },
    ...boundLifecycle(site, shared, lifecycleOf(site)),
    protect: flag(site, "protect") ?? false,
    pinnedId: text(site, "id") ?? null,
    fields: layers.values,
    source: ref(site),
  };
}

/**
 * A field a group writes for its members: the parent gets the group's value in the group's
 * parent field and null in the relation field, a child the reverse; a standalone entry that
 * writes the group's entry field (its own `invoice`) gets it as a parent would. undefined: the
 * group has no say over this field; null: it is left alone.
 */
function groupWritten(site: SiteRecord, field: string): { value: ParamValue } | null | undefined {
  const group = site.kind.declaration.group;
  if (group === null) return undefined;
  const relation = site.kind.declaration.relations.find((r) => r.name === group.relation);
  const isParentField = field === group.parentField;
  const isChildField = relation !== undefined && field === relation.field;
  if (!isParentField && !isChildField) return undefined;
  if (site.group === null) {
    const own = text(site, group.entry);
    if (own === undefined) return null;
    return { value: isParentField ? own : null };
  }
  const value = required(text(site.group, group.entry), `group ${group.entry}`);
  const mine = site.role === "parent" ? isParentField : isChildField;
  return { value: mine ? value : null };
}

/**
 * An entry bound to a server that is retired (a licence whose `on_server` is taken out of
 * service) is suspended, unless it is cancelled anyway: what it served is going away.
 */
function boundLifecycle(site: SiteRecord, shared: Shared, own: Pick<DesiredResource, "state" | "cancelledOn" | "suspendReason">): Pick<DesiredResource, "state" | "cancelledOn" | "suspendReason"> {
  if (own.state !== "active") return own;
  for (const { field } of site.kind.entryFields()) {
    const from = site.kind.fieldMarks(field)?.fromServer ?? null;
    const named = from === null ? undefined : text(site, from.entry);
    const server = named === undefined ? undefined : shared.servers.get(named);
    if (server !== undefined && flag(server, "retired") === true) return { state: "suspended", cancelledOn: null, suspendReason: null };
  }
  return own;
}

function lifecycleOf(site: SiteRecord): Pick<DesiredResource, "state" | "cancelledOn" | "suspendReason"> {
  const effective = effectiveState(site);
  // The level whose state decided: the entry's own when it is as strict as the group's.
  const decider: Entity = state(site) === effective || site.group === null ? site : site.group;
  return {
    state: effective,
    cancelledOn: effective === "cancelled" ? required(text(decider, "cancelled_on"), "cancelled_on") : null,
    suspendReason: effective === "suspended" ? (text(decider, "suspend_reason") ?? null) : null,
  };
}
