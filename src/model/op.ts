/**
 * One operation of a plan: what the applier does to one site, why, after what, and what it
 * expects to find there first. Provider-neutral: fields are `service.param` strings the
 * provider understands; the core only reads the identity fields named in DesiredSite. Types only.
 */
import type { ObservedValue } from "./observed-site.js";
import type { ParamValue } from "./desired-site.js";

/** The closed set of actions, in the order a reviewer should read them (most destructive first). */
export type OpAction = "delete" | "suspend" | "update" | "create" | "activate";
export const OP_ACTIONS: readonly OpAction[] = ["delete", "suspend", "update", "create", "activate"];

export type FieldValue = ParamValue | ObservedValue;

export interface FieldChange {
  /** `service.param`. */
  field: string;
  /** The observed value; null for a create or when the server had none. */
  before: FieldValue;
  after: FieldValue;
  /** The field is secret: before and after are already replaced by the redaction marker. */
  secret?: true;
  /** The provider replaces the whole value (ApisCP's alias list): reviewers should know. */
  wholesale?: true;
}

/** What an op expects of the server before it runs; a mismatch makes the plan stale for that op. */
export interface Precondition {
  /** For create: no site holds this domain or admin user. Otherwise: the site with `siteId` exists. */
  exists: boolean;
  siteId: string | null;
  /** Domain and admin user a create must find free. */
  freeDomain?: string;
  freeAdminUser?: string;
  /** Observed values that must still hold (`service.param` or `active`/`domain`). */
  fields: Readonly<Record<string, FieldValue>>;
}

export interface OpTarget {
  /** The panel's site id; null for a create until it has run. */
  siteId: string | null;
  /** The domain the site has when the op starts (a rename's old name). */
  domain: string;
  adminUser: string | null;
  /** DesiredSite.key when the inventory names the site; null for unmanaged sites. */
  key: string | null;
  /** Where the site is written in the inventory, for messages. */
  source: { file: string; line: number } | null;
}

/** Action-specific instructions to the provider; only what the action needs is set. */
export interface OpFlags {
  /** update: reset the site to the plan's defaults (only when the operator asked for it). */
  reset?: boolean;
  /** create/update: the server-side plan to apply. */
  plan?: string;
  /** suspend: the recognisable reason the server stores. */
  reason?: string;
  /** delete: the server deletes only if suspended at least this long ("30 days ago"). */
  since?: string;
  /** delete: a regex the suspension reason must match. */
  match?: string;
}

export interface Op {
  /** Stable and unique within a plan: `fra1:update:acme.example`. */
  id: string;
  server: string;
  action: OpAction;
  target: OpTarget;
  /** Field changes; for create, every managed field (before null). */
  changes: readonly FieldChange[];
  flags: OpFlags;
  /** Ids of ops that must succeed before this one starts. */
  dependsOn: readonly string[];
  preconditions: Precondition;
  /** One line for people: why this op exists ("cancelled on 2026-09-01, grace of 30 days over"). */
  reason: string;
  /** Display-only remarks ("the alias list is replaced as a whole"). Apply never reads them. */
  notes: readonly string[];
}
