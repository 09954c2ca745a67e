/**
 * In-memory plans and observed sites for applier tests: one-line ops with the planner's shapes.
 */
import type { DeletionRules } from "../../../src/applier/index.js";
import type { FieldChange, ObservedServer, ObservedSite, Op, OpAction, Plan, PlanServer, Precondition } from "../../../src/model/index.js";

export interface OpSpec {
  server?: string;
  siteId?: string | null;
  dependsOn?: string[];
  changes?: FieldChange[];
  preconditions?: Partial<Precondition>;
}

export function op(action: OpAction, domain: string, spec: OpSpec = {}): Op {
  const server = spec.server ?? "fra1";
  const siteId = spec.siteId === undefined ? (action === "create" ? null : `site-${domain}`) : spec.siteId;
  return {
    id: `${server}:${action}:${domain}`,
    server,
    action,
    target: { siteId, domain, adminUser: null, key: `sites/${domain}.yaml`, source: null },
    changes: spec.changes ?? [],
    // A deletion as the planner writes it, so the applier's deletion rules let it through.
    flags: action === "delete" ? { since: "30 days ago", match: "^siteform: cancelled" } : {},
    dependsOn: spec.dependsOn ?? [],
    preconditions: {
      exists: action !== "create",
      siteId: action === "create" ? null : siteId,
      ...(action === "create" ? { freeDomain: domain } : {}),
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

export function planServer(name: string, fingerprint: string | null = `fp-${name}`): PlanServer {
  return { name, fingerprint, fields: ["diskquota.quota"], observedSites: 3, unmanaged: [], error: null };
}

export function plan(ops: Op[], servers?: PlanServer[]): Plan {
  const names = [...new Set(ops.map((o) => o.server))];
  const zero = { delete: 0, suspend: 0, update: 0, create: 0, activate: 0 };
  return {
    formatVersion: 2,
    createdAt: "2025-07-01T03:00:00.000Z",
    inventory: { commit: "0123456789abcdef", dirty: false, dir: "/inventory", files: {} },
    options: { allowDeletes: null, reset: false },
    servers: servers ?? names.map((n) => planServer(n)),
    ops,
    diagnostics: [],
    summary: { total: ops.length, byAction: { ...zero }, byServer: {} },
  };
}

export function site(id: string, domain: string, extra: Partial<ObservedSite> = {}): ObservedSite {
  return { server: "fra1", id, domain, adminUser: null, aliases: [], invoice: null, parentInvoice: null, plan: "basic", active: true, services: {}, ...extra };
}

export function observed(server: string, sites: ObservedSite[]): ObservedServer {
  return { server, ok: true, sites, plans: ["basic"], fields: ["diskquota.quota"] };
}
