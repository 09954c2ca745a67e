/**
 * Decides whether a saved plan still describes the servers it would change: each touched
 * server's re-collected fingerprint must equal the plan's, and every op's preconditions must
 * still hold. Pure: the caller re-collects (see recollect.ts) and passes the planner's
 * fingerprint function in, so this module does not depend on the planner.
 */
import type { ObservedServer, ObservedSite } from "../model/observed-site.js";
import type { FieldValue, Op } from "../model/op.js";
import type { Plan } from "../model/plan.js";
import { fieldValue, sameValue } from "./field-value.js";

/** The planner's fingerprint of one server's observed state (null when it could not be read). */
export type FingerprintOf = (observed: ObservedServer) => string | null;

export interface StaleServer {
  server: string;
  problem: string;
}

export interface StaleSite {
  server: string;
  opId: string;
  siteId: string | null;
  domain: string;
  problem: string;
}

export interface StaleResult {
  stale: boolean;
  servers: StaleServer[];
  sites: StaleSite[];
  /** One paragraph for people naming what changed and saying to plan again; null when current. */
  message: string | null;
}

export function checkStale(plan: Plan, observed: readonly ObservedServer[], fingerprintOf: FingerprintOf): StaleResult {
  const servers: StaleServer[] = [];
  const sites: StaleSite[] = [];
  const before = sitesChangedBefore(plan);
  for (const name of touchedServers(plan)) {
    const now = observed.find((o) => o.server === name);
    const problem = serverProblem(plan, name, now, fingerprintOf);
    if (problem !== null) servers.push({ server: name, problem });
    if (now === undefined || !now.ok) continue;
    for (const op of plan.ops) {
      if (op.server !== name) continue;
      const opProblem = preconditionProblem(op, now.sites, before.get(op.id) ?? new Set());
      if (opProblem !== null) sites.push({ server: name, opId: op.id, siteId: op.target.siteId, domain: op.target.domain, problem: opProblem });
    }
  }
  const stale = servers.length > 0 || sites.length > 0;
  return { stale, servers, sites, message: stale ? staleMessage(servers, sites) : null };
}

function touchedServers(plan: Plan): string[] {
  return [...new Set(plan.ops.map((op) => op.server))];
}

function serverProblem(plan: Plan, name: string, now: ObservedServer | undefined, fingerprintOf: FingerprintOf): string | null {
  if (now === undefined) return "was not re-read before applying";
  if (!now.ok) return `could not be re-read (${now.error}), so the plan cannot be checked against it`;
  const planned = plan.servers.find((s) => s.name === name);
  if (planned === undefined || planned.fingerprint === null) return "has ops in the plan but no recorded fingerprint";
  if (fingerprintOf(now) !== planned.fingerprint) return "changed since the plan was made";
  return null;
}

/**
 * Per op, the ids of the sites that ops it waits for (directly or not) act on. A create may
 * find its domain or admin user held by such a site: the plan frees the name first (a rename
 * away, a deletion), so that is what was planned, not a sign of staleness.
 */
function sitesChangedBefore(plan: Plan): Map<string, ReadonlySet<string>> {
  const byId = new Map(plan.ops.map((op) => [op.id, op]));
  const memo = new Map<string, Set<string>>();
  const visit = (id: string): Set<string> => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const found = new Set<string>();
    memo.set(id, found); // a cycle (refused by the planner anyway) ends here instead of looping
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      const siteId = byId.get(dep)?.target.siteId;
      if (siteId !== null && siteId !== undefined) found.add(siteId);
      for (const inner of visit(dep)) found.add(inner);
    }
    return found;
  };
  for (const op of plan.ops) visit(op.id);
  return memo;
}

function preconditionProblem(op: Op, sites: readonly ObservedSite[], freedFirst: ReadonlySet<string>): string | null {
  const pre = op.preconditions;
  if (!pre.exists) return freeProblems(op, sites.filter((s) => !freedFirst.has(s.id)));
  const siteId = pre.siteId ?? op.target.siteId;
  const site = sites.find((s) => s.id === siteId);
  if (site === undefined) return `site ${siteId ?? "(no id)"} no longer exists`;
  const changed = Object.entries(pre.fields)
    .filter(([field, expected]) => !sameValue(field, expected, fieldValue(site, field)))
    .map(([field, expected]) => `${field} was ${show(expected)} when planned, is now ${show(fieldValue(site, field))}`);
  return changed.length === 0 ? null : changed.join("; ");
}

function freeProblems(op: Op, sites: readonly ObservedSite[]): string | null {
  const problems: string[] = [];
  const domain = op.preconditions.freeDomain ?? (op.action === "create" ? op.target.domain : undefined);
  if (domain !== undefined) {
    const wanted = domain.toLowerCase();
    const holder = sites.find((s) => s.domain.toLowerCase() === wanted || s.aliases.some((a) => a.toLowerCase() === wanted));
    if (holder !== undefined) problems.push(`domain ${domain} is now taken by ${holder.id} (${holder.domain})`);
  }
  const user = op.preconditions.freeAdminUser;
  if (user !== undefined) {
    const holder = sites.find((s) => s.adminUser === user);
    if (holder !== undefined) problems.push(`admin user ${user} is now taken by ${holder.id} (${holder.domain})`);
  }
  return problems.length === 0 ? null : problems.join("; ");
}

function show(value: FieldValue | undefined): string {
  if (value === undefined) return "absent";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function staleMessage(servers: readonly StaleServer[], sites: readonly StaleSite[]): string {
  const lines = ["The plan is stale: the servers changed since it was made, so nothing was applied."];
  for (const s of servers) lines.push(`  server ${s.server} ${s.problem}`);
  for (const s of sites) lines.push(`  ${s.server} ${s.domain}${s.siteId === null ? "" : ` (${s.siteId})`} [${s.opId}]: ${s.problem}`);
  if (sites.length === 0) lines.push("  (no op's own site changed; other sites on the server did)");
  lines.push("Run `siteform plan` again, review the new plan and apply that one.");
  return lines.join("\n");
}
