/**
 * The order people review a plan in, which is not the order apply runs it: per server, the
 * destructive operations (deletions, then suspensions) first, then edits, a kind's own actions
 * (renewals), creates and activations, each action in plan order. Shared by the text and
 * markdown renderers; apply never uses it.
 */
import type { ActionCounts, Op, OpAction, Plan, PlanDiagnostic, PlanServer } from "../model/index.js";
import { actionRank, countActions } from "./counts.js";

export interface ServerSection {
  name: string;
  /** Absent when an op names a server the plan does not list (shown anyway, never hidden). */
  server: PlanServer | undefined;
  /** In review order. */
  ops: readonly Op[];
  counts: ActionCounts;
  errors: readonly PlanDiagnostic[];
}

export function isDestructive(action: OpAction): boolean {
  return action === "delete" || action === "suspend";
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Stable: ops of one action keep the plan's order. One resource's own ops (created, then
 * suspended) stay together, where the first of them falls, in the order apply runs them (the
 * plan's): listed apart, a suspension read as suspending something that did not exist yet.
 */
export function sortForReview(ops: readonly Op[]): Op[] {
  const ranked = ops
    .map((op, index) => ({ op, index }))
    .sort((a, b) => actionRank(a.op.action) - actionRank(b.op.action) || compareNames(a.op.action, b.op.action) || a.index - b.index);
  const byResource = new Map<string, Array<{ op: Op; index: number }>>();
  for (const item of ranked) {
    const key = resourceKey(item.op);
    const list = byResource.get(key);
    if (list === undefined) byResource.set(key, [item]);
    else list.push(item);
  }
  const out: Op[] = [];
  for (const item of ranked) {
    const own = byResource.get(resourceKey(item.op));
    if (own === undefined) continue;
    byResource.delete(resourceKey(item.op));
    for (const { op } of own.length === 1 ? own : [...own].sort((a, b) => a.index - b.index)) out.push(op);
  }
  return out;
}

function resourceKey(op: Op): string {
  // Unmanaged resources (pruned) have no inventory key: their id, or name, is theirs alone.
  return `${op.server}\n${op.kind}\n${op.target.key ?? `#${op.target.id ?? op.target.name}`}`;
}

/** One section per listed server, in the plan's order, plus any server only ops name. */
export function serverSections(plan: Plan): ServerSection[] {
  const byServer = new Map<string, Op[]>();
  for (const server of plan.servers) byServer.set(server.name, []);
  for (const op of plan.ops) {
    const list = byServer.get(op.server);
    if (list === undefined) byServer.set(op.server, [op]);
    else list.push(op);
  }
  return [...byServer].map(([name, ops]) => ({
    name,
    server: plan.servers.find((s) => s.name === name),
    ops: sortForReview(ops),
    counts: countActions(ops),
    errors: plan.diagnostics.filter((d) => d.severity === "error" && d.server === name),
  }));
}

/** Ops that cost money, across all servers, in review order. */
export function paidOps(plan: Plan): Op[] {
  return sortForReview(plan.ops.filter((op) => op.paid === true));
}

/** Deletions then suspensions across all servers, in plan order within each. */
export function destructiveOps(plan: Plan): Op[] {
  return sortForReview(plan.ops.filter((op) => isDestructive(op.action)));
}
