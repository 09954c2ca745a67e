/**
 * The applier's own cap on actions that cost money (an order, a renewal), whatever plan it is
 * handed: the planner refuses more than `policy.max_paid_ops` too, but a plan file can be
 * edited and money spent does not come back. Counted over the whole run, every server. Pure.
 */
import type { Inventory } from "../model/inventory.js";
import type { Op } from "../model/op.js";

export interface PaidRules {
  maxPaidOps: number;
  /** `--allow-paid N` given to this command; null when not. */
  allowPaid: number | null;
}

export function paidRulesFor(inventory: Inventory, allowPaid: number | null): PaidRules {
  return { maxPaidOps: inventory.policy.maxPaidOps, allowPaid };
}

/** Why the run's paid ops may not go ahead; empty when they may. */
export function paidRefusals(ops: readonly Op[], rules: PaidRules): string[] {
  const paid = ops.filter((op) => op.paid === true);
  const limit = Math.max(rules.maxPaidOps, rules.allowPaid ?? 0);
  if (paid.length <= limit) return [];
  const cap = limit === rules.maxPaidOps ? `policy.max_paid_ops (${rules.maxPaidOps})` : `--allow-paid ${rules.allowPaid}`;
  const listed = paid.slice(0, 5).map((op) => `${op.server} ${op.action} ${op.target.name}`).join(", ");
  return [`${paid.length} operations cost money (${listed}${paid.length > 5 ? ", …" : ""}), more than ${cap}; if every one is intended, pass --allow-paid ${paid.length}`];
}
