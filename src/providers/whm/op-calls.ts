/**
 * What an Op means in WHM's terms, decided without calling anything: the account's new user,
 * domain and contact address, the package, and its own limits as the parameters that set them
 * (`modifyacct` `MAX*`/`HASSHELL`, `editquota` MB, `limitbw` MB), converted by limits.ts. A
 * field this kind does not have, or a secret the plan cannot hold, is an OpShapeError: a
 * siteform bug, not a server answer.
 */
import type { FieldValue, Op } from "../../model/op.js";
import type { AccountChanges } from "./client.js";
import { FIELD } from "./kinds.js";
import { SHELL_FIELD, limitParam, limitSpec, toLimit } from "./limits.js";

/** Thrown when an op cannot be sent as it is. */
export class OpShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OpShapeError";
  }
}

/** The account's own limits as the calls that set them; each part absent when nothing of it changes. */
export interface LimitCalls {
  /** `modifyacct` parameters: `MAXPOP`…, `HASSHELL`. */
  modify: Record<string, string | number | boolean>;
  /** `editquota`'s quota in MB (0 = unlimited). */
  quotaMb?: number;
  /** `limitbw`'s limit in MB (0 = unlimited). */
  bandwidthMb?: number;
}

/** Everything an op asks of an account. */
export interface AccountWork {
  /** The new user, domain and contact address, when they change. */
  user?: string;
  domain?: string;
  email?: string;
  /** The package to move to. */
  package?: string;
  limits: LimitCalls;
}

function text(op: Op, field: string, value: FieldValue): string {
  if (typeof value !== "string" || value === "") throw new OpShapeError(`${op.id}: ${field} must be a non-empty text, not ${JSON.stringify(value)}`);
  return value;
}

/** What the op's changes and flags ask for. */
export function accountWork(op: Op): AccountWork {
  const work: AccountWork = { limits: { modify: {} } };
  for (const change of op.changes) {
    if (change.secret === true) throw new OpShapeError(`${op.id}: ${change.field} is a secret whose value the plan does not hold`);
    const after = change.after;
    switch (change.field) {
      case FIELD.user:
        work.user = text(op, change.field, after);
        continue;
      case FIELD.domain:
        work.domain = text(op, change.field, after);
        continue;
      case FIELD.email:
        work.email = text(op, change.field, after);
        continue;
      case FIELD.package:
        work.package = text(op, change.field, after);
        continue;
      case SHELL_FIELD:
        work.limits.modify.HASSHELL = after === true || after === 1 || after === "1";
        continue;
    }
    const spec = limitSpec(change.field);
    if (spec === undefined) throw new OpShapeError(`${op.id}: a WHM account has no settable field ${change.field}`);
    const value = limitParam(spec, toLimit(change.field, after));
    if ("modifyacct" in spec.write) work.limits.modify[spec.write.modifyacct] = value;
    else if (spec.write.call === "editquota") work.limits.quotaMb = value as number;
    else work.limits.bandwidthMb = value as number;
  }
  // The template flag names the package even when the change list does not (a reset).
  if (op.flags.template !== undefined) work.package = op.flags.template;
  return work;
}

export function hasLimits(limits: LimitCalls): boolean {
  return Object.keys(limits.modify).length > 0 || limits.quotaMb !== undefined || limits.bandwidthMb !== undefined;
}

/** A create's value of one of its keys: its change, else the name it must find free. */
function createKey(op: Op, field: string, key: string): string | undefined {
  const after = op.changes.find((c) => c.field === field)?.after;
  if (typeof after === "string" && after !== "") return after;
  return op.preconditions.free?.find((f) => f.key === key)?.value;
}

export interface CreateCall {
  username: string;
  domain: string;
  plan: string | undefined;
  contactemail: string | undefined;
  limits: LimitCalls;
}

/** `createacct`'s parameters, and the limits to set right after it. */
export function createCall(op: Op): CreateCall {
  const work = accountWork(op);
  const username = createKey(op, FIELD.user, "user");
  if (username === undefined) throw new OpShapeError(`${op.id}: a create needs a user and the op has none`);
  return { username, domain: createKey(op, FIELD.domain, "domain") ?? op.target.name, plan: work.package, contactemail: work.email, limits: work.limits };
}

/** The `modifyacct` parameters of a rename and a new contact address, leaving out what the account already has. */
export function identityChanges(work: AccountWork, current: { user: string; domain: string; email: string | null }): AccountChanges {
  const out: Record<string, string> = {};
  if (work.user !== undefined && work.user !== current.user) out.newuser = work.user;
  if (work.domain !== undefined && work.domain.toLowerCase() !== current.domain.toLowerCase()) out.DNS = work.domain;
  if (work.email !== undefined && work.email !== current.email) out.contactemail = work.email;
  return out;
}

/** How people read the op's account in messages: `acme.example (uid 1001)`. */
export function opAccountLabel(op: Op): string {
  return op.target.id === null ? op.target.name : `${op.target.name} (uid ${op.target.id})`;
}
