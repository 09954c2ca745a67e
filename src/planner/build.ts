/**
 * The planner: desired state and observed state in, a Plan out. Pure (the caller passes the
 * time, the git state and the catalogue of kinds) so every rule can be tested without a
 * server. Per server and kind: match, decide each resource's ops; then relate resources across
 * servers and kinds, order every op in one graph, apply the guards, and summarise.
 */
import type { Catalogue, KindModel } from "../kinds/catalogue.js";
import { comparable, keyNames, textAt, valueAt } from "../kinds/values.js";
import type { Inventory } from "../model/inventory.js";
import { OP_ACTIONS, type Op } from "../model/op.js";
import { PLAN_FORMAT_VERSION, type ActionCounts, type Plan, type PlanDiagnostic, type PlanServer } from "../model/plan.js";
import type { DesiredResource, ObservedResource, ObservedServer } from "../model/resource.js";
import { createChanges, diffResource } from "./diff.js";
import { managedFields } from "./fields.js";
import { fingerprintOf } from "./fingerprint.js";
import { deletionGuards, paidGuard, templateGuard } from "./guards.js";
import { distinctIds } from "./ids.js";
import { DEFAULT_SUSPEND_REASON, cancelledOps, existingOp, newResourceOp, prunedOps, suspendFlags, type OpContext } from "./lifecycle.js";
import { matchKind, type KindMatch } from "./match.js";
import { nameEdges } from "./names.js";
import { orderOps, structuralEdges } from "./order.js";
import type { ResourcePlan } from "./resource-plan.js";
import { selectTargets } from "./targets.js";

export interface BuildOptions {
  /** ISO 8601: the plan's time and "today" for grace periods. */
  now: string;
  commit: { commit: string | null; dirty: boolean };
  /** `--allow-deletes N`, null when not given. */
  allowDeletes: number | null;
  /** `--allow-paid N`, null when not given. */
  allowPaid?: number | null;
  /** The servers in scope, in the order to plan them. */
  servers: readonly string[];
  /** `--reset`: a change of template also resets settings to the template's defaults. */
  resetPlanDefaults: boolean;
  /** `--target`: only these resources' ops and what they wait for (targets.ts); null or absent: everything. */
  targets?: readonly string[] | null;
}

interface ServerResult {
  server: PlanServer;
  resources: ResourcePlan[];
  diagnostics: PlanDiagnostic[];
  observed: ObservedServer;
}

function counts(actions: Iterable<string>): ActionCounts {
  const out: Record<string, number> = Object.fromEntries(OP_ACTIONS.map((a) => [a, 0]));
  for (const action of actions) out[action] = (out[action] ?? 0) + 1;
  return out as ActionCounts;
}

function templateFlags(d: DesiredResource): { template?: string } {
  return d.plan?.template == null ? {} : { template: d.plan.template };
}

function desiredOps(ctx: OpContext, d: DesiredResource, o: ObservedResource, inventory: Inventory, today: string, reset: boolean): Op[] {
  const kind = ctx.kind;
  if (d.state === "cancelled") return cancelledOps(ctx, d, o, inventory.policy, today);
  const ops: Op[] = [];
  const diff = diffResource(kind, d, o, inventory.policy);
  // A change a kind's own action carries out (a renewal) is that action, not part of the update.
  const extra = diff.changes.filter((c) => kind.actionForField(c.field) !== null);
  const changes = diff.changes.filter((c) => kind.actionForField(c.field) === null);
  if (changes.length > 0) {
    const notes = changes.some((c) => c.wholesale === true) ? [`the ${wholesaleNames(kind, changes)} replaced as a whole: entries not listed in the inventory are removed`] : [];
    const template = kind.declaration.template;
    ops.push(
      existingOp(ctx, o, d, "update", {
        changes,
        flags: diff.templateChanged ? { ...templateFlags(d), ...(reset ? { reset: true } : {}) } : {},
        reason: diff.templateChanged
          ? `moves to ${template?.label ?? "template"} ${d.plan?.template ?? ""}`
          : changes.length === 1
            ? "1 managed field differs"
            : `${changes.length} managed fields differ`,
        notes,
      }),
    );
  }
  for (const c of extra) {
    const action = kind.actionForField(c.field);
    if (action === null) continue;
    ops.push(existingOp(ctx, o, d, action.name, { changes: [c], reason: `${action.label} ${String(c.after)}` }));
  }
  if (d.state === "active" && o.state === "suspended") {
    ops.push(existingOp(ctx, o, d, "activate", { reason: "active in the inventory, suspended on the server" }));
  }
  if (d.state === "suspended" && o.state === "active") {
    ops.push(existingOp(ctx, o, d, "suspend", { flags: suspendFlags(kind, d.suspendReason ?? DEFAULT_SUSPEND_REASON), reason: "suspended in the inventory" }));
  }
  return ops;
}

function wholesaleNames(kind: KindModel, changes: readonly { field: string; wholesale?: true }[]): string {
  const labels = changes.filter((c) => c.wholesale === true).map((c) => kind.keyOfField(c.field)?.label ?? c.field);
  return labels.length === 1 ? `${labels[0]} list is` : `${labels.join(", ")} lists are`;
}

function createOps(ctx: OpContext, d: DesiredResource): Op[] {
  const create = newResourceOp(ctx, d, "create", { changes: createChanges(ctx.kind, d), flags: templateFlags(d), reason: "in the inventory, not on the server" });
  if (d.state !== "suspended") return [create];
  return [create, newResourceOp(ctx, d, "suspend", { flags: suspendFlags(ctx.kind, d.suspendReason ?? DEFAULT_SUSPEND_REASON), reason: "created suspended, as the inventory says" })];
}

/** A desired resource another server has (by its name): moving resources between servers is not something a plan can do safely. */
function movedFrom(d: DesiredResource, matches: ReadonlyMap<string, ReadonlyMap<string, KindMatch>>, catalogue: Catalogue): ObservedResource | null {
  const key = catalogue.kind(d.kind).nameKey();
  const wanted = comparable(key, d.name);
  for (const [server, kinds] of matches) {
    if (server === d.server) continue;
    const found = kinds.get(d.kind)?.unmanaged.find((o) => keyNames(key, valueAt(o.fields, key.field)).some((n) => comparable(key, n) === wanted));
    if (found !== undefined) return found;
  }
  return null;
}

interface Shared {
  inventory: Inventory;
  options: BuildOptions;
  matches: ReadonlyMap<string, ReadonlyMap<string, KindMatch>>;
  moved: ReadonlySet<string>;
}

function planServer(name: string, observed: ObservedServer, shared: Shared): ServerResult {
  const { inventory, options, matches } = shared;
  const catalogue = inventory.catalogue;
  const config = inventory.servers.find((s) => s.name === name);
  const provider = config?.provider ?? "";
  const kinds = matches.get(name);
  if (!observed.ok || kinds === undefined) {
    const error = observed.ok ? "not read" : observed.error;
    return {
      server: { name, provider, fingerprint: null, fields: managedFields(inventory, name, catalogue), observed: 0, unmanaged: [], error },
      resources: [],
      diagnostics: [],
      observed,
    };
  }
  const today = options.now.slice(0, 10);
  const diagnostics: PlanDiagnostic[] = [];
  const resources: ResourcePlan[] = [];
  const unmanaged: Array<{ kind: string; id: string; name: string }> = [];
  const defaultKind = catalogue.defaultKind(provider);
  for (const [kindId, match] of kinds) {
    const kind = catalogue.kind(kindId);
    const ctx: OpContext = { kind, isDefault: kindId === defaultKind };
    diagnostics.push(...match.problems);
    for (const { desired, observed: o } of match.pairs) {
      const ops = o.state === "transitional" ? [] : desiredOps(ctx, desired, o, inventory, today, options.resetPlanDefaults);
      if (o.state === "transitional") diagnostics.push(waiting(name, o, desired));
      resources.push({ handle: desired.key, server: name, kind, desired, observed: o, ops, parents: [] });
    }
    for (const d of match.missing) {
      // Checked for cancelled resources too: otherwise the cancellation would silently never
      // happen on the server that has it, which does not prune it either.
      const other = movedFrom(d, matches, catalogue);
      if (other === null && d.state === "cancelled") continue;
      if (other !== null) {
        diagnostics.push({
          severity: "error",
          code: "server-moved",
          server: name,
          message: `${d.name} (${d.source.file}:${d.source.line}) is on ${other.server} as ${other.id}, but the inventory now puts it on ${name}`,
          hint: `siteform does not move ${kind.noun}s between servers: set \`server: ${other.server}\` back; to move it, migrate it by hand, then update the inventory`,
          file: d.source.file,
          line: d.source.line,
        });
        continue;
      }
      resources.push({ handle: d.key, server: name, kind, desired: d, observed: null, ops: createOps(ctx, d), parents: [] });
    }
    for (const o of match.unmanaged) {
      const prune = config?.prune === true && !shared.moved.has(`${name}/${o.kind}/${o.id}`) && o.state !== "transitional";
      if (!prune) unmanaged.push({ kind: o.kind, id: o.id, name: o.name });
      resources.push({ handle: `id:${name}/${o.kind}/${o.id}`, server: name, kind, desired: null, observed: o, ops: prune ? prunedOps(ctx, o, inventory.policy, today) : [], parents: [] });
    }
  }
  distinctIds(resources);
  return {
    server: { name, provider, fingerprint: fingerprintOf(observed, catalogue), fields: observed.fields, observed: observed.resources.length, unmanaged, error: null },
    resources,
    diagnostics,
    observed,
  };
}

function waiting(server: string, o: ObservedResource, d: DesiredResource): PlanDiagnostic {
  return {
    severity: "warning",
    code: "transitional",
    server,
    message: `${d.name} (${o.id}) is still being processed on ${server}: nothing is done to it until it settles`,
    hint: "plan again once the panel has finished",
    file: d.source.file,
    line: d.source.line,
  };
}

/**
 * Relations as parent handles: for each resource, the resource whose key its relation field
 * names (the inventory's value for named resources, the server's for the rest), on the same
 * server or anywhere, as the relation says.
 */
function linkParents(resources: readonly ResourcePlan[], catalogue: Catalogue): PlanDiagnostic[] {
  const problems: PlanDiagnostic[] = [];
  const holders = new Map<string, ResourcePlan>();
  const index = (r: ResourcePlan, keyName: string, value: string): string => `${r.kind.id}\0${keyName}\0${value}`;
  const keyValue = (r: ResourcePlan, field: string): string | null => {
    if (r.desired !== null) return textAt(r.desired.fields, field);
    return r.observed === null ? null : textAt(r.observed.fields, field);
  };
  const wantedKeys = new Set(catalogue.all().flatMap((k) => k.declaration.relations.map((rel) => `${rel.parent.kind}\0${rel.parent.key}`)));
  for (const r of resources) {
    for (const key of r.kind.keys()) {
      if (!wantedKeys.has(`${r.kind.id}\0${key.name}`)) continue;
      const value = keyValue(r, key.field);
      if (value === null) continue;
      holders.set(`${r.server}\0${index(r, key.name, comparable(key, value))}`, r);
      holders.set(`*\0${index(r, key.name, comparable(key, value))}`, r);
    }
  }
  for (const r of resources) {
    for (const relation of r.kind.declaration.relations) {
      const value = keyValue(r, relation.field);
      if (value === null) continue;
      const parentKind = catalogue.find(relation.parent.kind);
      if (parentKind === null) continue;
      const key = parentKind.key(relation.parent.key);
      const at = relation.scope === "server" ? r.server : "*";
      const parent = holders.get(`${at}\0${relation.parent.kind}\0${key.name}\0${comparable(key, value)}`);
      if (parent !== undefined && parent !== r) r.parents.push(parent.handle);
      // A desired resource whose parent is nowhere would be created without what it needs.
      // Only across servers: within one (an ApisCP invoice naming no site) the panel itself decides.
      if (parent === undefined && relation.scope === "inventory" && r.desired !== null && r.desired.state !== "cancelled") {
        problems.push({
          severity: "warning",
          code: "parent-missing",
          server: r.server,
          message: `${r.desired.name} names ${value} as its ${relation.name}, and no ${parentKind.noun} with that ${key.label} is in the inventory or on a server read`,
          hint: `check the ${relation.name}; nothing orders this ${r.kind.noun} after it`,
          file: r.desired.source.file,
          line: r.desired.source.line,
        });
      }
    }
  }
  return problems;
}

export function buildPlan(inventory: Inventory, observed: readonly ObservedServer[], options: BuildOptions): Plan {
  const catalogue = inventory.catalogue;
  const matches = new Map<string, Map<string, KindMatch>>();
  for (const name of options.servers) {
    const o = observed.find((s) => s.server === name);
    if (o === undefined || !o.ok) continue;
    const config = inventory.servers.find((s) => s.name === name);
    const kinds = new Map<string, KindMatch>();
    const kindIds = new Set([...(config === undefined ? [] : catalogue.kindsOf(config.provider).map((k) => k.id))]);
    for (const r of inventory.resources) if (r.server === name) kindIds.add(r.kind);
    for (const r of o.resources) kindIds.add(r.kind);
    for (const kindId of kindIds) {
      kinds.set(
        kindId,
        matchKind(
          catalogue.kind(kindId),
          inventory.resources.filter((d) => d.server === name && d.kind === kindId),
          // A resource the panel lists as gone is not there.
          o.resources.filter((r) => r.kind === kindId && r.state !== "gone"),
        ),
      );
    }
    matches.set(name, kinds);
  }
  // Resources the inventory moved to another server stay unmanaged where they are, never pruned.
  const moved = new Set<string>();
  for (const [name, kinds] of matches) {
    for (const match of kinds.values()) {
      for (const d of match.missing) {
        const other = movedFrom(d, matches, catalogue);
        if (other !== null && other.server !== name) moved.add(`${other.server}/${other.kind}/${other.id}`);
      }
    }
  }
  const shared: Shared = { inventory, options, matches, moved };
  const results = options.servers.map((name) => planServer(name, observed.find((s) => s.server === name) ?? { server: name, ok: false as const, error: "not read" }, shared));
  const resources = results.flatMap((r) => r.resources);
  const edges: Array<[string, string]> = [];
  const diagnostics: PlanDiagnostic[] = [...linkParents(resources, catalogue)];
  for (const r of results) {
    diagnostics.push(...r.diagnostics);
    const names = nameEdges(r.server.name, r.resources);
    diagnostics.push(...names.problems);
    edges.push(...names.edges);
  }
  const ordered = orderOps(
    resources.flatMap((r) => r.ops),
    [...edges, ...structuralEdges(resources, edges)],
    options.servers,
  );
  diagnostics.push(...ordered.problems);
  let ops = ordered.ops;
  if (options.targets != null && options.targets.length > 0) {
    // Narrowed before the guards, so they count what this plan would run, not what it leaves.
    const targeted = selectTargets(resources, ops, options.targets);
    diagnostics.push(...targeted.problems);
    ops = ops.filter((op) => targeted.keep.has(op.id));
    for (const r of resources) r.ops = r.ops.filter((op) => targeted.keep.has(op.id));
  }
  for (const r of results) {
    if (r.server.error !== null) continue;
    const own = r.resources;
    diagnostics.push(...deletionGuards(r.server.name, own, inventory, options.allowDeletes));
    diagnostics.push(...templateGuard(r.server.name, r.observed, own, inventory));
  }
  diagnostics.push(...paidGuard(ops, inventory, options.allowPaid ?? null));
  const byServer: Record<string, ActionCounts> = {};
  for (const r of results) byServer[r.server.name] = counts(ops.filter((op) => op.server === r.server.name).map((op) => op.action));
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    createdAt: options.now,
    inventory: { commit: options.commit.commit, dirty: options.commit.dirty, dir: inventory.dir, files: inventory.digests },
    options: {
      allowDeletes: options.allowDeletes,
      reset: options.resetPlanDefaults,
      allowPaid: options.allowPaid ?? null,
      ...(options.targets != null && options.targets.length > 0 ? { targets: [...options.targets] } : {}),
    },
    servers: results.map((r) => r.server),
    ops,
    diagnostics: sortDiagnostics(diagnostics, options.servers),
    summary: { total: ops.length, paid: ops.filter((op) => op.paid === true).length, byAction: counts(ops.map((op) => op.action)), byServer },
  };
}

/** Per server in planning order (as before one graph joined them), the run-wide ones last. */
function sortDiagnostics(diagnostics: readonly PlanDiagnostic[], servers: readonly string[]): PlanDiagnostic[] {
  const rank = (d: PlanDiagnostic): number => (d.server === null ? servers.length : Math.max(0, servers.indexOf(d.server)));
  return diagnostics.map((d, i) => ({ d, i })).sort((a, b) => rank(a.d) - rank(b.d) || a.i - b.i).map(({ d }) => d);
}

