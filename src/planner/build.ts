/**
 * The planner: desired state and observed state in, a Plan out. Pure (the caller passes the
 * time and the git state) so every rule can be tested without a server. Per server: match,
 * decide each site's ops, order them, apply the guards; then summarise.
 */
import type { DesiredSite } from "../model/desired-site.js";
import type { Inventory } from "../model/inventory.js";
import type { ObservedServer, ObservedSite } from "../model/observed-site.js";
import { OP_ACTIONS, type Op, type OpAction } from "../model/op.js";
import { PLAN_FORMAT_VERSION, type ActionCounts, type Plan, type PlanDiagnostic, type PlanServer } from "../model/plan.js";
import { createChanges, diffSite } from "./diff.js";
import { managedFields } from "./fields.js";
import { fingerprintOf } from "./fingerprint.js";
import { distinctIds } from "./ids.js";
import { deletionGuards, serverPlanGuard } from "./guards.js";
import { DEFAULT_SUSPEND_REASON, cancelledOps, existingOp, newSiteOp, prunedOps } from "./lifecycle.js";
import { matchServer, type ServerMatch } from "./match.js";
import { nameEdges } from "./names.js";
import { orderOps, structuralEdges } from "./order.js";
import type { SitePlan } from "./site-plan.js";

export interface BuildOptions {
  /** ISO 8601: the plan's time and "today" for grace periods. */
  now: string;
  commit: { commit: string | null; dirty: boolean };
  /** `--allow-deletes N`, null when not given. */
  allowDeletes: number | null;
  /** The servers in scope, in the order to plan them. */
  servers: readonly string[];
  /** `--reset`: a change of server plan also resets settings to the plan's defaults. */
  resetPlanDefaults: boolean;
}

interface ServerResult {
  server: PlanServer;
  ops: Op[];
  diagnostics: PlanDiagnostic[];
}

function emptyCounts(): ActionCounts {
  return Object.fromEntries(OP_ACTIONS.map((a) => [a, 0])) as ActionCounts;
}

function desiredOps(d: DesiredSite, o: ObservedSite, inventory: Inventory, today: string, reset: boolean): Op[] {
  if (d.state === "cancelled") return cancelledOps(d, o, inventory.policy, today);
  const ops: Op[] = [];
  const diff = diffSite(d, o, inventory.policy);
  if (diff.changes.length > 0) {
    const notes = diff.changes.some((c) => c.wholesale === true)
      ? ["the alias list is replaced as a whole: aliases not listed in the inventory are removed"]
      : [];
    ops.push(
      existingOp(o, d, "update", {
        changes: diff.changes,
        flags: diff.planChanged ? { plan: d.apiscpPlan, ...(reset ? { reset: true } : {}) } : {},
        reason: diff.planChanged ? `moves to server plan ${d.apiscpPlan}` : diff.changes.length === 1 ? "1 managed field differs" : `${diff.changes.length} managed fields differ`,
        notes,
      }),
    );
  }
  if (d.state === "active" && !o.active) {
    ops.push(existingOp(o, d, "activate", { reason: "active in the inventory, suspended on the server" }));
  }
  if (d.state === "suspended" && o.active) {
    ops.push(existingOp(o, d, "suspend", { flags: { reason: d.suspendReason ?? DEFAULT_SUSPEND_REASON }, reason: "suspended in the inventory" }));
  }
  return ops;
}

function createOps(d: DesiredSite): Op[] {
  const create = newSiteOp(d, "create", { changes: createChanges(d), flags: { plan: d.apiscpPlan }, reason: "in the inventory, not on the server" });
  if (d.state !== "suspended") return [create];
  return [create, newSiteOp(d, "suspend", { flags: { reason: d.suspendReason ?? DEFAULT_SUSPEND_REASON }, reason: "created suspended, as the inventory says" })];
}

/** A desired site another server has: moving sites between servers is not something a plan can do safely. */
function movedFrom(d: DesiredSite, others: ReadonlyMap<string, ServerMatch>): ObservedSite | null {
  for (const [server, match] of others) {
    if (server === d.server) continue;
    const found = match.unmanaged.find((o) => o.domain.toLowerCase() === d.domain.toLowerCase());
    if (found !== undefined) return found;
  }
  return null;
}

function planServer(
  name: string,
  observed: ObservedServer,
  match: ServerMatch | null,
  matches: ReadonlyMap<string, ServerMatch>,
  inventory: Inventory,
  options: BuildOptions,
  moved: ReadonlySet<string>,
): ServerResult {
  const config = inventory.servers.find((s) => s.name === name);
  if (!observed.ok || match === null) {
    const error = observed.ok ? "not read" : observed.error;
    return {
      server: { name, fingerprint: null, fields: managedFields(inventory, name), observedSites: 0, unmanaged: [], error },
      ops: [],
      diagnostics: [],
    };
  }
  const today = options.now.slice(0, 10);
  const diagnostics: PlanDiagnostic[] = [...match.problems];
  const sites: SitePlan[] = [];
  for (const { desired, observed: o } of match.pairs) {
    sites.push({ handle: desired.key, desired, observed: o, ops: desiredOps(desired, o, inventory, today, options.resetPlanDefaults), parent: null });
  }
  for (const d of match.missing) {
    // Checked for cancelled sites too: otherwise the cancellation would silently never happen
    // on the server that has the site, which does not prune it either.
    const other = movedFrom(d, matches);
    if (other === null && d.state === "cancelled") continue;
    if (other !== null) {
      diagnostics.push({
        severity: "error",
        code: "server-moved",
        server: name,
        message: `${d.domain} (${d.source.file}:${d.source.line}) is on ${other.server} as ${other.id}, but the inventory now puts it on ${name}`,
        hint: `siteform does not move sites between servers: set \`server: ${other.server}\` back; to move it, migrate it by hand, then update the inventory`,
        file: d.source.file,
        line: d.source.line,
      });
      continue;
    }
    sites.push({ handle: d.key, desired: d, observed: null, ops: createOps(d), parent: null });
  }
  const unmanaged: Array<{ siteId: string; domain: string }> = [];
  for (const o of match.unmanaged) {
    const prune = config?.prune === true && !moved.has(`${name}/${o.id}`);
    if (!prune) unmanaged.push({ siteId: o.id, domain: o.domain });
    sites.push({ handle: `id:${o.id}`, desired: null, observed: o, ops: prune ? prunedOps(o, inventory.policy, today) : [], parent: null });
  }
  linkParents(sites);
  distinctIds(sites);

  const names = nameEdges(name, sites);
  diagnostics.push(...names.problems);
  const ordered = orderOps(
    sites.flatMap((s) => s.ops),
    [...names.edges, ...structuralEdges(sites, names.edges)],
  );
  diagnostics.push(...ordered.problems);
  diagnostics.push(...deletionGuards(name, sites, inventory, options.allowDeletes));
  diagnostics.push(...serverPlanGuard(name, observed, sites, inventory));
  return {
    server: {
      name,
      fingerprint: fingerprintOf(observed),
      fields: [...observed.fields],
      observedSites: observed.sites.length,
      unmanaged,
      error: null,
    },
    ops: ordered.ops,
    diagnostics,
  };
}

/** Invoice groups, as the inventory says for named sites and as the server says for the rest. */
function linkParents(sites: SitePlan[]): void {
  const byInvoice = new Map<string, SitePlan>();
  for (const s of sites) {
    const invoice = s.desired !== null ? s.desired.invoice : (s.observed?.invoice ?? null);
    if (invoice !== null && invoice !== "") byInvoice.set(invoice, s);
  }
  for (const s of sites) {
    const parentInvoice = s.desired !== null ? s.desired.parentInvoice : (s.observed?.parentInvoice ?? null);
    const parent = parentInvoice === null ? undefined : byInvoice.get(parentInvoice);
    if (parent !== undefined && parent !== s) s.parent = parent.handle;
  }
}

export function buildPlan(inventory: Inventory, observed: readonly ObservedServer[], options: BuildOptions): Plan {
  const matches = new Map<string, ServerMatch>();
  for (const name of options.servers) {
    const o = observed.find((s) => s.server === name);
    if (o === undefined || !o.ok) continue;
    matches.set(
      name,
      matchServer(
        inventory.sites.filter((d) => d.server === name),
        o.sites,
      ),
    );
  }
  // Sites the inventory moved to another server stay unmanaged where they are, never pruned.
  const moved = new Set<string>();
  for (const [name, match] of matches) {
    for (const d of match.missing) {
      const other = movedFrom(d, matches);
      if (other !== null && other.server !== name) moved.add(`${other.server}/${other.id}`);
    }
  }
  const results = options.servers.map((name) => {
    const o = observed.find((s) => s.server === name) ?? { server: name, ok: false as const, error: "not read" };
    return planServer(name, o, matches.get(name) ?? null, matches, inventory, options, moved);
  });
  const ops = results.flatMap((r) => r.ops);
  const byServer: Record<string, ActionCounts> = {};
  const byAction = emptyCounts();
  for (const r of results) byServer[r.server.name] = emptyCounts();
  for (const op of ops) {
    byAction[op.action] += 1;
    (byServer[op.server] as Record<OpAction, number>)[op.action] += 1;
  }
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    createdAt: options.now,
    inventory: { commit: options.commit.commit, dirty: options.commit.dirty, dir: inventory.dir, files: inventory.digests },
    options: { allowDeletes: options.allowDeletes, reset: options.resetPlanDefaults },
    servers: results.map((r) => r.server),
    ops,
    diagnostics: results.flatMap((r) => r.diagnostics),
    summary: { total: ops.length, byAction, byServer },
  };
}
