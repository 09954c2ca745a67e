/**
 * The order ops may run in, as one dependency graph across servers and kinds: parents (by any
 * relation, on any server) before children when creating or activating, children before
 * parents when suspending or deleting, a resource's own ops in a sensible sequence, and
 * whatever names.ts found. The plan lists ops in one valid sequence; a cycle (two sites
 * swapping domains) is refused, because any way through it would leave one resource
 * half-renamed if the second step failed.
 */
import { OP_ACTIONS, type Op } from "../model/op.js";
import type { PlanDiagnostic } from "../model/plan.js";
import { opOf, type ResourcePlan } from "./resource-plan.js";

const UPWARD: ReadonlySet<string> = new Set(["create", "activate", "update"]);
const TEARDOWN: ReadonlySet<string> = new Set(["suspend", "delete"]);
const CORE: ReadonlySet<string> = new Set(OP_ACTIONS);

/**
 * Edges implied by relations and by each resource's own ops. A relation edge gives way to a
 * name edge the other way (`names`): when a new parent is created under the invoice the old
 * parent still holds, the old parent must hand it over (becoming a child) first, as no other
 * order can run; a child billed to an invoice for a moment nobody holds is the lesser evil.
 */
export function structuralEdges(resources: readonly ResourcePlan[], names: ReadonlyArray<[string, string]> = []): Array<[string, string]> {
  const byHandle = new Map(resources.map((r) => [r.handle, r]));
  const named = new Set(names.map(([from, to]) => `${from}\n${to}`));
  const yields = (from: string, to: string): boolean => named.has(`${to}\n${from}`);
  const edges: Array<[string, string]> = [];
  for (const resource of resources) {
    const create = opOf(resource, "create");
    const update = opOf(resource, "update");
    const activate = opOf(resource, "activate");
    const suspend = opOf(resource, "suspend");
    if (create !== undefined && suspend !== undefined) edges.push([suspend.id, create.id]);
    if (update !== undefined && activate !== undefined) edges.push([activate.id, update.id]);
    // An edit (a rename) and a suspension of one resource never run at once: a panel that
    // addresses the resource by a name the edit changes (WHM's user) would suspend by the old one.
    const teardown = opOf(resource, "delete");
    for (const after of [suspend, teardown]) if (update !== undefined && after !== undefined) edges.push([after.id, update.id]);
    // A kind's own actions (a renewal) run on the resource as edited and reactivated.
    for (const extra of resource.ops.filter((op) => !CORE.has(op.action))) {
      for (const before of [update, activate]) if (before !== undefined) edges.push([extra.id, before.id]);
    }
    for (const handle of resource.parents) {
      const parent = byHandle.get(handle);
      if (parent === undefined || parent === resource) continue;
      for (const childOp of resource.ops) {
        for (const parentOp of parent.ops) {
          const up = UPWARD.has(childOp.action) || !CORE.has(childOp.action);
          if (up && (parentOp.action === "create" || parentOp.action === "activate") && !yields(childOp.id, parentOp.id)) {
            edges.push([childOp.id, parentOp.id]);
          }
          if (TEARDOWN.has(parentOp.action) && TEARDOWN.has(childOp.action) && !yields(parentOp.id, childOp.id)) edges.push([parentOp.id, childOp.id]);
        }
      }
    }
  }
  return edges;
}

function actionRank(action: string): number {
  const core = OP_ACTIONS.indexOf(action as (typeof OP_ACTIONS)[number]);
  // A kind's own actions read after the updates.
  return core >= 0 ? core * 2 : OP_ACTIONS.indexOf("update") * 2 + 1;
}

function readingOrder(a: Op, b: Op, serverRank: ReadonlyMap<string, number>): number {
  if (a.server !== b.server) {
    const rank = (serverRank.get(a.server) ?? Number.MAX_SAFE_INTEGER) - (serverRank.get(b.server) ?? Number.MAX_SAFE_INTEGER);
    return rank !== 0 ? rank : a.server < b.server ? -1 : 1;
  }
  const action = actionRank(a.action) - actionRank(b.action);
  if (action !== 0) return action;
  if (a.target.name !== b.target.name) return a.target.name < b.target.name ? -1 : 1;
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

export interface Ordered {
  ops: Op[];
  problems: PlanDiagnostic[];
}

/** Ops with dependsOn filled in, listed so that every op comes after what it waits for; servers read in the order given (else by name). */
export function orderOps(ops: readonly Op[], edges: ReadonlyArray<[string, string]>, servers: readonly string[] = []): Ordered {
  const serverRank = new Map(servers.map((s, i) => [s, i]));
  const byReading = (a: Op, b: Op): number => readingOrder(a, b, serverRank);
  const deps = new Map<string, Set<string>>(ops.map((op) => [op.id, new Set<string>()]));
  for (const [from, to] of edges) if (from !== to && deps.has(to)) deps.get(from)?.add(to);
  const byId = new Map(ops.map((op) => [op.id, op]));
  const sorted = [...ops].sort(byReading);
  const state = new Map<string, "visiting" | "done">();
  const out: Op[] = [];
  const cycles: string[][] = [];
  const inCycle = new Set<string>();

  const visit = (id: string, path: string[]): void => {
    const seen = state.get(id);
    if (seen === "done") return;
    if (seen === "visiting") {
      const cycle = path.slice(path.indexOf(id));
      if (!cycle.some((c) => inCycle.has(c))) cycles.push(cycle);
      for (const c of cycle) inCycle.add(c);
      return;
    }
    state.set(id, "visiting");
    const waitsFor = [...(deps.get(id) ?? [])].map((d) => byId.get(d) as Op).sort(byReading);
    for (const dep of waitsFor) visit(dep.id, [...path, id]);
    state.set(id, "done");
    const op = byId.get(id) as Op;
    out.push({ ...op, dependsOn: waitsFor.map((d) => d.id) });
  };
  for (const op of sorted) visit(op.id, []);

  const problems: PlanDiagnostic[] = cycles.map((cycle) => {
    const first = byId.get(cycle[0] as string) as Op;
    return {
      severity: "error",
      code: "order-cycle",
      server: first.server,
      message: `these operations each wait for another's name, so no order can run them: ${cycle.map((id) => describe(byId.get(id) as Op)).join("; ")}`,
      hint: "split the change in two: first rename one to a temporary name and apply, then finish in a second change",
      ...(first.target.source === null ? {} : { file: first.target.source.file, line: first.target.source.line }),
    };
  });
  return { ops: out, problems };
}

function describe(op: Op): string {
  const renames = op.changes.filter((c) => typeof c.after === "string" && typeof c.before === "string" && c.before !== c.after);
  const what = renames.length > 0 ? renames.map((c) => `${String(c.before)} → ${String(c.after)}`).join(", ") : op.action;
  return `${op.target.name}: ${what}`;
}
