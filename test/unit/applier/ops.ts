/**
 * In-memory plans and observed sites for applier tests: one-line ops with the planner's shapes.
 */
import type { DeletionRules, PaidRules } from "../../../src/applier/index.js";
import type { FieldChange, ObservedResource, ObservedServer, ObservedValue, Op, OpAction, Plan, PlanServer, Precondition } from "../../../src/model/index.js";
import { catalogueOf } from "../../../src/providers/registry.js";

export const SITE = "apiscp/site";

/** The shipped kinds: what applyPlan, the re-reads and the renderers compare and redact with. */
export const CATALOGUE = catalogueOf();

export interface OpSpec {
  server?: string;
  id?: string | null;
  dependsOn?: string[];
  changes?: FieldChange[];
  preconditions?: Partial<Precondition>;
  paid?: true;
}

export function op(action: OpAction, domain: string, spec: OpSpec = {}): Op {
  const server = spec.server ?? "fra1";
  const id = spec.id === undefined ? (action === "create" ? null : `site-${domain}`) : spec.id;
  return {
    id: `${server}:${action}:${domain}`,
    server,
    kind: SITE,
    action,
    target: { id, name: domain, key: `sites/${domain}.yaml`, source: null },
    changes: spec.changes ?? [],
    // A deletion as the planner writes it, so the applier's deletion rules let it through.
    flags: action === "delete" ? { deletion: { suspendedDays: 30, ownerTag: "siteform: cancelled" } } : {},
    ...(spec.paid === true ? { paid: true as const } : {}),
    dependsOn: spec.dependsOn ?? [],
    preconditions: {
      exists: action !== "create",
      id: action === "create" ? null : id,
      ...(action === "create" ? { free: [{ key: "domain", namespace: "domain", value: domain }] } : {}),
      fields: {},
      ...spec.preconditions,
    },
    reason: `${action} ${domain}`,
    notes: [],
  };
}

/** Deletion rules that let any planner-shaped deletion of an unprotected site through, as many as there are. */
export const DELETES_ALLOWED: DeletionRules = {
  maxDeletes: Number.MAX_SAFE_INTEGER,
  allowDeletes: null,
  graceDays: 30,
  ownerTags: ["siteform: cancelled"],
  protectedSites: new Set(),
  keptSites: new Set(),
};

/** Paid rules that let any number of paid ops through. */
export const PAID_ALLOWED: PaidRules = { maxPaidOps: Number.MAX_SAFE_INTEGER, allowPaid: null };

export function planServer(name: string, fingerprint: string | null = `fp-${name}`): PlanServer {
  return { name, provider: "apiscp", fingerprint, fields: { [SITE]: ["diskquota.quota"] }, observed: 3, unmanaged: [], error: null };
}

export function plan(ops: Op[], servers?: PlanServer[]): Plan {
  const names = [...new Set(ops.map((o) => o.server))];
  const zero = { delete: 0, suspend: 0, update: 0, create: 0, activate: 0 };
  return {
    formatVersion: 3,
    createdAt: "2025-07-01T03:00:00.000Z",
    inventory: { commit: "0123456789abcdef", dirty: false, dir: "/inventory", files: {} },
    options: { allowDeletes: null, reset: false, allowPaid: null },
    servers: servers ?? names.map((n) => planServer(n)),
    ops,
    diagnostics: [],
    summary: { total: ops.length, paid: ops.filter((o) => o.paid === true).length, byAction: { ...zero }, byServer: {} },
  };
}

type Fields = Readonly<Record<string, Readonly<Record<string, ObservedValue>>>>;

/** Merges field groups: the extra fields over the base ones, group by group. */
function mergeGroups(base: Fields, extra: Fields = {}): Fields {
  const out: Record<string, Record<string, ObservedValue>> = {};
  for (const [group, values] of Object.entries(base)) out[group] = { ...values };
  for (const [group, values] of Object.entries(extra)) out[group] = { ...out[group], ...values };
  return out;
}

/** An observed ApisCP site; `extra.fields` are merged over `siteinfo.domain` (always present) and `siteinfo.plan: basic`. */
export function site(id: string, domain: string, extra: Partial<ObservedResource> = {}): ObservedResource {
  const { fields, ...rest } = extra;
  return { server: "fra1", kind: SITE, id, name: domain, state: "active", ...rest, fields: mergeGroups({ siteinfo: { domain, plan: "basic" } }, fields) };
}

export function observed(server: string, resources: ObservedResource[]): ObservedServer {
  return { server, ok: true, resources, templates: { [SITE]: ["basic"] }, fields: { [SITE]: ["diskquota.quota"] } };
}
