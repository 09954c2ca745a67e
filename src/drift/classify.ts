/**
 * `classifyDrift`: reads a plan as a list of differences between the servers and git. Each op
 * says what differs for one resource (the planner has already matched identities, normalised
 * values and dropped `policy.ignore` fields), so drift is the plan seen from the other side;
 * servers the plan could not read are problems, not "no drift". A change of server-side
 * template is told from other field changes by the op's kind (its template field), from the
 * catalogue passed in. Pure; no rendering.
 */
import { maskKnownKeysIn } from "../inventory/known-keys.js";
import type { Catalogue } from "../kinds/catalogue.js";
import type { FieldChange, Op, Plan, PlanServer } from "../model/index.js";
import {
  DRIFT_CLASSES,
  DRIFT_FORMAT_VERSION,
  UNREADABLE,
  emptyCounts,
  type DriftEntry,
  type DriftKind,
  type DriftProblem,
  type DriftReport,
  type DriftServer,
  type SiteCondition,
} from "./drift-report.js";

type Fields = Pick<DriftEntry, "class" | "changes" | "observed" | "desired">;

function entry(op: Op, fields: Fields): DriftEntry {
  return {
    ...fields,
    server: op.server,
    kind: op.kind,
    resourceId: op.target.id,
    name: op.target.name,
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

/** The field that holds the kind's server-side template, or null (a kind without templates, or one the catalogue does not know). */
function templateField(catalogue: Catalogue, kind: string): string | null {
  return catalogue.find(kind)?.declaration.template?.field ?? null;
}

/** The differences one op stands for: an update may be both a change of template and other field changes. */
function opEntries(op: Op, catalogue: Catalogue): DriftEntry[] {
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
      return updateEntries(op, templateField(catalogue, op.kind));
    default:
      // A kind's own action (a renewal): the field it carries out differs.
      return [entry(op, { class: managed ? "modified" : "unmanaged", changes: op.changes, ...condition(null, null) })];
  }
}

function updateEntries(op: Op, field: string | null): DriftEntry[] {
  const templateChanges: FieldChange[] = field === null ? [] : op.changes.filter((c) => c.field === field);
  const others = op.changes.filter((c) => field === null || c.field !== field);
  if (templateChanges.length === 0 && op.flags.template !== undefined && field !== null) {
    // A change of template the planner carried only in the flags.
    templateChanges.push({ field, before: op.preconditions.fields[field] ?? null, after: op.flags.template });
  }
  const out: DriftEntry[] = [];
  if (templateChanges.length > 0) out.push(entry(op, { class: "server-plan", changes: templateChanges, ...condition(null, null) }));
  if (others.length > 0 || templateChanges.length === 0) out.push(entry(op, { class: "modified", changes: others, ...condition(null, null) }));
  return out;
}

/** Unmanaged resources the plan leaves alone (no op names them). */
function leftAlone(server: PlanServer, ops: readonly Op[]): DriftEntry[] {
  const touched = new Set(ops.filter((op) => op.server === server.name).map((op) => `${op.kind}\0${op.target.id ?? ""}`));
  return server.unmanaged
    .filter((r) => !touched.has(`${r.kind}\0${r.id}`))
    .map((r) => ({
      class: "unmanaged",
      server: server.name,
      kind: r.kind,
      resourceId: r.id,
      name: r.name,
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
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
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

/** The kinds of the entries and of the servers' providers, as people-facing text calls them. */
function kindsOf(plan: Plan, entries: readonly DriftEntry[], catalogue: Catalogue): Record<string, DriftKind> {
  const ids = new Set<string>();
  for (const s of plan.servers) for (const k of catalogue.kindsOf(s.provider)) ids.add(k.id);
  for (const e of entries) ids.add(e.kind);
  const out: Record<string, DriftKind> = {};
  for (const id of [...ids].sort()) {
    const model = catalogue.find(id);
    out[id] = { noun: model?.noun ?? "resource", template: model?.declaration.template?.label ?? null };
  }
  return out;
}

export function classifyDrift(plan: Plan, catalogue: Catalogue): DriftReport {
  const order = new Map(plan.servers.map((s, i) => [s.name, i]));
  const entries = [...plan.ops.flatMap((op) => opEntries(op, catalogue)), ...plan.servers.flatMap((s) => leftAlone(s, plan.ops))].sort(compareEntries(order));
  const counts = emptyCounts();
  for (const e of entries) counts[e.class] += 1;
  const servers: DriftServer[] = plan.servers.map((s) => {
    const own = emptyCounts();
    for (const e of entries) if (e.server === s.name) own[e.class] += 1;
    return { name: s.name, read: s.error === null, error: s.error, observed: s.observed, counts: own };
  });
  // The plan here is not redactPlan's: the API keys siteform holds are masked in the report itself.
  return maskKnownKeysIn({
    formatVersion: DRIFT_FORMAT_VERSION,
    createdAt: plan.createdAt,
    inventory: plan.inventory,
    servers,
    kinds: kindsOf(plan, entries, catalogue),
    entries,
    counts,
    total: entries.length,
    deletions: entries.filter((e) => e.action === "delete").length,
    problems: problems(plan),
  });
}
