/**
 * One operation of a plan: what the applier does to one resource, why, after what, and what
 * it expects to find there first. Neutral: fields are `group.field` strings the kind declares;
 * the action is one of the core's or one the kind declares. Types only.
 */
import type { CoreAction } from "./kind.js";
import type { ObservedValue, ParamValue } from "./resource.js";

/** A core action, or one a kind declares (`renew`). */
export type OpAction = CoreAction | (string & {});

/** The core's actions in the order a reviewer should read them (most destructive first); a kind's own come after update. */
export const OP_ACTIONS: readonly CoreAction[] = ["delete", "suspend", "update", "create", "activate"];

export type FieldValue = ParamValue | ObservedValue;

export interface FieldChange {
  /** `group.field`. */
  field: string;
  /** The observed value; null for a create or when the server had none. */
  before: FieldValue;
  after: FieldValue;
  /** The field is secret: before and after are already replaced by the redaction marker. */
  secret?: true;
  /** The panel replaces the whole value (a list): reviewers should know. */
  wholesale?: true;
}

/** A name a create or rename must find free, in its key's namespace. */
export interface FreeName {
  /** The key's label (`domain`, `admin user`). */
  key: string;
  namespace: string;
  value: string;
}

/** What an op expects of the server before it runs. */
export interface Precondition {
  /** For create: the names are free. Otherwise: the resource with `id` exists. */
  exists: boolean;
  id: string | null;
  /** Names a create must find free. */
  free?: readonly FreeName[];
  /** Observed values that must still hold (`group.field`, or `state`). */
  fields: Readonly<Record<string, FieldValue>>;
}

export interface OpTarget {
  /** The panel's id; null for a create until it has run. */
  id: string | null;
  /** The resource's name when the op starts (a rename's old name). */
  name: string;
  /** DesiredResource.key when the inventory names the resource; null for unmanaged ones. */
  key: string | null;
  /** Where the resource is written in the inventory, for messages. */
  source: { file: string; line: number } | null;
}

/**
 * The deletion guard as a requirement: the resource must have been suspended at least this long
 * with a reason starting with this tag. A kind whose server checks it gets it as delete flags; a
 * provider that cannot ask the server re-reads right before the call.
 */
export interface DeletionRequirement {
  suspendedDays: number;
  ownerTag: string;
}

/** Action-specific instructions to the provider; only what the action needs is set. */
export interface OpFlags {
  /** update: reset the resource to its template's defaults (only when the operator asked for it). */
  reset?: boolean;
  /** create/update: the server-side template to apply. */
  template?: string;
  /** suspend: the recognisable reason the server stores. */
  reason?: string;
  /** delete: what must hold for the deletion to go ahead. */
  deletion?: DeletionRequirement;
}

export interface Op {
  /** Stable and unique within a plan: `fra1:update:acme.example`. */
  id: string;
  server: string;
  /** The kind of the target (`apiscp/site`). */
  kind: string;
  action: OpAction;
  target: OpTarget;
  /** Field changes; for create, every managed field (before null). */
  changes: readonly FieldChange[];
  flags: OpFlags;
  /** The action costs money (the kind says so): counted against `policy.max_paid_ops`. */
  paid?: true;
  /** Ids of ops that must succeed before this one starts, on any server. */
  dependsOn: readonly string[];
  preconditions: Precondition;
  /** One line for people: why this op exists ("cancelled on 2026-09-01, grace of 30 days over"). */
  reason: string;
  /** Display-only remarks ("the alias list is replaced as a whole"). Apply never reads them. */
  notes: readonly string[];
}
