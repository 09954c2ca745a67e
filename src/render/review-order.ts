/**
 * The order people review a plan in, which is not the order apply runs it: per server, the
 * destructive operations (deletions, then suspensions) first, then edits, creates and
 * activations, each kind in plan order. Shared by the text and markdown renderers; apply
 * never uses it.
 */
import { OP_ACTIONS, type ActionCounts, type Op, type OpAction, type Plan, type PlanDiagnostic, type PlanServer } from "../model/index.js";
import { countActions } from "./counts.js";

export interface ServerSection {
  name: string;
  /** Absent when an op names a server the plan does not list (shown anyway, never hidden). */
  server: PlanServer | undefined;
  /** In review order. */
  ops: readonly Op[];
  counts: ActionCounts;
  errors: readonly PlanDiagnostic[];
}

const RANK: Readonly<Record<OpAction, number>> = Object.fromEntries(OP_ACTIONS.map((action, i) => [action, i])) as Record<OpAction, number>;

export function isDestructive(action: OpAction): boolean {
  return action === "delete" || action === "suspend";
}

/** Stable: ops of one action keep the plan's order. */
export function sortForReview(ops: readonly Op[]): Op[] {
  return ops
    .map((op, index) => ({ op, index }))
    .sort((a, b) => RANK[a.op.action] - RANK[b.op.action] || a.index - b.index)
    .map(({ op }) => op);
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

/** Deletions then suspensions across all servers, in plan order within each. */
export function destructiveOps(plan: Plan): Op[] {
  return sortForReview(plan.ops.filter((op) => isDestructive(op.action)));
}
