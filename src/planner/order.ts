/**
 * The order ops may run in, as a dependency graph: parents before children when creating or
 * activating, children before parents when suspending or deleting, a site's own ops in a
 * sensible sequence, and whatever names.ts found. The plan lists ops in one valid sequence;
 * a cycle (two sites swapping domains) is refused, because any way through it would leave one
 * site half-renamed if the second step failed.
 */
import { OP_ACTIONS, type Op } from "../model/op.js";
import type { PlanDiagnostic } from "../model/plan.js";
import { opOf, type SitePlan } from "./site-plan.js";

const UPWARD: ReadonlySet<string> = new Set(["create", "activate", "update"]);
const TEARDOWN: ReadonlySet<string> = new Set(["suspend", "delete"]);

/**
 * Edges implied by invoice groups and by each site's own ops. A group edge gives way to a name
 * edge the other way (`names`): when a new parent is created under the invoice the old parent
 * still holds, the old parent must hand it over (becoming a child) first, as no other order
 * can run; a child billed to an invoice for a moment nobody holds is the lesser evil.
 */
export function structuralEdges(sites: readonly SitePlan[], names: ReadonlyArray<[string, string]> = []): Array<[string, string]> {
  const byHandle = new Map(sites.map((s) => [s.handle, s]));
  const named = new Set(names.map(([from, to]) => `${from}\n${to}`));
  const yields = (from: string, to: string): boolean => named.has(`${to}\n${from}`);
  const edges: Array<[string, string]> = [];
  for (const site of sites) {
    const create = opOf(site, "create");
    const update = opOf(site, "update");
    const activate = opOf(site, "activate");
    const suspend = opOf(site, "suspend");
    if (create !== undefined && suspend !== undefined) edges.push([suspend.id, create.id]);
    if (update !== undefined && activate !== undefined) edges.push([activate.id, update.id]);
    const parent = site.parent === null ? undefined : byHandle.get(site.parent);
    if (parent === undefined) continue;
    for (const childOp of site.ops) {
      for (const parentOp of parent.ops) {
        if (UPWARD.has(childOp.action) && (parentOp.action === "create" || parentOp.action === "activate") && !yields(childOp.id, parentOp.id)) {
          edges.push([childOp.id, parentOp.id]);
        }
        if (TEARDOWN.has(parentOp.action) && TEARDOWN.has(childOp.action) && !yields(parentOp.id, childOp.id)) edges.push([parentOp.id, childOp.id]);
      }
    }
  }
  return edges;
}

function readingOrder(a: Op, b: Op): number {
  if (a.server !== b.server) return a.server < b.server ? -1 : 1;
  const action = OP_ACTIONS.indexOf(a.action) - OP_ACTIONS.indexOf(b.action);
  if (action !== 0) return action;
  return a.target.domain < b.target.domain ? -1 : a.target.domain > b.target.domain ? 1 : 0;
}

export interface Ordered {
  ops: Op[];
  problems: PlanDiagnostic[];
}

/** Ops with dependsOn filled in, listed so that every op comes after what it waits for. */
export function orderOps(ops: readonly Op[], edges: ReadonlyArray<[string, string]>): Ordered {
  const deps = new Map<string, Set<string>>(ops.map((op) => [op.id, new Set<string>()]));
  for (const [from, to] of edges) if (from !== to && deps.has(to)) deps.get(from)?.add(to);
  const byId = new Map(ops.map((op) => [op.id, op]));
  const sorted = [...ops].sort(readingOrder);
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
    const waitsFor = [...(deps.get(id) ?? [])].map((d) => byId.get(d) as Op).sort(readingOrder);
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
      hint: "split the change in two: first rename one site to a temporary domain (or admin user) and apply, then finish in a second change",
      ...(first.target.source === null ? {} : { file: first.target.source.file, line: first.target.source.line }),
    };
  });
  return { ops: out, problems };
}

function describe(op: Op): string {
  const renames = op.changes.filter((c) => typeof c.after === "string" && typeof c.before === "string" && c.before !== c.after);
  const what = renames.length > 0 ? renames.map((c) => `${String(c.before)} → ${String(c.after)}`).join(", ") : op.action;
  return `${op.target.domain}: ${what}`;
}
