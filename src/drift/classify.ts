/**
 * `classifyDrift`: reads a plan as a list of differences between the servers and git. Each op
 * says what differs for one site (the planner has already matched identities, normalised
 * values and dropped `policy.ignore` fields), so drift is the plan seen from the other side;
 * servers the plan could not read are problems, not "no drift". Pure; no rendering.
 */
import type { FieldChange, Op, Plan, PlanServer } from "../model/index.js";
import {
  DRIFT_CLASSES,
  DRIFT_FORMAT_VERSION,
  UNREADABLE,
  emptyCounts,
  type DriftEntry,
  type DriftProblem,
  type DriftReport,
  type DriftServer,
  type SiteCondition,
} from "./drift-report.js";
import { serverPlanField } from "./server-plan-field.js";

type Fields = Pick<DriftEntry, "class" | "changes" | "observed" | "desired">;

function entry(op: Op, fields: Fields): DriftEntry {
  return {
    ...fields,
    server: op.server,
    siteId: op.target.siteId,
    domain: op.target.domain,
    key: op.target.key,
    source: op.target.source,
    opId: op.id,
    action: op.action,
    reason: op.reason,
  };
}

function condition(observed: SiteCondition | null, desired: SiteCondition | null): Pick<Fields, "observed" | "desired"> {
  return { observed, desired };
}

/** The differences one op stands for: an update may be both a change of plan and other field changes. */
function opEntries(op: Op): DriftEntry[] {
  const managed = op.target.key !== null;
  switch (op.action) {
    case "create":
      return [entry(op, { class: "missing", changes: op.changes, ...condition("absent", "active") })];
    case "activate":
      return [entry(op, { class: "state", changes: [], ...condition("suspended", "active") })];
    case "suspend":
      return [entry(op, { class: managed ? "state" : "unmanaged", changes: [], ...condition("active", managed ? "suspended" : null) })];
    case "delete":
      return [entry(op, { class: managed ? "state" : "unmanaged", changes: [], ...condition("suspended", managed ? "deleted" : null) })];
    case "update":
      return updateEntries(op);
  }
}

function updateEntries(op: Op): DriftEntry[] {
  const planField = serverPlanField();
  const planChanges: FieldChange[] = op.changes.filter((c) => c.field === planField);
  const others = op.changes.filter((c) => c.field !== planField);
  if (planChanges.length === 0 && op.flags.plan !== undefined && planField !== null) {
    // A change of plan the planner carried only in the flags.
    planChanges.push({ field: planField, before: op.preconditions.fields[planField] ?? null, after: op.flags.plan });
  }
  const out: DriftEntry[] = [];
  if (planChanges.length > 0) out.push(entry(op, { class: "server-plan", changes: planChanges, ...condition(null, null) }));
  if (others.length > 0 || planChanges.length === 0) out.push(entry(op, { class: "modified", changes: others, ...condition(null, null) }));
  return out;
}

/** Unmanaged sites the plan leaves alone (no op names them). */
function leftAlone(server: PlanServer, ops: readonly Op[]): DriftEntry[] {
  const touched = new Set(ops.filter((op) => op.server === server.name).map((op) => op.target.siteId));
  return server.unmanaged
    .filter((site) => !touched.has(site.siteId))
    .map((site) => ({
      class: "unmanaged",
      server: server.name,
      siteId: site.siteId,
      domain: site.domain,
      key: null,
      source: null,
      changes: [],
      observed: null,
      desired: null,
      opId: null,
      action: null,
      reason: "on the server, not in the inventory; left alone (the server does not prune)",
    }));
}

function compareEntries(order: ReadonlyMap<string, number>): (a: DriftEntry, b: DriftEntry) => number {
  return (a, b) =>
    (order.get(a.server) ?? 0) - (order.get(b.server) ?? 0) ||
    DRIFT_CLASSES.indexOf(a.class) - DRIFT_CLASSES.indexOf(b.class) ||
    (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0);
}

function problems(plan: Plan): DriftProblem[] {
  const unreadable: DriftProblem[] = plan.servers
    .filter((s) => s.error !== null)
    .map((s) => ({ severity: "error", code: UNREADABLE, server: s.name, message: `server ${s.name} could not be read: ${s.error ?? ""}`, hint: "its drift is unknown; fix the connection or the key and run drift again" }));
  const diagnostics: DriftProblem[] = plan.diagnostics.map((d) => ({
    severity: d.severity,
    code: d.code,
    server: d.server,
    message: d.file === undefined ? d.message : `${d.file}${d.line === undefined ? "" : `:${d.line}`}: ${d.message}`,
    ...(d.hint === undefined ? {} : { hint: d.hint }),
  }));
  return [...unreadable, ...diagnostics];
}

export function classifyDrift(plan: Plan): DriftReport {
  const order = new Map(plan.servers.map((s, i) => [s.name, i]));
  const entries = [...plan.ops.flatMap(opEntries), ...plan.servers.flatMap((s) => leftAlone(s, plan.ops))].sort(compareEntries(order));
  const counts = emptyCounts();
  for (const e of entries) counts[e.class] += 1;
  const servers: DriftServer[] = plan.servers.map((s) => {
    const own = emptyCounts();
    for (const e of entries) if (e.server === s.name) own[e.class] += 1;
    return { name: s.name, read: s.error === null, error: s.error, observedSites: s.observedSites, counts: own };
  });
  return {
    formatVersion: DRIFT_FORMAT_VERSION,
    createdAt: plan.createdAt,
    inventory: plan.inventory,
    servers,
    entries,
    counts,
    total: entries.length,
    deletions: entries.filter((e) => e.action === "delete").length,
    problems: problems(plan),
  };
}
