/**
 * The life of a resource as ops: create, edit, suspend, activate and, only after a grace
 * period, delete. Deletion is never immediate: a cancelled (or pruned) resource is suspended
 * with a reason siteform recognises, and the delete carries the requirement (suspended at least
 * the grace period, with siteform's reason) that the server or the provider checks at the last
 * moment.
 */
import { addDays } from "../kinds/values.js";
import type { KindModel } from "../kinds/catalogue.js";
import { keyNames, valueAt } from "../kinds/values.js";
import type { FieldChange, FreeName, Op, OpAction, OpFlags, Precondition } from "../model/op.js";
import type { Policy } from "../model/policy.js";
import type { DesiredResource, ObservedResource } from "../model/resource.js";

export const CANCELLED_REASON_PREFIX = "siteform: cancelled";
export const PRUNED_REASON_PREFIX = "siteform: unmanaged";
export const DEFAULT_SUSPEND_REASON = "siteform: suspended";

export { addDays };

/** `server:action:name`; a kind that is not its provider's first names itself (`server:licence:create:name`). */
export function opId(kind: KindModel, server: string, action: OpAction, name: string, isDefault: boolean): string {
  return isDefault ? `${server}:${action}:${name}` : `${server}:${kind.noun}:${action}:${name}`;
}

export interface OpParts {
  changes?: FieldChange[];
  flags?: OpFlags;
  reason: string;
  notes?: string[];
}

/** What building an op needs besides the resource: its kind and whether that kind is the server's default (for the id). */
export interface OpContext {
  kind: KindModel;
  isDefault: boolean;
}

function paid(ctx: OpContext, action: OpAction, changes: readonly FieldChange[]): { paid?: true } {
  return ctx.kind.costsMoney(action, changes) ? { paid: true } : {};
}

/** An op on a resource the server has. */
export function existingOp(ctx: OpContext, observed: ObservedResource, desired: DesiredResource | null, action: OpAction, parts: OpParts): Op {
  const changes = parts.changes ?? [];
  const nameField = ctx.kind.nameKey().field;
  const fields: Record<string, Precondition["fields"][string]> = { [nameField]: observed.name, state: observed.state };
  for (const change of changes) if (change.secret !== true) fields[change.field] = change.before;
  return {
    id: opId(ctx.kind, observed.server, action, observed.name, ctx.isDefault),
    server: observed.server,
    kind: ctx.kind.id,
    action,
    target: {
      id: observed.id,
      name: observed.name,
      key: desired?.key ?? null,
      source: desired === null ? null : { file: desired.source.file, line: desired.source.line },
    },
    changes,
    flags: parts.flags ?? {},
    ...paid(ctx, action, changes),
    dependsOn: [],
    preconditions: { exists: true, id: observed.id, fields },
    reason: parts.reason,
    notes: parts.notes ?? [],
  };
}

/** The names a new resource must find free: its unique keys that hold one name. */
function freeNames(kind: KindModel, desired: DesiredResource): FreeName[] {
  return kind.keys().flatMap((key) =>
    key.unique && key.list !== true ? keyNames(key, valueAt(desired.fields, key.field)).map((value) => ({ key: key.label, namespace: key.namespace, value })) : [],
  );
}

/** An op on a resource this plan creates. */
export function newResourceOp(ctx: OpContext, desired: DesiredResource, action: OpAction, parts: OpParts): Op {
  const creating = action === "create";
  return {
    id: opId(ctx.kind, desired.server, action, desired.name, ctx.isDefault),
    server: desired.server,
    kind: ctx.kind.id,
    action,
    target: { id: null, name: desired.name, key: desired.key, source: { file: desired.source.file, line: desired.source.line } },
    changes: parts.changes ?? [],
    flags: parts.flags ?? {},
    ...paid(ctx, action, parts.changes ?? []),
    dependsOn: [],
    preconditions: creating ? { exists: false, id: null, free: freeNames(ctx.kind, desired), fields: {} } : { exists: false, id: null, fields: {} },
    reason: parts.reason,
    notes: parts.notes ?? [],
  };
}

/** The suspend flags: the reason, where the kind can store one. */
export function suspendFlags(kind: KindModel, reason: string): OpFlags {
  return kind.declaration.capabilities.suspendReason ? { reason } : {};
}

function deletionFlags(policy: Policy, ownerTag: string): OpFlags {
  return { deletion: { suspendedDays: policy.deletionGraceDays, ownerTag } };
}

function deletionNote(kind: KindModel, policy: Policy): string {
  const who = kind.declaration.capabilities.deletion === "server" ? "the server deletes it" : "it is deleted";
  return `${who} only if siteform suspended it at least ${policy.deletionGraceDays} days ago`;
}

/** A cancelled resource the server has: suspend it now, delete it once the grace period is over. */
export function cancelledOps(ctx: OpContext, desired: DesiredResource, observed: ObservedResource, policy: Policy, today: string): Op[] {
  const cancelledOn = desired.cancelledOn ?? today;
  const deleteOn = addDays(cancelledOn, policy.deletionGraceDays);
  if (observed.state === "active") {
    const notes = desired.protect
      ? ["protected: it stays suspended and is never deleted"]
      : [`deleted by a plan on or after ${deleteOn}, once suspended ${policy.deletionGraceDays} days`];
    return [
      existingOp(ctx, observed, desired, "suspend", {
        flags: suspendFlags(ctx.kind, `${CANCELLED_REASON_PREFIX} on ${cancelledOn}`),
        reason: `cancelled on ${cancelledOn}`,
        notes,
      }),
    ];
  }
  if (desired.protect || today < deleteOn) return [];
  return [
    existingOp(ctx, observed, desired, "delete", {
      flags: deletionFlags(policy, CANCELLED_REASON_PREFIX),
      reason: `cancelled on ${cancelledOn}, grace of ${policy.deletionGraceDays} days over on ${deleteOn}`,
      notes: [deletionNote(ctx.kind, policy)],
    }),
  ];
}

/** A resource on a `prune: true` server that the inventory does not name: the same slow lifecycle. */
export function prunedOps(ctx: OpContext, observed: ObservedResource, policy: Policy, today: string): Op[] {
  if (observed.state === "active") {
    return [
      existingOp(ctx, observed, null, "suspend", {
        flags: suspendFlags(ctx.kind, `${PRUNED_REASON_PREFIX}, pruned on ${today}`),
        reason: "not in the inventory, and the server has prune: true",
        notes: [`deleted by a later plan once suspended ${policy.deletionGraceDays} days`],
      }),
    ];
  }
  return [
    existingOp(ctx, observed, null, "delete", {
      flags: deletionFlags(policy, PRUNED_REASON_PREFIX),
      reason: "not in the inventory, suspended, and the server has prune: true",
      notes: [deletionNote(ctx.kind, policy)],
    }),
  ];
}
