/**
 * The life of a site as ops: create, edit, suspend, activate and, only after a grace period,
 * delete. Deletion is never immediate: a cancelled (or pruned) site is suspended with a reason
 * siteform recognises, and the delete carries `since`/`match` so the server itself refuses
 * to delete a site that was not suspended by siteform long enough.
 */
import type { DesiredSite } from "../model/desired-site.js";
import type { ObservedSite } from "../model/observed-site.js";
import type { FieldChange, Op, OpAction, OpFlags, Precondition } from "../model/op.js";
import type { Policy } from "../model/policy.js";
import { preconditionKey } from "./fields.js";

export const CANCELLED_REASON_PREFIX = "siteform: cancelled";
export const PRUNED_REASON_PREFIX = "siteform: unmanaged";
export const DEFAULT_SUSPEND_REASON = "siteform: suspended";

/** `YYYY-MM-DD` plus days, in UTC. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function opId(server: string, action: OpAction, domain: string): string {
  return `${server}:${action}:${domain}`;
}

/** An op on a site the server has. */
export function existingOp(
  observed: ObservedSite,
  desired: DesiredSite | null,
  action: OpAction,
  parts: { changes?: FieldChange[]; flags?: OpFlags; reason: string; notes?: string[] },
): Op {
  const changes = parts.changes ?? [];
  const fields: Record<string, Precondition["fields"][string]> = { domain: observed.domain, active: observed.active };
  for (const change of changes) if (change.secret !== true) fields[preconditionKey(change.field)] = change.before;
  return {
    id: opId(observed.server, action, observed.domain),
    server: observed.server,
    action,
    target: {
      siteId: observed.id,
      domain: observed.domain,
      adminUser: observed.adminUser,
      key: desired?.key ?? null,
      source: desired === null ? null : { file: desired.source.file, line: desired.source.line },
    },
    changes,
    flags: parts.flags ?? {},
    dependsOn: [],
    preconditions: { exists: true, siteId: observed.id, fields },
    reason: parts.reason,
    notes: parts.notes ?? [],
  };
}

/** An op on a site this plan creates. */
export function newSiteOp(
  desired: DesiredSite,
  action: OpAction,
  parts: { changes?: FieldChange[]; flags?: OpFlags; reason: string; notes?: string[] },
): Op {
  const creating = action === "create";
  return {
    id: opId(desired.server, action, desired.domain),
    server: desired.server,
    action,
    target: {
      siteId: null,
      domain: desired.domain,
      adminUser: desired.adminUser,
      key: desired.key,
      source: { file: desired.source.file, line: desired.source.line },
    },
    changes: parts.changes ?? [],
    flags: parts.flags ?? {},
    dependsOn: [],
    preconditions: creating
      ? { exists: false, siteId: null, freeDomain: desired.domain, freeAdminUser: desired.adminUser, fields: {} }
      : { exists: false, siteId: null, fields: {} },
    reason: parts.reason,
    notes: parts.notes ?? [],
  };
}

function deletionFlags(policy: Policy, prefix: string): OpFlags {
  return { since: `${policy.deletionGraceDays} days ago`, match: `^${prefix}` };
}

/** A cancelled site the server has: suspend it now, delete it once the grace period is over. */
export function cancelledOps(desired: DesiredSite, observed: ObservedSite, policy: Policy, today: string): Op[] {
  const cancelledOn = desired.cancelledOn ?? today;
  const deleteOn = addDays(cancelledOn, policy.deletionGraceDays);
  if (observed.active) {
    const notes = desired.protect
      ? ["protected: it stays suspended and is never deleted"]
      : [`deleted by a plan on or after ${deleteOn}, once suspended ${policy.deletionGraceDays} days`];
    return [
      existingOp(observed, desired, "suspend", {
        flags: { reason: `${CANCELLED_REASON_PREFIX} on ${cancelledOn}` },
        reason: `cancelled on ${cancelledOn}`,
        notes,
      }),
    ];
  }
  if (desired.protect || today < deleteOn) return [];
  return [
    existingOp(observed, desired, "delete", {
      flags: deletionFlags(policy, CANCELLED_REASON_PREFIX),
      reason: `cancelled on ${cancelledOn}, grace of ${policy.deletionGraceDays} days over on ${deleteOn}`,
      notes: [`the server deletes it only if siteform suspended it at least ${policy.deletionGraceDays} days ago`],
    }),
  ];
}

/** A site on a `prune: true` server that the inventory does not name: the same slow lifecycle. */
export function prunedOps(observed: ObservedSite, policy: Policy, today: string): Op[] {
  if (observed.active) {
    return [
      existingOp(observed, null, "suspend", {
        flags: { reason: `${PRUNED_REASON_PREFIX}, pruned on ${today}` },
        reason: "not in the inventory, and the server has prune: true",
        notes: [`deleted by a later plan once suspended ${policy.deletionGraceDays} days`],
      }),
    ];
  }
  return [
    existingOp(observed, null, "delete", {
      flags: deletionFlags(policy, PRUNED_REASON_PREFIX),
      reason: "not in the inventory, suspended, and the server has prune: true",
      notes: [`the server deletes it only if siteform suspended it at least ${policy.deletionGraceDays} days ago`],
    }),
  ];
}
